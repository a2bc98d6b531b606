package governance

import (
	"context"
	"math/bits"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/vigil-sec/vigil/internal/inventory"
	"github.com/vigil-sec/vigil/internal/resource"
)

// Apply applies the policy to the resources, after derivation (which gives
// data-bearing resources their locations):
//
//   - classification: every data store (a resource of a DataClasses class)
//     gets facts.data.classified (true when a classification rule matched
//     one of its tags or labels), sensitivity (the highest-ranked class the
//     matching rules give) and categories (all they give); any other
//     resource whose tags classify it gets facts.data too;
//   - residency: every location of a resource a residency rule applies to
//     (by class or category) gets allowed: false when a rule applying to it
//     does not allow the place, nil when one cannot tell (a rule lists
//     jurisdictions and the place's jurisdiction is unknown), true
//     otherwise; nil on every location when no rule applies; and the data
//     gets the verdict over all of them (resource.Data.Residency);
//   - tagging: when the policy has tagging rules, every resource gets
//     facts.tagging: selected, with its missing and invalid required tags,
//     when a tagging rule selects it, else selected: false.
//
// Slices Apply sets (categories, missing, invalid) may be shared between
// resources: callers must not modify them.
func Apply(ctx context.Context, pol *Policy, rs []*resource.Resource) error {
	return applyOn(ctx, pol, rs, runtime.GOMAXPROCS(0))
}

// applyChunk is how many resources a worker of Apply takes at a time.
const applyChunk = 4096

// applyOn is Apply on up to workers goroutines, each with its own applier
// taking chunks of resources in turn: every resource is judged alone, so
// the facts are the same whatever the split (the shared slices are then
// shared per worker).
func applyOn(ctx context.Context, pol *Policy, rs []*resource.Resource, workers int) error {
	return chunked(ctx, len(rs), workers, func() func(lo, hi int) {
		a := newApplier(pol)
		return func(lo, hi int) {
			for _, r := range rs[lo:hi] {
				a.apply(r)
			}
		}
	})
}

// chunked calls the function each of up to workers goroutines makes
// (worker) on ranges [lo, hi) of n items, applyChunk at a time, until
// they are all done or ctx is; one goroutine when n is small.
func chunked(ctx context.Context, n, workers int, worker func() func(lo, hi int)) error {
	workers = max(1, min(workers, (n+applyChunk-1)/applyChunk))
	var next atomic.Int64
	run := func() {
		do := worker()
		for ctx.Err() == nil {
			lo := int(next.Add(applyChunk)) - applyChunk
			if lo >= n {
				return
			}
			do(lo, min(lo+applyChunk, n))
		}
	}
	if workers == 1 {
		run()
		return ctx.Err()
	}
	var wg sync.WaitGroup
	for range workers {
		wg.Go(run)
	}
	wg.Wait()
	return ctx.Err()
}

type applier struct {
	pol  *Policy
	vals []string // per pol.keys: the resource's value, valid when has bit set
	has  uint64
	buf  []byte
	vbuf []byte

	cats    map[uint64][]string
	tagSets map[[2]uint64]tagSet
	// slabs
	datas    []resource.Data
	bools    []bool
	taggings []resource.Tagging
	// unselected is the tagging fact of every resource no tagging rule
	// selects (shared).
	unselected resource.Tagging
	dataBear   map[resource.Class]bool
}

type tagSet struct{ missing, invalid []string }

func newApplier(pol *Policy) *applier {
	a := &applier{unselected: resource.Tagging{Missing: []string{}, Invalid: []string{}}, pol: pol, vals: make([]string, len(pol.keys)), cats: map[uint64][]string{}, tagSets: map[[2]uint64]tagSet{}, dataBear: map[resource.Class]bool{}}
	for _, c := range inventory.DataClasses() {
		a.dataBear[c] = true
	}
	return a
}

