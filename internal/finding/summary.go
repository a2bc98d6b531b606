package finding

import (
	"cmp"
	"math"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/vigil-sec/vigil/internal/inventory"
	"github.com/vigil-sec/vigil/internal/resource"
	"github.com/vigil-sec/vigil/internal/source"
)

// RuleInfo is what the summary and the reports need to know about a rule.
// The policy engine's rule metadata maps onto it one to one.
type RuleInfo struct {
	ID          string              `json:"id"`
	Title       string              `json:"title"`
	Description string              `json:"description,omitempty"`
	Severity    Severity            `json:"severity"`
	Category    string              `json:"category,omitempty"`
	Providers   []resource.Provider `json:"providers,omitempty"`
	Remediation string              `json:"remediation,omitempty"`
	// Frameworks maps a framework key (cis-aws-7.0, soc2, ...) to control IDs.
	Frameworks map[string][]string `json:"frameworks,omitempty"`
}

// Counts tallies findings by outcome. Fail counts only active failures: a
// FAIL muted by a suppression is counted in Suppressed instead. Unknown is
// never folded into Pass or Fail.
type Counts struct {
	Total      int `json:"total"`
	Fail       int `json:"fail"`
	Pass       int `json:"pass"`
	Unknown    int `json:"unknown"`
	Suppressed int `json:"suppressed"`
}

// Add counts one finding.
func (c *Counts) Add(f *Finding) { c.AddN(f, 1) }

// AddN counts n findings of f's status.
func (c *Counts) AddN(f *Finding, n int) {
	c.Total += n
	switch {
	case f.Status == Fail && f.Suppressed != nil:
		c.Suppressed += n
	case f.Status == Fail:
		c.Fail += n
	case f.Status == Pass:
		c.Pass += n
	default:
		c.Unknown += n
	}
}

// Merge adds the counts of o.
func (c *Counts) Merge(o Counts) {
	c.Total += o.Total
	c.Fail += o.Fail
	c.Pass += o.Pass
	c.Unknown += o.Unknown
	c.Suppressed += o.Suppressed
}

// Score is the posture score in percent: pass / (pass + fail). UNKNOWN and
// suppressed findings are left out. It is nil when nothing passed or failed.
func (c Counts) Score() *float64 {
	if c.Pass+c.Fail == 0 {
		return nil
	}
	s := float64(c.Pass) * 100 / float64(c.Pass+c.Fail)
	s = float64(int(s*10+0.5)) / 10 // one decimal, stable in golden files
	return &s
}

// ProviderSummary is the posture of one cloud.
type ProviderSummary struct {
	Provider resource.Provider `json:"provider"`
	// Resources counts distinct resources with at least one finding.
	Resources int `json:"resources"`
	Accounts  int `json:"accounts"`
	Counts
	// PostureScore is pass/(pass+fail) in percent, UNKNOWN excluded.
	PostureScore *float64 `json:"posture_score"`
}

// RuleSummary is the outcome of one rule over the inventory.
type RuleSummary struct {
	RuleID   string   `json:"rule_id"`
	Title    string   `json:"title,omitempty"`
	Severity Severity `json:"severity,omitempty"`
	Counts
}

// InventorySummary is the inventory's account of its input (what was read,
// by provider, class and format; what was not modelled, skipped or could
// not be read): inventory.Summary itself, the one source of truth.
type InventorySummary = inventory.Summary

// SkippedInput is an input that is not a recognised export.
type SkippedInput = source.Skipped

// InputError is an input problem, located by file, line or offset,
// resource and field.
type InputError = source.Problem

// SuppressionReport says what a suppressions file did in this scan.
type SuppressionReport struct {
	// File is the suppressions file applied.
	File string `json:"file"`
	// Muted lists the suppressions that muted at least one finding.
	Muted []SuppressionUse `json:"muted"`
	// Expired lists suppressions past their expiry date: they no longer
	// mute anything, and the findings they would match are active again.
	Expired []SuppressionUse `json:"expired"`
	// Unused lists active suppressions that matched no failing finding.
	Unused []SuppressionUse `json:"unused"`
}

// SuppressionUse is one suppression entry and the findings it concerns.
type SuppressionUse struct {
	// Entry is the 1-based position of the entry in the file; Line its line.
	Entry    int    `json:"entry"`
	Line     int    `json:"line,omitempty"`
	Rule     string `json:"rule"`
	Resource string `json:"resource"`
	Reason   string `json:"reason"`
	Expires  string `json:"expires,omitempty"`
	// Findings counts the failing findings the entry muted (or, when
	// expired, would have muted); Resources lists their resource IDs.
	Findings  int      `json:"findings"`
	Resources []string `json:"resources,omitempty"`
	// Message is a human sentence, e.g. "suppression for X expired on D;
	// findings are active again".
	Message string `json:"message"`
}

