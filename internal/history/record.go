package history

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
	"strings"
	"time"

	"github.com/vigil-sec/vigil/internal/compliance"
	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/jsonenc"
	"github.com/vigil-sec/vigil/internal/resource"
)

// State is a finding identity's lifecycle state.
type State string

// Lifecycle states (see the package documentation). The empty state is an
// identity that never failed.
const (
	StateNew        State = "new"
	StateOpen       State = "open"
	StateReopened   State = "reopened"
	StateSuppressed State = "suppressed"
	StateResolved   State = "resolved"
)

// States lists the lifecycle states in order.
var States = []State{StateNew, StateOpen, StateReopened, StateSuppressed, StateResolved}

// ParseState reads a state name.
func ParseState(s string) (State, error) {
	st := State(strings.ToLower(strings.TrimSpace(s)))
	for _, k := range States {
		if st == k {
			return st, nil
		}
	}
	return "", fmt.Errorf("unknown state %q (want new, open, reopened, suppressed or resolved)", s)
}

// failing reports whether the state is a failing one.
func (s State) failing() bool {
	return s == StateNew || s == StateOpen || s == StateReopened || s == StateSuppressed
}

// Run statuses.
const (
	// RunComplete: every input was read.
	RunComplete = "complete"
	// RunPartial: some inputs could not be read; findings absent from the
	// run are not taken as resolved.
	RunPartial = "partial"
	// RunFailed: the scan did not finish; no finding was recorded and no
	// lifecycle changed.
	RunFailed = "failed"
)

// Scan is one scan to record.
type Scan struct {
	// Source names what was scanned; runs of one source are compared
	// with each other (a finding absent from a later run of its source
	// is resolved). E.g. the input paths, "live:aws", an IaC repository.
	Source string
	// Kind is paths, live, iac or report (a recorded JSON report).
	Kind    string
	Inputs  []string
	Version string
	// Started is the scan time: the lifecycle and suppression expiry are
	// measured against it. Finished defaults to Started.
	Started, Finished time.Time
	// Errors are the inputs that could not be read (the run is partial).
	Errors []string
	// Failed marks a scan that did not finish (Errors say why).
	Failed   bool
	Findings []finding.Finding
	// Rules are the rules that ran (optional: derived from the findings).
	Rules []finding.RuleInfo
	// Compliance is the scan's compliance summary (optional: computed
	// from Findings and Rules).
	Compliance []compliance.FrameworkSummary
}

// Run is one recorded run.
type Run struct {
	ID         int64     `json:"id"`
	Source     string    `json:"source"`
	Kind       string    `json:"kind"`
	Status     string    `json:"status"`
	Started    time.Time `json:"started"`
	Finished   time.Time `json:"finished"`
	DurationMS int64     `json:"duration_ms"`
	Inputs     []string  `json:"inputs"`
	Errors     []string  `json:"errors"`
	Version    string    `json:"version,omitempty"`
	finding.Counts
	// PostureScore is finding.Counts.Score of the run's findings.
	PostureScore *float64 `json:"posture_score"`
	New          int      `json:"new"`
	Reopened     int      `json:"reopened"`
	Resolved     int      `json:"resolved"`
}

// Identity is the stable ID of a finding: a hash of its source, rule ID,
// provider and resource ID (63 bits, positive).
func Identity(source, ruleID string, provider resource.Provider, resourceID string) int64 {
	h := sha256.New()
	for _, s := range []string{source, ruleID, string(provider), resourceID} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	var sum [sha256.Size]byte
	return int64(binary.BigEndian.Uint64(h.Sum(sum[:0])[:8]) &^ (1 << 63))
}

// prior is what a recorded identity's lifecycle needs of its last state.
type prior struct {
	state                                                      State
	firstSeen, lastSeen, opened, resolved, resolveMS, firstRun int64
	reopens                                                    int
	digest                                                     int64
	status                                                     string
	observed, known                                            bool
	// The identity's key in finding_counts (besides its source and state).
	count countKey
}

// countKey is a row of finding_counts within one source.
type countKey struct {
	rule, provider, account string
	rank                    int
	state                   State
}

// activeSuppression is a stored suppression in force at the run's time.
type activeSuppression struct {
	resource, reason, owner string
	expires                 int64
}

var findingCols = []string{"id", "source", "rule_id", "provider", "resource_id", "resource_type", "resource_name",
	"account", "region", "title", "category", "severity", "sev_rank", "frameworks", "status", "state", "message",
	"first_seen_ms", "last_seen_ms", "opened_ms", "resolved_ms", "resolve_ms", "first_run", "last_run",
	"reopen_count", "suppress_reason", "suppress_owner", "suppress_expires_ms", "digest"}