func (a *applier) boolPtr(v bool) *bool {
	if len(a.bools) == 0 {
		a.bools = make([]bool, 1024)
	}
	p := &a.bools[0]
	a.bools = a.bools[1:]
	*p = v
	return p
}

func (a *applier) newData() *resource.Data {
	if len(a.datas) == 0 {
		a.datas = make([]resource.Data, 1024)
	}
	p := &a.datas[0]
	a.datas = a.datas[1:]
	return p
}

func (a *applier) newTagging() *resource.Tagging {
	if len(a.taggings) == 0 {
		a.taggings = make([]resource.Tagging, 1024)
	}
	p := &a.taggings[0]
	a.taggings = a.taggings[1:]
	return p
}

// value returns the value of key index k, if the resource carries it.
func (a *applier) value(k int) (string, bool) {
	if k < 0 || a.has&(1<<k) == 0 {
		return "", false
	}
	return a.vals[k], true
}

func (a *applier) apply(r *resource.Resource) {
	pol := a.pol
	// Read the tags the policy knows, keys normalized.
	a.has = 0
	if len(pol.keys) > 0 {
		for k, v := range r.Tags {
			a.buf = appendKey(a.buf[:0], k)
			for i, pk := range pol.keys {
				if string(a.buf) == pk {
					a.has |= 1 << i
					a.vals[i] = v
					break
				}
			}
		}
	}

	// Classification.
	class, cats, matched := -1, uint64(0), false
	if a.has != 0 {
		for i := range pol.classify {
			cr := &pol.classify[i]
			v, ok := a.value(cr.ki)
			if !ok || !a.match(&cr.m, v) {
				continue
			}
			matched = true
			class = max(class, cr.class)
			cats |= cr.cats
		}
	}
	data := r.Facts.Data
	if data == nil && (matched || a.dataBear[r.Class]) {
		data = a.newData()
		r.Facts.Data = data
	}
	if data != nil {
		data.Classified = a.boolPtr(matched)
		data.Sensitivity = ""
		if class >= 0 {
			data.Sensitivity = pol.Classes[class]
		}
		data.Categories = a.categoryNames(cats)
		a.residency(r, data, class, cats)
	}

	// Tagging.
	r.Facts.Tagging = nil
	if len(pol.tagging) > 0 {
		r.Facts.Tagging = &a.unselected
	}
	for i := range pol.tagging {
		tr := &pol.tagging[i]
		if !a.selects(tr, r, class, cats) {
			continue
		}
		var missing, invalid uint64
		for j := range tr.required {
			rt := &tr.required[j]
			v, ok := a.value(rt.ki)
			switch {
			case !ok || strings.TrimSpace(v) == "":
				missing |= 1 << j
			case !a.match(&rt.m, v):
				invalid |= 1 << j
			}
		}
		t := r.Facts.Tagging
		if !t.Selected {
			t = a.newTagging()
			t.Selected, t.Missing, t.Invalid = true, []string{}, []string{}
			r.Facts.Tagging = t
		}
		if missing|invalid == 0 {
			continue
		}
		set := a.tagSet(i, missing, invalid)
		if len(t.Missing) == 0 && len(t.Invalid) == 0 {
			t.Missing, t.Invalid = set.missing, set.invalid
			continue
		}
		// Several rules fail: merge (rare; fresh slices).
		t.Missing = mergeNames(t.Missing, set.missing)
		t.Invalid = mergeNames(t.Invalid, set.invalid)
	}
}

