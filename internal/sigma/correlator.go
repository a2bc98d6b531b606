package sigma

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"time"
)

// CorrelationHit is one firing of a correlation rule.
type CorrelationHit struct {
	Correlation *Correlation
	// Group holds the group-by values by group-by name (alias names for
	// aliased fields).
	Group map[string]string
	// Count is the value compared with the condition (events, distinct
	// values, or distinct rules for temporal types).
	Count int
	// First and Last bound the events counted, by event time.
	First, Last time.Time
	// Rules are the ids (or names) of the rules whose matches were counted.
	Rules []string
}

// Correlator runs correlation rules over a stream of rule matches, on event
// time (windows slide with the event times the caller passes). Semantics:
//
//   - event_count, value_count with only lower bounds (gt/gte): fires on the
//     match that satisfies the condition within the last timespan, then the
//     group's window starts afresh (one hit per burst).
//   - event_count, value_count with an upper bound (lt/lte/eq/neq): the
//     window opens at a group's first match and is evaluated when it closes,
//     i.e. when a later match (of any group) or Flush passes its end.
//   - temporal: fires when matches of the required number of distinct
//     referenced rules (default: all) fall within timespan.
//   - temporal_ordered: fires when the referenced rules matched in the
//     listed order within timespan of the first one.
//
// Matches older than timespan before the newest seen in their group are
// dropped as late. Hits depend on the order of Observe calls (a window
// fires on the match that completes it), so a caller that wants the same
// hits whatever order its input arrives in passes matches in event-time
// order, ties in a stable order, and calls Flush at times that depend on
// event times only (vigil detect does both: see its reorder buffer). A fired correlation is itself a match that correlations
// referring to it (chains) observe. A Correlator is not safe for concurrent
// use; Snapshot/Restore save and load its state as JSON.
type Correlator struct {
	corrs []*Correlation
	// listeners: rule/correlation id or name -> correlations referring to it.
	listeners map[string][]int
	// refNames: for correlation i, the name/id by which a referenced entity
	// is known in its rules list (index in Rules), keyed by rule id and name.
	st    state
	rules map[string]*Rule
	// keyBuf is observe's scratch space for group keys.
	keyBuf []byte
	// refs caches each observed rule's refsOf (its id and name).
	refs map[*Rule][]string
}

type state struct {
	// Groups: correlation key -> group key -> window.
	Groups map[string]map[string]*window `json:"groups"`
	// Max is the newest event time seen.
	Max time.Time `json:"max"`
}

type window struct {
	Group map[string]string `json:"group"`
	// Events: times (and value for value_count, rule index for temporal).
	Events []entry    `json:"events,omitempty"`
	Start  time.Time  `json:"start,omitzero"`  // upper-bound mode: window start
	Chain  []*chainAt `json:"chain,omitempty"` // temporal_ordered: per rule index, start time of the best chain reaching it
	// Seen (temporal_ordered): per rule index, the time of its latest
	// match, so that a match tied in time with the chain's step before it
	// but handed over first still continues the chain.
	Seen []time.Time `json:"seen,omitempty"`
	// distinct counts the window's events per distinct key (value_count:
	// the value; temporal: the rule), maintained as events enter and leave
	// so a count costs O(1) rather than a walk of the window. It is derived
	// from Events and rebuilt after a restore.
	distinct map[string]int
}

// distinctKey is what value_count and temporal count distinct values of.
func distinctKey(x *Correlation, e entry) (string, bool) {
	switch x.Type {
	case ValueCount:
		return e.Value, e.Value != ""
	case Temporal:
		return strconv.Itoa(e.Rule), e.Rule >= 0
	}
	return "", false
}

func (w *window) add(x *Correlation, e entry) {
	if k, ok := distinctKey(x, e); ok {
		w.distinct[k]++
	}
}

func (w *window) remove(x *Correlation, e entry) {
	if k, ok := distinctKey(x, e); ok {
		if w.distinct[k]--; w.distinct[k] <= 0 {
			delete(w.distinct, k)
		}
	}
}

