package detect

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"sort"
	"strings"
	"time"

	gojson "github.com/goccy/go-json"
	"github.com/tidwall/gjson"

	"github.com/vigil-sec/vigil/internal/logs"
	azurelogs "github.com/vigil-sec/vigil/internal/logs/azure"
	"github.com/vigil-sec/vigil/internal/ocsf"
	"github.com/vigil-sec/vigil/internal/sigma"
)

// Normalizer turns one record into its OCSF event (API Activity,
// Authentication, ...). The engine calls it only for events that matched a
// rule or that an OCSF rule may match.
type Normalizer func(rec logs.Record) (ocsf.Event, error)

// OCSFNormalizer normalizes a record with vigil's per-source OCSF 1.8.0
// normalizers.
func OCSFNormalizer(rec logs.Record) (ocsf.Event, error) { return logs.Normalize(rec) }

// OCSFSource is the vigil log source name of rules whose logsource is
// "product: vigil, service: ocsf": they are matched against the OCSF JSON of
// an event of any source, with field names that are OCSF attribute paths.
const OCSFSource = "ocsf"

// OCSFFieldPrefix marks correlation group-by (and value_count) fields that
// are read from the OCSF form of an event rather than its own JSON, so a
// correlation can group events of different clouds by a common field:
// "ocsf.actor.user.name". "ocsf.vigil.identity" is the canonical identity
// (see Identity).
const OCSFFieldPrefix = "ocsf."

// Config configures an Engine.
type Config struct {
	// RuleDirs are folders of Sigma rules, correlations and filters.
	RuleDirs []string
	// NoBuiltins leaves out vigil's built-in detections.
	NoBuiltins bool
	// Tuning decides suppression; nil means DefaultTuning().
	Tuning *Tuning
	// MinLevel, when set, overrides the tuning's minimum level.
	MinLevel Level
	// Normalize produces OCSF events; nil means OCSFNormalizer (vigil's
	// normalizers, logs.Normalize).
	Normalize Normalizer
	// Version is vigil's version for alert metadata.
	Version string
	// ReorderWindow is how far behind the newest event seen an event may
	// arrive and still be correlated in event-time order; zero means
	// DefaultReorderWindow. Correlations see matched events sorted by event
	// time (then event id) once the newest event time seen is more than the
	// window past them; an event arriving later than that is "late": it
	// still raises its single-event alerts, is counted (Stats.Late) and goes
	// to the correlations at once, against the windows they still hold.
	ReorderWindow time.Duration
	Logger        *slog.Logger
	// Sources are the log sources read and the Sigma logsources rules may
	// name (their descriptors); nil means logs.Builtin().
	Sources *logs.Registry
}

// Engine evaluates compiled rules on records. Matching (Match) is safe for
// concurrent use; Emit, which runs correlations and tuning, is not.
type Engine struct {
	cfg       Config
	tuning    *Tuning
	sets      map[logs.Source]*sigma.RuleSet
	fieldMaps map[logs.Source]sigma.FieldMap
	ocsfSet   *sigma.RuleSet
	gate      opGate
	info      map[*sigma.Rule]*RuleInfo
	silent    map[*sigma.Rule]bool // referenced only by non-generating correlations
	corr      *sigma.Correlator
	corrRule  map[*sigma.Rule][]string // fields to extract for Observe
	corrInfo  map[*sigma.Correlation]*RuleInfo
	// silentCorr marks correlations that only feed other correlations.
	silentCorr map[*sigma.Correlation]bool
	// bursts holds, per correlation and group, the last event time of the
	// last hit, so that one burst raises one alert.
	bursts map[string]time.Time
	// members lists the correlations each rule feeds; evbuf keeps recent
	// events per correlation group as alert evidence.
	members map[*sigma.Rule][]corrMember
	// filtered maps the filter-less copy of a rule with Sigma filters to
	// the rule and its full matcher.
	filtered map[*sigma.Rule]filteredRule
	evbuf    map[string]*[]bufEvent
	newest   time.Time
	maxSpan  time.Duration
	// refresh is, for rules that only feed value_count correlations, the
	// interval within which a repeated observation (same rule, same
	// field values) is not passed to the correlator again; seen holds the
	// last one passed per rule and values.
	refresh map[*sigma.Rule]*repeatSpec
	seen    map[string]time.Time
	// latest is the newest event time emitted; corrSpan the longest
	// correlation timespan.
	latest   time.Time
	corrSpan time.Duration
	// window is the reorder window; wm the newest event time seen; pend
	// the matched events waiting for the watermark to pass them (see
	// Advance); nextTick the next flushTick boundary of released event
	// time.
	window   time.Duration
	wm       time.Time
	pend     pendingHeap
	nextTick time.Time
	// pendSlab is what Emit cuts pending events from (one allocation per
	// 256 of them).
	pendSlab []pending
	// released is the newest event time ReleasePending passed to the
	// correlations ahead of the watermark: events older than it are late.
	released time.Time
	// dedup holds the keys of matched events seen (event time in Unix
	// nanoseconds) in buckets of event time (see dedupBucket), dropped
	// whole as the watermark crosses their end (dedupSwept the last
	// boundary crossed); dedupLast and dedupCur are the bucket used last.
	dedup      map[int64]map[eventKey]int64
	dedupSwept time.Time
	dedupLast  int64
	dedupCur   map[eventKey]int64
	// legacy holds, after a restore from a checkpoint older than
	// keyVersion 2, its SHA-256 de-duplication keys, bucketed as dedup and
	// swept with it (nil when none are left).
	legacy map[int64]map[eventKey]int64
	// keySecret is the secret of event keys (see eventKey); kh keys the
	// events Emit gets unkeyed and those a restore reads again.
	keySecret [16]byte
	kh        keyHasher
	// keyBuf and keyNames are repeat's and remember's scratch space (Emit runs on one
	// goroutine).
	keyBuf   []byte
	keyNames []string
	stats    *Stats
	log      *slog.Logger
	// sources are the log sources (Config.Sources); reader reads them.
	sources *logs.Registry
	reader  logs.Reader
	// noBufferReuse makes Run read every file into buffers of its own
	// (tests compare the two); scribbleReturned makes it overwrite each
	// read buffer as it goes back to the pool (tests: a record used
	// after that reads garbage).
	noBufferReuse    bool
	scribbleReturned bool
	// lazyRaw is set when the normalizer leaves raw_data empty for the
	// engine to fill in when read (the default normalizer).
	lazyRaw bool
	// arena holds the emitter's copies of events read into lent buffers
	// that are kept past the buffer's release (evidence, alerts).
	arena rawArena
	// held are the alerts of Azure Activity Log Start records waiting
	// for their operation's outcome, outcomes the outcomes read (see
	// hold.go); holdSweep the next event time they are looked at for
	// expiry.
	held      map[opKey]*heldOp
	outcomes  map[opKey]opOutcome
	holdSweep time.Time
	// LoadErrors lists the rule files (or documents) that could not be
	// loaded, with reasons.
	LoadErrors []sigma.LoadError
	// Rules is the number of detection rules loaded (built-in included),
	// Correlations the number of correlation rules.
	Rules, Correlations int
}

