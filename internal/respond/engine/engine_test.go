package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/respond"
)

// kvServer is a real HTTP server holding a value per resource: GET reads
// it (404 when the resource does not exist), PUT sets it. fail makes a
// resource's PUT answer that status.
type kvServer struct {
	latency time.Duration
	mu      sync.Mutex
	vals    map[string]string
	fail    map[string]int
	writes  int
	srv     *httptest.Server
}

func newKV(t testing.TB, vals map[string]string) *kvServer {
	kv := &kvServer{vals: vals, fail: map[string]int{}}
	kv.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(kv.latency)
		kv.mu.Lock()
		defer kv.mu.Unlock()
		name := strings.TrimPrefix(r.URL.Path, "/")
		v, ok := kv.vals[name]
		switch r.Method {
		case http.MethodGet:
			if !ok {
				http.Error(w, "no such resource", http.StatusNotFound)
				return
			}
			io.WriteString(w, v)
		case http.MethodPut:
			if code := kv.fail[name]; code != 0 {
				http.Error(w, "failure", code)
				return
			}
			b, _ := io.ReadAll(r.Body)
			kv.vals[name] = string(b)
			kv.writes++
		}
	}))
	t.Cleanup(kv.srv.Close)
	return kv
}

func (kv *kvServer) get(name string) string {
	kv.mu.Lock()
	defer kv.mu.Unlock()
	return kv.vals[name]
}

// setAction sets a resource's value to the input "value" (class given).
type setAction struct {
	name  string
	class respond.Class
	kv    *kvServer
}

func (a *setAction) Spec() respond.Spec {
	return respond.Spec{Name: a.name, Class: a.class, Inputs: []respond.Input{{Name: "resource", Required: true}, {Name: "value", Required: true}},
		Permissions: []string{"kv:Get", "kv:Put"}, Reversible: true}
}

func (a *setAction) read(ctx context.Context, env *respond.Env, name string) (string, error) {
	var v string
	err := env.Do(ctx, respond.Call{Service: "kv", Operation: "GET", Target: name, ReadOnly: true}, func(ctx context.Context) error {
		resp, err := http.Get(a.kv.srv.URL + "/" + name)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode == 404 {
			return fmt.Errorf("%s: %w", name, respond.ErrGone)
		}
		v = string(b)
		return nil
	})
	return v, err
}

func (a *setAction) write(ctx context.Context, env *respond.Env, name, v string) error {
	return env.Do(ctx, respond.Call{Service: "kv", Operation: "PUT", Target: name, Params: map[string]any{"value": v}}, func(ctx context.Context) error {
		req, _ := http.NewRequestWithContext(ctx, http.MethodPut, a.kv.srv.URL+"/"+name, strings.NewReader(v))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode >= 300 {
			return fmt.Errorf("PUT %s: %s", name, resp.Status)
		}
		return nil
	})
}

func (a *setAction) Plan(ctx context.Context, env *respond.Env, req *respond.Request) (*respond.Change, error) {
	name, want := req.Inputs["resource"], req.Inputs["value"]
	cur, err := a.read(ctx, env, name)
	if err != nil {
		return nil, err
	}
	ch := &respond.Change{Action: a.name, Resource: name, Account: req.Subject.Account, Inputs: req.Inputs, Reversible: true,
		Outputs: map[string]string{"before": cur}}
	if cur == want {
		ch.NoOp, ch.Reason = true, "already "+want
		return ch, nil
	}
	ch.Calls = []respond.Call{{Service: "kv", Operation: "PUT", Target: name, Params: map[string]any{"value": want}}}
	ch.Diff = []respond.AttrChange{{Attribute: "value", Before: cur, After: want}}
	ch.State, _ = json.Marshal(cur)
	return ch, nil
}

func (a *setAction) Apply(ctx context.Context, env *respond.Env, ch *respond.Change) (*respond.Outcome, error) {
	cur, err := a.read(ctx, env, ch.Resource)
	if err != nil {
		return nil, err
	}
	want := ch.Inputs["value"]
	if cur == want {
		return &respond.Outcome{Note: "already applied"}, nil
	}
	return &respond.Outcome{Note: "set"}, a.write(ctx, env, ch.Resource, want)
}

