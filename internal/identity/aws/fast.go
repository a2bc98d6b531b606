package awsiam

import (
	"math/bits"
	"sort"
	"strings"
	"sync"

	awsref "github.com/vigil-sec/vigil/internal/identity/refdata/aws"
)

// The fast path of AllowedActionNames: per policy document, the catalog
// actions its statements allow and deny as bitsets over the catalog's
// action index, combined per principal as evaluate does when every answer
// is certain (identity allows, within the boundary and every SCP level,
// minus any explicit deny). The actions a statement with a condition or an
// undocumented operator matches are evaluated one by one (Actions), as
// every action is when a policy does not parse, the SCP chain is
// incomplete, or the principal is one evaluate treats apart (root, a
// service-linked role, a principal outside the inventory or without an
// account): AllowedActions answers then. A policy variable in a Resource
// changes nothing here: a request on any resource does not read it.

// actionSet is a bitset over the catalog's action index.
type actionSet []uint64

func newActionSet(n int) actionSet { return make(actionSet, (n+63)/64) }

func (s actionSet) set(i int)      { s[i/64] |= 1 << (uint(i) % 64) }
func (s actionSet) has(i int) bool { return s[i/64]&(1<<(uint(i)%64)) != 0 }

// or sets s to s|t; and to s&t; andNot to s&^t.
func (s actionSet) or(t actionSet) {
	for i := range s {
		s[i] |= t[i]
	}
}

func (s actionSet) and(t actionSet) {
	for i := range s {
		s[i] &= t[i]
	}
}

func (s actionSet) andNot(t actionSet) {
	for i := range s {
		s[i] &^= t[i]
	}
}

func (s actionSet) count() int {
	n := 0
	for _, w := range s {
		n += bits.OnesCount64(w)
	}
	return n
}

// policyBits is what one policy says of each catalog action when the
// request may be on any resource (Actions): allow, an Allow statement
// without a condition matches; deny, a Deny statement without a condition
// that covers every resource matches; unsure, a statement with a
// condition (or an undocumented operator) matches.
// cand (candAll: every action) are the actions its Allow statements name,
// as allowedCandidates lists them.
type policyBits struct {
	allow, deny, unsure, cand actionSet
	candAll                   bool
	// candMissing: an action Lookup or Expand named is not in the index.
	candMissing bool
}

func (pb *policyBits) setCand(f *fastIndex, action string) {
	if i, ok := f.index[strings.ToLower(action)]; ok {
		pb.cand.set(i)
	} else {
		pb.candMissing = true
	}
}

// fastIndex is the catalog's action index and the policies' bitsets,
// built on first use; safe for concurrent use.
type fastIndex struct {
	once    sync.Once
	actions []string       // lower-cased catalog actions, index order
	names   []string       // the same, as the catalog spells them
	index   map[string]int // lower-cased action -> index
	// dup: two catalog actions differ only in case; the candidates are
	// then listed by allowedCandidates.
	dup      bool
	known    actionSet // the catalog knows the action (checkAction)
	policies sync.Map  // *Policy -> *policyBitsEntry
}

type policyBitsEntry struct {
	once sync.Once
	v    *policyBits
}

func (e *Evaluator) fastIdx() *fastIndex {
	f := e.fast
	f.once.Do(func() {
		all := e.ref.Expand("*")
		f.index = make(map[string]int, len(all))
		for _, a := range all {
			la := strings.ToLower(a)
			if _, dup := f.index[la]; dup {
				f.dup = true
				continue
			}
			f.index[la] = len(f.actions)
			f.actions = append(f.actions, la)
			f.names = append(f.names, a)
		}
		f.known = newActionSet(len(f.actions))
		for i, a := range f.actions {
			if e.ref.Known(a) {
				f.known.set(i)
			}
		}
	})
	return f
}

// bitsOf returns the policy's bitsets, computed once per policy.
func (f *fastIndex) bitsOf(ref *awsref.Data, p *Policy) *policyBits {
	v, _ := f.policies.LoadOrStore(p, &policyBitsEntry{})
	en := v.(*policyBitsEntry)
	en.once.Do(func() { en.v = f.compute(ref, p) })
	return en.v
}

// compute applies, to every catalog action, the statements whose Action or
// NotAction matches it (as forEach selects them), each decided as
// matchStmt decides it for a request on any resource without conditions.
func (f *fastIndex) compute(ref *awsref.Data, p *Policy) *policyBits {
	n := len(f.actions)
	pb := &policyBits{allow: newActionSet(n), deny: newActionSet(n), unsure: newActionSet(n), cand: newActionSet(n)}
	for i := range p.stmts {
		st := &p.stmts[i]
		if !st.allow {
			continue
		}
		if st.notAction || st.actAll {
			pb.candAll = true
			continue
		}
		for _, a := range st.actExact {
			if act, ok := ref.Lookup(a); ok {
				pb.setCand(f, act.Name)
			}
		}
		for _, g := range st.actGlobs {
			for _, a := range ref.Expand(g) {
				pb.setCand(f, a)
			}
		}
	}
	apply := func(i int, st *stmt) {
		switch {
		case len(st.conds) > 0 || len(st.badOps) > 0:
			pb.unsure.set(i)
		case st.allow:
			pb.allow.set(i)
		case denyAnyResource(st):
			pb.deny.set(i)
		}
	}
	for a, idx := range p.byAction {
		if i, ok := f.index[a]; ok {
			for _, n := range idx {
				apply(i, &p.stmts[n])
			}
		}
	}
	if len(p.wild) > 0 {
		for i, a := range f.actions {
			for _, n := range p.wild {
				if st := &p.stmts[n]; st.matchAction(a) {
					apply(i, st)
				}
			}
		}
	}
	return pb
}

