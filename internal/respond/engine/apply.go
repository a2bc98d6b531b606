package engine

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/vigil-sec/vigil/internal/respond"
)

// Status of an item in a run.
const (
	StatusApplied      = "applied"
	StatusNoOp         = "no-op"
	StatusFailed       = "failed"
	StatusGone         = "gone"
	StatusNotApproved  = "not-approved"
	StatusNotRun       = "not-run" // the run stopped first
	StatusDone         = "already-done"
	StatusRolledBack   = "rolled-back"
	StatusIrreversible = "irreversible"
)

// Result is what happened to one item.
type Result struct {
	N        int              `json:"n"`
	Key      string           `json:"key"`
	Action   string           `json:"action"`
	Resource string           `json:"resource"`
	Account  string           `json:"account,omitempty"`
	Status   string           `json:"status"`
	Error    string           `json:"error,omitempty"`
	Time     time.Time        `json:"time"`
	Change   *respond.Change  `json:"change,omitempty"`
	Outcome  *respond.Outcome `json:"outcome,omitempty"`

	stop string // why the run must stop (a limit reached)
}

// RunHeader is the first line of a run record.
type RunHeader struct {
	Run      string    `json:"run"`
	Kind     string    `json:"kind"` // "apply" or "rollback"
	Plan     string    `json:"plan"`
	PlanHash string    `json:"plan_hash"`
	Of       string    `json:"of,omitempty"` // the run a rollback undoes
	By       string    `json:"by"`
	Started  time.Time `json:"started"`
}

// Run is a finished apply or rollback.
type Run struct {
	RunHeader
	Results []Result `json:"results"`
	// Stopped says why the run stopped before its end, "" when it ran to
	// the end.
	Stopped string `json:"stopped,omitempty"`
	Path    string `json:"-"`
}

// Counts returns the number of results per status.
func (r *Run) Counts() map[string]int {
	m := map[string]int{}
	for _, x := range r.Results {
		m[x.Status]++
	}
	return m
}

// ApplyOptions tune Apply.
type ApplyOptions struct {
	// RunsDir is where the run record (RUN.jsonl) is written.
	RunsDir string
	// OnlyAuto applies only the steps needing no approval (continuous
	// mode); the others are left for an approved plan.
	OnlyAuto bool
	// Checkpoint, when set, is told each key before its change is made
	// and after, and asked which are done: a step is never run twice.
	Checkpoint *Checkpoint
}

// ErrNotApproved is wrapped by Apply's error for a plan lacking approvals.
var ErrNotApproved = errors.New("plan is not approved")

// runLog appends a run's results, one JSON line each, fsynced.
type runLog struct {
	mu sync.Mutex
	f  *os.File
	w  *bufio.Writer
}

func openRunLog(dir string, h RunHeader) (*runLog, string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, "", fmt.Errorf("runs: %w", err)
	}
	path := filepath.Join(dir, h.Run+".jsonl")
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, "", fmt.Errorf("runs: %w", err)
	}
	l := &runLog{f: f, w: bufio.NewWriter(f)}
	return l, path, l.write(h)
}

func (l *runLog) write(v any) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	l.w.Write(append(b, '\n'))
	if err := l.w.Flush(); err != nil {
		return fmt.Errorf("run record: %w", err)
	}
	return l.f.Sync()
}

func (l *runLog) close() error { return l.f.Close() }

