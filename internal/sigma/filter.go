package sigma

import (
	"errors"
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// Filter is a Sigma filter document (Sigma filters specification 2.x): its
// selection/condition is added as "and not (...)" to each referenced rule
// (by id or name) without editing the rule file.
type Filter struct {
	ID, Name, Title, Description string
	Path                         string
	Line                         int
	LogSource                    LogSource
	// Rules are the ids or names of the rules the filter applies to.
	Rules     []string
	Detection *Detection
}

func parseFilter(root *yaml.Node) (*Filter, error) {
	f := &Filter{}
	if err := meta(root, &f.ID, &f.Name, &f.Title, &f.Description, nil, nil, nil, nil, nil); err != nil {
		return nil, err
	}
	if f.Title == "" {
		return nil, errors.New("filter has no title")
	}
	if ls := get(root, "logsource"); ls != nil {
		l, err := parseLogSource(ls)
		if err != nil {
			return nil, err
		}
		f.LogSource = l
	}
	fn := get(root, "filter")
	if fn.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("line %d: filter is not a mapping", fn.Line)
	}
	f.Rules = strList(get(fn, "rules"))
	if len(f.Rules) == 0 {
		return nil, fmt.Errorf("line %d: filter has no rules", fn.Line)
	}
	d, err := parseDetection(fn, true)
	if err != nil {
		return nil, err
	}
	f.Detection = d
	return f, nil
}

// ApplyFilters returns the rules with every filter that references them
// (by id or name) attached; the input rules are not modified (a rule with
// filters is a shallow copy). Filters naming no loaded rule are returned as
// errors so users see stale tuning.
func ApplyFilters(rules []*Rule, filters []*Filter) ([]*Rule, []LoadError) {
	byRef := map[string][]*Filter{}
	for _, f := range filters {
		for _, ref := range f.Rules {
			byRef[ref] = append(byRef[ref], f)
		}
	}
	used := map[*Filter]map[string]bool{}
	out := make([]*Rule, 0, len(rules))
	for _, r := range rules {
		var fs []*Filter
		seen := map[*Filter]bool{}
		for _, ref := range []string{r.ID, r.Name} {
			if ref == "" {
				continue
			}
			for _, f := range byRef[ref] {
				if !logSourceCovers(f.LogSource, r.LogSource) {
					continue
				}
				if !seen[f] {
					seen[f] = true
					fs = append(fs, f)
					if used[f] == nil {
						used[f] = map[string]bool{}
					}
					used[f][ref] = true
				}
			}
		}
		if len(fs) == 0 {
			out = append(out, r)
			continue
		}
		c := *r
		c.Filters = append(append([]*Filter(nil), r.Filters...), fs...)
		out = append(out, &c)
	}
	var errs []LoadError
	for _, f := range filters {
		for _, ref := range f.Rules {
			if !used[f][ref] {
				errs = append(errs, LoadError{Path: f.Path, Line: f.Line, Reason: fmt.Sprintf("filter %q references rule %q which is not loaded or has another logsource than the filter", f.Title, ref)})
			}
		}
	}
	return out, errs
}

// logSourceCovers reports whether a filter's logsource applies to a rule's:
// every attribute the filter sets must equal the rule's.
func logSourceCovers(f, r LogSource) bool {
	return (f.Product == "" || f.Product == r.Product) &&
		(f.Service == "" || f.Service == r.Service) &&
		(f.Category == "" || f.Category == r.Category)
}

// Levels in increasing severity.
var levels = []string{"informational", "low", "medium", "high", "critical"}

// LevelRank returns the rank of a Sigma level (informational=0 ... critical=4),
// or -1 for an unknown or empty level.
func LevelRank(level string) int {
	l := strings.ToLower(level)
	for i, s := range levels {
		if s == l {
			return i
		}
	}
	return -1
}

// MinLevel returns the rules whose level is at least min. An empty min keeps
// all rules; rules without a level count as below "informational" and are
// dropped by any non-empty min.
func MinLevel(rules []*Rule, min string) []*Rule {
	if min == "" {
		return rules
	}
	m := LevelRank(min)
	var out []*Rule
	for _, r := range rules {
		if LevelRank(r.Level) >= m {
			out = append(out, r)
		}
	}
	return out
}