func (a *setAction) Rollback(ctx context.Context, env *respond.Env, ch *respond.Change, _ *respond.Outcome) (*respond.Outcome, error) {
	var before string
	if err := json.Unmarshal(ch.State, &before); err != nil {
		return nil, err
	}
	return &respond.Outcome{}, a.write(ctx, env, ch.Resource, before)
}

type testStep struct {
	id, action string
	auto       bool
	with       map[string]string // "$resource" is the subject's resource id
}

func (s testStep) ID() string     { return s.id }
func (s testStep) Action() string { return s.action }
func (s testStep) Auto() bool     { return s.auto }
func (s testStep) Render(sub *respond.Subject, _ map[string]map[string]string) (map[string]string, error) {
	out := map[string]string{}
	for k, v := range s.with {
		out[k] = strings.ReplaceAll(v, "$resource", sub.Resource.ID)
	}
	return out, nil
}

type testBook struct {
	name, onError string
	rule          string
	steps         []Step
}

func (b testBook) Ref() PlaybookRef {
	return PlaybookRef{Name: b.name, File: b.name + ".yml", Hash: "h-" + b.name}
}
func (b testBook) OnError() string { return b.onError }
func (b testBook) Match(s *respond.Subject) (bool, error) {
	return s.Rule == b.rule, nil
}
func (b testBook) Steps() []Step { return b.steps }

type memTrail struct {
	mu     sync.Mutex
	events []Event
}

func (m *memTrail) Record(_ context.Context, _ string, e Event) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.events = append(m.events, e)
	return nil
}

func (m *memTrail) kinds() map[string]int {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := map[string]int{}
	for _, e := range m.events {
		out[e.Kind]++
	}
	return out
}

func subj(id, rule, res, acct string) *respond.Subject {
	return &respond.Subject{Kind: "finding", ID: id, Rule: rule, Account: acct, Resource: respond.Resource{ID: res}}
}

type fixture struct {
	kv    *kvServer
	r     *Runner
	trail *memTrail
	dir   string
	lock  testBook
}

func newFixture(t testing.TB, vals map[string]string) *fixture {
	kv := newKV(t, vals)
	reg, err := respond.NewRegistry(&setAction{name: "kv.lock", class: respond.Remediate, kv: kv}, &setAction{name: "kv.note", class: respond.Notify, kv: kv})
	if err != nil {
		t.Fatal(err)
	}
	tr := &memTrail{}
	pol := DefaultPolicy()
	pol.RateLimits = map[string]float64{"default": 1000}
	r := &Runner{Registry: reg, Policy: pol, Trail: tr, Actor: "tester", Now: func() time.Time { return time.Date(2026, 12, 5, 1, 0, 0, 0, time.UTC) }}
	lock := testBook{name: "lock", rule: "public", steps: []Step{
		testStep{id: "tell", action: "kv.note", auto: true, with: map[string]string{"resource": "note-$resource", "value": "found"}},
		testStep{id: "lock", action: "kv.lock", with: map[string]string{"resource": "$resource", "value": "private"}},
	}}
	return &fixture{kv: kv, r: r, trail: tr, dir: t.TempDir(), lock: lock}
}