// Summary is the scan summary every report carries.
type Summary struct {
	Counts
	Resources  int                 `json:"resources"`
	BySeverity map[Severity]Counts `json:"by_severity"`
	// PostureScore is the overall pass/(pass+fail) in percent.
	PostureScore *float64          `json:"posture_score"`
	Providers    []ProviderSummary `json:"providers"`
	Rules        []RuleSummary     `json:"rules"`
	Inventory    *InventorySummary `json:"inventory,omitempty"`
	// Suppressions is set when a suppressions file was applied.
	Suppressions *SuppressionReport `json:"suppressions,omitempty"`
	// Tagging is set when a governance policy with a tagging standard was
	// applied: its coverage.
	Tagging *TagCoverage `json:"tagging,omitempty"`
}

// TagCoverage is how much of the inventory the tagging standard of a
// governance policy covers: the resources a tagging rule selects and those
// that carry every required tag with an allowed value.
type TagCoverage struct {
	Policy   string `json:"policy"`
	OwnerTag string `json:"owner_tag"`
	// Total covers every selected resource; ByAccount and ByOwner split it,
	// least covered first.
	Total     TagCoverageRow   `json:"total"`
	ByAccount []TagCoverageRow `json:"by_account"`
	ByOwner   []TagCoverageRow `json:"by_owner"`
}

// TagCoverageRow is the coverage of one account, one owner, or all.
type TagCoverageRow struct {
	Provider  string  `json:"provider,omitempty"`
	Account   string  `json:"account,omitempty"`
	Owner     string  `json:"owner,omitempty"`
	Resources int     `json:"resources"`
	Compliant int     `json:"compliant"`
	Percent   float64 `json:"percent"`
}

// Done returns the row with Percent computed (100 for an empty row).
func (r TagCoverageRow) Done() TagCoverageRow {
	r.Percent = 100
	if r.Resources > 0 {
		r.Percent = math.Round(1000*float64(r.Compliant)/float64(r.Resources)) / 10
	}
	return r
}

// Summarize computes the summary of findings. Every rule in rules appears in
// Summary.Rules, with zero counts when it produced no finding; rules that
// produced findings but are not in the list are added from the findings.
//
// It is one pass over the findings; the rule, severity and provider of the
// previous finding are remembered, as findings come grouped by rule.
func Summarize(findings []Finding, rules []RuleInfo) Summary {
	return SummarizeWith(findings, nil, rules)
}

