package jobs_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/vigil-sec/vigil/internal/collect/gcp/gcptest"
	"github.com/vigil-sec/vigil/internal/history"
	"github.com/vigil-sec/vigil/internal/history/historytest"
	"github.com/vigil-sec/vigil/internal/jobs"
)

const sampleAWS = "../../examples/org/aws"

func TestParseSchedule(t *testing.T) {
	good := `sources:
  - name: prod
    path: exports/aws
    accounts: ["111122223333", "444455556666"]
    region: eu-west-1
    every: 6h
  - path: /abs/gcp
    cron: "30 2 * * *"
    run_on_start: true
`
	s, err := jobs.ParseSchedule([]byte(good), "/etc/vigil")
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Sources) != 2 || s.Sources[0].Path != "/etc/vigil/exports/aws" || s.Sources[1].Name != "/abs/gcp" {
		t.Fatalf("sources: %+v", s.Sources)
	}
	js := s.Sources[0].Jobs()
	if len(js) != 2 || js[1] != (jobs.ScanArgs{Path: "/etc/vigil/exports/aws", Source: "prod#444455556666", Account: "444455556666", Region: "eu-west-1"}) {
		t.Errorf("jobs of a source with accounts: %+v", js)
	}
	if js := s.Sources[1].Jobs(); len(js) != 1 || js[0].Account != "" {
		t.Errorf("jobs of a source without accounts: %+v", js)
	}
	more, err := jobs.ParseSchedule([]byte(`logs:
  - name: trail
    path: logs/trail
    output: alerts
    rules: [sigma]
    cron: "*/5 * * * *"
iac:
  - path: repos/infra
    every: 1h
live:
  - clouds: [gcp]
    gcp_scope: [organizations/1]
    every: 24h
`), "/etc/vigil")
	if err != nil {
		t.Fatal(err)
	}
	if f := more.Logs[0].Job(); f.Name != "trail" || f.Dir != "/etc/vigil/logs/trail" || f.Output != "/etc/vigil/alerts" || len(f.Rules) != 1 || f.Rules[0] != "/etc/vigil/sigma" {
		t.Errorf("follow job: %+v", f)
	}
	if c := more.IaC[0]; c.Name != "/etc/vigil/repos/infra" || c.Path != c.Name {
		t.Errorf("iac: %+v", c)
	}
	if l := more.Live[0]; l.Name != "live:gcp" || l.SourceName() != "live:gcp" || len(l.GCPScope) != 1 || l.Every != "24h" {
		t.Errorf("live: %+v", l)
	}
	for _, tc := range []struct{ doc, want string }{
		{"", "empty schedule"},
		{"sources: []", "no sources"},
		{"sources:\n  - every: 1h", "path is required"},
		{"sources:\n  - path: x", "give when to run"},
		{"sources:\n  - path: x\n    every: 1h\n    cron: '@daily'", "not both"},
		{"sources:\n  - path: x\n    every: 10s", "shorter than"},
		{"sources:\n  - path: x\n    every: soon", "every:"},
		{"sources:\n  - path: x\n    cron: '61 * * * *'", "cron"},
		{"sources:\n  - path: x\n    every: 1h\n  - path: x\n    every: 2h", "two entries"},
		{"sources:\n  - path: x\n    every: 1h\n    accounts: ['1', '1']", "repeated account"},
		{"sources:\n  - path: x\n    every: 1h\n    evry: 2h", "evry"},
		{"logs:\n  - path: x\n    every: 1h", "output"},
		{"logs:\n  - path: x\n    output: y", "give when to run"},
		{"iac:\n  - every: 1h", "path is required"},
		{"live:\n  - every: 1h", "clouds is required"},
		{"live:\n  - clouds: [aws, oracle]\n    every: 1h", "oracle"},
		{"live:\n  - clouds: [aws]\n    every: 1h\n    aws_secret: x", "aws_secret"},
		{"iac:\n  - name: a\n    path: x\n    every: 1h\nlogs:\n  - name: a\n    path: y\n    output: z\n    every: 1h", "two entries"},
	} {
		if _, err := jobs.ParseSchedule([]byte(tc.doc), ""); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want one saying %q", tc.doc, err, tc.want)
		}
	}
}