// lifecycleCols are what a run changes of an identity whose description
// is the same (findingCols' lifecycle columns, with the key first); with
// the state unchanged too, stableCols (state left out, so no index of the
// findings is touched: state is the only indexed column among them).
var (
	lifecycleCols = []string{"id", "status", "state", "first_seen_ms", "last_seen_ms", "opened_ms", "resolved_ms", "resolve_ms",
		"first_run", "last_run", "reopen_count", "suppress_reason", "suppress_owner", "suppress_expires_ms"}
	stableCols = append(lifecycleCols[:2:2], lifecycleCols[3:]...)
)

var runFindingCols = []string{"run_id", "finding_id", "status", "state", "severity", "suppressed"}

var countCols = []string{"source", "rule_id", "provider", "account", "sev_rank", "state", "n"}

var postureCols = []string{"run_id", "scope", "provider", "account", "framework", "control",
	"pass", "fail", "unknown", "suppressed", "score", "status"}

// nz is v, or SQL NULL for 0.
func nz(v int64) any {
	if v == 0 {
		return nil
	}
	return v
}

// prepareRun is Record's (and RecordJobScan's) reading of a scan: the run to insert, the
// findings to record and the run's time in milliseconds.
func prepareRun(sc *Scan) (*Run, []finding.Finding, int64, error) {
	if sc.Source == "" {
		return nil, nil, 0, errors.New("history: a run needs a source")
	}
	if sc.Started.IsZero() {
		return nil, nil, 0, errors.New("history: a run needs its start time")
	}
	started := sc.Started.UTC()
	finished := sc.Finished.UTC()
	if sc.Finished.IsZero() {
		finished = started
	}
	run := &Run{Source: sc.Source, Kind: sc.Kind, Started: started.Truncate(time.Millisecond), Finished: finished.Truncate(time.Millisecond),
		DurationMS: finished.Sub(started).Milliseconds(), Inputs: nonNil(sc.Inputs), Errors: nonNil(sc.Errors), Version: sc.Version}
	switch {
	case sc.Failed:
		run.Status = RunFailed
	case len(sc.Errors) > 0:
		run.Status = RunPartial
	default:
		run.Status = RunComplete
	}
	if run.Kind == "" {
		run.Kind = "paths"
	}
	findings := sc.Findings
	if sc.Failed {
		findings = nil
	}
	return run, findings, started.UnixMilli(), nil
}