// SummarizeWith summarizes findings and the PASS findings held in passes
// (nil for none), as Summarize does their merge.
func SummarizeWith(findings []Finding, passes *Passes, rules []RuleInfo) Summary {
	s := Summary{BySeverity: map[Severity]Counts{}}
	byRule := make(map[string]*RuleSummary, len(rules))
	order := make([]string, 0, len(rules))
	for _, r := range rules {
		if _, ok := byRule[r.ID]; ok {
			continue
		}
		byRule[r.ID] = &RuleSummary{RuleID: r.ID, Title: r.Title, Severity: r.Severity}
		order = append(order, r.ID)
	}
	// The sets of each provider's resources and accounts (the most work:
	// a map insertion per finding and per resource passed) are filled on
	// goroutines of their own, one per group of providers, while this one
	// counts.
	sets := make([]map[resource.Provider]*provSets, len(providerGroups))
	var wg sync.WaitGroup
	if len(findings)+passes.Len() < 1<<14 {
		for g := range sets {
			sets[g] = resourceSets(findings, passes, g)
		}
	} else {
		for g := range sets {
			wg.Go(func() { sets[g] = resourceSets(findings, passes, g) })
		}
	}
	byProv := map[resource.Provider]*ProviderSummary{}
	bySev := map[Severity]*Counts{}
	var (
		rs      *RuleSummary
		sc      *Counts
		lastSev Severity
		p       *ProviderSummary
	)
	// addRule counts n findings like f in the totals, its severity's and
	// its rule's.
	addRule := func(f *Finding, n int) {
		s.Counts.AddN(f, n)

		if sc == nil || f.Severity != lastSev {
			lastSev = f.Severity
			if sc = bySev[f.Severity]; sc == nil {
				sc = &Counts{}
				bySev[f.Severity] = sc
			}
		}
		sc.AddN(f, n)

		if rs == nil || f.RuleID != rs.RuleID {
			var ok bool
			if rs, ok = byRule[f.RuleID]; !ok {
				rs = &RuleSummary{RuleID: f.RuleID, Title: f.Title, Severity: f.Severity}
				byRule[f.RuleID] = rs
				order = append(order, f.RuleID)
			}
		}
		rs.Counts.AddN(f, n)
	}
	provider := func(prov resource.Provider) *ProviderSummary {
		if p == nil || prov != p.Provider {
			if p = byProv[prov]; p == nil {
				p = &ProviderSummary{Provider: prov}
				byProv[prov] = p
			}
		}
		return p
	}
	for i := range findings {
		f := &findings[i]
		addRule(f, 1)
		provider(f.Resource.Provider).Counts.Add(f)
	}
	if passes != nil {
		// A run's findings differ from its prototype only in their
		// resource: the run is counted at once, and its resources by
		// provider (each Ref's provider read once, into a byte per Ref,
		// rather than at each of the runs that name it).
		var provs []resource.Provider
		provOf := make([]uint8, len(passes.Refs))
		for k := range passes.Refs {
			prov := passes.Refs[k].Provider
			i := slices.Index(provs, prov)
			if i < 0 {
				i = len(provs)
				provs = append(provs, prov)
			}
			if i > math.MaxUint8 {
				provOf = nil // more providers than a byte tells: read the Refs
				break
			}
			provOf[k] = uint8(i)
		}
		n := make([]int, len(provs))
		for ri := range passes.Runs {
			run := &passes.Runs[ri]
			if len(run.Res) == 0 {
				continue
			}
			addRule(&run.Proto, len(run.Res))
			if provOf == nil {
				for _, k := range run.Res {
					provider(passes.Refs[k].Provider).Counts.Add(&run.Proto)
				}
				continue
			}
			clear(n)
			for _, k := range run.Res {
				n[provOf[k]]++
			}
			for i, c := range n {
				if c > 0 {
					provider(provs[i]).Counts.AddN(&run.Proto, c)
				}
			}
		}
	}
	wg.Wait()
	for _, m := range sets {
		for prov, set := range m {
			p := provider(prov)
			p.Resources, p.Accounts = len(set.resources), len(set.accounts)
		}
	}
	for sev, c := range bySev {
		s.BySeverity[sev] = *c
	}
	s.PostureScore = s.Counts.Score()
	s.Providers = make([]ProviderSummary, 0, len(byProv))
	for _, p := range byProv {
		p.PostureScore = p.Counts.Score()
		// A resource is its provider and ID: the providers' sets are disjoint.
		s.Resources += p.Resources
		s.Providers = append(s.Providers, *p)
	}
	sort.Slice(s.Providers, func(i, j int) bool { return s.Providers[i].Provider < s.Providers[j].Provider })
	sort.Strings(order)
	s.Rules = make([]RuleSummary, 0, len(order))
	for _, id := range order {
		s.Rules = append(s.Rules, *byRule[id])
	}
	return s
}

// providerGroups split the providers between the goroutines that fill
// their sets of resources and accounts (SummarizeWith): the three clouds,
// each with its own, and any other provider with GCP.
var providerGroups = [...]resource.Provider{resource.AWS, resource.Azure, resource.GCP}

// providerGroup is the index in providerGroups of prov's goroutine.
func providerGroup(prov resource.Provider) int {
	switch prov {
	case resource.AWS:
		return 0
	case resource.Azure:
		return 1
	}
	return 2
}

// provSets are the distinct resources (IDs; the provider is the other half
// of a resource's identity) and accounts of one provider's findings.
type provSets struct {
	resources, accounts map[string]struct{}
	lastID, lastAcct    string
}

func (p *provSets) add(r *resource.Ref) {
	if id := r.ID; id != p.lastID || len(p.resources) == 0 {
		p.resources[id] = struct{}{}
		p.lastID = id
	}
	if a := r.Account; a != "" && a != p.lastAcct {
		p.accounts[a] = struct{}{}
		p.lastAcct = a
	}
}

