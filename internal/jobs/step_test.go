package jobs_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/vigil-sec/vigil/internal/collect/aws/awstest"
	"github.com/vigil-sec/vigil/internal/history"
	"github.com/vigil-sec/vigil/internal/history/historytest"
	"github.com/vigil-sec/vigil/internal/jobs"
	"github.com/vigil-sec/vigil/internal/jobs/jobstest"
	"github.com/vigil-sec/vigil/internal/respond"
	"github.com/vigil-sec/vigil/internal/respond/engine"
	"github.com/vigil-sec/vigil/internal/respond/trail"
	"github.com/vigil-sec/vigil/internal/respond/wire"
)

var (
	bucketState = jobstest.BucketState
	writePlan   = jobstest.WritePlan
	approve     = jobstest.Approve
	writeCalls  = jobstest.WriteCalls
)

func stepCloud(t *testing.T) (*awstest.State, func() (*respond.Registry, error)) {
	st, _, reg := jobstest.StepCloud(t)
	return st, reg
}

// waitJobs waits until River has every job of ids in a final state and
// returns their rows.
func waitJobs(ctx context.Context, t *testing.T, q *jobs.Queue, ids ...int64) map[int64]*rivertype.JobRow {
	t.Helper()
	for {
		rows, err := q.Jobs(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		got := map[int64]*rivertype.JobRow{}
		for _, r := range rows {
			if r.FinalizedAt != nil {
				got[r.ID] = r
			}
		}
		done := true
		for _, id := range ids {
			if got[id] == nil {
				done = false
			}
		}
		if done {
			return got
		}
		select {
		case <-ctx.Done():
			t.Fatalf("jobs %v did not finish: %d rows", ids, len(rows))
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// TestStepJobs: a plan's approved steps run as one job each, on SQLite and
// PostgreSQL, through the response engine against a local AWS endpoint:
// nothing before an approval; a dry-run approval runs both steps dry (the
// bucket unchanged); an approval for apply applies them in their chain's
// order. A worker stopped after applying the first step, before its job
// was recorded (its job cancelled as a killed worker's is rescued), is
// followed by another worker that finds the step's start in the trail and
// does not apply it again; the second step waits for the first and is
// applied once. Approving again enqueues nothing more.
func TestStepJobs(t *testing.T) {
	for _, eng := range historytest.Engines() {
		t.Run(eng.Name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
			defer cancel()
			dsn := eng.DSN(t)
			st, reg := stepCloud(t)
			state := t.TempDir()
			plan := writePlan(ctx, t, reg, state)
			opts := jobs.Options{DSN: dsn, Workers: 2, PollInterval: 100 * time.Millisecond, ID: "first", Registry: reg, ApplySteps: true}
			q0, err := jobs.Open(ctx, opts)
			if err != nil {
				t.Fatal(err)
			}
			defer q0.Close()

			enq, err := q0.EnqueueSteps(ctx, state, plan, wire.ModeApply)
			if err != nil || len(enq.Jobs) != 0 || len(enq.Waiting) != 2 || !strings.Contains(enq.Waiting[1], "needs 1 approval") {
				t.Fatalf("unapproved: %+v %v", enq, err)
			}

			// Approved for a dry run: both steps run dry.
			approve(ctx, t, state, plan, "alice", wire.ModeDryRun)
			if enq, err := q0.EnqueueSteps(ctx, state, plan, wire.ModeApply); err != nil || len(enq.Jobs) != 0 {
				t.Fatalf("a dry-run approval enqueued steps for apply: %+v %v", enq, err)
			}
			dry, err := q0.EnqueueSteps(ctx, state, plan, wire.ModeDryRun)
			if err != nil || len(dry.Jobs) != 2 {
				t.Fatalf("dry run: %+v %v", dry, err)
			}
			if err := q0.Start(ctx); err != nil {
				t.Fatal(err)
			}
			waitJobs(ctx, t, q0, dry.Jobs[1], dry.Jobs[2])
			if err := q0.Stop(ctx); err != nil {
				t.Fatal(err)
			}
			for n, id := range dry.Jobs {
				jr, err := q0.Store().JobRunByID(ctx, id)
				if err != nil || jr.Status != history.JobCompleted || !strings.Contains(jr.Result, ": dry-run (run ") || jr.Kind != jobs.StepKind {
					t.Errorf("dry-run step %d: %+v %v", n, jr, err)
				}
			}
			if blocked, public := bucketState(st); blocked || !public {
				t.Fatalf("a dry run changed the bucket: blocked %v public %v", blocked, public)
			}

			// Approved for apply: the first step is applied, then its
			// worker stops before recording the job.
			approve(ctx, t, state, plan, "bob", wire.ModeApply)
			// One worker: it holds in the first step's job, so the second
			// step (free to run once the first ended in the trail) cannot
			// run in the victim before it stops.
			opts.ID, opts.Hold, opts.Workers = "victim", time.Minute, 1
			q1, err := jobs.Open(ctx, opts)
			if err != nil {
				t.Fatal(err)
			}
			defer q1.Close()
			app, err := q1.EnqueueSteps(ctx, state, plan, wire.ModeApply)
			if err != nil || len(app.Jobs) != 2 {
				t.Fatalf("apply: %+v %v", app, err)
			}
			if err := q1.Start(ctx); err != nil {
				t.Fatal(err)
			}
			trailPath := wire.State(state).Trail()
			for {
				steps, err := wire.Steps(trailPath, planHash(t, plan), wire.ModeApply)
				if err != nil {
					t.Fatal(err)
				}
				if steps[keyOf(t, plan, 1)].Status != "" {
					if steps[keyOf(t, plan, 1)].Status != engine.StatusApplied {
						t.Fatalf("steps in the trail: %+v", steps)
					}
					break
				}
				select {
				case <-ctx.Done():
					t.Fatal("the first step was not applied")
				case <-time.After(100 * time.Millisecond):
				}
			}
			if err := q1.StopAndCancel(ctx); err != nil {
				t.Fatal(err)
			}
			if blocked, public := bucketState(st); !blocked || !public {
				t.Fatalf("after the first step: blocked %v public %v", blocked, public)
			}
			opts.ID, opts.Hold = "rescuer", 0
			q2, err := jobs.Open(ctx, opts)
			if err != nil {
				t.Fatal(err)
			}
			defer q2.Close()
			if err := q2.Start(ctx); err != nil {
				t.Fatal(err)
			}
			defer q2.Stop(context.Background())
			rows := waitJobs(ctx, t, q2, app.Jobs[1], app.Jobs[2])
			if r := rows[app.Jobs[1]]; r.State != rivertype.JobStateCompleted || !slices.Equal(r.AttemptedBy, []string{"victim", "rescuer"}) {
				t.Errorf("first step's job: %s attempted by %v, want completed by the rescuer after the victim", r.State, r.AttemptedBy)
			}
			if blocked, public := bucketState(st); !blocked || public {
				t.Fatalf("after both steps: blocked %v public %v", blocked, public)
			}
			if n := writeCalls(t, trailPath, "PutPublicAccessBlock"); n != 1 {
				t.Errorf("PutPublicAccessBlock written %d times, want once", n)
			}
			jr, err := q2.Store().JobRunByID(ctx, app.Jobs[1])
			if err != nil || jr.Status != history.JobCompleted || jr.Worker != "rescuer" || !strings.Contains(jr.Result, "not run again") || !strings.Contains(jr.Result, "(applied)") {
				t.Errorf("first step's job run: %+v %v", jr, err)
			}
			jr, err = q2.Store().JobRunByID(ctx, app.Jobs[2])
			if err != nil || jr.Status != history.JobCompleted || !strings.Contains(jr.Result, "aws.s3.delete-public-policy-statement on arn:aws:s3:::site: applied (run ") {
				t.Errorf("second step's job run: %+v %v", jr, err)
			}
			again, err := q2.EnqueueSteps(ctx, state, plan, wire.ModeApply)
			if err != nil || again.Jobs[1] != app.Jobs[1] || again.Jobs[2] != app.Jobs[2] {
				t.Errorf("approving again: %+v %v, want the same jobs %v", again, err, app.Jobs)
			}
			if all, _ := q2.Jobs(ctx, 0); len(all) != 4 {
				t.Errorf("%d jobs, want 4 (two steps dry, two applied)", len(all))
			}
			runs, _ := filepath.Glob(filepath.Join(wire.State(state).Runs(), "*.jsonl"))
			if len(runs) != 4 {
				t.Errorf("run records: %v, want one per step job run", runs)
			}
			// The second step began after the first ended, in each mode.
			for _, mode := range []string{wire.ModeDryRun, wire.ModeApply} {
				if end, start := trailSeq(t, trailPath, engine.KindEnd, keyOf(t, plan, 1), mode), trailSeq(t, trailPath, engine.KindStart, keyOf(t, plan, 2), mode); end == 0 || start < end {
					t.Errorf("%s: the first step ended at entry %d, the second began at %d", mode, end, start)
				}
			}
			if rep, err := trail.Verify(trailPath, trail.VerifyOptions{}); err != nil || rep.Err() != nil {
				t.Errorf("trail: %v %v", err, rep.Err())
			}
		})
	}
}

// trailSeq is the seq of the first entry of this kind of a step run.
func trailSeq(t *testing.T, trailPath, kind, key, mode string) uint64 {
	t.Helper()
	b, err := os.ReadFile(trailPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		var e trail.Entry
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatal(err)
		}
		var d struct{ Key, Mode string }
		if e.Kind == kind && json.Unmarshal(e.Data, &d) == nil && d.Key == key && d.Mode == mode {
			return e.Seq
		}
	}
	return 0
}

func planHash(t *testing.T, plan string) string {
	t.Helper()
	f, err := engine.ReadFile(plan)
	if err != nil {
		t.Fatal(err)
	}
	return f.Hash
}

func keyOf(t *testing.T, plan string, n int) string {
	t.Helper()
	f, err := engine.ReadFile(plan)
	if err != nil {
		t.Fatal(err)
	}
	return f.Plan().Items[n-1].Key
}

// TestScanPlansPlaybooks: a scan job whose schedule entry has respond:
// plans its playbooks over the run's new findings (a sealed plan awaiting
// approval, nothing applied); the next run of the same source, with no
// new finding, plans nothing.
func TestScanPlansPlaybooks(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	dir := t.TempDir()
	books := filepath.Join(dir, "playbooks", "tell.yml")
	os.MkdirAll(filepath.Dir(books), 0o755)
	if err := os.WriteFile(books, []byte(`name: tell-on-critical
trigger:
  findings: {providers: [aws], severities: [CRITICAL]}
steps:
  - id: tell
    action: notify.webhook
    with: {url: "env:VIGIL_TEST_HOOK", title: "{{ .title }}", text: "{{ .resource.id }}"}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	aws, err := filepath.Abs(sampleAWS)
	if err != nil {
		t.Fatal(err)
	}
	sched, err := jobs.ParseSchedule([]byte(`sources:
  - name: sample
    path: `+aws+`
    accounts: ["111122223333"]
    every: 1h
    respond: {playbooks: [playbooks], state: respond}
`), dir)
	if err != nil {
		t.Fatal(err)
	}
	args := sched.Sources[0].Jobs()[0]
	if args.Respond == nil || args.Respond.State != filepath.Join(dir, "respond") {
		t.Fatalf("scan job args: %+v", args)
	}
	q, err := jobs.Open(ctx, jobs.Options{DSN: filepath.Join(dir, "history.db"), Workers: 1, PollInterval: 100 * time.Millisecond, ID: "test"})
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	events, stop := q.Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed)
	defer stop()
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer q.Stop(context.Background())
	_, planJob := runJobAndPlan(ctx, t, q, events, args)
	jr := jobRun(ctx, t, q.Store(), planJob)
	if jr.Status != history.JobCompleted || !strings.Contains(jr.Result, " await approval) in ") {
		t.Fatalf("plan job run: %+v", jr)
	}
	in := filepath.Join(dir, "respond", "inputs", "run-1-new.json")
	b, err := os.ReadFile(in)
	if err != nil || !strings.Contains(string(b), `"status":"FAIL"`) || strings.Contains(string(b), `"status":"PASS"`) {
		t.Fatalf("new findings file: %v %.300s", err, b)
	}
	plans, _ := filepath.Glob(filepath.Join(dir, "respond", "plans", "*.json"))
	if len(plans) != 1 {
		t.Fatalf("plans: %v", plans)
	}
	f, err := engine.ReadFile(plans[0])
	if err != nil || len(f.Plan().Items) == 0 || len(f.Missing()) == 0 || len(f.Approvals) != 0 {
		t.Fatalf("plan: %v %+v", err, f)
	}
	for _, it := range f.Plan().Items {
		if it.Subject.Severity != "CRITICAL" || it.Subject.Account != "111122223333" {
			t.Errorf("plan step on %+v", it.Subject)
		}
	}
	// The same scan again: nothing new, nothing planned.
	runJob(ctx, t, q, events, args)
	select {
	case ev := <-events:
		t.Errorf("a job after a run with no new finding: %s %d", ev.Job.Kind, ev.Job.ID)
	case <-time.After(2 * time.Second):
	}
	if plans, _ := filepath.Glob(filepath.Join(dir, "respond", "plans", "*.json")); len(plans) != 1 {
		t.Errorf("plans after a run with nothing new: %v", plans)
	}
	if runs, _ := filepath.Glob(filepath.Join(dir, "respond", "runs", "*")); len(runs) > 0 {
		t.Errorf("planning applied something: %v", runs)
	}
}
