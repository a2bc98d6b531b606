package cost

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/resource"
)

// ClassTags are the tag keys read, in order, for a resource's sensitivity
// class (matched case-insensitively).
var ClassTags = []string{"data-classification", "data_classification", "dataclassification", "classification", "sensitivity", "data-class"}

// Unclassified is the class of a resource in the inventory without a
// class tag.
const Unclassified = "unclassified"

// Inventory is what the cost reports know of resources: the resources and
// findings of a vigil scan --format json output.
type Inventory struct {
	Findings []finding.Finding
	refs     map[string]resource.Ref // by lowercased ID
	// classes holds the data class the governance policy gave a resource
	// (finding.DataClass of a scan with --governance), by lowercased ID.
	classes  map[string]string
	bySuffix map[string]string // provider|account|last ID segment -> ID ("" when ambiguous)
}

// LoadInventory reads a vigil scan --format json output.
func LoadInventory(path string) (*Inventory, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var doc struct {
		Findings []finding.Finding `json:"findings"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: not a vigil scan --format json output: %w", path, err)
	}
	if doc.Findings == nil {
		return nil, fmt.Errorf("%s: no \"findings\" (want a vigil scan --format json output)", path)
	}
	return NewInventory(doc.Findings), nil
}

// NewInventory indexes the resources of findings.
func NewInventory(fs []finding.Finding) *Inventory {
	inv := &Inventory{Findings: fs, refs: map[string]resource.Ref{}, bySuffix: map[string]string{}, classes: map[string]string{}}
	for _, f := range fs {
		r := f.Resource
		id := strings.ToLower(r.ID)
		if id == "" {
			continue
		}
		if f.DataClass != "" {
			inv.classes[id] = f.DataClass
		}
		if _, ok := inv.refs[id]; ok {
			continue
		}
		inv.refs[id] = r
		for n := 1; n <= 2; n++ {
			k := suffixKey(string(r.Provider), r.Account, r.ID, n)
			if k == "" {
				continue
			}
			if prev, ok := inv.bySuffix[k]; ok && prev != id {
				inv.bySuffix[k] = ""
			} else {
				inv.bySuffix[k] = id
			}
		}
	}
	return inv
}

// lastSegments returns the last n segments of an ID split at "/" and ":"
// (empty segments dropped), joined by "/"; "" when it has fewer.
func lastSegments(id string, n int) string {
	segs := strings.FieldsFunc(id, func(r rune) bool { return r == '/' || r == ':' })
	if len(segs) < n {
		return ""
	}
	return strings.Join(segs[len(segs)-n:], "/")
}

func suffixKey(provider, account, id string, n int) string {
	s := lastSegments(id, n)
	if s == "" {
		return ""
	}
	return strings.ToLower(provider + "|" + account + "|" + s)
}

// Match returns the inventory resource a billing line's resource ID names:
// the same ID (case-insensitively), else the one resource of that provider
// and account whose ID ends in the same two, or one, segments (CUR bills i-0abc for
// arn:aws:ec2:...:instance/i-0abc, GCP projects/_/buckets/b for
// //storage.googleapis.com/b), else the parent of an Azure child resource
// (a SQL database bills under its server).
func (inv *Inventory) Match(provider, account, id string) (resource.Ref, bool) {
	if inv == nil || id == "" {
		return resource.Ref{}, false
	}
	l := strings.ToLower(id)
	if r, ok := inv.refs[l]; ok {
		return r, true
	}
	// The last two segments first (instances/x is not disks/x), then the
	// last one (CUR's i-0abc).
	for n := 2; n >= 1; n-- {
		if k := suffixKey(provider, account, id, n); k != "" {
			if m, ok := inv.bySuffix[k]; ok && m != "" {
				return inv.refs[m], true
			}
		}
	}
	// Azure: /subscriptions/.../providers/NS/type/name/childType/childName
	for p := l; strings.Count(p, "/") > 8; {
		i := strings.LastIndex(p, "/")
		j := strings.LastIndex(p[:i], "/")
		p = p[:j]
		if r, ok := inv.refs[p]; ok {
			return r, true
		}
	}
	return resource.Ref{}, false
}

// Class returns a resource's sensitivity class: the one the governance
// policy gave it (a scan with --governance), else from its tags.
func (inv *Inventory) Class(r resource.Ref) string {
	if c, ok := inv.classes[strings.ToLower(r.ID)]; ok {
		return c
	}
	return Class(r)
}

// Class returns a resource's sensitivity class from its tags.
func Class(r resource.Ref) string {
	for _, want := range ClassTags {
		for k, v := range r.Tags {
			if strings.EqualFold(k, want) && v != "" {
				return strings.ToLower(v)
			}
		}
	}
	return Unclassified
}