// New loads and compiles the built-in rules and every rule under
// cfg.RuleDirs. Rules that cannot load are listed in LoadErrors and the
// others still run; New fails only when a rule folder cannot be read at all.
func New(ctx context.Context, cfg Config) (*Engine, error) {
	e := &Engine{
		cfg:        cfg,
		tuning:     cfg.Tuning,
		sets:       map[logs.Source]*sigma.RuleSet{},
		fieldMaps:  map[logs.Source]sigma.FieldMap{},
		info:       map[*sigma.Rule]*RuleInfo{},
		silent:     map[*sigma.Rule]bool{},
		corrRule:   map[*sigma.Rule][]string{},
		corrInfo:   map[*sigma.Correlation]*RuleInfo{},
		silentCorr: map[*sigma.Correlation]bool{},
		bursts:     map[string]time.Time{},
		held:       map[opKey]*heldOp{},
		outcomes:   map[opKey]opOutcome{},
		members:    map[*sigma.Rule][]corrMember{},
		filtered:   map[*sigma.Rule]filteredRule{},
		evbuf:      map[string]*[]bufEvent{},
		refresh:    map[*sigma.Rule]*repeatSpec{},
		seen:       map[string]time.Time{},
		dedup:      map[int64]map[eventKey]int64{},
		window:     cfg.ReorderWindow,
		keySecret:  newKeySecret(),
		stats:      NewStats(),
		log:        cfg.Logger,
	}
	if e.tuning == nil {
		e.tuning = DefaultTuning()
	}
	if e.window <= 0 {
		e.window = DefaultReorderWindow
	}
	if e.cfg.Normalize == nil {
		// vigil's normalizers without raw_data: the engine fills it in
		// where it is read (the OCSF JSON, an OCSF rule's raw_data), not
		// in every event it normalizes (see ocsfEvent).
		e.cfg.Normalize = logs.NormalizeWithoutRaw
		e.lazyRaw = true
	}
	e.sources = cfg.Sources
	if e.sources == nil {
		e.sources = logs.Builtin()
	}
	e.reader = logs.Reader{Sources: e.sources}
	if cfg.MinLevel != LevelUnknown {
		t := *e.tuning
		t.MinLevel = cfg.MinLevel
		e.tuning = &t
	}
	if e.log == nil {
		e.log = slog.Default()
	}
	var rules []*sigma.Rule
	var corrs []*sigma.Correlation
	var filters []*sigma.Filter
	builtinCorr := map[*sigma.Correlation]bool{}
	if !cfg.NoBuiltins {
		br, bc, bf, errs := LoadBuiltins()
		e.LoadErrors = append(e.LoadErrors, errs...)
		for _, c := range bc {
			builtinCorr[c] = true
		}
		rules, corrs, filters = append(rules, br...), append(corrs, bc...), append(filters, bf...)
	}
	for _, dir := range cfg.RuleDirs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		r, c, f, errs := sigma.LoadDirIn(ctx, e.sources, dir)
		if len(r) == 0 && len(c) == 0 && len(f) == 0 && len(errs) == 1 && errs[0].Path == dir {
			return nil, fmt.Errorf("rules %s: %s", dir, errs[0].Reason)
		}
		ocsfRules, errs := ocsfRulesOf(errs)
		e.LoadErrors = append(e.LoadErrors, errs...)
		rules, corrs, filters = append(rules, r...), append(corrs, c...), append(filters, f...)
		rules = append(rules, ocsfRules...)
	}
	// Filters attach to rules as shallow copies: built-ins are known by
	// their path.
	filtered, ferrs := sigma.ApplyFilters(rules, filters)
	for _, fe := range ferrs {
		// Built-in filters for SigmaHQ rules are inert without --rules.
		if !strings.HasPrefix(fe.Path, BuiltinPrefix+"vigil_filters_") {
			e.LoadErrors = append(e.LoadErrors, fe)
		}
	}
	rules = filtered

	// Rules referenced by correlations that do not generate base alerts
	// stay silent (Sigma correlation spec: generate defaults to false).
	refGen := map[string]bool{}
	for _, c := range corrs {
		for _, ref := range c.Rules {
			refGen[ref] = refGen[ref] || c.Generate
		}
	}

	bySource := map[logs.Source][]*sigma.Matcher{}
	var ocsfMatchers []*sigma.Matcher
	var kept []*sigma.Rule
	for _, r := range rules {
		isBuiltin := strings.HasPrefix(r.Path, BuiltinPrefix)
		info := ruleInfo(r, isBuiltin)
		if e.tuning.Disabled(info) {
			continue
		}
		src, fm, err := sourceIn(e.sources, r)
		if err != nil {
			e.LoadErrors = append(e.LoadErrors, sigma.LoadError{Path: r.Path, Line: r.Line, Reason: err.Error()})
			continue
		}
		m, err := sigma.Compile(r, fm)
		if err != nil {
			e.LoadErrors = append(e.LoadErrors, sigma.LoadError{Path: r.Path, Line: r.Line, Reason: err.Error()})
			continue
		}
		if len(r.Filters) > 0 {
			// Match the rule without its Sigma filters first, then with
			// them, so the summary can count what the filters suppress.
			bare := *r
			bare.Filters = nil
			if mb, err := sigma.Compile(&bare, fm); err == nil {
				e.filtered[&bare] = filteredRule{orig: r, full: m}
				m = mb
			}
		}
		e.info[r] = info
		e.stats.register(info)
		kept = append(kept, r)
		if gen, ok := refGenOf(refGen, r); ok && !gen {
			e.silent[r] = true
		}
		if src == OCSFSource {
			ocsfMatchers = append(ocsfMatchers, m)
			continue
		}
		bySource[logs.Source(src)] = append(bySource[logs.Source(src)], m)
		e.fieldMaps[logs.Source(src)] = fm
	}
	for src, ms := range bySource {
		e.sets[src] = sigma.NewRuleSet(ms)
	}
	if len(ocsfMatchers) > 0 {
		e.ocsfSet = sigma.NewRuleSet(ocsfMatchers)
		e.gate = newOpGate(ocsfMatchers)
		e.gate.internOps(e.sets)
	}
	e.Rules = len(e.info)
	if len(corrs) > 0 {
		c, cerrs := sigma.NewCorrelator(corrs, kept)
		e.LoadErrors = append(e.LoadErrors, cerrs...)
		e.corr = c
		bad := map[string]bool{}
		for _, le := range cerrs {
			bad[fmt.Sprintf("%s:%d", le.Path, le.Line)] = true
		}
		// Correlations referenced by other correlations (chains) stay silent
		// unless a referencing correlation says generate: true.
		for _, co := range corrs {
			referenced, gen := false, false
			for _, outer := range corrs {
				for _, ref := range outer.Rules {
					if ref != "" && (ref == co.ID || ref == co.Name) {
						referenced, gen = true, gen || outer.Generate
					}
				}
			}
			if referenced && !gen {
				e.silentCorr[co] = true
			}
		}
		for _, co := range corrs {
			e.corrSpan = max(e.corrSpan, co.Timespan)
			info := correlationInfo(co, builtinCorr[co])
			if e.tuning.Disabled(info) || bad[fmt.Sprintf("%s:%d", co.Path, co.Line)] {
				continue // not counted as loaded
			}
			e.corrInfo[co] = info
			e.stats.register(info)
		}
		e.Correlations = len(e.corrInfo)
		for _, r := range kept {
			if f := c.Fields(r); f != nil || refGenHas(refGen, r) {
				e.corrRule[r] = f
			}
			onlyValueCount, span := true, time.Duration(0)
			for _, co := range corrs {
				if refersTo(co, r) {
					m := memberOf(co, r)
					m.alerts = e.corrInfo[co] != nil && !e.silentCorr[co]
					e.members[r] = append(e.members[r], m)
					onlyValueCount = onlyValueCount && co.Type == sigma.ValueCount
					if span == 0 || co.Timespan < span {
						span = co.Timespan
					}
				}
			}
			if onlyValueCount && span > 0 && len(e.members[r]) > 0 {
				e.refresh[r] = newRepeatSpec(r, span/repeatDivisor, e.corrRule[r])
			}
		}
	}
	sort.SliceStable(e.LoadErrors, func(i, j int) bool {
		if e.LoadErrors[i].Path != e.LoadErrors[j].Path {
			return e.LoadErrors[i].Path < e.LoadErrors[j].Path
		}
		return e.LoadErrors[i].Line < e.LoadErrors[j].Line
	})
	return e, nil
}

