package gcproles

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/vigil-sec/vigil/internal/lazy"
)

//go:generate go run ./gen -in ../../../../../shared/corpus/iam-reference/gcp-predefined-roles.json -out roles.txt.gz

//go:embed roles.txt.gz
var embedded []byte

// Header is the first line of the shipped form.
const Header = "vigil-gcp-roles 1"

// Role is one predefined role. Permissions are sorted and shared with the
// dictionary of the Roles they come from: do not modify them.
type Role struct {
	Name        string // roles/storage.objectViewer
	Title       string
	Stage       string // GA, BETA, ALPHA, DEPRECATED, ...
	Permissions []string
}

// Has reports whether the role includes permission p.
func (r *Role) Has(p string) bool {
	i := sort.SearchStrings(r.Permissions, p)
	return i < len(r.Permissions) && r.Permissions[i] == p
}

// Roles is the set of predefined roles by name.
type Roles struct {
	list   []Role
	byName map[string]int
	perms  int
}

// Decode reads roles in the shipped form: gzip-compressed text, the Header
// line, "P <n>" and n permission lines (sorted), then one line per role:
// name, stage, title and the role's permissions as the differences between
// successive dictionary indices in base 36, comma-separated, tab-separated.
func Decode(r io.Reader) (*Roles, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("gcp role reference data: %w", err)
	}
	sc := bufio.NewScanner(zr)
	sc.Buffer(make([]byte, 0, 1<<20), 1<<24)
	line := 0
	next := func() (string, bool) {
		if !sc.Scan() {
			return "", false
		}
		line++
		return sc.Text(), true
	}
	bad := func(format string, a ...any) error {
		return fmt.Errorf("gcp role reference data: line %d: %s", line, fmt.Sprintf(format, a...))
	}
	if h, _ := next(); h != Header {
		return nil, bad("header %q, want %q", h, Header)
	}
	h, _ := next()
	n, err := strconv.Atoi(strings.TrimPrefix(h, "P "))
	if !strings.HasPrefix(h, "P ") || err != nil || n < 0 {
		return nil, bad("permission count %q", h)
	}
	dict := make([]string, 0, n)
	for len(dict) < n {
		p, ok := next()
		if !ok {
			return nil, bad("%d permissions, want %d", len(dict), n)
		}
		dict = append(dict, p)
	}
	rs := &Roles{byName: map[string]int{}, perms: n}
	for {
		l, ok := next()
		if !ok {
			break
		}
		f := strings.Split(l, "\t")
		if len(f) != 4 || f[0] == "" {
			return nil, bad("want 4 tab-separated fields")
		}
		ro := Role{Name: f[0], Stage: f[1], Title: f[2]}
		if f[3] != "" {
			idx := -1
			for _, d := range strings.Split(f[3], ",") {
				v, err := strconv.ParseUint(d, 36, 32)
				if err != nil || v == 0 || idx+int(v) >= n {
					return nil, bad("role %s: permission index %q", f[0], d)
				}
				idx += int(v)
				ro.Permissions = append(ro.Permissions, dict[idx])
			}
		}
		rs.byName[ro.Name] = len(rs.list)
		rs.list = append(rs.list, ro)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("gcp role reference data: %w", err)
	}
	return rs, nil
}

// Load decodes the embedded reference data.
func Load() (*Roles, error) { return Decode(bytes.NewReader(embedded)) }

// decoded holds what Default decoded (lazy: no initializer at every start).
var decoded lazy.Value[*Roles]

// Default returns the embedded reference data, decoded once per process.
func Default() (*Roles, error) {
	return decoded.Get(Load)
}

// Len is the number of roles.
func (rs *Roles) Len() int { return len(rs.list) }

// Permissions is the number of distinct permissions over all roles.
func (rs *Roles) Permissions() int { return rs.perms }

// All returns every role, sorted by name.
func (rs *Roles) All() []Role { return rs.list }

// Role returns the predefined role named name (roles/...).
func (rs *Roles) Role(name string) (*Role, bool) {
	i, ok := rs.byName[name]
	if !ok {
		return nil, false
	}
	return &rs.list[i], true
}