// resourceSets fills the sets of the providers of group g (providerGroup)
// from the findings and the resources passes names.
func resourceSets(findings []Finding, passes *Passes, g int) map[resource.Provider]*provSets {
	m := map[resource.Provider]*provSets{}
	var cur *provSets
	var curProv resource.Provider
	add := func(r *resource.Ref) {
		if providerGroup(r.Provider) != g {
			return
		}
		if cur == nil || r.Provider != curProv {
			if cur = m[r.Provider]; cur == nil {
				cur = &provSets{resources: map[string]struct{}{}, accounts: map[string]struct{}{}}
				m[r.Provider] = cur
			}
			curProv = r.Provider
		}
		cur.add(r)
	}
	for i := range findings {
		add(&findings[i].Resource)
	}
	if passes != nil {
		// Each resource a run names once, however many runs name it.
		named := make([]bool, len(passes.Refs))
		for ri := range passes.Runs {
			for _, k := range passes.Runs[ri].Res {
				named[k] = true
			}
		}
		for k, ok := range named {
			if ok {
				add(&passes.Refs[k])
			}
		}
	}
	return m
}

// StatusRank orders statuses for "worst first": an active FAIL first, then a
// suppressed FAIL, then UNKNOWN, then PASS.
func (f *Finding) StatusRank() int {
	switch {
	case f.Status == Fail && f.Suppressed == nil:
		return 4
	case f.Status == Fail:
		return 3
	case f.Status == Unknown:
		return 2
	case f.Status == Pass:
		return 1
	}
	return 0
}

// Worse reports whether a sorts before b in "worst first" order: severity
// descending, then FAIL before UNKNOWN before PASS, then rule ID, then
// resource ID.
func Worse(a, b *Finding) bool {
	if ra, rb := a.Severity.Rank(), b.Severity.Rank(); ra != rb {
		return ra > rb
	}
	if ra, rb := a.StatusRank(), b.StatusRank(); ra != rb {
		return ra > rb
	}
	if a.RuleID != b.RuleID {
		return a.RuleID < b.RuleID
	}
	if a.Resource.ID != b.Resource.ID {
		return a.Resource.ID < b.Resource.ID
	}
	return a.Resource.Provider < b.Resource.Provider
}

// SortWorstFirst sorts findings in place, worst first (see Worse), then by
// message; findings equal in all of these keep their order (a stable sort).
func SortWorstFirst(fs []Finding) { WorstFirst(fs).Apply(fs) }

// An Order is the permutation that sorts findings worst first (WorstFirst),
// worked out before it is applied: working it out only reads the findings,
// so it can run beside other readers (the summaries), and Apply, which
// moves them, after.
type Order struct {
	keys []sortKey // position i receives the finding at keys[i].pos
}

type sortKey struct {
	id  string // the resource ID
	pos int    // the finding's position: provider and message, then stability
}

// sortChunk is the least number of findings a worker of WorstFirst reads.
const sortChunk = 1 << 15

