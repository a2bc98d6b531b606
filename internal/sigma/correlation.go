package sigma

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// CorrelationType is one of the Sigma correlation types vigil runs.
type CorrelationType string

const (
	EventCount      CorrelationType = "event_count"
	ValueCount      CorrelationType = "value_count"
	Temporal        CorrelationType = "temporal"
	TemporalOrdered CorrelationType = "temporal_ordered"
)

// Correlation is a Sigma correlation rule (correlation specification 2.x).
type Correlation struct {
	ID, Name, Title, Description, Author, Level, Status string
	Path                                                string
	Line                                                int
	Tags, References, FalsePositives                    []string
	Type                                                CorrelationType
	// Rules are the ids or names of the referenced rules or correlations.
	Rules    []string
	GroupBy  []string
	Timespan time.Duration
	// Condition applies to the count (events, distinct values, or distinct
	// rules for temporal types). Field is value_count's counted field.
	Condition CountCondition
	Field     string
	// Aliases: alias -> rule name/id -> event field.
	Aliases  map[string]map[string]string
	Generate bool
}

// CountCondition is a conjunction of comparisons; nil bounds are unset.
type CountCondition struct {
	GT, GTE, LT, LTE, EQ, NEQ *float64
}

// Match reports whether n satisfies every set bound.
func (c CountCondition) Match(n float64) bool {
	if c.GT != nil && !(n > *c.GT) {
		return false
	}
	if c.GTE != nil && !(n >= *c.GTE) {
		return false
	}
	if c.LT != nil && !(n < *c.LT) {
		return false
	}
	if c.LTE != nil && !(n <= *c.LTE) {
		return false
	}
	if c.EQ != nil && n != *c.EQ {
		return false
	}
	if c.NEQ != nil && n == *c.NEQ {
		return false
	}
	return true
}

func (c CountCondition) empty() bool {
	return c.GT == nil && c.GTE == nil && c.LT == nil && c.LTE == nil && c.EQ == nil && c.NEQ == nil
}

// ParseTimespan parses a Sigma timespan: a number and one of s, m, h, d
// (also w and M = 30 days, y = 365 days as pySigma accepts).
func ParseTimespan(s string) (time.Duration, error) {
	if len(s) < 2 {
		return 0, fmt.Errorf("timespan %q: want a number followed by s, m, h or d", s)
	}
	n, err := strconv.ParseUint(s[:len(s)-1], 10, 32)
	if err != nil || n == 0 {
		return 0, fmt.Errorf("timespan %q: want a positive number followed by s, m, h or d", s)
	}
	unit := map[byte]time.Duration{'s': time.Second, 'm': time.Minute, 'h': time.Hour, 'd': 24 * time.Hour,
		'w': 7 * 24 * time.Hour, 'M': 30 * 24 * time.Hour, 'y': 365 * 24 * time.Hour}[s[len(s)-1]]
	if unit == 0 {
		return 0, fmt.Errorf("timespan %q: unknown unit %q", s, s[len(s)-1:])
	}
	return time.Duration(n) * unit, nil
}

func parseCorrelation(root *yaml.Node) (*Correlation, error) {
	c := &Correlation{}
	if err := meta(root, &c.ID, &c.Name, &c.Title, &c.Description, &c.Author, &c.Status, nil, nil, nil); err != nil {
		return nil, err
	}
	if c.Title == "" {
		return nil, errors.New("correlation has no title")
	}
	c.Level = strings.ToLower(scalar(get(root, "level")))
	c.Tags = strList(get(root, "tags"))
	c.References = strList(get(root, "references"))
	c.FalsePositives = strList(get(root, "falsepositives"))
	cn := get(root, "correlation")
	if cn.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("line %d: correlation is not a mapping", cn.Line)
	}
	c.Type = CorrelationType(scalar(get(cn, "type")))
	switch c.Type {
	case EventCount, ValueCount, Temporal, TemporalOrdered:
	case "value_sum", "value_avg", "value_percentile":
		return nil, fmt.Errorf("line %d: correlation type %q is not supported (vigil runs event_count, value_count, temporal, temporal_ordered)", cn.Line, c.Type)
	default:
		return nil, fmt.Errorf("line %d: unknown correlation type %q", cn.Line, c.Type)
	}
	c.Rules = strList(get(cn, "rules"))
	if len(c.Rules) == 0 {
		return nil, fmt.Errorf("line %d: correlation has no rules", cn.Line)
	}
	c.GroupBy = strList(get(cn, "group-by"))
	ts := get(cn, "timespan")
	if ts == nil {
		ts = get(cn, "timeframe")
	}
	if ts == nil {
		return nil, fmt.Errorf("line %d: correlation has no timespan", cn.Line)
	}
	d, err := ParseTimespan(scalar(ts))
	if err != nil {
		return nil, fmt.Errorf("line %d: %w", ts.Line, err)
	}
	c.Timespan = d
	if g := scalar(get(cn, "generate")); g == "true" {
		c.Generate = true
	} else if g := scalar(get(root, "generate")); g == "true" {
		c.Generate = true
	}
	if al := get(cn, "aliases"); al != nil {
		if al.Kind != yaml.MappingNode {
			return nil, fmt.Errorf("line %d: aliases is not a mapping", al.Line)
		}
		c.Aliases = map[string]map[string]string{}
		for i := 0; i+1 < len(al.Content); i += 2 {
			m := al.Content[i+1]
			if m.Kind != yaml.MappingNode {
				return nil, fmt.Errorf("line %d: alias %q is not a mapping", m.Line, al.Content[i].Value)
			}
			a := map[string]string{}
			for j := 0; j+1 < len(m.Content); j += 2 {
				a[m.Content[j].Value] = m.Content[j+1].Value
			}
			c.Aliases[al.Content[i].Value] = a
		}
	}
	if cond := get(cn, "condition"); cond != nil {
		if cond.Kind != yaml.MappingNode {
			return nil, fmt.Errorf("line %d: correlation condition is not a mapping", cond.Line)
		}
		for i := 0; i+1 < len(cond.Content); i += 2 {
			k, v := cond.Content[i].Value, cond.Content[i+1]
			if k == "field" {
				c.Field = v.Value
				if v.Kind == yaml.SequenceNode {
					return nil, fmt.Errorf("line %d: value_count over several fields is not supported", v.Line)
				}
				continue
			}
			f, err := strconv.ParseFloat(v.Value, 64)
			if err != nil {
				return nil, fmt.Errorf("line %d: condition %s: %q is not a number", v.Line, k, v.Value)
			}
			switch k {
			case "gt":
				c.Condition.GT = &f
			case "gte":
				c.Condition.GTE = &f
			case "lt":
				c.Condition.LT = &f
			case "lte":
				c.Condition.LTE = &f
			case "eq":
				c.Condition.EQ = &f
			case "neq":
				c.Condition.NEQ = &f
			default:
				return nil, fmt.Errorf("line %d: unknown condition operator %q", cond.Content[i].Line, k)
			}
		}
	}
	switch c.Type {
	case EventCount, ValueCount:
		if c.Condition.empty() {
			return nil, fmt.Errorf("line %d: %s correlation needs a condition", cn.Line, c.Type)
		}
		if c.Type == ValueCount && c.Field == "" {
			return nil, fmt.Errorf("line %d: value_count correlation needs condition.field", cn.Line)
		}
	case Temporal, TemporalOrdered:
		if c.Condition.empty() {
			// Default: all referenced rules must have matched.
			n := float64(len(c.Rules))
			c.Condition.GTE = &n
		}
	}
	return c, nil
}