// ocsfRulesOf picks up OCSF rules (logsource product: vigil, service: ocsf)
// that sigma.LoadDir reported as having no reader: it re-parses their files
// and returns those rules, with the load errors that remain.
func ocsfRulesOf(errs []sigma.LoadError) ([]*sigma.Rule, []sigma.LoadError) {
	parsed := map[string]bool{}
	found := map[string]bool{} // path:line of OCSF rules
	var out []*sigma.Rule
	for _, le := range errs {
		if le.Line == 0 || parsed[le.Path] || !strings.Contains(le.Reason, "vigil") {
			continue
		}
		parsed[le.Path] = true
		data, err := os.ReadFile(le.Path)
		if err != nil {
			continue
		}
		c, _ := sigma.Parse(le.Path, data)
		for _, r := range c.Rules {
			if isOCSFRule(r) {
				out = append(out, r)
				found[fmt.Sprintf("%s:%d", r.Path, r.Line)] = true
			}
		}
	}
	if len(out) == 0 {
		return nil, errs
	}
	kept := errs[:0:0]
	for _, le := range errs {
		if !found[fmt.Sprintf("%s:%d", le.Path, le.Line)] {
			kept = append(kept, le)
		}
	}
	return out, kept
}

func refGenOf(refGen map[string]bool, r *sigma.Rule) (gen, ok bool) {
	for _, k := range []string{r.ID, r.Name} {
		if k == "" {
			continue
		}
		if g, found := refGen[k]; found {
			gen, ok = gen || g, true
		}
	}
	return gen, ok
}

func refGenHas(refGen map[string]bool, r *sigma.Rule) bool {
	_, ok := refGenOf(refGen, r)
	return ok
}

// sourceOf returns the rule's built-in vigil source and field map (see
// sourceIn).
func sourceOf(r *sigma.Rule) (string, sigma.FieldMap, error) { return sourceIn(logs.Builtin(), r) }

// sourceIn returns the rule's vigil source and field map (its source's
// descriptor in reg), treating "product: vigil, service: ocsf" as OCSF
// (identity field map).
func sourceIn(reg *logs.Registry, r *sigma.Rule) (string, sigma.FieldMap, error) {
	if strings.EqualFold(r.LogSource.Product, "vigil") && strings.EqualFold(r.LogSource.Service, "ocsf") {
		return OCSFSource, sigma.FieldMap{Name: OCSFSource}, nil
	}
	src, err := r.SourceIn(reg)
	if err != nil {
		return "", sigma.FieldMap{}, err
	}
	d, _ := reg.Lookup(logs.Source(src))
	return src, sigma.FieldMapOf(d), nil
}

func ruleInfo(r *sigma.Rule, builtin bool) *RuleInfo {
	return &RuleInfo{
		ID: r.ID, Name: r.Name, Title: r.Title, Description: r.Description,
		Author: r.Author, Status: r.Status, Path: r.Path, Level: r.Level,
		Tags: r.Tags, References: r.References, FalsePositives: r.FalsePositives,
		License: r.License, Builtin: builtin,
	}
}

func correlationInfo(c *sigma.Correlation, builtin bool) *RuleInfo {
	return &RuleInfo{
		ID: c.ID, Name: c.Name, Title: c.Title, Description: c.Description,
		Author: c.Author, Status: c.Status, Path: c.Path, Level: c.Level,
		Tags: c.Tags, References: c.References, FalsePositives: c.FalsePositives,
		Builtin: builtin, Correlation: true,
	}
}

// Stats returns the per-rule counts so far.
func (e *Engine) Stats() *Stats { return e.stats }