// Apply runs an approved plan. Steps needing approval run only when the
// plan has as many distinct approvers as they need (else nothing runs and
// the error wraps ErrNotApproved, unless OnlyAuto); chains run side by
// side (Policy.Concurrency), each chain's steps in order. The run stops,
// leaving the remaining steps not run, when a step fails whose playbook
// says on_error: stop, or before a remediation would pass the blast-radius
// limits. Every step is recorded in the run record and the trail.
func (r *Runner) Apply(ctx context.Context, f *File, opts ApplyOptions) (*Run, error) {
	p := f.Plan()
	if !opts.OnlyAuto {
		if miss := f.Missing(); len(miss) > 0 {
			return nil, fmt.Errorf("%w: %d of %d steps need %d approval(s) from distinct people and the plan has %d (vigil respond approve PLAN --by NAME)",
				ErrNotApproved, len(miss), len(p.Items), miss[0].Approvals, len(f.approvers()))
		}
	}
	now := r.now().UTC()
	h := RunHeader{Run: NewID(now), Kind: "apply", Plan: p.ID, PlanHash: f.Hash, By: r.actor(), Started: now}
	if opts.RunsDir == "" {
		opts.RunsDir = "."
	}
	rl, path, err := openRunLog(opts.RunsDir, h)
	if err != nil {
		return nil, err
	}
	defer rl.close()
	run := &Run{RunHeader: h, Path: path}
	if err := r.record(ctx, Event{Kind: KindStart, Run: h.Run, Plan: f.Hash, Data: map[string]any{"plan": p.ID, "items": len(p.Items), "approvals": f.Approvals}}); err != nil {
		return nil, fmt.Errorf("trail: %w", err)
	}
	env := r.env(h.Run, f.Hash, &p.Policy)
	st := &applyState{pol: &p.Policy, perAccount: map[string]int{}, resources: map[string]bool{}}
	// Stopping lets the steps in flight finish (a call cut in the middle
	// leaves a cloud in a state nobody planned) and starts no new one.
	var stopOnce sync.Once
	var stopCause error
	stopped := make(chan struct{})
	stop := func(err error) {
		stopOnce.Do(func() { stopCause = err; close(stopped) })
	}
	go func() {
		select {
		case <-ctx.Done():
			stop(ctx.Err())
		case <-stopped:
		}
	}()
	defer stop(nil)

	chains := map[int][]Item{}
	var order []int
	for _, it := range p.Items {
		if _, ok := chains[it.Chain]; !ok {
			order = append(order, it.Chain)
		}
		chains[it.Chain] = append(chains[it.Chain], it)
	}
	var mu sync.Mutex
	add := func(res Result) {
		mu.Lock()
		run.Results = append(run.Results, res)
		mu.Unlock()
		if err := rl.write(res); err != nil {
			stop(err)
		}
	}
	sem := make(chan struct{}, max(1, p.Policy.Concurrency))
	var wg sync.WaitGroup
	approvers := len(f.approvers())
	for _, c := range order {
		wg.Add(1)
		sem <- struct{}{}
		go func(items []Item) {
			defer wg.Done()
			defer func() { <-sem }()
			for i, it := range items {
				var res Result
				select {
				case <-stopped:
					res = r.applyItem(ctx, env, h.Run, f.Hash, it, approvers, opts, st, fmt.Errorf("the run stopped: %w", stopCause))
				default:
					res = r.applyItem(ctx, env, h.Run, f.Hash, it, approvers, opts, st, nil)
				}
				add(res)
				if res.stop != "" {
					stop(errors.New(res.stop))
				}
				if res.Status == StatusFailed && it.OnError != "continue" {
					stop(fmt.Errorf("item %d (%s on %s) failed and its playbook %s says on_error: stop", it.N, it.Action, it.Change.Resource, it.Playbook))
				}
				if res.Status == StatusFailed || res.Status == StatusGone || res.Status == StatusNotApproved || res.Status == StatusNotRun {
					why := fmt.Errorf("step %s of playbook %s did not run to its end (%s)", it.Step, it.Playbook, res.Status)
					for _, rest := range items[i+1:] {
						add(r.applyItem(ctx, env, h.Run, f.Hash, rest, approvers, opts, st, why))
					}
					return
				}
			}
		}(chains[c])
	}
	wg.Wait()
	select {
	case <-stopped:
		if stopCause != nil {
			run.Stopped = stopCause.Error()
		}
	default:
	}
	if run.Stopped != "" {
		_ = r.record(ctx, Event{Kind: KindStop, Run: h.Run, Plan: f.Hash, Data: map[string]any{"reason": run.Stopped}})
	}
	_ = r.record(ctx, Event{Kind: KindEnd, Run: h.Run, Plan: f.Hash, Data: map[string]any{"counts": run.Counts(), "stopped": run.Stopped}})
	return run, nil
}