// WorstFirst works out the order SortWorstFirst gives fs, without moving
// them.
//
// The findings are large structs and fall in few groups (severity, status,
// rule): a counting sort places small keys (resource ID, position) by group,
// each group's keys are sorted on its own, and each finding is then moved
// once to its place (Apply). The findings are read once, in chunks on
// GOMAXPROCS workers, into compact arrays that the rest reads.
func WorstFirst(fs []Finding) Order {
	if len(fs) < 2 {
		return Order{}
	}
	workers := min(runtime.GOMAXPROCS(0), (len(fs)+sortChunk-1)/sortChunk)
	per := (len(fs) + workers - 1) / workers
	// Per chunk: the rule IDs in the order first seen (local indexes),
	// then the map from those to the rules' ranks in string order.
	type chunk struct {
		from, to int
		rules    []string
		rank     []int32
		count    []int // per group, then the chunk's first place in it
	}
	chunks := make([]chunk, workers)
	loc := make([]int32, len(fs)) // the finding's rule, local to its chunk
	ss := make([]uint8, len(fs))  // worse severity then worse status: 0..29, ascending
	ids := make([]string, len(fs))
	parallel := func(f func(c *chunk)) {
		if workers == 1 {
			f(&chunks[0])
			return
		}
		var wg sync.WaitGroup
		for k := range chunks {
			wg.Go(func() { f(&chunks[k]) })
		}
		wg.Wait()
	}
	for k := range chunks {
		chunks[k].from, chunks[k].to = min(k*per, len(fs)), min((k+1)*per, len(fs))
	}
	parallel(func(c *chunk) {
		// Findings arrive grouped by rule: the last ID is cached.
		seen := map[string]int32{}
		var last string
		r := int32(-1)
		for i := c.from; i < c.to; i++ {
			f := &fs[i]
			if id := f.RuleID; r < 0 || id != last {
				last = id
				var ok bool
				if r, ok = seen[id]; !ok {
					r = int32(len(c.rules))
					seen[id] = r
					c.rules = append(c.rules, id)
				}
			}
			loc[i] = r
			ss[i] = uint8((5-f.Severity.Rank())*5 + (4 - f.StatusRank()))
			ids[i] = f.Resource.ID
		}
	})
	// Rank the rule IDs in string order.
	var all []string
	for k := range chunks {
		all = append(all, chunks[k].rules...)
	}
	slices.Sort(all)
	all = slices.Compact(all)
	nr := len(all)
	for k := range chunks {
		c := &chunks[k]
		c.rank = make([]int32, len(c.rules))
		for j, id := range c.rules {
			r, _ := slices.BinarySearch(all, id)
			c.rank[j] = int32(r)
		}
	}
	// A finding's group: worse severity (rank 5..0), then worse status
	// (rank 4..0), then the rule; groups ascend in worst-first order.
	ngroups := 6 * 5 * nr
	group := make([]int32, len(fs))
	parallel(func(c *chunk) {
		c.count = make([]int, ngroups)
		for i := c.from; i < c.to; i++ {
			g := int32(ss[i])*int32(nr) + c.rank[loc[i]]
			group[i] = g
			c.count[g]++
		}
	})
	loc, ss = nil, nil
	// Each chunk's first place in each group: the groups in order, and
	// within a group the chunks in order (a stable placement).
	starts := make([]int, ngroups+1)
	at := 0
	for g := range ngroups {
		starts[g] = at
		for k := range chunks {
			n := chunks[k].count[g]
			chunks[k].count[g] = at
			at += n
		}
	}
	starts[ngroups] = at
	keys := make([]sortKey, len(fs))
	parallel(func(c *chunk) {
		next := c.count
		for i := c.from; i < c.to; i++ {
			g := group[i]
			keys[next[g]] = sortKey{id: ids[i], pos: i}
			next[g]++
		}
	})
	group, ids = nil, nil
	cmpKeys := func(a, b sortKey) int {
		if c := strings.Compare(a.id, b.id); c != 0 {
			return c
		}
		// The same rule, status and resource ID: rare.
		fa, fb := &fs[a.pos], &fs[b.pos]
		if c := strings.Compare(string(fa.Resource.Provider), string(fb.Resource.Provider)); c != 0 {
			return c
		}
		if c := strings.Compare(fa.Message, fb.Message); c != 0 {
			return c
		}
		return cmp.Compare(a.pos, b.pos)
	}
	sortGroup := func(g int) {
		if starts[g+1]-starts[g] > 1 {
			slices.SortFunc(keys[starts[g]:starts[g+1]], cmpKeys)
		}
	}
	if sw := runtime.GOMAXPROCS(0); sw < 2 || len(fs) < 20000 {
		for g := range ngroups {
			sortGroup(g)
		}
	} else {
		var nextGroup atomic.Int64
		var wg sync.WaitGroup
		for range sw {
			wg.Go(func() {
				for g := int(nextGroup.Add(1) - 1); g < ngroups; g = int(nextGroup.Add(1) - 1) {
					sortGroup(g)
				}
			})
		}
		wg.Wait()
	}
	return Order{keys: keys}
}

// Apply moves the findings o was worked out for (WorstFirst, on these
// same findings, unchanged since) to their places. It uses up o.
func (o Order) Apply(fs []Finding) {
	keys := o.keys
	if len(keys) != len(fs) {
		if len(fs) < 2 {
			return
		}
		panic("finding: an Order applied to other findings")
	}
	// Apply the permutation in place, one cycle at a time: position i
	// receives the finding at keys[i].pos; a done position is marked -1.
	for i := range keys {
		if keys[i].pos < 0 || keys[i].pos == i {
			keys[i].pos = -1
			continue
		}
		tmp := fs[i]
		j := i
		for {
			src := keys[j].pos
			keys[j].pos = -1
			if src == i {
				fs[j] = tmp
				break
			}
			fs[j] = fs[src]
			j = src
		}
	}
}

// FailsAt reports whether any active (not suppressed) FAIL finding has a
// severity at or above min — the `--fail-on SEVERITY` test. UNKNOWN and
// muted findings never trip it.
func FailsAt(fs []Finding, min Severity) bool {
	for i := range fs {
		f := &fs[i]
		if f.Status == Fail && f.Suppressed == nil && f.Severity.Rank() >= min.Rank() {
			return true
		}
	}
	return false
}