func (f *fixture) plan(t *testing.T, subjects ...*respond.Subject) *File {
	t.Helper()
	p, err := f.r.Build(context.Background(), subjects, []Playbook{f.lock}, BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	file, err := Seal(p)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(f.dir, p.ID+".json")
	if err := file.WriteFile(path); err != nil {
		t.Fatal(err)
	}
	back, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return back
}

// TestApplyNeedsApproval: nothing changes without an approved plan; the
// notify step the playbook marks auto may run alone (OnlyAuto).
func TestApplyNeedsApproval(t *testing.T) {
	f := newFixture(t, map[string]string{"b1": "public", "note-b1": ""})
	file := f.plan(t, subj("f1", "public", "b1", "111"))
	if n := len(file.Plan().Items); n != 2 {
		t.Fatalf("items = %d, want 2", n)
	}
	if f.kv.writes != 0 {
		t.Fatalf("planning wrote %d times", f.kv.writes)
	}
	_, err := f.r.Apply(context.Background(), file, ApplyOptions{RunsDir: f.dir})
	if !errors.Is(err, ErrNotApproved) {
		t.Fatalf("unapproved apply: err = %v", err)
	}
	if f.kv.writes != 0 || f.get("b1") != "public" {
		t.Fatal("an unapproved plan changed something")
	}
	run, err := f.r.Apply(context.Background(), file, ApplyOptions{RunsDir: f.dir, OnlyAuto: true})
	if err != nil {
		t.Fatal(err)
	}
	if f.get("b1") != "public" || f.get("note-b1") != "found" {
		t.Fatalf("OnlyAuto: b1=%q note=%q, want the note only", f.get("b1"), f.get("note-b1"))
	}
	c := run.Counts()
	if c[StatusNotApproved] != 1 || c[StatusApplied] != 1 {
		t.Errorf("counts %v", c)
	}
}

func (f *fixture) get(k string) string { return f.kv.get(k) }

// TestApplyRollback: an approved plan is applied, recorded, applying it
// again changes nothing more, and rollback restores the before-state.
func TestApplyRollback(t *testing.T) {
	f := newFixture(t, map[string]string{"b1": "public", "b2": "public", "note-b1": "", "note-b2": ""})
	file := f.plan(t, subj("f1", "public", "b1", "111"), subj("f2", "public", "b2", "111"), subj("f3", "other", "b3", "111"))
	if _, err := file.Approve("alice", "ticket SEC-1", f.r.now()); err != nil {
		t.Fatal(err)
	}
	run, err := f.r.Apply(context.Background(), file, ApplyOptions{RunsDir: f.dir})
	if err != nil {
		t.Fatal(err)
	}
	if f.get("b1") != "private" || f.get("b2") != "private" {
		t.Fatalf("not applied: %v", f.kv.vals)
	}
	if c := run.Counts(); c[StatusApplied] != 4 {
		t.Fatalf("counts %v", c)
	}
	writes := f.kv.writes
	if _, err := f.r.Apply(context.Background(), file, ApplyOptions{RunsDir: f.dir}); err != nil {
		t.Fatal(err)
	}
	if f.kv.writes != writes {
		t.Errorf("second apply wrote %d more times", f.kv.writes-writes)
	}
	back, err := ReadRun(run.Path)
	if err != nil {
		t.Fatal(err)
	}
	if len(back.Results) != 4 || back.Run != run.Run {
		t.Fatalf("run record: %+v", back)
	}
	rb, err := f.r.Rollback(context.Background(), back, f.dir)
	if err != nil {
		t.Fatal(err)
	}
	if f.get("b1") != "public" || f.get("b2") != "public" || f.get("note-b1") != "" {
		t.Fatalf("rollback did not restore: %v", f.kv.vals)
	}
	if c := rb.Counts(); c[StatusRolledBack] != 4 {
		t.Errorf("rollback counts %v", c)
	}
	k := f.trail.kinds()
	if k[KindStart] != 3 || k[KindRollback] != 4 || k[KindCall] == 0 || k[KindAction] < 8 {
		t.Errorf("trail kinds %v", k)
	}
}

// TestTamperedPlanRefused: a plan edited after approval is refused.
func TestTamperedPlanRefused(t *testing.T) {
	f := newFixture(t, map[string]string{"b1": "public", "note-b1": ""})
	file := f.plan(t, subj("f1", "public", "b1", "111"))
	file.Approve("alice", "", f.r.now())
	path := filepath.Join(f.dir, "p.json")
	if err := file.WriteFile(path); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadFile(path); err != nil {
		t.Fatalf("untouched plan refused: %v", err)
	}
	b, _ := os.ReadFile(path)
	edited := strings.Replace(string(b), `"private"`, `"deleted"`, 1)
	if edited == string(b) {
		t.Fatal("test plan has no value to edit")
	}
	os.WriteFile(path, []byte(edited), 0o600)
	if _, err := ReadFile(path); !errors.Is(err, ErrTampered) {
		t.Fatalf("edited plan: err = %v, want ErrTampered", err)
	}
	// An approval copied from another plan is refused too.
	os.WriteFile(path, b, 0o600)
	swap := "0"
	if file.Hash[0] == '0' {
		swap = "1"
	}
	other := strings.Replace(string(b), `"plan_hash": "`+file.Hash, `"plan_hash": "`+swap+file.Hash[1:], 1)
	if other == string(b) {
		t.Fatal("test plan has no approval hash to edit")
	}
	os.WriteFile(path, []byte(other), 0o600)
	if _, err := ReadFile(path); !errors.Is(err, ErrTampered) {
		t.Fatalf("foreign approval: err = %v", err)
	}
}

// TestTwoApprovals: a policy asking two approvers is not met by one person
// approving twice.
func TestTwoApprovals(t *testing.T) {
	f := newFixture(t, map[string]string{"b1": "public", "note-b1": ""})
	f.r.Policy.Approvals[respond.Remediate] = 2
	file := f.plan(t, subj("f1", "public", "b1", "111"))
	file.Approve("alice", "", f.r.now())
	file.Approve("alice", "again", f.r.now())
	if _, err := f.r.Apply(context.Background(), file, ApplyOptions{RunsDir: f.dir}); !errors.Is(err, ErrNotApproved) {
		t.Fatalf("one approver twice: err = %v", err)
	}
	file.Approve("bob", "", f.r.now())
	if _, err := f.r.Apply(context.Background(), file, ApplyOptions{RunsDir: f.dir}); err != nil {
		t.Fatal(err)
	}
	if f.get("b1") != "private" {
		t.Fatal("not applied with two approvers")
	}
}

// TestBlastRadiusStopsRun: a run stops before passing max_resources.
func TestBlastRadiusStopsRun(t *testing.T) {
	vals := map[string]string{}
	var subs []*respond.Subject
	for i := range 5 {
		vals[fmt.Sprint("b", i)] = "public"
		subs = append(subs, subj(fmt.Sprint("f", i), "public", fmt.Sprint("b", i), "111"))
	}
	f := newFixture(t, vals)
	f.r.Policy.Limits = Limits{MaxResources: 2}
	f.lock.steps = f.lock.steps[1:]
	file := f.plan(t, subs...)
	file.Approve("alice", "", f.r.now())
	run, err := f.r.Apply(context.Background(), file, ApplyOptions{RunsDir: f.dir})
	if err != nil {
		t.Fatal(err)
	}
	changed := 0
	for i := range 5 {
		if f.get(fmt.Sprint("b", i)) == "private" {
			changed++
		}
	}
	if changed != 2 || !strings.Contains(run.Stopped, "max_resources") {
		t.Fatalf("changed %d, stopped %q", changed, run.Stopped)
	}
	if f.trail.kinds()[KindStop] != 1 {
		t.Error("no stop event in the trail")
	}
}

// TestOnError: a failing step stops the run (on_error: stop) or not
// (continue); the trail records the failure.
func TestOnError(t *testing.T) {
	for _, mode := range []string{"stop", "continue"} {
		t.Run(mode, func(t *testing.T) {
			vals := map[string]string{}
			var subs []*respond.Subject
			for i := range 4 {
				vals[fmt.Sprint("b", i)] = "public"
				subs = append(subs, subj(fmt.Sprint("f", i), "public", fmt.Sprint("b", i), "111"))
			}
			f := newFixture(t, vals)
			f.r.Policy.Concurrency = 1
			f.lock.onError = mode
			f.lock.steps = f.lock.steps[1:]
			f.kv.fail["b1"] = 500
			file := f.plan(t, subs...)
			file.Approve("alice", "", f.r.now())
			run, err := f.r.Apply(context.Background(), file, ApplyOptions{RunsDir: f.dir})
			if err != nil {
				t.Fatal(err)
			}
			c := run.Counts()
			if c[StatusFailed] != 1 {
				t.Fatalf("counts %v", c)
			}
			if mode == "stop" && (c[StatusApplied] != 1 || c[StatusNotRun] != 2 || run.Stopped == "") {
				t.Errorf("stop: counts %v stopped %q", c, run.Stopped)
			}
			if mode == "continue" && (c[StatusApplied] != 3 || run.Stopped != "") {
				t.Errorf("continue: counts %v stopped %q", c, run.Stopped)
			}
		})
	}
}

// TestGoneAndExcluded: a resource that no longer exists is reported and
// skipped at planning; excluded resources are never planned.
func TestGoneAndExcluded(t *testing.T) {
	f := newFixture(t, map[string]string{"b1": "public", "keep": "public"})
	f.r.Policy.Exclude = Exclusions{Resources: []string{"ke*"}}
	f.lock.steps = f.lock.steps[1:]
	p, err := f.r.Build(context.Background(), []*respond.Subject{subj("f1", "public", "gone", "1"), subj("f2", "public", "keep", "1"), subj("f3", "public", "b1", "1")},
		[]Playbook{f.lock}, BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Items) != 1 || p.Items[0].Change.Resource != "b1" {
		t.Fatalf("items %+v", p.Items)
	}
	reasons := ""
	for _, s := range p.Skipped {
		reasons += s.Subject.Resource + ": " + s.Reason + "\n"
	}
	if !strings.Contains(reasons, "gone: resource no longer exists") || !strings.Contains(reasons, "keep: resource matches the policy's exclusion") {
		t.Errorf("skipped:\n%s", reasons)
	}
}

// TestCheckpoint: a key marked before a crash is not run again.
func TestCheckpoint(t *testing.T) {
	f := newFixture(t, map[string]string{"b1": "public", "note-b1": ""})
	cp, err := OpenCheckpoint(filepath.Join(f.dir, "checkpoint"))
	if err != nil {
		t.Fatal(err)
	}
	file := f.plan(t, subj("f1", "public", "b1", "111"))
	if err := cp.Mark(file.Plan().Items[0].Key); err != nil { // the note was started before a crash
		t.Fatal(err)
	}
	cp.Close()
	cp, err = OpenCheckpoint(filepath.Join(f.dir, "checkpoint"))
	if err != nil {
		t.Fatal(err)
	}
	defer cp.Close()
	run, err := f.r.Apply(context.Background(), file, ApplyOptions{RunsDir: f.dir, OnlyAuto: true, Checkpoint: cp})
	if err != nil {
		t.Fatal(err)
	}
	if f.get("note-b1") != "" || run.Counts()[StatusDone] != 1 {
		t.Fatalf("checkpointed step ran again: %v", run.Counts())
	}
	// A step that failed may run again.
	key := file.Plan().Items[0].Key
	if err := cp.Finish(key, false); err != nil {
		t.Fatal(err)
	}
	if cp.Done(key) {
		t.Fatal("a failed step counts as done")
	}
	if _, err := f.r.Apply(context.Background(), file, ApplyOptions{RunsDir: f.dir, OnlyAuto: true, Checkpoint: cp}); err != nil {
		t.Fatal(err)
	}
	if f.get("note-b1") != "found" || !cp.Done(key) {
		t.Fatalf("failed step not retried: note=%q", f.get("note-b1"))
	}
}

// TestRateLimits: each API gets the policy's rate (or the default), and
// calls go through it.
func TestRateLimits(t *testing.T) {
	r := &Runner{}
	pol := &Policy{RateLimits: map[string]float64{"default": 10, "iam": 2}}
	if got := r.limiter(pol, "iam").Limit(); got != 2 {
		t.Errorf("iam limit %v, want 2", got)
	}
	if got := r.limiter(pol, "s3").Limit(); got != 10 {
		t.Errorf("s3 limit %v, want the default 10", got)
	}
	if r.limiter(pol, "iam") != r.limiter(pol, "iam") {
		t.Error("one API has two limiters")
	}
	// With burst 2, the third call waits for a token: Wait reports that
	// before the deadline it would need.
	env := r.env("", "", pol)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	var errs []error
	for range 3 {
		errs = append(errs, env.Wait(ctx, "iam"))
	}
	if errs[0] != nil || errs[1] != nil || errs[2] == nil {
		t.Errorf("waits %v: want the third call held back by the iam rate", errs)
	}
}