type entry struct {
	T     time.Time `json:"t"`
	Value string    `json:"v,omitempty"`
	Rule  int       `json:"r,omitempty"`
}

type chainAt struct {
	Start time.Time `json:"start"`
	Last  time.Time `json:"last"`
}

func corrKey(c *Correlation) string {
	if c.ID != "" {
		return c.ID
	}
	if c.Name != "" {
		return c.Name
	}
	return c.Title
}

// NewCorrelator prepares correlations. rules are the loaded detection rules,
// used to resolve references by id or name; a correlation referring to
// something unknown, or to itself through a chain, is reported as a
// LoadError with its file and left out.
func NewCorrelator(corrs []*Correlation, rules []*Rule) (*Correlator, []LoadError) {
	c := &Correlator{listeners: map[string][]int{}, rules: map[string]*Rule{},
		st: state{Groups: map[string]map[string]*window{}}}
	known := map[string]bool{}
	for _, r := range rules {
		for _, k := range []string{r.ID, r.Name} {
			if k != "" {
				known[k] = true
				c.rules[k] = r
			}
		}
	}
	byRef := map[string]*Correlation{}
	for _, x := range corrs {
		for _, k := range []string{x.ID, x.Name} {
			if k != "" {
				byRef[k] = x
			}
		}
	}
	var errs []LoadError
	bad := map[*Correlation]string{}
	for _, x := range corrs {
		for _, ref := range x.Rules {
			if !known[ref] && byRef[ref] == nil {
				bad[x] = fmt.Sprintf("correlation %q references %q, which is neither a loaded rule nor a correlation", x.Title, ref)
			}
		}
	}
	// Cycles.
	var visit func(x *Correlation, path map[*Correlation]bool) bool
	visit = func(x *Correlation, path map[*Correlation]bool) bool {
		if path[x] {
			return false
		}
		path[x] = true
		defer delete(path, x)
		for _, ref := range x.Rules {
			if y := byRef[ref]; y != nil && !visit(y, path) {
				return false
			}
		}
		return true
	}
	for _, x := range corrs {
		if _, b := bad[x]; !b && !visit(x, map[*Correlation]bool{}) {
			bad[x] = fmt.Sprintf("correlation %q refers to itself through a chain", x.Title)
		}
	}
	// Correlations depending on a bad one are bad too.
	for changed := true; changed; {
		changed = false
		for _, x := range corrs {
			if _, b := bad[x]; b {
				continue
			}
			for _, ref := range x.Rules {
				if y := byRef[ref]; y != nil {
					if _, yb := bad[y]; yb {
						bad[x] = fmt.Sprintf("correlation %q depends on correlation %q which cannot be loaded", x.Title, y.Title)
						changed = true
					}
				}
			}
		}
	}
	for _, x := range corrs {
		if reason, b := bad[x]; b {
			errs = append(errs, LoadError{Path: x.Path, Line: x.Line, Reason: reason})
			continue
		}
		i := len(c.corrs)
		c.corrs = append(c.corrs, x)
		for _, ref := range x.Rules {
			c.listeners[ref] = append(c.listeners[ref], i)
		}
	}
	return c, errs
}

// Correlations returns the correlations the correlator runs.
func (c *Correlator) Correlations() []*Correlation { return c.corrs }

// Generates reports whether a rule's own matches should raise alerts: true
// unless every correlation referring to it leaves "generate" unset (the
// correlation specification's default).
func (c *Correlator) Generates(r *Rule) bool {
	refd := false
	for _, ref := range refsOf(r.ID, r.Name) {
		for _, i := range c.listeners[ref] {
			refd = true
			if c.corrs[i].Generate {
				return true
			}
		}
	}
	return !refd
}

func refsOf(id, name string) []string {
	var out []string
	if id != "" {
		out = append(out, id)
	}
	if name != "" && name != id {
		out = append(out, name)
	}
	return out
}