// Hit is the result of matching one record: the rules it matched, its OCSF
// form when it was normalized, and the correlation fields extracted.
type Hit struct {
	Record logs.Record
	Time   time.Time
	// Norm is the OCSF event (nil until normalized or when normalization
	// failed); OCSF its JSON with vigil's extension, made only when an OCSF
	// rule or an "ocsf." correlation field needs it.
	Norm  ocsf.Event
	OCSF  json.RawMessage
	Rules []*sigma.Rule
	// prepared holds, parallel to Rules, the tuning decision and the built
	// alert of each rule, when a worker prepared them (batch runs).
	prepared []prepared
	// Filtered are rules that matched but whose Sigma filters dropped the
	// event (counted as suppressed).
	Filtered []*sigma.Rule
	// normalized is set once normalization was attempted (OCSF may still
	// be nil when it failed).
	normalized bool
	// Values holds, per correlated rule (parallel to Rules), the fields
	// Correlator.Fields asked for.
	Values []map[string]string
	// key identifies the event (de-duplication) and ord orders it among
	// events of the same time, both set once keyed is; wm is, in batch
	// runs, the newest event time read up to and including this event in
	// its file.
	key   eventKey
	ord   ordKey
	keyed bool
	wm    time.Time
	// lease, when not nil, holds the read buffer Record.Raw points into
	// (not copied: see Engine.leanRule); nil when Raw is the hit's own.
	lease *bufLease
}

// prepared is a worker's tuning decision and alert for one matched rule.
type prepared struct {
	level Level
	why   string
	alert *Alert
}

// Prepare makes the tuning decision for every alerting rule h matched and
// builds and encodes the alerts that go out. It only reads engine state,
// so batch workers run it in parallel; Emit then only counts and writes.
func (e *Engine) Prepare(h *Hit) { e.prepare(h, nil, nil, nil) }

// prepare is Prepare; ev, when not nil, is the record's event as matching
// indexed it, from which the identities are read, and says the record
// comes from the engine's reader (its JSON validated as read); memo, when
// not nil, the calling goroutine's allow-list answers; scratch, when not
// nil, its encoding buffer (see Alert.encodeIn). With ev, the record's Raw
// is the engine's own copy (see Engine.own), which the alerts keep.
func (e *Engine) prepare(h *Hit, ev sigma.Event, memo *allowMemo, scratch *[]byte) {
	// The event's identities, read once for all its rules' allow-lists.
	var ids []string
	idsRead := false
	identities := func(int) []string {
		if !idsRead {
			if ev != nil {
				ids = identitiesIn(h.Record, ev)
			} else {
				ids = Identities(h.Record)
			}
			idsRead = true
		}
		return ids
	}
	// Its user agent and invoking service, read once when an allow-list
	// asks.
	var clients [2]string
	var clientsRead [2]bool
	client := func(_ int, service bool) string {
		k := 0
		if service {
			k = 1
		}
		if !clientsRead[k] {
			src := ev
			if src == nil {
				src = sigma.NewJSONEvent(h.Record.Raw)
			}
			clients[k], clientsRead[k] = clientIn(h.Record, src, service), true
		}
		return clients[k]
	}
	// Its cloud account, for allow-list entries limited to accounts (the
	// OCSF event, made then for the alert anyway).
	account := func(int) string {
		if !h.normalized {
			h.Norm, h.normalized = e.normalize(h.Record), true
		}
		return accountOf(h.Norm)
	}
	for i, r := range h.Rules {
		info := e.info[r]
		if info == nil || e.silent[r] {
			continue
		}
		if h.prepared == nil {
			// Only hits with an alerting rule need decisions (most hits
			// only feed correlations).
			h.prepared = make([]prepared, len(h.Rules))
		}
		p := &h.prepared[i]
		p.level, p.why = e.tuning.decide(info, 1, identities, client, account, memo)
		if p.why != SuppressedNone {
			continue
		}
		if !h.normalized {
			h.Norm, h.normalized = e.normalize(h.Record), true
		}
		a := NewAlert(info, p.level, "", []Event{{Record: h.Record, Norm: h.Norm, OCSF: h.OCSF, Time: h.Time, validRaw: ev != nil, stableRaw: ev != nil}}, e.cfg.Version)
		var err error
		if scratch != nil {
			err = a.encodeIn(scratch)
		} else {
			err = a.Encode()
		}
		if err != nil {
			e.log.Debug("encode alert", "err", err)
		}
		p.alert = &a
	}
}

type filteredRule struct {
	orig *sigma.Rule
	full *sigma.Matcher
}

// Matcher is per-goroutine matching state (a reusable event accessor).
type Matcher struct {
	e        *Engine
	ev       *sigma.JSONEvent
	oev      ocsfEvent
	cur      sigma.Event
	hits     []*sigma.Rule
	filtered []*sigma.Rule
	hit      func(*sigma.Matcher)
	// vals interns correlation value maps (read-only once made) by their
	// fields and values (valKey, built in a reused buffer).
	vals   map[string]map[string]string
	valKey []byte
	valGot []fieldVal
	// paths caches the event paths of correlation fields per source.
	paths map[pathKey][]string
	// ruleSlab and valSlab are what hits' Rules and Values are cut from.
	ruleSlab []*sigma.Rule
	valSlab  []map[string]string
	// allow remembers the tuning's allow-list answers per identity.
	allow allowMemo
	// scratch is the buffer alerts' findings are encoded in (encodeIn).
	scratch []byte
}

type pathKey struct {
	src   logs.Source
	field string
}

type fieldVal struct {
	v  string
	ok bool
}

// maxInterned bounds a Matcher's interned value maps.
const maxInterned = 4096

// NewMatcher returns matching state for one goroutine.
func (e *Engine) NewMatcher() *Matcher {
	m := &Matcher{e: e, ev: sigma.NewJSONEvent(nil), oev: ocsfEvent{e: e}, vals: map[string]map[string]string{},
		paths: map[pathKey][]string{}}
	m.hit = func(mm *sigma.Matcher) {
		r := mm.Rule()
		if f, ok := e.filtered[r]; ok {
			if !f.full.Match(m.cur) {
				m.filtered = append(m.filtered, f.orig)
				return
			}
			r = f.orig
		}
		m.hits = append(m.hits, r)
	}
	return m
}

// Match evaluates every rule of the record's source (and the OCSF rules, for
// events whose operation an OCSF rule names) and returns whether anything
// matched. Records that match nothing are not normalized.
func (m *Matcher) Match(rec logs.Record, out *Hit) bool {
	return m.matchAt(rec, EventTime(rec), out)
}