// TestScheduleSQLite runs the scheduler and a worker in one process on
// SQLite: the schedule enqueues a scan of one account of the sample
// organization at start, the job completes, and its job run and history
// run are recorded once.
func TestScheduleSQLite(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	dsn := historytest.SQLite(t)
	sched, err := jobs.ParseSchedule([]byte(`sources:
  - name: sample
    path: `+sampleAWS+`
    accounts: ["111122223333"]
    every: 1h
    run_on_start: true
`), "")
	if err != nil {
		t.Fatal(err)
	}
	q, err := jobs.Open(ctx, jobs.Options{DSN: dsn, Workers: 1, Schedule: sched, PollInterval: 100 * time.Millisecond, ID: "test"})
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	if q.Migrated == 0 {
		t.Error("River's migrations were not applied to the store's database")
	}
	events, stop := q.Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed)
	defer stop()
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer q.Stop(context.Background())
	select {
	case ev := <-events:
		if ev.Kind != river.EventKindJobCompleted {
			t.Fatalf("job %s: %v", ev.Kind, ev.Job.Errors)
		}
	case <-ctx.Done():
		t.Fatal("the scheduled scan did not complete")
	}
	js, err := q.Jobs(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(js) != 1 || js[0].Kind != jobs.ScanKind || js[0].State != rivertype.JobStateCompleted {
		t.Fatalf("River's jobs: %+v", js)
	}
	jrs, err := q.Store().JobRuns(ctx, history.JobRunQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(jrs) != 1 || jrs[0].Status != history.JobCompleted || jrs[0].JobID != js[0].ID || jrs[0].Worker != "test" ||
		jrs[0].Account != "111122223333" || jrs[0].RunID == 0 || jrs[0].Finished == nil || !strings.HasPrefix(jrs[0].Result, "run ") {
		t.Fatalf("job runs: %+v", jrs)
	}
	run, err := q.Store().Run(ctx, jrs[0].RunID)
	if err != nil {
		t.Fatal(err)
	}
	if run.Source != "sample#111122223333" || run.Status != history.RunComplete || run.Total == 0 {
		t.Fatalf("run: %+v", run)
	}
	fs, err := q.Store().Findings(ctx, history.FindingQuery{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		if f.Account != "111122223333" {
			t.Fatalf("a finding of account %q in the run of account 111122223333", f.Account)
		}
	}
}

// TestRecordJobScanOnce records a scan job's run twice, as a job run again
// after its worker died once it had recorded: one run only.
func TestRecordJobScanOnce(t *testing.T) {
	for _, eng := range historytest.Engines() {
		t.Run(eng.Name, func(t *testing.T) {
			ctx := context.Background()
			st, err := history.Open(ctx, eng.DSN(t))
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			jr := history.JobRun{JobID: 7, Kind: jobs.ScanKind, Source: "s", Args: "{}", Attempt: 1, Worker: "a"}
			if err := st.StartJobRun(ctx, jr); err != nil {
				t.Fatal(err)
			}
			sc := &history.Scan{Source: "s", Started: time.Now()}
			r1, again, err := st.RecordJobScan(ctx, 7, sc)
			if err != nil || again {
				t.Fatalf("first record: again %v, %v", again, err)
			}
			jr.Attempt, jr.Worker = 2, "b"
			if err := st.StartJobRun(ctx, jr); err != nil {
				t.Fatal(err)
			}
			r2, again, err := st.RecordJobScan(ctx, 7, sc)
			if err != nil || !again || r2 == nil || r2.ID != r1.ID {
				t.Fatalf("second record: again %v, run %+v, %v; want the first run %d again", again, r2, err, r1.ID)
			}
			runs, err := st.Runs(ctx, history.RunQuery{})
			if err != nil || len(runs) != 1 {
				t.Fatalf("%d runs (%v), want 1", len(runs), err)
			}
			jrs, err := st.JobRuns(ctx, history.JobRunQuery{})
			if err != nil || len(jrs) != 1 || jrs[0].Status != history.JobCompleted || jrs[0].Worker != "a" || jrs[0].Attempt != 1 {
				t.Fatalf("job runs %+v (%v): the completed row must stay as the first attempt left it", jrs, err)
			}
		})
	}
}

const leaveOrgTrail = `{"Records":[{"eventVersion":"1.08","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/alice","accountId":"111122223333","userName":"alice"},"eventTime":"2024-03-01T10:00:00Z","eventSource":"organizations.amazonaws.com","eventName":"LeaveOrganization","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.7","userAgent":"aws-cli/2","eventID":"11111111-1111-4111-8111-111111111111","eventType":"AwsApiCall","recipientAccountId":"111122223333"}]}`

// TestDetectJob runs a detection job over a batch of log files: the
// built-in "AWS Account Leaves Organization" fires once, its alert file is
// written whole and the job run says so.
func TestDetectJob(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	dir := t.TempDir()
	logDir := filepath.Join(dir, "logs")
	if err := os.MkdirAll(logDir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(logDir, "trail.json"), []byte(leaveOrgTrail), 0o644); err != nil {
		t.Fatal(err)
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
	args := jobs.DetectArgs{Paths: []string{logDir}, Output: filepath.Join(dir, "alerts")}
	id, err := q.Enqueue(ctx, args)
	if err != nil {
		t.Fatal(err)
	}
	select {
	case ev := <-events:
		if ev.Kind != river.EventKindJobCompleted {
			t.Fatalf("job %s: %v", ev.Kind, ev.Job.Errors)
		}
	case <-ctx.Done():
		t.Fatal("the detection job did not complete")
	}
	b, err := os.ReadFile(args.AlertFile(id))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(b), "\n"); n != 1 || !strings.Contains(string(b), "LeaveOrganization") {
		t.Errorf("alert file: %d lines, want the one alert:\n%s", n, b)
	}
	if left, _ := filepath.Glob(filepath.Join(args.Output, "*.partial")); len(left) > 0 {
		t.Errorf("partial files left: %v", left)
	}
	jrs, err := q.Store().JobRuns(ctx, history.JobRunQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(jrs) != 1 || jrs[0].Kind != jobs.DetectKind || jrs[0].Status != history.JobCompleted || !strings.HasPrefix(jrs[0].Result, "1 alerts in ") {
		t.Fatalf("job runs: %+v", jrs)
	}
}

// waitPlanJob waits for a playbook plan job to complete and returns its id;
// any job that fails (before it) fails the test.
func waitPlanJob(ctx context.Context, t *testing.T, events <-chan *river.Event) int64 {
	t.Helper()
	for {
		select {
		case ev := <-events:
			if ev.Kind != river.EventKindJobCompleted {
				t.Fatalf("job %s %s: %v", ev.Job.Kind, ev.Kind, ev.Job.Errors)
			}
			if ev.Job.Kind == jobs.PlanKind {
				return ev.Job.ID
			}
		case <-ctx.Done():
			t.Fatal("no plan job completed")
		}
	}
}

// runJobAndPlan enqueues a scan job whose findings start a plan job and
// waits for both to complete, in whichever order River reports them (the
// plan job may finish before the scan job's completion is reported, so
// runJob followed by waitPlanJob could drop the plan job's event).
func runJobAndPlan(ctx context.Context, t *testing.T, q *jobs.Queue, events <-chan *river.Event, args river.JobArgs) (scan, plan int64) {
	t.Helper()
	id, err := q.Enqueue(ctx, args)
	if err != nil {
		t.Fatal(err)
	}
	for scan == 0 || plan == 0 {
		select {
		case ev := <-events:
			if ev.Kind != river.EventKindJobCompleted {
				t.Fatalf("job %d %s %s: %v", ev.Job.ID, ev.Job.Kind, ev.Kind, ev.Job.Errors)
			}
			switch {
			case ev.Job.ID == id:
				scan = id
			case ev.Job.Kind == jobs.PlanKind:
				plan = ev.Job.ID
			}
		case <-ctx.Done():
			t.Fatalf("scan job %d completed: %v; plan job completed: %v", id, scan != 0, plan != 0)
		}
	}
	return scan, plan
}

// runJob enqueues args and waits for River to say the job completed.
func runJob(ctx context.Context, t *testing.T, q *jobs.Queue, events <-chan *river.Event, args river.JobArgs) int64 {
	t.Helper()
	id, err := q.Enqueue(ctx, args)
	if err != nil {
		t.Fatal(err)
	}
	for {
		select {
		case ev := <-events:
			if ev.Job.ID != id {
				continue
			}
			if ev.Kind != river.EventKindJobCompleted {
				t.Fatalf("job %d %s: %v", id, ev.Kind, ev.Job.Errors)
			}
			return id
		case <-ctx.Done():
			t.Fatalf("job %d did not complete", id)
		}
	}
}

func jobRun(ctx context.Context, t *testing.T, st *history.Store, id int64) history.JobRun {
	t.Helper()
	jr, ok := findJobRun(ctx, t, st, id)
	if !ok {
		t.Fatalf("no job run of job %d", id)
	}
	return jr
}

func findJobRun(ctx context.Context, t *testing.T, st *history.Store, id int64) (history.JobRun, bool) {
	t.Helper()
	jrs, err := st.JobRuns(ctx, history.JobRunQuery{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	for _, jr := range jrs {
		if jr.JobID == id {
			return jr, true
		}
	}
	return history.JobRun{}, false
}

// trailWith is leaveOrgTrail with another event ID.
func trailWith(eventID string) string {
	return strings.Replace(leaveOrgTrail, "11111111-1111-4111-8111-111111111111", eventID, 1)
}

// TestFollowLogs follows a folder of audit logs through the schedule and
// then by hand: each job reads only the files no earlier job read (the
// checkpoint is in the store, so a new queue on the same database goes
// on from it), writes the alerts of those, and records what it read.
func TestFollowLogs(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	dir := t.TempDir()
	logDir, out := filepath.Join(dir, "logs"), filepath.Join(dir, "alerts")
	if err := os.MkdirAll(logDir, 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(logDir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a.json", trailWith("aaaaaaaa-1111-4111-8111-111111111111"))
	sched, err := jobs.ParseSchedule([]byte(`logs:
  - name: trail
    path: logs
    output: alerts
    every: 1h
    run_on_start: true
`), dir)
	if err != nil {
		t.Fatal(err)
	}
	dsn := filepath.Join(dir, "history.db")
	open := func(s *jobs.Schedule) (*jobs.Queue, <-chan *river.Event, func()) {
		q, err := jobs.Open(ctx, jobs.Options{DSN: dsn, Workers: 1, Schedule: s, PollInterval: 100 * time.Millisecond, ID: "test"})
		if err != nil {
			t.Fatal(err)
		}
		events, stop := q.Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed)
		if err := q.Start(ctx); err != nil {
			t.Fatal(err)
		}
		return q, events, func() { stop(); q.Stop(context.Background()); q.Close() }
	}
	q, events, stop := open(sched)
	var first *river.Event
	select {
	case first = <-events:
	case <-ctx.Done():
		t.Fatal("the scheduled follow did not run")
	}
	if first.Kind != river.EventKindJobCompleted || first.Job.Kind != jobs.FollowKind {
		t.Fatalf("first job: %s %s %v", first.Job.Kind, first.Kind, first.Job.Errors)
	}
	args := sched.Logs[0].Job()
	alerts := func(id int64) string {
		b, err := os.ReadFile(args.AlertFile(id))
		if err != nil {
			t.Fatalf("alert file of job %d: %v", id, err)
		}
		return string(b)
	}
	if a := alerts(first.Job.ID); strings.Count(a, "\n") != 1 || !strings.Contains(a, "aaaaaaaa-") {
		t.Errorf("alerts of the first follow:\n%s", a)
	}
	if jr := jobRun(ctx, t, q.Store(), first.Job.ID); jr.Status != history.JobCompleted || jr.Source != "trail" ||
		!strings.HasPrefix(jr.Result, "1 new or grown files, 1 alerts in ") || jr.Finished == nil {
		t.Errorf("first job run: %+v", jr)
	}
	// Nothing new: no alerts, no file.
	id := runJob(ctx, t, q, events, args)
	if jr := jobRun(ctx, t, q.Store(), id); jr.Result != "0 new or grown files, no alerts" {
		t.Errorf("job run with nothing new: %+v", jr)
	}
	if _, err := os.Stat(args.AlertFile(id)); !os.IsNotExist(err) {
		t.Errorf("an alert file for a follow that raised nothing: %v", err)
	}
	// A new file: only its alert.
	write("b.json", trailWith("bbbbbbbb-1111-4111-8111-111111111111"))
	id = runJob(ctx, t, q, events, args)
	if a := alerts(id); strings.Count(a, "\n") != 1 || !strings.Contains(a, "bbbbbbbb-") || strings.Contains(a, "aaaaaaaa-") {
		t.Errorf("alerts of the follow after a new file (want b's only):\n%s", a)
	}
	stop()

	// A new process on the same database goes on from the checkpoint.
	write("c.json", trailWith("cccccccc-1111-4111-8111-111111111111"))
	q, events, stop = open(nil)
	defer stop()
	id = runJob(ctx, t, q, events, args)
	if a := alerts(id); strings.Count(a, "\n") != 1 || !strings.Contains(a, "cccccccc-") {
		t.Errorf("alerts after a restart (want c's only):\n%s", a)
	}
	// Each alert is in the history once, with its rule and origin.
	if as, total, err := q.Store().Alerts(ctx, history.AlertQuery{}); err != nil || total != 3 || len(as) != 3 ||
		!strings.HasPrefix(as[0].Origin, out) || as[0].Rule == "" || !json.Valid(as[0].Data) {
		t.Errorf("alerts in the history: %d %v %+v", total, err, as)
	}
	st, err := q.Store().FollowState(ctx, "trail", args.Dir)
	if err != nil || st.Seq != 4 || st.Files != 3 || st.JobID != id {
		t.Errorf("follow state %+v (%v): want 4 jobs recorded, 3 files, the last by job %d", st, err, id)
	}
	if left, _ := filepath.Glob(filepath.Join(out, "*.partial")); len(left) > 0 {
		t.Errorf("partial files left: %v", left)
	}
	// A folder that went away fails the job rather than forgetting the files.
	if err := os.Rename(logDir, logDir+".gone"); err != nil {
		t.Fatal(err)
	}
	jid, err := q.Enqueue(ctx, jobs.FollowArgs{Name: args.Name, Dir: args.Dir, Output: args.Output})
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(time.Minute)
	for {
		jr, _ := findJobRun(ctx, t, q.Store(), jid)
		if jr.Status == history.JobFailed {
			if !strings.Contains(jr.Error, "not a readable folder") {
				t.Errorf("job run of a missing folder: %+v", jr)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the follow of a missing folder did not fail: %+v", jr)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if st2, _ := q.Store().FollowState(ctx, "trail", args.Dir); st2.Seq != st.Seq || st2.Files != 3 {
		t.Errorf("the checkpoint moved on a failed follow: %+v", st2)
	}
}

// TestRecordJobFollowOnce: a follow job's checkpoint moves once per job
// (a job run again after recording records nothing), and never from a
// state another job already moved on from.
func TestRecordJobFollowOnce(t *testing.T) {
	for _, eng := range historytest.Engines() {
		t.Run(eng.Name, func(t *testing.T) {
			ctx := context.Background()
			st, err := history.Open(ctx, eng.DSN(t))
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			for _, id := range []int64{1, 2, 3} {
				if err := st.StartJobRun(ctx, history.JobRun{JobID: id, Kind: jobs.FollowKind, Source: "f", Args: "{}", Attempt: 1, Worker: "a"}); err != nil {
					t.Fatal(err)
				}
			}
			prev, err := st.FollowState(ctx, "f", "/logs")
			if err != nil || prev.Seq != 0 {
				t.Fatalf("empty state: %+v %v", prev, err)
			}
			alert := func(uid string) history.Alert {
				return history.Alert{UID: uid, Time: time.Unix(1, 0), Rule: "r", Data: json.RawMessage(`{}`)}
			}
			if again, err := st.RecordJobFollow(ctx, 1, prev, []byte(`{"v":1}`), 1, "r1", "", alert("a1"), alert("a2")); err != nil || again {
				t.Fatalf("first record: %v %v", again, err)
			}
			if again, err := st.RecordJobFollow(ctx, 1, prev, []byte(`{"v":9}`), 9, "r1", "", alert("a1"), alert("a9")); err != nil || !again {
				t.Fatalf("the same job again: again %v, %v", again, err)
			}
			// Job 2 started from the empty state too: refused.
			if _, err := st.RecordJobFollow(ctx, 2, prev, []byte(`{"v":2}`), 2, "r2", "", alert("a3")); !errors.Is(err, history.ErrFollowMoved) {
				t.Fatalf("a job from a stale state: %v, want ErrFollowMoved", err)
			}
			// Only the recorded job's alerts, once each.
			if as, total, err := st.Alerts(ctx, history.AlertQuery{}); err != nil || total != 2 || as[0].UID != "a1" || as[1].UID != "a2" {
				t.Fatalf("alerts: %d %v %+v", total, err, as)
			}
			cur, err := st.FollowState(ctx, "f", "/logs")
			if err != nil || cur.Seq != 1 || string(cur.Checkpoint) != `{"v":1}` || cur.JobID != 1 {
				t.Fatalf("state after job 1: %+v %v", cur, err)
			}
			if again, err := st.RecordJobFollow(ctx, 3, cur, []byte(`{"v":3}`), 3, "r3", "e3"); err != nil || again {
				t.Fatalf("job 3 from the current state: %v %v", again, err)
			}
			if cur, _ = st.FollowState(ctx, "f", "/logs"); cur.Seq != 2 || string(cur.Checkpoint) != `{"v":3}` || cur.Files != 3 {
				t.Fatalf("state after job 3: %+v", cur)
			}
			if s, _ := st.JobRunStatus(ctx, 2); s != history.JobRunning {
				t.Errorf("job 2 status %q: a refused record must leave it running", s)
			}
			if s, _ := st.JobRunStatus(ctx, 3); s != history.JobCompleted {
				t.Errorf("job 3 status %q", s)
			}
		})
	}
}

// TestIaCAndLiveSchedule schedules an IaC tree and a live collection (the
// GCP collector's test organization served on loopback): each runs at
// start as a job and records a run of its kind with its job run, the live
// one naming the denied call as an input error.
func TestIaCAndLiveSchedule(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	srv, err := gcptest.Load(filepath.Join("..", "collect", "gcp", "testdata", "server"))
	if err != nil {
		t.Fatal(err)
	}
	srv.Faults["ListAssets projects/200000000003 RESOURCE"] = []error{gcptest.Denied()}
	addr, stopSrv, err := srv.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer stopSrv()
	sched, err := jobs.ParseSchedule([]byte(`iac:
  - name: infra
    path: ../../cmd/vigil/testdata/iac/tf
    every: 1h
    run_on_start: true
live:
  - clouds: [gcp]
    gcp_endpoint: `+addr+`
    every: 24h
    run_on_start: true
`), "")
	if err != nil {
		t.Fatal(err)
	}
	q, err := jobs.Open(ctx, jobs.Options{DSN: historytest.SQLite(t), Workers: 2, Schedule: sched, PollInterval: 100 * time.Millisecond, ID: "test"})
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
	kinds := map[string]int64{}
	for len(kinds) < 2 {
		select {
		case ev := <-events:
			if ev.Kind != river.EventKindJobCompleted {
				t.Fatalf("job %s %s: %v", ev.Job.Kind, ev.Kind, ev.Job.Errors)
			}
			kinds[ev.Job.Kind] = ev.Job.ID
		case <-ctx.Done():
			t.Fatalf("the scheduled jobs did not complete: %v", kinds)
		}
	}
	for kind, want := range map[string]struct{ source, runKind string }{
		jobs.IaCKind:  {"infra", "iac"},
		jobs.LiveKind: {"live:gcp", "live"},
	} {
		jr := jobRun(ctx, t, q.Store(), kinds[kind])
		if jr.Status != history.JobCompleted || jr.Source != want.source || jr.RunID == 0 {
			t.Errorf("%s job run: %+v", kind, jr)
			continue
		}
		run, err := q.Store().Run(ctx, jr.RunID)
		if err != nil {
			t.Fatal(err)
		}
		if run.Source != want.source || run.Kind != want.runKind || run.Total == 0 || run.Fail == 0 {
			t.Errorf("%s run: %+v", kind, run)
		}
		if kind == jobs.LiveKind && !strings.Contains(strings.Join(run.Errors, "\n"), "API calls failed") {
			t.Errorf("live run errors do not name the denied call: %q", run.Errors)
		}
	}
}

const tellPlaybook = `name: tell-on-leave
trigger:
  alerts: {providers: [aws]}
steps:
  - id: tell
    action: notify.webhook
    with: {url: "env:VIGIL_TEST_HOOK", title: "{{ .title }}", text: "{{ .principal }}"}
`

// TestFollowPlansPlaybooks: a follow whose schedule entry has respond:
// enqueues a plan job over the alerts it raised; the plan job writes the
// sealed plan (its step awaiting approval, nothing applied) and the trail.
func TestFollowPlansPlaybooks(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	dir := t.TempDir()
	for name, body := range map[string]string{"logs/a.json": leaveOrgTrail, "playbooks/tell.yml": tellPlaybook} {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	sched, err := jobs.ParseSchedule([]byte(`logs:
  - name: trail
    path: logs
    output: alerts
    every: 1h
    run_on_start: true
    respond: {playbooks: [playbooks], state: respond}
`), dir)
	if err != nil {
		t.Fatal(err)
	}
	q, err := jobs.Open(ctx, jobs.Options{DSN: filepath.Join(dir, "history.db"), Workers: 1, Schedule: sched, PollInterval: 100 * time.Millisecond, ID: "test"})
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
	planJob := waitPlanJob(ctx, t, events)
	jr := jobRun(ctx, t, q.Store(), planJob)
	if jr.Status != history.JobCompleted || !strings.Contains(jr.Result, ": 1 steps (1 await approval) in ") {
		t.Fatalf("plan job run: %+v", jr)
	}
	plans, _ := filepath.Glob(filepath.Join(dir, "respond", "plans", "*.json"))
	if len(plans) != 1 || !strings.HasSuffix(jr.Result, plans[0]) {
		t.Fatalf("plans written: %v (job run says %q)", plans, jr.Result)
	}
	b, err := os.ReadFile(plans[0])
	if err != nil || !strings.Contains(string(b), `"notify.webhook"`) || !strings.Contains(string(b), "env:VIGIL_TEST_HOOK") {
		t.Errorf("plan: %v\n%.600s", err, b)
	}
	if _, err := os.Stat(filepath.Join(dir, "respond", "trail.jsonl")); err != nil {
		t.Errorf("no trail: %v", err)
	}
	if runs, _ := filepath.Glob(filepath.Join(dir, "respond", "runs", "*")); len(runs) > 0 {
		t.Errorf("a plan job applied something: %v", runs)
	}
	fl := jobRun(ctx, t, q.Store(), 1)
	if fl.Kind != jobs.FollowKind || !strings.Contains(fl.Result, fmt.Sprintf("playbooks planned by job %d", planJob)) {
		t.Errorf("follow job run: %+v", fl)
	}
}
