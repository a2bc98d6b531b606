package attack

import (
	"bufio"
	_ "embed"
	"fmt"
	"io"
	"sort"
	"strings"
)

//go:embed enterprise_cloud.tsv
var enterpriseCloud string

// Technique is one ATT&CK technique or sub-technique.
type Technique struct {
	ID        string   `json:"id"`
	Name      string   `json:"name"`
	Tactics   []string `json:"tactics"`
	Platforms []string `json:"platforms,omitempty"`
}

// Parent returns the technique a sub-technique belongs to (T1098 for
// T1098.001), or "" for a technique.
func (t Technique) Parent() string { return ParentOf(t.ID) }

// ParentOf returns the parent of a sub-technique id, or "" for a technique id.
func ParentOf(id string) string {
	if i := strings.IndexByte(id, '.'); i > 0 {
		return id[:i]
	}
	return ""
}

// Catalog is a list of techniques with the ATT&CK version and source it was
// derived from.
type Catalog struct {
	Version    string
	Source     string
	Techniques []Technique
	byID       map[string]int
}

// Lookup returns the technique with id (case-insensitive).
func (c *Catalog) Lookup(id string) (Technique, bool) {
	i, ok := c.byID[strings.ToUpper(id)]
	if !ok {
		return Technique{}, false
	}
	return c.Techniques[i], true
}

// OnPlatform returns the ids listed on any of the given source platforms, sorted.
func (c *Catalog) OnPlatform(platforms ...string) []string {
	var ids []string
	for _, t := range c.Techniques {
		for _, p := range t.Platforms {
			if contains(platforms, p) {
				ids = append(ids, t.ID)
				break
			}
		}
	}
	sort.Strings(ids)
	return ids
}

// PlatformGroup is an ATT&CK (v16 and later) cloud platform and the platform
// names of the shipped data that make it up.
type PlatformGroup struct {
	Name string `json:"platform"`
	// From are the platforms of the data (ATT&CK v15 names) folded into it.
	From []string `json:"from_platforms"`
}

// PlatformGroups are the cloud platforms a coverage report lists. SaaS has
// no list in the shipped data (From is empty).
var PlatformGroups = []PlatformGroup{
	{Name: "IaaS", From: []string{"IaaS"}},
	{Name: "Identity Provider", From: []string{"Azure AD"}},
	{Name: "Office Suite", From: []string{"Office 365", "Google Workspace"}},
	{Name: "SaaS"},
}

// Load parses the embedded technique list.
func Load() (*Catalog, error) { return Parse(strings.NewReader(enterpriseCloud)) }

// Parse reads a technique list in the format of enterprise_cloud.tsv: "#"
// comment lines ("# version: ..." and "# source: ..." set the catalog's
// Version and Source) and lines of ID, name, tactics and platforms separated
// by tabs; "-" means no platform.
func Parse(r io.Reader) (*Catalog, error) {
	c := &Catalog{byID: map[string]int{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" {
			continue
		}
		if rest, ok := strings.CutPrefix(line, "#"); ok {
			rest = strings.TrimSpace(rest)
			if v, ok := strings.CutPrefix(rest, "version:"); ok {
				c.Version = strings.TrimSpace(v)
			} else if v, ok := strings.CutPrefix(rest, "source:"); ok {
				c.Source = strings.TrimSpace(v)
			}
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 4 {
			return nil, fmt.Errorf("line %d: %d tab-separated fields, want 4 (id, name, tactics, platforms)", n, len(f))
		}
		id := strings.TrimSpace(f[0])
		if !IsID(id) {
			return nil, fmt.Errorf("line %d: %q is not a technique id (T1234 or T1234.001)", n, id)
		}
		if _, dup := c.byID[id]; dup {
			return nil, fmt.Errorf("line %d: %s listed twice", n, id)
		}
		t := Technique{ID: id, Name: strings.TrimSpace(f[1]), Tactics: splitList(f[2]), Platforms: splitList(f[3])}
		if t.Name == "" || len(t.Tactics) == 0 {
			return nil, fmt.Errorf("line %d: %s has no name or no tactic", n, id)
		}
		c.byID[id] = len(c.Techniques)
		c.Techniques = append(c.Techniques, t)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if c.Version == "" || c.Source == "" {
		return nil, fmt.Errorf("technique list names no version or no source (# version: / # source: lines)")
	}
	if len(c.Techniques) == 0 {
		return nil, fmt.Errorf("technique list is empty")
	}
	return c, nil
}

// IsID reports whether s is an upper-case technique id: T and four digits,
// optionally a dot and three digits.
func IsID(s string) bool {
	if len(s) != 5 && len(s) != 9 || s[0] != 'T' {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if i == 5 {
			if c != '.' {
				return false
			}
			continue
		}
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func splitList(s string) []string {
	s = strings.TrimSpace(s)
	if s == "" || s == "-" {
		return nil
	}
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
