package sigma

import (
	"slices"
	"strings"
)

// RuleSet evaluates the matchers of one log source against events. It
// indexes matchers by the fields they require an exact literal of
// (CloudTrail's eventName and eventSource, Azure's operationName, ...): each
// matcher under the most selective field it requires (the one with the
// most distinct literals over all matchers: eventName before eventSource,
// which a hundred EC2 rules share), at most maxIndexKeys fields per set.
// Per event only the matchers indexed under the event's values of those
// fields, plus those that could not be indexed, are evaluated. A RuleSet is
// safe for concurrent use. NewRuleSet makes its matchers share one string
// per event path (see interner): it writes the matchers, so it must be
// called before they are used, as the engine does.
type RuleSet struct {
	all  []*Matcher
	idx  []ruleIndex
	rest []int
	// in holds the one string of each path the matchers read (see
	// Intern); read-only once the set is built.
	in interner
}

// ruleIndex indexes matchers by one required field.
type ruleIndex struct {
	key   string   // the candidate paths joined by NUL
	paths []string // the candidate paths, first present wins
	byVal map[string][]int
	all   []int // every matcher indexed here, in order
}

// maxIndexKeys bounds the fields a rule set is indexed on: each costs a
// field lookup per event.
const maxIndexKeys = 4

// NewRuleSet builds a rule set over matchers compiled for one source.
func NewRuleSet(ms []*Matcher) *RuleSet {
	in := interner{}
	s := &RuleSet{all: ms, in: in}
	for _, m := range ms {
		in.node(m.root)
	}
	// The distinct literals required of each field, over all matchers.
	distinct := map[string]map[string]bool{}
	for _, m := range ms {
		for p, vs := range m.req {
			if distinct[p] == nil {
				distinct[p] = map[string]bool{}
			}
			for _, v := range vs {
				distinct[p][v] = true
			}
		}
	}
	better := func(p, q string) bool { // p more selective than q
		if q == "" || len(distinct[p]) != len(distinct[q]) {
			return q == "" || len(distinct[p]) > len(distinct[q])
		}
		return p < q
	}
	// Each matcher picks the most selective of its fields among the
	// allowed ones; fields picked by fewer than two matchers, or beyond
	// the maxIndexKeys most picked, are dropped and the matchers pick
	// again, until every field picked is kept.
	allowed := map[string]bool{}
	for p := range distinct {
		allowed[p] = true
	}
	var keys []string
	choice := make([]string, len(ms))
	for {
		count := map[string]int{}
		for i, m := range ms {
			choice[i] = ""
			for p := range m.req {
				if allowed[p] && better(p, choice[i]) {
					choice[i] = p
				}
			}
			if choice[i] != "" {
				count[choice[i]]++
			}
		}
		keys = keys[:0]
		for p, n := range count {
			if n >= 2 {
				keys = append(keys, p)
			}
		}
		slices.SortFunc(keys, func(a, b string) int {
			if count[a] != count[b] {
				return count[b] - count[a]
			}
			return strings.Compare(a, b)
		})
		keys = keys[:min(len(keys), maxIndexKeys)]
		if len(keys) == len(count) {
			break
		}
		clear(allowed)
		for _, p := range keys {
			allowed[p] = true
		}
	}
	at := map[string]int{}
	for _, p := range keys {
		at[p] = len(s.idx)
		paths := strings.Split(p, "\x00")
		in.paths(paths)
		s.idx = append(s.idx, ruleIndex{key: p, paths: paths, byVal: map[string][]int{}})
	}
	for i, m := range ms {
		k, ok := at[choice[i]]
		if !ok {
			s.rest = append(s.rest, i)
			continue
		}
		ix := &s.idx[k]
		ix.all = append(ix.all, i)
		seen := map[string]bool{}
		for _, v := range m.req[choice[i]] {
			if !seen[v] {
				seen[v] = true
				ix.byVal[v] = append(ix.byVal[v], i)
			}
		}
	}
	return s
}

