package jobs_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

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
	for _, tc := range []struct{ doc, want string }{
		{"", "empty schedule"},
		{"sources: []", "no sources"},
		{"sources:\n  - every: 1h", "path is required"},
		{"sources:\n  - path: x", "give when to scan"},
		{"sources:\n  - path: x\n    every: 1h\n    cron: '@daily'", "not both"},
		{"sources:\n  - path: x\n    every: 10s", "shorter than"},
		{"sources:\n  - path: x\n    every: soon", "every:"},
		{"sources:\n  - path: x\n    cron: '61 * * * *'", "cron"},
		{"sources:\n  - path: x\n    every: 1h\n  - path: x\n    every: 2h", "two sources"},
		{"sources:\n  - path: x\n    every: 1h\n    accounts: ['1', '1']", "repeated account"},
		{"sources:\n  - path: x\n    every: 1h\n    evry: 2h", "evry"},
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