// fieldFor returns the event field a correlation groups by for group-by
// name g, for a match of the entity known by refs.
func (x *Correlation) fieldFor(g string, refs []string) string {
	if a, ok := x.Aliases[g]; ok {
		for _, r := range refs {
			if f, ok := a[r]; ok {
				return f
			}
		}
	}
	return g
}

// Fields returns the event field names the caller must extract for a match
// of rule and pass to Observe: the group-by fields (after aliases) and
// value_count's field of every correlation referring to the rule.
func (c *Correlator) Fields(r *Rule) []string {
	refs := refsOf(r.ID, r.Name)
	seen := map[string]bool{}
	var out []string
	add := func(f string) {
		if f != "" && !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	for _, ref := range refs {
		for _, i := range c.listeners[ref] {
			x := c.corrs[i]
			for _, g := range x.GroupBy {
				add(x.fieldFor(g, refs))
			}
			if x.Type == ValueCount {
				add(x.Field)
			}
		}
	}
	return out
}

// Observe records that rule matched an event at time t; values holds the
// event's values of the fields named by Fields(rule) (a missing field is an
// empty string). It returns the correlations that fire, chains included.
func (c *Correlator) Observe(r *Rule, t time.Time, values map[string]string) []CorrelationHit {
	refs, ok := c.refs[r]
	if !ok {
		if c.refs == nil {
			c.refs = map[*Rule][]string{}
		}
		refs = refsOf(r.ID, r.Name)
		c.refs[r] = refs
	}
	return c.observe(refs, t, t, values, 0)
}

// Flush evaluates windows that closed before now (upper-bound conditions)
// and returns their hits, and drops state that can no longer contribute to
// a hit; call it at the end of a batch with the time of the last event (or
// later) and periodically in follow mode to bound memory.
func (c *Correlator) Flush(now time.Time) []CorrelationHit {
	var hits []CorrelationHit
	for i, x := range c.corrs {
		if !upperMode(x) {
			// Drop groups whose matches have all left the window.
			for k, w := range c.st.Groups[corrKey(x)] {
				if !w.newest().IsZero() && now.Sub(w.newest()) > x.Timespan {
					delete(c.st.Groups[corrKey(x)], k)
				}
			}
			continue
		}
		groups := c.st.Groups[corrKey(x)]
		keys := make([]string, 0, len(groups))
		for k := range groups {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			w := groups[k]
			if now.Sub(w.Start) > x.Timespan {
				if h, ok := c.closeWindow(i, w); ok {
					hits = append(hits, h)
					hits = append(hits, c.observe(refsOf(x.ID, x.Name), h.First, h.Last, h.Group, 1)...)
				}
				delete(groups, k)
			}
		}
	}
	return hits
}

func (w *window) newest() time.Time {
	var t time.Time
	if n := len(w.Events); n > 0 {
		t = w.Events[n-1].T
	}
	for _, ch := range w.Chain {
		if ch != nil && ch.Last.After(t) {
			t = ch.Last
		}
	}
	return t
}

// Groups returns how many groups hold state (for metrics and tests).
func (c *Correlator) Groups() int {
	n := 0
	for _, g := range c.st.Groups {
		n += len(g)
	}
	return n
}

func upperMode(x *Correlation) bool {
	if x.Type != EventCount && x.Type != ValueCount {
		return false
	}
	cc := x.Condition
	return cc.LT != nil || cc.LTE != nil || cc.EQ != nil || cc.NEQ != nil
}

func (c *Correlator) observe(refs []string, first, t time.Time, values map[string]string, depth int) []CorrelationHit {
	if depth > 32 {
		return nil
	}
	if t.After(c.st.Max) {
		c.st.Max = t
	}
	var hits []CorrelationHit
	// The correlations seen so far (a rule is known by its id and name:
	// both may list the same correlation); few, so a slice.
	var doneBuf [8]int
	done := doneBuf[:0]
	for _, ref := range refs {
		for _, i := range c.listeners[ref] {
			if slices.Contains(done, i) {
				continue
			}
			done = append(done, i)
			x := c.corrs[i]
			ruleIdx := -1
			for j, rr := range x.Rules {
				for _, r := range refs {
					if rr == r {
						ruleIdx = j
					}
				}
			}
			// The group key: the group-by values joined by US, built in a
			// reused buffer (a string is made for a new group only).
			groupVal := func(g string) string {
				v := values[x.fieldFor(g, refs)]
				if depth > 0 {
					// Chained: the inner hit's group is keyed by group-by names.
					if gv, ok := values[g]; ok {
						v = gv
					}
				}
				return v
			}
			kb := c.keyBuf[:0]
			for j, g := range x.GroupBy {
				if j > 0 {
					kb = append(kb, '\x1f')
				}
				kb = append(kb, groupVal(g)...)
			}
			c.keyBuf = kb
			ck := corrKey(x)
			groups := c.st.Groups[ck]
			if groups == nil {
				groups = map[string]*window{}
				c.st.Groups[ck] = groups
			}
			w := groups[string(kb)]
			key := ""
			if w == nil {
				group := make(map[string]string, len(x.GroupBy))
				for _, g := range x.GroupBy {
					group[g] = groupVal(g)
				}
				w = &window{Group: group}
				key = string(kb)
				groups[key] = w
			}
			val := ""
			if x.Type == ValueCount {
				val = values[x.Field]
				if depth > 0 {
					if gv, ok := values[x.Field]; ok {
						val = gv
					}
				}
			}
			h, ok := c.step(i, w, entry{T: t, Value: val, Rule: ruleIdx}, first)
			if key == "" && (upperMode(x) && w.Start.IsZero() || ok && !upperMode(x)) {
				key = string(kb) // step does not observe: kb still holds it
			}
			if upperMode(x) && w.Start.IsZero() {
				delete(groups, key)
			}
			if !ok {
				continue
			}
			if !upperMode(x) {
				delete(groups, key)
			}
			hits = append(hits, h)
			hits = append(hits, c.observe(refsOf(x.ID, x.Name), h.First, h.Last, h.Group, depth+1)...)
		}
	}
	return hits
}

// step adds one match to a group's window and reports a hit.
func (c *Correlator) step(i int, w *window, e entry, first time.Time) (CorrelationHit, bool) {
	x := c.corrs[i]
	span := x.Timespan
	if upperMode(x) {
		var hit CorrelationHit
		fired := false
		if !w.Start.IsZero() && e.T.Sub(w.Start) > span {
			hit, fired = c.closeWindow(i, w)
			w.Events = w.Events[:0]
			w.Start = time.Time{}
		}
		if w.Start.IsZero() {
			w.Start = e.T
		}
		if e.T.Sub(w.Start) >= 0 {
			w.Events = append(w.Events, e)
		}
		return hit, fired
	}
	switch x.Type {
	case EventCount, ValueCount, Temporal:
		if w.distinct == nil {
			w.distinct = map[string]int{}
			for _, old := range w.Events {
				w.add(x, old)
			}
		}
		w.Events = insertSorted(w.Events, e)
		w.add(x, e)
		newest := w.Events[len(w.Events)-1].T
		cut := 0
		for cut < len(w.Events) && newest.Sub(w.Events[cut].T) > span {
			w.remove(x, w.Events[cut])
			cut++
		}
		w.Events = w.Events[cut:]
		n := len(w.Events)
		if x.Type != EventCount {
			n = len(w.distinct)
		}
		if len(w.Events) == 0 || !x.Condition.Match(float64(n)) {
			return CorrelationHit{}, false
		}
		return c.hit(x, w, n), true
	case TemporalOrdered:
		if e.Rule < 0 {
			return CorrelationHit{}, false
		}
		if len(w.Chain) != len(x.Rules) {
			w.Chain = make([]*chainAt, len(x.Rules))
		}
		// Drop chains that can no longer complete.
		for k, ch := range w.Chain {
			if ch != nil && e.T.Sub(ch.Start) > span {
				w.Chain[k] = nil
			}
		}
		if len(w.Seen) != len(x.Rules) {
			w.Seen = make([]time.Time, len(x.Rules))
		}
		k := e.Rule
		if e.T.After(w.Seen[k]) {
			w.Seen[k] = e.T
		}
		var start time.Time
		switch {
		case k == 0:
			start = first
		case w.Chain[k-1] != nil && !e.T.Before(w.Chain[k-1].Last):
			start = w.Chain[k-1].Start
		default:
			return CorrelationHit{}, false
		}
		if e.T.Sub(start) > span {
			return CorrelationHit{}, false
		}
		for {
			if cur := w.Chain[k]; cur == nil || start.After(cur.Start) {
				w.Chain[k] = &chainAt{Start: start, Last: e.T}
			}
			if k == len(x.Rules)-1 {
				break
			}
			// Matches of one time are in order whichever came first:
			// events arrive in time order, ties in an order of their
			// content, and a log's clock (CloudTrail's is one second)
			// cannot tell a tool's consecutive calls apart. A match of
			// the next rule at this very time, seen before, continues.
			if !w.Seen[k+1].Equal(e.T) {
				return CorrelationHit{}, false
			}
			k++
		}
		h := CorrelationHit{Correlation: x, Group: copyMap(w.Group), Count: len(x.Rules),
			First: start, Last: e.T, Rules: append([]string(nil), x.Rules...)}
		return h, true
	}
	return CorrelationHit{}, false
}

func (c *Correlator) closeWindow(i int, w *window) (CorrelationHit, bool) {
	x := c.corrs[i]
	if len(w.Events) == 0 {
		return CorrelationHit{}, false
	}
	n := countOf(x, w.Events)
	if !x.Condition.Match(float64(n)) {
		return CorrelationHit{}, false
	}
	return c.hit(x, w, n), true
}

func (c *Correlator) hit(x *Correlation, w *window, n int) CorrelationHit {
	h := CorrelationHit{Correlation: x, Group: copyMap(w.Group), Count: n,
		First: w.Events[0].T, Last: w.Events[len(w.Events)-1].T}
	seen := map[int]bool{}
	for _, e := range w.Events {
		if e.Rule >= 0 && !seen[e.Rule] {
			seen[e.Rule] = true
		}
	}
	for j, r := range x.Rules {
		if seen[j] {
			h.Rules = append(h.Rules, r)
		}
	}
	return h
}

func countOf(x *Correlation, evs []entry) int {
	switch x.Type {
	case ValueCount:
		seen := map[string]bool{}
		for _, e := range evs {
			if e.Value != "" {
				seen[e.Value] = true
			}
		}
		return len(seen)
	case Temporal:
		seen := map[int]bool{}
		for _, e := range evs {
			if e.Rule >= 0 {
				seen[e.Rule] = true
			}
		}
		return len(seen)
	}
	return len(evs)
}

func insertSorted(evs []entry, e entry) []entry {
	i := sort.Search(len(evs), func(i int) bool { return evs[i].T.After(e.T) })
	evs = append(evs, entry{})
	copy(evs[i+1:], evs[i:])
	evs[i] = e
	return evs
}

func copyMap(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// Snapshot returns the correlator's state as JSON.
func (c *Correlator) Snapshot() ([]byte, error) {
	return json.Marshal(c.st)
}

// Restore loads a state produced by Snapshot (of a correlator built from
// the same correlations; state of correlations no longer present is
// dropped).
func (c *Correlator) Restore(data []byte) error {
	var st state
	if err := json.Unmarshal(data, &st); err != nil {
		return fmt.Errorf("correlation state: %w", err)
	}
	if st.Groups == nil {
		st.Groups = map[string]map[string]*window{}
	}
	keep := map[string]bool{}
	for _, x := range c.corrs {
		keep[corrKey(x)] = true
	}
	for k := range st.Groups {
		if !keep[k] {
			delete(st.Groups, k)
		}
	}
	c.st = st
	return nil
}