func mergeNames(a, b []string) []string {
	out := slices.Clone(a)
	for _, s := range b {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

func (a *applier) tagSet(rule int, missing, invalid uint64) tagSet {
	key := [2]uint64{missing<<8 | uint64(rule), invalid}
	if rule >= 256 {
		key[0] = missing
		key[1] = invalid ^ uint64(rule)<<56
	}
	if s, ok := a.tagSets[key]; ok {
		return s
	}
	tr := &a.pol.tagging[rule]
	s := tagSet{missing: []string{}, invalid: []string{}}
	for j := range tr.required {
		if missing&(1<<j) != 0 {
			s.missing = append(s.missing, tr.required[j].name)
		}
		if invalid&(1<<j) != 0 {
			s.invalid = append(s.invalid, tr.required[j].name)
		}
	}
	a.tagSets[key] = s
	return s
}

func (a *applier) selects(tr *tagRule, r *resource.Resource, class int, cats uint64) bool {
	all := !tr.dataStores && len(tr.resClasses) == 0 && tr.classes == 0 && tr.cats == 0
	if all {
		return true
	}
	if tr.dataStores && a.dataBear[r.Class] {
		return true
	}
	if slices.Contains(tr.resClasses, r.Class) {
		return true
	}
	if class >= 0 && tr.classes&(1<<class) != 0 {
		return true
	}
	return tr.cats&cats != 0
}

func (a *applier) match(m *matcher, v string) bool {
	if m.empty() {
		return true
	}
	a.vbuf = appendValue(a.vbuf[:0], v)
	// The matcher does not keep the string: view the buffer.
	return m.match(unsafe.String(unsafe.SliceData(a.vbuf), len(a.vbuf)))
}

func (a *applier) categoryNames(cats uint64) []string {
	if cats == 0 {
		return nil
	}
	if s, ok := a.cats[cats]; ok {
		return s
	}
	s := make([]string, 0, bits.OnesCount64(cats))
	for i, c := range a.pol.Categories {
		if cats&(1<<i) != 0 {
			s = append(s, c)
		}
	}
	a.cats[cats] = s
	return s
}

// residency sets Allowed on every location of the resource.
func (a *applier) residency(r *resource.Resource, data *resource.Data, class int, cats uint64) {
	var applying [8]int
	rules := applying[:0]
	for i := range a.pol.residency {
		rr := &a.pol.residency[i]
		if class >= 0 && rr.classes&(1<<class) != 0 || rr.cats&cats != 0 {
			rules = append(rules, i)
		}
	}
	data.Residency = resource.ResidencyUnrestricted
	if len(rules) > 0 {
		data.Residency = resource.ResidencyAllowed
		if len(data.Locations) == 0 {
			data.Residency = "" // where it is is not known
		}
	}
	unknown := false
	for li := range data.Locations {
		loc := &data.Locations[li]
		loc.Allowed = nil
		if len(rules) == 0 {
			continue
		}
		verdict := 1 // 1 allowed, 0 unknown, -1 not allowed
		for _, i := range rules {
			v := a.pol.residency[i].allows(string(r.Provider), loc)
			verdict = min(verdict, v)
		}
		switch {
		case verdict < 0:
			data.Residency = resource.ResidencyBreach
		case verdict == 0:
			unknown = true
		}
		if verdict != 0 {
			loc.Allowed = a.boolPtr(verdict > 0)
		}
	}
	if unknown && data.Residency != resource.ResidencyBreach {
		data.Residency = ""
	}
}

// allows judges one location: 1 allowed, 0 unknown, -1 not allowed.
func (rr *residencyRule) allows(provider string, loc *resource.DataLocation) int {
	for _, g := range rr.regions {
		if g.provider == provider && strings.EqualFold(g.name, loc.Region) {
			return 1
		}
	}
	if len(rr.juris) == 0 {
		if loc.Region == "" {
			return 0
		}
		return -1
	}
	if loc.Jurisdiction == "" && loc.Country == "" {
		return 0
	}
	for _, j := range rr.juris {
		if strings.EqualFold(j, loc.Jurisdiction) {
			return 1
		}
	}
	if loc.Country != "" {
		for _, c := range rr.countries {
			if strings.EqualFold(c, loc.Country) {
				return 1
			}
		}
	}
	if loc.Jurisdiction == "" {
		return 0
	}
	return -1
}