// denyAnyResource: a Deny statement applies to a request on any resource
// (matchResource with anyResource) only when it covers every resource.
func denyAnyResource(st *stmt) bool {
	if st.resAll {
		return true
	}
	if !st.notRes {
		for i := range st.res {
			if st.res[i].all {
				return true
			}
		}
	}
	return false
}

// AllowedActionNames returns the names of the actions AllowedActions
// answers for the principal with an empty Context (in its order), without
// their decisions: from per-policy action bitsets, asking Actions about
// the actions a statement with a condition matches; from AllowedActions
// when a policy does not parse or the SCP chain is incomplete.
func (e *Evaluator) AllowedActionNames(principal string) []string {
	if names, ok := e.fastAllowed(principal); ok {
		return names
	}
	var out []string
	for _, g := range e.AllowedActions(principal, Context{}) {
		out = append(out, g.Action)
	}
	return out
}

// fastAllowed is the bitset path; ok is false when it does not apply.
func (e *Evaluator) fastAllowed(principal string) (names []string, ok bool) {
	pr := e.principals[principal]
	pi := parsePrincipal(principal)
	if pr == nil || pi.account == "" || (pi.kind != "user" && pi.kind != "role") || isServiceLinkedRole(pi) ||
		pr.Kind == "root" || strings.Contains(principal, ":role/aws-service-role/") {
		return nil, false
	}
	ps := e.PolicySet(principal, "", "")
	for _, p := range ps.Identity {
		if p != nil && p.Broken != "" {
			return nil, false
		}
	}
	if ps.Boundary != nil && ps.Boundary.Broken != "" {
		return nil, false
	}
	if ps.SCPs != nil {
		if ps.SCPs.Incomplete != "" {
			return nil, false
		}
		for _, l := range ps.SCPs.Levels {
			for _, p := range l.Policies {
				if p != nil && p.Broken != "" {
					return nil, false
				}
			}
		}
	}
	f := e.fastIdx()
	n := len(f.actions)
	allow, deny, unsure, candBits := newActionSet(n), newActionSet(n), newActionSet(n), newActionSet(n)
	candAll, candMissing := false, false
	for _, p := range ps.Identity {
		if p == nil {
			continue
		}
		b := f.bitsOf(e.ref, p)
		allow.or(b.allow)
		deny.or(b.deny)
		unsure.or(b.unsure)
		candBits.or(b.cand)
		candAll = candAll || b.candAll
		candMissing = candMissing || b.candMissing
	}
	if ps.Boundary != nil {
		b := f.bitsOf(e.ref, ps.Boundary)
		allow.and(b.allow)
		deny.or(b.deny)
		unsure.or(b.unsure)
	}
	if ps.SCPs != nil {
		for _, l := range ps.SCPs.Levels {
			lv := newActionSet(n)
			for _, p := range l.Policies {
				if p == nil {
					continue
				}
				b := f.bitsOf(e.ref, p)
				lv.or(b.allow)
				deny.or(b.deny)
				unsure.or(b.unsure)
			}
			allow.and(lv)
		}
	}
	allow.andNot(deny)
	// The candidates as catalog indexes (-1: not in the index).
	type candidate struct {
		name string
		i    int
	}
	var cand []candidate
	switch {
	case f.dup || candMissing:
		for _, a := range allowedCandidates(e, ps) {
			i, in := f.index[strings.ToLower(a)]
			if !in {
				i = -1
			}
			cand = append(cand, candidate{a, i})
		}
	case candAll:
		cand = make([]candidate, len(f.names)) // Expand("*"), without duplicates
		for i, a := range f.names {
			cand[i] = candidate{a, i}
		}
	default:
		for i, a := range f.names {
			if candBits.has(i) {
				cand = append(cand, candidate{a, i})
			}
		}
		sort.Slice(cand, func(a, b int) bool { return cand[a].name < cand[b].name })
	}
	// The actions the bitsets cannot decide, asked of the evaluator.
	var ask []string
	for _, c := range cand {
		if c.i < 0 || unsure.has(c.i) {
			ask = append(ask, c.name)
		}
	}
	asked := make(map[string]bool, len(ask))
	for _, g := range e.Actions(principal, ask, Context{}) {
		asked[g.Action] = !g.Decision.Result.Denied()
	}
	for _, c := range cand {
		switch {
		case c.i < 0 || unsure.has(c.i):
			if !asked[c.name] {
				continue
			}
		case f.actions[c.i] == "sts:getcalleridentity":
			// evaluate allows it whatever the policies say.
		case allow.has(c.i):
		case !f.known.has(c.i) && !deny.has(c.i):
			// checkAction: an unknown action is Uncertain unless denied.
		default:
			continue
		}
		names = append(names, c.name)
	}
	return names, true
}