// matchAt is Match for a record whose event time t is known.
func (m *Matcher) matchAt(rec logs.Record, t time.Time, out *Hit) bool {
	e := m.e
	m.hits, m.filtered = m.hits[:0], m.filtered[:0]
	// The reader's member offsets spare the top-level scan of the event;
	// they are valid only during this call (see logs.Record.Members).
	m.ev.ResetMembersDots(rec.Raw, rec.Members, rec.MemberDots)
	rec.Members = nil
	if set := e.sets[rec.Source]; set != nil {
		m.cur = m.ev
		set.Match(m.ev, m.hit)
	}
	var norm ocsf.Event
	normalized, viewReady := false, false
	if e.ocsfSet != nil && e.gate.pass(rec, m.ev) {
		norm, normalized = e.normalize(rec), true
		if norm != nil {
			// OCSF rules read the normalized struct (its JSON only for
			// what the struct cannot tell).
			m.oev.reset(norm, rec.Raw)
			viewReady = true
			m.cur = &m.oev
			e.ocsfSet.Match(&m.oev, m.hit)
		}
	}
	if len(m.hits) == 0 && len(m.filtered) == 0 {
		m.oev.reset(nil, nil)
		if rec.Source == azurelogs.ActivityName {
			// An Azure Activity Log operation's outcome settles the
			// alert its Start raised, whether or not a rule matches
			// it (see hold.go): a hit without rules.
			if _, ph := activityOp(rec); ph == phaseSuccess || ph == phaseFailure {
				*out = Hit{Record: rec, Time: t}
				return true
			}
		}
		return false
	}
	*out = Hit{Record: rec, Time: t, Norm: norm, normalized: normalized, Rules: m.rulesOf(m.hits)}
	// view is the event's OCSF form for correlation fields, normalized
	// when first needed.
	view := func() *ocsfEvent {
		if !viewReady {
			if !out.normalized {
				out.Norm, out.normalized = e.normalize(rec), true
			}
			m.oev.reset(out.Norm, rec.Raw)
			viewReady = true
		}
		return &m.oev
	}

	if len(m.filtered) > 0 {
		out.Filtered = slices.Clone(m.filtered)
	}
	if e.corr != nil {
		out.Values = m.valuesOf(len(out.Rules))
		for i, r := range out.Rules {
			fields, ok := e.corrRule[r]
			if !ok || len(fields) == 0 {
				continue
			}
			// Rules of one source asking for the same fields read the same
			// values: share one (read-only) map rather than build another.
			if j := sameFields(e.corrRule, out.Rules[:i], fields, isOCSFRule(r)); j >= 0 && out.Values[j] != nil {
				out.Values[i] = out.Values[j]
				continue
			}
			// The values, then one (read-only) map per distinct fields and
			// values: the events of one group share it. The key holds each
			// field and value with its length.
			key, got := m.valKey[:0], m.valGot[:0]
			for _, f := range fields {
				key = binary.AppendUvarint(key, uint64(len(f)))
				key = append(key, f...)
				v, ok := m.fieldValue(r, rec, view, f)
				if ok {
					key = binary.AppendUvarint(key, uint64(len(v))+1)
					key = append(key, v...)
				} else {
					key = append(key, 0)
				}
				got = append(got, fieldVal{v, ok})
			}
			if isOCSFRule(r) {
				key = append(key, 0xff) // read from the OCSF form
			}
			m.valKey, m.valGot = key, got
			vals, ok := m.vals[string(key)]
			if !ok {
				vals = make(map[string]string, len(fields))
				for k, f := range fields {
					if got[k].ok {
						// A copy: the value may be a slice of a read
						// buffer that is reused (logs.Reader.Buffers).
						vals[f] = strings.Clone(got[k].v)
					}
				}
				if len(m.vals) >= maxInterned {
					clear(m.vals)
				}
				m.vals[string(key)] = vals
			}
			out.Values[i] = vals
		}
	}
	if viewReady {
		out.OCSF = m.oev.jsonB // when it was made
		m.oev.reset(nil, nil)
	}
	return true
}

// slabSize is the length of the slabs a Matcher cuts hits' rule and value
// lists from (one allocation per slab rather than two per hit; a slab is
// freed once no hit cut from it is held).
const slabSize = 2048

// rulesOf returns a copy of rs cut from the matcher's slab.
func (m *Matcher) rulesOf(rs []*sigma.Rule) []*sigma.Rule {
	if cap(m.ruleSlab)-len(m.ruleSlab) < len(rs) {
		m.ruleSlab = make([]*sigma.Rule, 0, max(slabSize, len(rs)))
	}
	n := len(m.ruleSlab)
	m.ruleSlab = append(m.ruleSlab, rs...)
	return m.ruleSlab[n:len(m.ruleSlab):len(m.ruleSlab)]
}

// valuesOf returns n empty value maps cut from the matcher's slab.
func (m *Matcher) valuesOf(n int) []map[string]string {
	if cap(m.valSlab)-len(m.valSlab) < n {
		m.valSlab = make([]map[string]string, 0, max(slabSize, n))
	}
	k := len(m.valSlab)
	m.valSlab = m.valSlab[:k+n]
	return m.valSlab[k : k+n : k+n]
}

// sameFields returns the index of a rule among prev whose correlation
// fields equal fields and that reads them from the same form of the event
// (OCSF or not), or -1.
func sameFields(corrRule map[*sigma.Rule][]string, prev []*sigma.Rule, fields []string, ocsfRule bool) int {
	for j, p := range prev {
		if isOCSFRule(p) == ocsfRule && slices.Equal(corrRule[p], fields) {
			return j
		}
	}
	return -1
}

// normalize returns the record's OCSF event, or nil when it cannot be
// normalized.
func (e *Engine) normalize(rec logs.Record) ocsf.Event {
	ev, err := e.cfg.Normalize(rec)
	if err != nil || ev == nil {
		e.log.Debug("normalize", "file", rec.File, "offset", rec.Offset, "err", err)
		return nil
	}
	return ev
}

// ocsfJSON encodes an OCSF event with vigil's extension (nil for nil).
func (e *Engine) ocsfJSON(ev ocsf.Event) json.RawMessage {
	if ev == nil {
		return nil
	}
	b, err := gojson.Marshal(ev)
	if err != nil {
		e.log.Debug("encode OCSF event", "err", err)
		return nil
	}
	return withVigil(b, identityOf(ev), keyIDOf(ev))
}