// Record records a scan: the run, its findings, their lifecycle and the
// run's posture, in one transaction. Runs of one source are recorded one
// at a time.
func (s *Store) Record(ctx context.Context, sc *Scan) (*Run, error) {
	run, findings, now, err := prepareRun(sc)
	if err != nil {
		return nil, err
	}
	tx, err := s.begin(ctx, lock{key: writersLock, shared: true}, lock{key: Identity(sc.Source, "", "", "")})
	if err != nil {
		return nil, fmt.Errorf("history: %w", err)
	}
	defer tx.rollback(ctx)
	if err := s.record(ctx, tx, sc, run, findings, now); err != nil {
		return nil, fmt.Errorf("history: recording the run: %w", err)
	}
	if err := tx.commit(ctx); err != nil {
		return nil, fmt.Errorf("history: %w", err)
	}
	return run, nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func (s *Store) record(ctx context.Context, tx writeTx, sc *Scan, run *Run, findings []finding.Finding, now int64) error {
	inputs, _ := json.Marshal(run.Inputs)
	errs, _ := json.Marshal(run.Errors)
	if err := tx.query(ctx, `INSERT INTO runs (source, kind, status, started_ms, finished_ms, duration_ms, inputs, errors, version,
	total, fail, pass, unknown, suppressed, score, new_count, reopened_count, resolved_count)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0) RETURNING id`,
		[]any{run.Source, run.Kind, run.Status, run.Started.UnixMilli(), run.Finished.UnixMilli(), run.DurationMS,
			string(inputs), string(errs), run.Version, run.Total, run.Fail, run.Pass, run.Unknown, run.Suppressed, run.PostureScore},
		func(scan func(...any) error) error { return scan(&run.ID) }); err != nil {
		return err
	}
	if run.Status == RunFailed {
		return nil
	}

	// The identities of this source as they stand.
	prev := map[int64]*prior{}
	// Rule, cloud and account repeat across identities: one string each.
	intern := map[string]string{}
	in := func(s string) string {
		if v, ok := intern[s]; ok {
			return v
		}
		intern[s] = s
		return s
	}
	// Values repeated across rows are boxed (as a row's []any holds
	// them) once each.
	boxed := map[string]any{}
	box := func(s string) any {
		if v, ok := boxed[s]; ok {
			return v
		}
		var v any = s
		boxed[s] = v
		return v
	}
	var fjsonBuf []byte
	if err := tx.query(ctx, `SELECT id, state, COALESCE(first_seen_ms, 0), COALESCE(last_seen_ms, 0), COALESCE(opened_ms, 0),
	COALESCE(resolved_ms, 0), COALESCE(resolve_ms, 0), COALESCE(first_run, 0), reopen_count, digest, rule_id, provider, account, sev_rank, status
FROM findings WHERE source = ?`, []any{sc.Source}, func(scan func(...any) error) error {
		var id int64
		p := &prior{}
		var st string
		if err := scan(&id, &st, &p.firstSeen, &p.lastSeen, &p.opened, &p.resolved, &p.resolveMS, &p.firstRun, &p.reopens, &p.digest,
			&p.count.rule, &p.count.provider, &p.count.account, &p.count.rank, &p.status); err != nil {
			return err
		}
		p.count.rule, p.count.provider, p.count.account = in(p.count.rule), in(p.count.provider), in(p.count.account)
		p.state, p.known = State(st), true
		prev[id] = p
		return nil
	}); err != nil {
		return err
	}
	sups, err := s.activeSuppressions(ctx, tx, sc.Source, now)
	if err != nil {
		return err
	}
	// A failing finding a stored suppression mutes counts as suppressed,
	// in the run's counts and posture as in its lifecycle (on a copy: the
	// caller's findings are left alone).
	var stored map[int]*activeSuppression
	for i := range findings {
		f := &findings[i]
		if f.Status != finding.Fail || f.Suppressed != nil {
			continue
		}
		if sp := matchSuppression(sups[f.RuleID], f.Resource.ID); sp != nil {
			if stored == nil {
				stored = map[int]*activeSuppression{}
				findings = slices.Clone(findings)
				f = &findings[i]
			}
			stored[i] = sp
			f.Suppressed = &finding.Suppression{Reason: sp.reason}
			if sp.expires != 0 {
				f.Suppressed.Expires = msTime(sp.expires).Format("2006-01-02")
			}
		}
	}
	for i := range findings {
		run.Counts.Add(&findings[i])
	}
	run.PostureScore = run.Counts.Score()

	// One rule and resource twice in a scan is one finding: the worse
	// status stands (FAIL, then UNKNOWN, then PASS), the first of equals.
	ids := make([]int64, len(findings))
	pick := make(map[int64]int, len(findings))
	order := make([]int, 0, len(findings))
	for i := range findings {
		f := &findings[i]
		id := Identity(sc.Source, f.RuleID, f.Resource.Provider, f.Resource.ID)
		ids[i] = id
		j, dup := pick[id]
		if !dup {
			pick[id] = len(order)
			order = append(order, i)
			continue
		}
		if statusRank(f.Status) > statusRank(findings[order[j]].Status) {
			order[j] = i
		}
	}

	// Rows in key order: each B-tree grows at its end.
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(ids[a], ids[b]) })
	// Identities seen for the first time are inserted; known ones that
	// changed are updated (no upsert: faster on both engines, and the
	// source's lock keeps other writers of these keys out).
	var added, changed, lifecycle, stable [][]any
	var ctlRows [][]any // finding_controls of the added and changed findings
	var ctlGone []int64 // the changed ones, whose rows are replaced
	var runID, source any = run.ID, sc.Source
	rfRows := make([][]any, 0, len(order))
	for _, i := range order {
		f := &findings[i]
		id := ids[i]
		p := prev[id]
		if p == nil {
			p = &prior{}
			prev[id] = p
		}
		was := *p
		next := was
		next.observed = true
		supReason, supOwner, supExpires := "", "", int64(0)
		switch f.Status {
		case finding.Fail:
			switch was.state {
			case "":
				next.state, next.firstSeen, next.opened, next.firstRun = StateNew, now, now, run.ID
				run.New++
			case StateResolved:
				next.state, next.opened, next.resolved = StateReopened, now, 0
				next.reopens++
				run.Reopened++
			default:
				next.state = StateOpen
			}
			next.lastSeen = now
			if sp := stored[i]; sp != nil {
				supReason, supOwner, supExpires = sp.reason, sp.owner, sp.expires
				next.state = StateSuppressed
			} else if f.Suppressed != nil {
				supReason, supOwner = f.Suppressed.Reason, "suppressions file"
				if t, err := time.Parse("2006-01-02", f.Suppressed.Expires); err == nil {
					supExpires = t.UnixMilli()
				}
				next.state = StateSuppressed
			}
		case finding.Pass:
			if was.state.failing() {
				next.state = StateResolved
				next.resolved, next.resolveMS = now, now-was.opened
				run.Resolved++
			}
		default: // UNKNOWN: cannot tell; a new or reopened finding is no longer that.
			if was.state == StateNew || was.state == StateReopened {
				next.state = StateOpen
			}
		}
		fjsonBuf = appendFrameworksJSON(fjsonBuf[:0], f.Frameworks)
		fjson, ok := intern[string(fjsonBuf)]
		if !ok {
			fjson = in(string(fjsonBuf))
		}
		digest := findingDigest(f, fjson)
		next.digest, next.status = digest, string(f.Status)
		next.count = countKey{rule: in(f.RuleID), provider: in(string(f.Resource.Provider)), account: in(f.Resource.Account), rank: f.Severity.Rank()}
		*p = next
		suppressed := 0
		if next.state == StateSuppressed {
			suppressed = 1
		}
		rfRows = append(rfRows, []any{runID, id, box(string(f.Status)), box(string(next.state)), box(string(f.Severity)), suppressed})
		if was.known && !next.state.failing() && next.state == was.state && digest == was.digest && next.status == was.status {
			continue // neither failing nor changed
		}
		if was.known && digest == was.digest {
			// The same description: the lifecycle columns only, the
			// state among them only when it changed.
			row := []any{id, box(string(f.Status)), box(string(next.state)), nz(next.firstSeen), nz(next.lastSeen), nz(next.opened),
				nz(next.resolved), nz(next.resolveMS), nz(next.firstRun), runID, next.reopens, box(supReason), box(supOwner), nz(supExpires)}
			if next.state == was.state {
				stable = append(stable, append(row[:2:2], row[3:]...))
			} else {
				lifecycle = append(lifecycle, row)
			}
			continue
		}
		row := []any{id, source, box(f.RuleID), box(string(f.Resource.Provider)), f.Resource.ID, box(f.Resource.Type), f.Resource.Name,
			box(f.Resource.Account), box(f.Resource.Region), box(f.Title), box(f.Category), box(string(f.Severity)), f.Severity.Rank(), box(fjson),
			box(string(f.Status)), box(string(next.state)), box(f.Message),
			nz(next.firstSeen), nz(next.lastSeen), nz(next.opened), nz(next.resolved), nz(next.resolveMS), nz(next.firstRun), runID,
			next.reopens, box(supReason), box(supOwner), nz(supExpires), digest}
		if was.known {
			changed = append(changed, row)
			ctlGone = append(ctlGone, id)
		} else {
			added = append(added, row)
		}
		ctlRows = controlRows(ctlRows, id, source, f.Frameworks)
	}
	// A failing identity absent from a complete run is resolved; absent
	// from a partial run, it stays failing (no longer new or reopened).
	var resolvedRows, openRows [][]any
	for id, p := range prev {
		switch {
		case p.observed || !p.state.failing():
		case run.Status == RunComplete:
			resolvedRows = append(resolvedRows, []any{id, string(StateResolved), now, now - p.opened, run.ID})
			run.Resolved++
			p.state = StateResolved
		case p.state == StateNew || p.state == StateReopened:
			openRows = append(openRows, []any{id, string(StateOpen)})
			p.state = StateOpen
		}
	}
	// The source's identities as they now stand, counted.
	counts := map[countKey]int64{}
	for _, p := range prev {
		k := p.count
		k.state = p.state
		counts[k]++
	}
	countRows := make([][]any, 0, len(counts))
	for k, n := range counts {
		countRows = append(countRows, []any{sc.Source, k.rule, k.provider, k.account, k.rank, string(k.state), n})
	}
	slices.SortFunc(countRows, func(a, b []any) int {
		for i := 1; i < 6; i++ {
			var c int
			if x, ok := a[i].(string); ok {
				c = cmp.Compare(x, b[i].(string))
			} else {
				c = cmp.Compare(a[i].(int), b[i].(int))
			}
			if c != 0 {
				return c
			}
		}
		return 0
	})
	byID := func(a, b []any) int { return cmp.Compare(a[0].(int64), b[0].(int64)) }
	slices.SortFunc(resolvedRows, byID)
	slices.SortFunc(openRows, byID)
	restore, err := tx.bulk(ctx, "findings", len(openRows)+len(added)+len(changed)+len(lifecycle)+len(stable)+len(resolvedRows))
	if err != nil {
		return err
	}
	if err := tx.update(ctx, "findings", []string{"id", "state"}, openRows); err != nil {
		return err
	}
	if err := tx.load(ctx, "findings", findingCols, added, ""); err != nil {
		return err
	}
	if err := tx.update(ctx, "findings", findingCols, changed); err != nil {
		return err
	}
	if err := tx.update(ctx, "findings", lifecycleCols, lifecycle); err != nil {
		return err
	}
	if err := tx.update(ctx, "findings", stableCols, stable); err != nil {
		return err
	}
	if err := tx.update(ctx, "findings", []string{"id", "state", "resolved_ms", "resolve_ms", "last_run"}, resolvedRows); err != nil {
		return err
	}
	if err := restore(ctx); err != nil {
		return err
	}
	// Their framework references (finding_controls): a changed finding's
	// are replaced.
	if err := replaceControls(ctx, tx, ctlGone); err != nil {
		return err
	}
	if restore, err = tx.bulk(ctx, "finding_controls", len(ctlRows)); err != nil {
		return err
	}
	if err := tx.load(ctx, "finding_controls", controlCols, ctlRows, ""); err != nil {
		return err
	}
	if err := restore(ctx); err != nil {
		return err
	}
	restore, err = tx.bulk(ctx, "run_findings", len(rfRows))
	if err != nil {
		return err
	}
	if err := tx.load(ctx, "run_findings", runFindingCols, rfRows, ""); err != nil {
		return err
	}
	if err := restore(ctx); err != nil {
		return err
	}
	if err := tx.load(ctx, "run_posture", postureCols, postureRows(run.ID, sc, findings), ""); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, "DELETE FROM finding_counts WHERE source = ?", sc.Source); err != nil {
		return err
	}
	if err := tx.load(ctx, "finding_counts", countCols, countRows, ""); err != nil {
		return err
	}
	_, err = tx.exec(ctx, `UPDATE runs SET total = ?, fail = ?, pass = ?, unknown = ?, suppressed = ?, score = ?,
	new_count = ?, reopened_count = ?, resolved_count = ? WHERE id = ?`,
		run.Total, run.Fail, run.Pass, run.Unknown, run.Suppressed, run.PostureScore, run.New, run.Reopened, run.Resolved, run.ID)
	return err
}

