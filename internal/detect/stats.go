package detect

import (
	"fmt"
	"io"
	"sort"
	"sync"
	"text/tabwriter"
)

// RuleStats counts one rule's alerts: Raised is every match (before
// tuning), Suppressed those tuning silenced (by reason), Emitted those
// written out.
type RuleStats struct {
	Rule       *RuleInfo
	Raised     int
	Suppressed map[string]int
	Emitted    int
	MaxLevel   Level
}

// SuppressedTotal sums Suppressed.
func (s *RuleStats) SuppressedTotal() int {
	n := 0
	for _, v := range s.Suppressed {
		n += v
	}
	return n
}

// Stats holds per-rule counts and the number of events read.
type Stats struct {
	mu     sync.Mutex
	rules  map[*RuleInfo]*RuleStats
	Events int64
	// Late counts matched events that reached the correlations more than
	// the reorder window behind the newest event seen; Duplicates matched
	// events already seen (same source, id and time), which raised nothing.
	Late, Duplicates int64
}

func (s *Stats) late() {
	s.mu.Lock()
	s.Late++
	s.mu.Unlock()
}

func (s *Stats) duplicate() {
	s.mu.Lock()
	s.Duplicates++
	s.mu.Unlock()
}

// NewStats returns empty counts.
func NewStats() *Stats { return &Stats{rules: map[*RuleInfo]*RuleStats{}} }

func (s *Stats) get(r *RuleInfo) *RuleStats {
	rs := s.rules[r]
	if rs == nil {
		rs = &RuleStats{Rule: r, Suppressed: map[string]int{}}
		s.rules[r] = rs
	}
	return rs
}

func (s *Stats) register(r *RuleInfo) {
	s.mu.Lock()
	s.get(r)
	s.mu.Unlock()
}

func (s *Stats) suppress(r *RuleInfo, why string) {
	s.mu.Lock()
	rs := s.get(r)
	rs.Raised++
	rs.Suppressed[why]++
	s.mu.Unlock()
}

func (s *Stats) emit(r *RuleInfo, l Level) {
	s.mu.Lock()
	rs := s.get(r)
	rs.Raised++
	rs.Emitted++
	rs.MaxLevel = max(rs.MaxLevel, l)
	s.mu.Unlock()
}

// Rules returns the counts of every loaded rule, most raised first (then
// by title).
func (s *Stats) Rules() []RuleStats {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]RuleStats, 0, len(s.rules))
	for _, rs := range s.rules {
		c := *rs
		c.Suppressed = make(map[string]int, len(rs.Suppressed))
		for k, v := range rs.Suppressed {
			c.Suppressed[k] = v
		}
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Raised != out[j].Raised {
			return out[i].Raised > out[j].Raised
		}
		if out[i].Rule.Title != out[j].Rule.Title {
			return out[i].Rule.Title < out[j].Rule.Title
		}
		return out[i].Rule.Key() < out[j].Rule.Key()
	})
	return out
}

// Totals returns the number of alerts raised, suppressed and emitted.
func (s *Stats) Totals() (raised, suppressed, emitted int) {
	for _, rs := range s.Rules() {
		raised += rs.Raised
		suppressed += rs.SuppressedTotal()
		emitted += rs.Emitted
	}
	return
}

// WriteSummary writes a per-rule table of the rules that raised anything
// (all rules when all is set): alerts emitted and suppressed by tuning.
func (s *Stats) WriteSummary(w io.Writer, all bool) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "RAISED\tEMITTED\tSUPPRESSED\tLEVEL\tRULE\tID")
	for _, rs := range s.Rules() {
		if rs.Raised == 0 && !all {
			continue
		}
		sup := fmt.Sprint(rs.SuppressedTotal())
		if len(rs.Suppressed) > 0 {
			keys := make([]string, 0, len(rs.Suppressed))
			for k := range rs.Suppressed {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			sup += " ("
			for i, k := range keys {
				if i > 0 {
					sup += ", "
				}
				sup += fmt.Sprintf("%s: %d", k, rs.Suppressed[k])
			}
			sup += ")"
		}
		title := rs.Rule.Title
		if rs.Rule.Builtin {
			title += " [vigil]"
		}
		if rs.Rule.Correlation {
			title += " [correlation]"
		}
		fmt.Fprintf(tw, "%d\t%d\t%s\t%s\t%s\t%s\n", rs.Raised, rs.Emitted, sup, rs.Rule.Level, title, rs.Rule.Key())
	}
	r, sp, em := s.Totals()
	fmt.Fprintf(tw, "%d\t%d\t%d\t\tTOTAL (%d events)\t\n", r, em, sp, s.Events)
	return tw.Flush()
}
