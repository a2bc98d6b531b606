package sigma

import "strings"

// RuleSet evaluates the matchers of one log source against events. It
// indexes matchers by the field most of them require an exact literal of
// (CloudTrail's eventName, Azure's operationName, ...): per event only the
// matchers indexed under the event's value of that field, plus those that
// could not be indexed, are evaluated. A RuleSet is safe for concurrent use.
type RuleSet struct {
	all   []*Matcher
	key   string   // index key: the candidate paths joined by NUL
	paths []string // the candidate paths, first present wins
	byVal map[string][]int
	rest  []int
}

// NewRuleSet builds a rule set over matchers compiled for one source.
func NewRuleSet(ms []*Matcher) *RuleSet {
	s := &RuleSet{all: ms}
	count := map[string]int{}
	for _, m := range ms {
		for p := range m.req {
			count[p]++
		}
	}
	best := 0
	for p, n := range count {
		if n > best || n == best && p < s.key {
			best, s.key = n, p
		}
	}
	if best < 2 {
		s.key = ""
	}
	if s.key != "" {
		s.paths = strings.Split(s.key, "\x00")
	}
	s.byVal = map[string][]int{}
	for i, m := range ms {
		vals, ok := m.req[s.key]
		if s.key == "" || !ok {
			s.rest = append(s.rest, i)
			continue
		}
		seen := map[string]bool{}
		for _, v := range vals {
			if !seen[v] {
				seen[v] = true
				s.byVal[v] = append(s.byVal[v], i)
			}
		}
	}
	return s
}

// IndexField returns the event path the set is indexed on ("" if none) and
// how many matchers are indexed / always evaluated.
func (s *RuleSet) IndexField() (path string, indexed, always int) {
	return strings.ReplaceAll(s.key, "\x00", ","), len(s.all) - len(s.rest), len(s.rest)
}

// Matchers returns the matchers of the set.
func (s *RuleSet) Matchers() []*Matcher { return s.all }

// Match calls hit for every matcher that matches ev, in the order given to
// NewRuleSet.
func (s *RuleSet) Match(ev Event, hit func(*Matcher)) {
	var cand []int
	if s.key != "" {
		var v Value
		var ok bool
		for _, p := range s.paths {
			if v, ok = ev.Field(p); ok {
				break
			}
		}
		if ok && v.Kind == KindArray {
			// A multi-valued key field can match several entries: no index.
			for _, m := range s.all {
				if m.Match(ev) {
					hit(m)
				}
			}
			return
		}
		if ok && v.Kind == KindString {
			var buf [128]byte
			b := buf[:0]
			ascii := true
			for i := 0; i < len(v.Str); i++ {
				c := v.Str[i]
				if c >= 0x80 {
					ascii = false
					break
				}
				if c >= 'A' && c <= 'Z' {
					c += 'a' - 'A'
				}
				b = append(b, c)
			}
			if ascii {
				cand = s.byVal[string(b)]
			} else {
				cand = s.byVal[lower(v.Str)]
			}
		}
	}
	// Merge the two sorted index lists to keep the input order.
	i, j := 0, 0
	for i < len(cand) || j < len(s.rest) {
		var k int
		if j >= len(s.rest) || i < len(cand) && cand[i] < s.rest[j] {
			k = cand[i]
			i++
		} else {
			k = s.rest[j]
			j++
		}
		if m := s.all[k]; m.Match(ev) {
			hit(m)
		}
	}
}