func statusRank(s finding.Status) int {
	switch s {
	case finding.Fail:
		return 3
	case finding.Unknown:
		return 2
	case finding.Pass:
		return 1
	}
	return 0
}

// findingDigest hashes what a run may change of an identity's
// description (its status is compared apart: a run that changes only the
// status and the lifecycle rewrites only those columns). Digests stored
// before the status was left out (migration 0001's comment) differ from
// every new one: the first run after the upgrade rewrites each row once.
func findingDigest(f *finding.Finding, frameworks string) int64 {
	h := fnv.New64a()
	for _, s := range []string{f.Title, f.Category, string(f.Severity), f.Resource.Type, f.Resource.Name,
		f.Resource.Account, f.Resource.Region, frameworks, f.Message} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return int64(h.Sum64() &^ (1 << 63))
}

// appendFrameworksJSON appends refs as json.Marshal writes them ([] for
// none).
func appendFrameworksJSON(b []byte, refs []finding.Reference) []byte {
	b = append(b, '[')
	for i, r := range refs {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"framework":`...)
		b = jsonenc.AppendHTML(b, r.Framework)
		b = append(b, `,"control":`...)
		b = jsonenc.AppendHTML(b, r.Control)
		b = append(b, '}')
	}
	return append(b, ']')
}

// activeSuppressions returns the stored suppressions of source (and of
// every source) in force at now, by rule.
func (s *Store) activeSuppressions(ctx context.Context, tx writeTx, source string, now int64) (map[string][]activeSuppression, error) {
	out := map[string][]activeSuppression{}
	err := tx.query(ctx, `SELECT rule_id, resource_id, reason, owner, COALESCE(expires_ms, 0) FROM suppressions
WHERE (source = '' OR source = ?) AND (expires_ms IS NULL OR expires_ms > ?) ORDER BY id`, []any{source, now},
		func(scan func(...any) error) error {
			var rule string
			var a activeSuppression
			if err := scan(&rule, &a.resource, &a.reason, &a.owner, &a.expires); err != nil {
				return err
			}
			out[rule] = append(out[rule], a)
			return nil
		})
	return out, err
}

func matchSuppression(sups []activeSuppression, resourceID string) *activeSuppression {
	for i := range sups {
		if sups[i].resource == "*" || sups[i].resource == resourceID {
			return &sups[i]
		}
	}
	return nil
}