// fieldValue reads a correlation field: "ocsf."-prefixed fields from the
// OCSF event, others through the rule's field map from the event itself
// (OCSF rules read the OCSF event).
func (m *Matcher) fieldValue(r *sigma.Rule, rec logs.Record, view func() *ocsfEvent, field string) (string, bool) {
	if p, ok := strings.CutPrefix(field, OCSFFieldPrefix); ok || isOCSFRule(r) {
		if !ok {
			p = field
		}
		o := view()
		// A scalar of the struct reads as gjson reads it from the JSON;
		// anything else is read from the JSON, as it always was.
		if sv, found, handled := o.scalar(p); handled {
			if !found || sv.Kind == sigma.KindNull {
				return "", false
			}
			return sv.Str, true
		}
		ocsfJSON := o.JSON()
		if ocsfJSON == nil {
			return "", false
		}
		v := gjson.GetBytes(ocsfJSON, p)
		if !v.Exists() || v.Type == gjson.Null {
			return "", false
		}
		return v.String(), true
	}
	// The paths of a field, worked out once per goroutine (Paths
	// lower-cases the field and scans the map's prefixes).
	pk := pathKey{rec.Source, field}
	paths, ok := m.paths[pk]
	if !ok {
		paths = m.e.fieldMaps[rec.Source].Paths(field)
		if set := m.e.sets[rec.Source]; set != nil {
			// The matchers' own strings: their answers are cached.
			paths = slices.Clone(paths)
			for i, p := range paths {
				paths[i] = set.Intern(p)
			}
		}
		m.paths[pk] = paths
	}
	for _, p := range paths {
		if v, ok := m.ev.Field(p); ok && v.Kind != sigma.KindNull {
			return v.Str, true
		}
	}
	return "", false
}

func isOCSFRule(r *sigma.Rule) bool {
	return strings.EqualFold(r.LogSource.Product, "vigil") && strings.EqualFold(r.LogSource.Service, "ocsf")
}

// Emit turns a hit into alerts: one per matched rule that generates alerts,
// at once, and, through the reorder buffer, one per correlation that fires.
// An event already seen (same source, id and time; see eventKey) raises
// nothing again and is counted in Stats.Duplicates. Tuning decides each
// alert's level and whether it is suppressed; emitted alerts go to fn.
// Emit must be called from one goroutine, in input order, each event
// announced to Advance first (Emit advances to the hit's own time).
func (e *Engine) Emit(ctx context.Context, h *Hit, fn func(*Alert) error) error {
	if err := e.Advance(ctx, h.Time, fn); err != nil {
		return err
	}
	if !h.keyed {
		h.key, h.ord = e.kh.keys(&e.keySecret, h.Record)
		h.keyed = true
	}
	if e.duplicate(h.key, h.Record, h.Time) {
		e.stats.duplicate()
		return ctx.Err()
	}
	late := h.Time.Before(e.lateBound())
	if late {
		e.stats.late()
	}
	// The OCSF form is only needed in alerts that tuning lets through, so
	// it is made here, lazily, for those.
	events := func() []Event {
		if !h.normalized {
			h.Norm, h.normalized = e.normalize(h.Record), true
		}
		return []Event{{Record: h.Record, Norm: h.Norm, Time: h.Time}}
	}
	for _, r := range h.Filtered {
		if info := e.info[r]; info != nil && !e.silent[r] {
			e.stats.suppress(info, SuppressedFilter)
		}
	}
	// An Azure Activity Log operation's Start and its outcome raise one
	// alert between them (see hold.go).
	opk, ph := activityOp(h.Record)
	if ph != phaseNone {
		alert := func(i int) (*RuleInfo, Level, *Alert) {
			info := e.info[h.Rules[i]]
			if h.prepared != nil {
				pr := h.prepared[i]
				if pr.why != SuppressedNone {
					e.stats.suppress(info, pr.why)
					return info, pr.level, nil
				}
				return info, pr.level, pr.alert
			}
			level, why := e.tuning.Decide(info, []Event{{Record: h.Record}})
			if why != SuppressedNone {
				e.stats.suppress(info, why)
				return info, level, nil
			}
			a := NewAlert(info, level, "", events(), e.cfg.Version)
			return info, level, &a
		}
		if err := e.emitHeld(ctx, h, opk, ph, alert, fn); err != nil {
			return err
		}
	}
	nCorr := 0
	for i, r := range h.Rules {
		switch info := e.info[r]; {
		case info == nil || e.silent[r] || ph != phaseNone:
		case h.prepared != nil:
			pr := h.prepared[i]
			if pr.why != SuppressedNone {
				e.stats.suppress(info, pr.why)
			} else if pr.alert != nil {
				e.stats.emit(info, pr.level)
				if err := fn(pr.alert); err != nil {
					return err
				}
			}
		default:
			if err := e.raise(info, "", h.Record, events, fn); err != nil {
				return err
			}
		}
		if e.corr == nil {
			continue
		}
		if _, ok := e.corrRule[r]; !ok {
			continue
		}
		nCorr++
	}
	if nCorr == 0 {
		return ctx.Err()
	}
	if len(e.pendSlab) == 0 {
		e.pendSlab = make([]pending, 256)
	}
	p := &e.pendSlab[0]
	e.pendSlab = e.pendSlab[1:]
	*p = pending{T: h.Time, Ord: h.ord, Rec: h.Record}
	if nCorr == len(h.Rules) && len(h.Values) == len(h.Rules) {
		// Every rule feeds a correlation (the common case): share the
		// hit's slices rather than copy them.
		p.Rules, p.Values = h.Rules, h.Values
	} else {
		p.Rules = make([]*sigma.Rule, 0, nCorr)
		p.Values = make([]map[string]string, 0, nCorr)
		for i, r := range h.Rules {
			if _, ok := e.corrRule[r]; ok {
				var vals map[string]string
				if h.Values != nil {
					vals = h.Values[i]
				}
				p.Rules = append(p.Rules, r)
				p.Values = append(p.Values, vals)
			}
		}
	}
	if h.normalized {
		p.Norm = h.Norm
	}
	if h.lease != nil {
		// The event's raw JSON is the read buffer's: hold the buffer
		// until the event is correlated.
		p.lease = h.lease
		p.lease.refs++
	}
	if late {
		// Later than the reorder window: correlated now, against the
		// windows still held.
		return e.correlate(ctx, p, fn)
	}
	e.pend.push(p)
	return ctx.Err()
}