type applyState struct {
	mu         sync.Mutex
	pol        *Policy
	resources  map[string]bool
	perAccount map[string]int
}

// reserve counts a remediation's resource against the blast-radius limits;
// false when it would pass one.
func (s *applyState) reserve(it *Item) (bool, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	res := it.Change.Resource
	if s.resources[res] {
		return true, ""
	}
	lim := s.pol.Limits
	if lim.MaxResources > 0 && len(s.resources)+1 > lim.MaxResources {
		return false, fmt.Sprintf("blast-radius limit: the run would change more than %d resources (policy limits.max_resources)", lim.MaxResources)
	}
	acct := it.Subject.Account
	if lim.MaxPerAccount > 0 && s.perAccount[acct]+1 > lim.MaxPerAccount {
		return false, fmt.Sprintf("blast-radius limit: the run would change more than %d resources in account %s (policy limits.max_per_account)", lim.MaxPerAccount, acct)
	}
	s.resources[res] = true
	s.perAccount[acct]++
	return true, ""
}

func (r *Runner) applyItem(ctx context.Context, env *respond.Env, run, planHash string, it Item, approvers int, opts ApplyOptions, st *applyState, stopped error) Result {
	res := Result{N: it.N, Key: it.Key, Action: it.Action, Resource: it.Change.Resource, Account: it.Subject.Account, Change: it.Change}
	finish := func(status string, err error) Result {
		res.Status, res.Time = status, r.now().UTC()
		if err != nil {
			res.Error = err.Error()
		}
		data := map[string]any{"n": it.N, "key": it.Key, "playbook": it.Playbook, "step": it.Step, "subject": it.Subject, "diff": it.Change.Diff}
		if res.Outcome != nil && res.Outcome.Note != "" {
			data["note"] = res.Outcome.Note
		}
		e := Event{Kind: KindAction, Run: run, Plan: planHash, Action: it.Action, Resource: it.Change.Resource, Tactic: r.tactic(it.Action), Status: status, Data: data}
		if status == StatusNotRun || status == StatusNotApproved || status == StatusDone || status == StatusNoOp {
			e.Kind = KindSkip
		}
		if err != nil {
			e.Error = err.Error()
		}
		if terr := r.record(context.WithoutCancel(ctx), e); terr != nil {
			res.Status, res.Error = StatusFailed, "trail: "+terr.Error()
		}
		return res
	}
	if stopped != nil {
		return finish(StatusNotRun, stopped)
	}
	if it.Approvals > approvers {
		return finish(StatusNotApproved, fmt.Errorf("needs %d approval(s), the plan has %d", it.Approvals, approvers))
	}
	if it.Change.NoOp {
		return finish(StatusNoOp, nil)
	}
	if opts.Checkpoint != nil && opts.Checkpoint.Done(it.Key) {
		return finish(StatusDone, nil)
	}
	act, ok := r.Registry.Get(it.Action)
	if !ok {
		return finish(StatusFailed, r.Registry.Unknown(it.Action))
	}
	if it.Class == respond.Remediate {
		if ok, why := st.reserve(&it); !ok {
			res.stop = why
			return finish(StatusNotRun, errors.New(why))
		}
	}
	if opts.Checkpoint != nil {
		if err := opts.Checkpoint.Mark(it.Key); err != nil {
			return finish(StatusFailed, err)
		}
	}
	out, err := act.Apply(ctx, env, it.Change)
	res.Outcome = out
	if opts.Checkpoint != nil {
		if cerr := opts.Checkpoint.Finish(it.Key, err == nil || errors.Is(err, respond.ErrGone)); cerr != nil && err == nil {
			err = cerr
		}
	}
	switch {
	case err == nil:
		return finish(StatusApplied, nil)
	case errors.Is(err, respond.ErrGone):
		return finish(StatusGone, err)
	default:
		return finish(StatusFailed, err)
	}
}