// IndexField returns the event path the set is first indexed on ("" if
// none) and how many matchers are indexed (on any field) / always
// evaluated.
func (s *RuleSet) IndexField() (path string, indexed, always int) {
	if len(s.idx) > 0 {
		path = strings.ReplaceAll(s.idx[0].key, "\x00", ",")
	}
	return path, len(s.all) - len(s.rest), len(s.rest)
}

// Evaluated returns how many matchers Match evaluates for ev: those its
// indexes admit plus those that could not be indexed (the cost of the set
// per event, which tests bound).
func (s *RuleSet) Evaluated(ev Event) int {
	var buf [64]int
	n := len(s.rest)
	for k := range s.idx {
		n += len(s.idx[k].candidates(ev, buf[:0]))
	}
	return n
}

// Matchers returns the matchers of the set.
func (s *RuleSet) Matchers() []*Matcher { return s.all }

// Match calls hit for every matcher that matches ev, in the order given to
// NewRuleSet.
func (s *RuleSet) Match(ev Event, hit func(*Matcher)) {
	var buf [64]int
	cand := buf[:0]
	for k := range s.idx {
		cand = s.idx[k].candidates(ev, cand)
	}
	if len(s.idx) > 1 {
		// Each index's list is sorted; together they are not.
		slices.Sort(cand)
	}
	// Merge the two sorted lists to keep the input order.
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

// candidates appends the matchers of the index the event's value of its
// field admits: those indexed under the value (case-insensitively), every
// one when the field holds several values (an array: any may match), none
// when it is absent or null (a required literal cannot match).
func (ix *ruleIndex) candidates(ev Event, cand []int) []int {
	var v Value
	var ok bool
	for _, p := range ix.paths {
		if v, ok = ev.Field(p); ok {
			break
		}
	}
	switch {
	case !ok || v.Kind == KindNull:
		return cand
	case v.Kind == KindArray:
		return append(cand, ix.all...)
	}
	// Strings, and the text of numbers, booleans and objects (what a
	// literal is compared with).
	var lb [128]byte
	b := lb[:0]
	for i := 0; i < len(v.Str); i++ {
		c := v.Str[i]
		if c >= 0x80 {
			return append(cand, ix.byVal[lower(v.Str)]...)
		}
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		b = append(b, c)
	}
	return append(cand, ix.byVal[string(b)]...)
}

// Intern returns the string through which the set's matchers read the
// event path p (equal to p), or p when none reads it: a caller reading
// p from an event the set matched (a correlation's group-by field) then
// finds the answer the matchers left in the event's cache instead of
// resolving the path again.
func (s *RuleSet) Intern(p string) string {
	if q, ok := s.in[p]; ok {
		return q
	}
	return p
}

// interner makes the matchers of a rule set read each event path through
// one string: a JSONEvent caches field answers by the path string's
// identity, so that the rules of a set asking for one field find the
// first one's answer (Matchers compiled separately hold copies of the
// path text, one per rule). Replacing a path by an equal string changes
// no answer.
type interner map[string]string

func (in interner) path(p string) string {
	if q, ok := in[p]; ok {
		return q
	}
	in[p] = p
	return p
}

func (in interner) paths(ps []string) {
	for i := range ps {
		ps[i] = in.path(ps[i])
	}
}

func (in interner) node(n node) {
	switch t := n.(type) {
	case andNode:
		for _, k := range t {
			in.node(k)
		}
	case orNode:
		for _, k := range t {
			in.node(k)
		}
	case notNode:
		in.node(t.n)
	case *fieldNode:
		// The paths slice may be the field map's own (shared by every
		// rule of the source): a copy is written, never the original.
		t.paths = slices.Clone(t.paths)
		in.paths(t.paths)
		for _, m := range append(slices.Clip(t.vals), t.other...) {
			if m.kind == vFieldRef {
				m.ref = slices.Clone(m.ref)
				in.paths(m.ref)
			}
		}
	}
}