// correlate passes a released (or late) event's matches to the
// correlations and raises the alerts of those that fire.
func (e *Engine) correlate(ctx context.Context, p *pending, fn func(*Alert) error) error {
	if err := e.tick(ctx, p.T, fn); err != nil {
		return err
	}
	if p.T.After(e.latest) {
		e.latest = p.T
	}
	cur := &Hit{Record: p.Rec, Time: p.T, Norm: p.Norm, normalized: p.Norm != nil, lease: p.lease}
	if p.lease != nil {
		defer p.lease.unref()
	}
	for i, r := range p.Rules {
		vals := p.Values[i]
		e.remember(r, cur, vals)
		if e.repeat(r, p.T, vals) {
			continue
		}
		for _, hit := range e.corr.Observe(r, p.T, vals) {
			info := e.corrInfo[hit.Correlation]
			if info == nil || e.silentCorr[hit.Correlation] {
				continue
			}
			// A sliding window fires again on every further event of a
			// burst: raise one alert per burst (per group), not one per
			// event, until the window stops matching.
			bk := info.Key() + "\x00" + groupOnly(hit)
			if last, ok := e.bursts[bk]; ok && !hit.First.After(last) {
				e.bursts[bk] = hit.Last
				continue
			}
			e.bursts[bk] = hit.Last
			if err := e.raise(info, groupKey(hit), p.Rec, func() []Event { return e.evidence(hit, cur) }, fn); err != nil {
				return err
			}
		}
	}
	return ctx.Err()
}

// tick runs, when released event time t crosses a flushTick boundary, the
// correlator's Flush at that boundary (windows with upper bounds that
// closed before it raise their alerts) and drops state that can no longer
// matter. Boundaries depend on event times only, so every run over the
// same events flushes at the same points.
func (e *Engine) tick(ctx context.Context, t time.Time, fn func(*Alert) error) error {
	if t.Before(e.nextTick) {
		return nil
	}
	b := t.Truncate(flushTick)
	first := e.nextTick.IsZero()
	e.nextTick = b.Add(flushTick)
	if first {
		return nil
	}
	if err := e.Flush(ctx, b, fn); err != nil {
		return err
	}
	e.prune(b)
	return nil
}

// prune drops evidence, repeat marks and burst marks that no event at or
// after now can use.
func (e *Engine) prune(now time.Time) {
	e.pruneEvidence()
	for k, t := range e.seen {
		if now.Sub(t) > e.corrSpan {
			delete(e.seen, k)
		}
	}
	for k, t := range e.bursts {
		if now.Sub(t) > e.corrSpan {
			delete(e.bursts, k)
		}
	}
}

// Flush asks the correlator for windows that closed before now
// (correlations with upper-bound conditions are decided when their window
// closes) and emits their alerts, with the group's kept events as
// evidence. It also lets the correlator drop state that can no longer
// matter. The engine flushes by itself as released event time crosses
// each minute; a caller flushing at other times makes results depend on
// when it does.
func (e *Engine) Flush(ctx context.Context, now time.Time, fn func(*Alert) error) error {
	if e.corr == nil {
		return nil
	}
	for _, hit := range e.corr.Flush(now) {
		info := e.corrInfo[hit.Correlation]
		if info == nil || e.silentCorr[hit.Correlation] {
			continue
		}
		events := e.evidence(hit, nil)
		var rec logs.Record
		if len(events) > 0 {
			rec = events[len(events)-1].Record
		}
		if err := e.raise(info, groupKey(hit), rec, func() []Event { return events }, fn); err != nil {
			return err
		}
	}
	return ctx.Err()
}

// FinishBatch passes every event still in the reorder buffer to the
// correlations, in event-time order, and flushes every correlation window
// at the end of a finite input (as if the input were followed by silence).
func (e *Engine) FinishBatch(ctx context.Context, fn func(*Alert) error) error {
	if err := e.FinishHeld(fn); err != nil {
		return err
	}
	if e.corr == nil {
		return nil
	}
	if err := e.releaseAll(ctx, fn); err != nil {
		return err
	}
	if e.latest.IsZero() {
		return nil
	}
	return e.Flush(ctx, e.latest.Add(e.corrSpan+time.Nanosecond), fn)
}

// Latest returns the newest event time seen.
func (e *Engine) Latest() time.Time { return e.latest }

// repeatDivisor sets how often a repeated value_count observation is passed
// on anyway: every timespan/100.
const repeatDivisor = 100

// repeat reports whether rule r's match at t with these field values
// repeats one passed to the correlator less than refresh ago. value_count
// counts distinct values: a repeat only moves the value's last-seen time,
// so skipping it changes when a value leaves the window by at most
// timespan/100, and keeps the correlator's windows small when one group
// sees the same value over and over (one access key used all day from one
// address). Other correlation types see every match.
func (e *Engine) repeat(r *sigma.Rule, t time.Time, vals map[string]string) bool {
	rs, ok := e.refresh[r]
	if !ok {
		return false
	}
	// The key: rule path, id and title, then the values in field order,
	// built in a reused buffer; a string is made only to store a new key.
	b := append(e.keyBuf[:0], rs.prefix...)
	n := 0
	for _, k := range rs.names {
		if v, ok := vals[k]; ok {
			b = append(b, 0)
			b = append(b, k...)
			b = append(b, '=')
			b = append(b, v...)
			n++
		}
	}
	if n != len(vals) {
		// Values of other fields (a restored checkpoint's): every name.
		b = e.repeatKeyAll(b[:len(rs.prefix)], vals)
	}
	e.keyBuf = b
	if last, ok := e.seen[string(b)]; ok && !t.Before(last) && t.Sub(last) < rs.every {
		return true
	}
	e.seen[string(b)] = t
	return false
}

// repeatSpec is what repeat needs of a rule: the interval, the start of
// its keys (rule path, id and title) and its correlation fields sorted.
type repeatSpec struct {
	every  time.Duration
	prefix string
	names  []string
}

func newRepeatSpec(r *sigma.Rule, every time.Duration, fields []string) *repeatSpec {
	names := slices.Clone(fields)
	sort.Strings(names)
	names = slices.Compact(names)
	return &repeatSpec{every: every, prefix: r.Path + "\x00" + r.ID + "\x00" + r.Title, names: names}
}

// repeatKeyAll appends every name and value of vals, names sorted, to b.
func (e *Engine) repeatKeyAll(b []byte, vals map[string]string) []byte {
	if cap(e.keyNames) < len(vals) {
		e.keyNames = make([]string, 0, len(vals))
	}
	keys := e.keyNames[:0]
	for k := range vals {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		b = append(b, 0)
		b = append(b, k...)
		b = append(b, '=')
		b = append(b, vals[k]...)
	}
	e.keyNames = keys[:0]
	return b
}

func groupOnly(h sigma.CorrelationHit) string {
	keys := make([]string, 0, len(h.Group))
	for k := range h.Group {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		b.WriteString(k)
		b.WriteString("=")
		b.WriteString(h.Group[k])
		b.WriteString(";")
	}
	return b.String()
}

func groupKey(h sigma.CorrelationHit) string {
	keys := make([]string, 0, len(h.Group))
	for k := range h.Group {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(k)
		b.WriteString("=")
		b.WriteString(h.Group[k])
	}
	fmt.Fprintf(&b, ";count=%d;first=%s;last=%s", h.Count, h.First.UTC().Format(time.RFC3339Nano), h.Last.UTC().Format(time.RFC3339Nano))
	return b.String()
}

func (e *Engine) raise(info *RuleInfo, group string, rec logs.Record, events func() []Event, fn func(*Alert) error) error {
	// Tuning looks at the records only (identities); the OCSF form is
	// made after, for alerts that go out.
	level, why := e.tuning.Decide(info, []Event{{Record: rec}})
	if why != SuppressedNone {
		e.stats.suppress(info, why)
		return nil
	}
	a := NewAlert(info, level, group, events(), e.cfg.Version)
	e.stats.emit(info, level)
	return fn(&a)
}

// engineState is what Snapshot saves: the correlator's state, the burst
// marks, the evidence kept, the reorder buffer and the de-duplication keys.
type engineState struct {
	Sigma    json.RawMessage        `json:"sigma,omitempty"`
	Bursts   map[string]time.Time   `json:"bursts,omitempty"`
	Evidence map[string]*[]bufEvent `json:"evidence,omitempty"`
	Newest   time.Time              `json:"newest,omitzero"`
	Latest   time.Time              `json:"latest,omitzero"`
	Seen     map[string]time.Time   `json:"seen,omitempty"`
	MaxSpan  time.Duration          `json:"max_span,omitempty"`
	// Watermark is the newest event time seen, Pending the reorder
	// buffer (records only: restoring matches them again), NextTick the
	// next flush boundary.
	Watermark time.Time      `json:"watermark,omitzero"`
	Pending   []pendingState `json:"pending,omitempty"`
	NextTick  time.Time      `json:"next_tick,omitzero"`
	// Dedup holds the de-duplication keys (see Engine.dedupState),
	// DedupSwept the last sweep boundary. KeyVersion is the form of the
	// keys (see keyVersion; absent: SHA-256 keys, read into
	// Engine.legacy), KeySecret the secret of eventKey, DedupSHA the
	// SHA-256 keys of an older checkpoint not yet swept.
	Dedup      []byte    `json:"dedup,omitempty"`
	DedupSwept time.Time `json:"dedup_swept,omitzero"`
	KeyVersion int       `json:"key_version,omitempty"`
	KeySecret  []byte    `json:"key_secret,omitempty"`
	DedupSHA   []byte    `json:"dedup_sha,omitempty"`
	// Released is the newest event released by an idle flush
	// (Engine.ReleasePending).
	Released time.Time `json:"released,omitzero"`
	// Hold holds the Azure Activity Log Start alerts waiting for their
	// outcome and the outcomes read (see hold.go).
	Hold *holdState `json:"hold,omitempty"`
}

// Snapshot returns the state that decides future alerts: correlation
// windows, the reorder buffer and the de-duplication keys. A run restored
// from it (Restore) raises, from the same further events, the alerts an
// uninterrupted run would.
func (e *Engine) Snapshot() (json.RawMessage, error) {
	st := engineState{Watermark: e.wm, NextTick: e.nextTick, Dedup: e.dedupState(), DedupSwept: e.dedupSwept, Released: e.released,
		KeyVersion: keyVersion, KeySecret: e.keySecret[:], Hold: e.holdSnapshot()}
	if e.legacy != nil {
		st.DedupSHA = encodeDedup(e.legacy)
	}
	if e.corr != nil {
		b, err := e.corr.Snapshot()
		if err != nil {
			return nil, fmt.Errorf("correlation snapshot: %w", err)
		}
		st.Sigma, st.Bursts, st.Evidence, st.Newest, st.MaxSpan, st.Latest, st.Seen = b, e.bursts, e.evbuf, e.newest, e.maxSpan, e.latest, e.seen
		// The heap's order is not a stable one: save it sorted.
		ps := make([]*pending, len(e.pend))
		copy(ps, e.pend)
		sort.Slice(ps, func(i, j int) bool { return ps[i].before(ps[j]) })
		for _, p := range ps {
			st.Pending = append(st.Pending, pendingState{T: p.T, Source: p.Rec.Source, File: p.Rec.File,
				Offset: p.Rec.Offset, Key: ordBytes(p.Ord)})
		}
	}
	return json.Marshal(st)
}

// Restore loads state saved by Snapshot. Events of the reorder buffer are
// read again from their files and matched again (with the rules now
// loaded).
func (e *Engine) Restore(ctx context.Context, state json.RawMessage) error {
	if len(state) == 0 {
		return nil
	}
	var st engineState
	if err := json.Unmarshal(state, &st); err != nil {
		return fmt.Errorf("correlation restore: %w", err)
	}
	e.wm, e.nextTick, e.dedupSwept, e.released = st.Watermark, st.NextTick, st.DedupSwept, st.Released
	e.holdRestore(st.Hold)
	switch {
	case st.KeyVersion > keyVersion:
		return fmt.Errorf("correlation restore: event keys of version %d (this vigil reads up to %d)", st.KeyVersion, keyVersion)
	case st.KeyVersion == keyVersion:
		if len(st.KeySecret) != len(e.keySecret) {
			return fmt.Errorf("correlation restore: event key secret of %d bytes", len(st.KeySecret))
		}
		copy(e.keySecret[:], st.KeySecret)
		e.restoreDedup(st.Dedup)
		e.restoreLegacy(st.DedupSHA)
	default:
		// An older checkpoint: its keys are SHA-256 keys, looked at
		// until swept; new events get keys of this version.
		e.restoreDedup(nil)
		e.restoreLegacy(st.Dedup)
	}
	if e.corr == nil {
		return nil
	}
	if len(st.Sigma) > 0 {
		if err := e.corr.Restore(st.Sigma); err != nil {
			return fmt.Errorf("correlation restore: %w", err)
		}
	}
	if st.Bursts != nil {
		e.bursts = st.Bursts
	}
	if st.Evidence != nil {
		e.evbuf = st.Evidence
	}
	e.newest, e.maxSpan, e.latest = st.Newest, st.MaxSpan, st.Latest
	if st.Seen != nil {
		e.seen = st.Seen
	}
	return e.restorePending(ctx, st.Pending, st.KeyVersion)
}
