package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/riverqueue/river/rivertype"

	"github.com/vigil-sec/vigil/internal/history"
	"github.com/vigil-sec/vigil/internal/history/historytest"
	"github.com/vigil-sec/vigil/internal/jobs"
	"github.com/vigil-sec/vigil/internal/synth"
)

// workerArgsEnv makes TestWorkerProcess run vigil with these arguments
// (separated by workerArgSep) in a subprocess of the test binary.
const (
	workerArgsEnv = "VIGIL_TEST_WORKER_ARGS"
	workerArgSep  = "\x1f"
)

// TestWorkerProcess is not a test of its own: TestWorkersShareAndSurviveKill
// re-runs the test binary with it to run vigil worker as a real process.
func TestWorkerProcess(t *testing.T) {
	args := os.Getenv(workerArgsEnv)
	if args == "" {
		t.Skip("runs vigil worker as a subprocess of TestWorkersShareAndSurviveKill")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, strings.Split(args, workerArgSep)))
}

// workerProc is a vigil worker subprocess and what it wrote on stderr.
type workerProc struct {
	name    string
	cmd     *exec.Cmd
	mu      sync.Mutex
	log     bytes.Buffer
	started chan struct{} // a value per "job started" line
	done    chan struct{}
}

func (w *workerProc) logText() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.log.String()
}

func startWorker(t *testing.T, name string, args ...string) *workerProc {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestWorkerProcess$")
	cmd.Env = append(os.Environ(), workerArgsEnv+"="+strings.Join(append([]string{"worker", "--name", name}, args...), workerArgSep))
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	w := &workerProc{name: name, cmd: cmd, started: make(chan struct{}, 100), done: make(chan struct{})}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		defer close(w.done)
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			w.mu.Lock()
			w.log.WriteString(line + "\n")
			w.mu.Unlock()
			if strings.Contains(line, "job started") {
				select {
				case w.started <- struct{}{}:
				default:
				}
			}
		}
		io.Copy(io.Discard, stderr)
	}()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
	})
	return w
}

// simulatedOrg writes a simulated organization of 20 AWS accounts (the
// sample organization's resources copied by internal/synth), one export
// folder per account as an organization's Config aggregator delivers them,
// and returns the folder and the accounts.
func simulatedOrg(t *testing.T) (string, []string) {
	t.Helper()
	gen := t.TempDir()
	if _, err := synth.Generate(context.Background(), gen, 5400, synth.RuleHeavy); err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob(filepath.Join(gen, "aws", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no AWS snapshot generated (%v)", err)
	}
	byAccount := map[string][]json.RawMessage{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var snap struct {
			Items []json.RawMessage `json:"configurationItems"`
		}
		if err := json.Unmarshal(b, &snap); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, it := range snap.Items {
			var head struct {
				Account string `json:"awsAccountId"`
			}
			if err := json.Unmarshal(it, &head); err != nil || head.Account == "" {
				t.Fatalf("%s: a configuration item without its account (%v)", f, err)
			}
			byAccount[head.Account] = append(byAccount[head.Account], it)
		}
	}
	org := t.TempDir()
	var accounts []string
	for acct, items := range byAccount {
		accounts = append(accounts, acct)
		b, err := json.Marshal(map[string]any{"fileVersion": "1.0", "configSnapshotId": "synth-" + acct, "configurationItems": items})
		if err != nil {
			t.Fatal(err)
		}
		dir := filepath.Join(org, acct)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "config-snapshot.json"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	slices.Sort(accounts)
	return org, accounts
}

// TestWorkersShareAndSurviveKill is the job queue's acceptance test: three
// vigil worker processes on one PostgreSQL database share the scans of a
// 20-account simulated organization (one job per account); one worker is
// SIGKILLed in the middle of a job; every job completes exactly once: 20
// completed jobs in River's table, 20 completed job runs of 20 distinct
// accounts, and 20 history runs, one per account, none twice.
func TestWorkersShareAndSurviveKill(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the acceptance test of vigil worker runs three processes for about 40 seconds")
	}
	dsn := historytest.Postgres(t)
	org, accounts := simulatedOrg(t)
	if len(accounts) != 20 {
		t.Fatalf("the simulated organization has %d AWS accounts, want 20", len(accounts))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	// The enqueuer migrates the database (history and River) before the
	// workers start.
	q, err := jobs.Open(ctx, jobs.Options{DSN: dsn})
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()

	// Timeouts short enough for a test: a job takes well under a second
	// (plus the half second of --job-delay that lets the kill land in the
	// middle of one); a job left running 6 s is rescued at the leader's
	// next look (every 30 s).
	common := []string{"--db", dsn, "--workers", "2", "--job-timeout", "5s", "--rescue-after", "6s", "--poll", "200ms",
		"--job-delay", "500ms", "--log-level", "info"}
	var ws []*workerProc
	for i := 1; i <= 3; i++ {
		ws = append(ws, startWorker(t, fmt.Sprintf("w%d", i), common...))
	}
	dump := func() {
		for _, w := range ws {
			t.Logf("--- %s stderr:\n%s", w.name, w.logText())
		}
	}
	// Wait until each worker is working (its rules compiled).
	for _, w := range ws {
		for !strings.Contains(w.logText(), "working jobs") {
			select {
			case <-w.done:
				dump()
				t.Fatalf("worker %s exited before working", w.name)
			case <-ctx.Done():
				dump()
				t.Fatal("the workers did not start")
			case <-time.After(100 * time.Millisecond):
			}
		}
	}
	start := time.Now()
	for _, a := range accounts {
		if _, err := q.Enqueue(ctx, jobs.ScanArgs{Path: filepath.Join(org, a), Source: "org#" + a, Account: a}); err != nil {
			t.Fatal(err)
		}
	}
	// SIGKILL w2 in the middle of a job, once it has completed some (it
	// works two at a time: its fourth job starts after one of the first
	// two completed).
	victim := ws[1]
	for n := 0; n < 4; n++ {
		select {
		case <-victim.started:
		case <-ctx.Done():
			dump()
			t.Fatal("the victim worker never started four jobs")
		}
	}
	if err := victim.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	victim.cmd.Wait()
	killedAt := time.Since(start)

	// Every job completes.
	var rows []*rivertype.JobRow
	for {
		if rows, err = q.Jobs(ctx, 0); err != nil {
			t.Fatal(err)
		}
		done := 0
		for _, r := range rows {
			if r.State == rivertype.JobStateCompleted {
				done++
			}
		}
		if done == len(accounts) {
			break
		}
		select {
		case <-ctx.Done():
			dump()
			t.Fatalf("%d of %d jobs completed in time", done, len(accounts))
		case <-time.After(250 * time.Millisecond):
		}
	}
	t.Logf("20 jobs completed in %s (w2 killed at %s)", time.Since(start).Round(time.Millisecond), killedAt.Round(time.Millisecond))
	for _, w := range []*workerProc{ws[0], ws[2]} {
		w.cmd.Process.Signal(syscall.SIGTERM)
	}
	for _, w := range []*workerProc{ws[0], ws[2]} {
		if err := w.cmd.Wait(); err != nil {
			t.Errorf("worker %s stopping: %v", w.name, err)
		}
	}

	// River's table: 20 jobs, each completed once; the killed worker's
	// job was attempted by it and completed by another.
	if len(rows) != len(accounts) {
		t.Errorf("%d jobs in River's table, want %d", len(rows), len(accounts))
	}
	rescued := 0
	byWorker := map[string]int{}
	byID := map[int64]*rivertype.JobRow{}
	for _, r := range rows {
		byID[r.ID] = r
		if r.State != rivertype.JobStateCompleted {
			t.Errorf("job %d: %s", r.ID, r.State)
		}
		if r.Attempt > 1 {
			rescued++
			if !slices.Contains(r.AttemptedBy, "w2") {
				t.Errorf("job %d ran %d times, attempted by %v: only the killed worker's job should run twice", r.ID, r.Attempt, r.AttemptedBy)
			}
		}
		if len(r.AttemptedBy) > 0 {
			byWorker[r.AttemptedBy[len(r.AttemptedBy)-1]]++
		}
	}
	if rescued == 0 {
		t.Error("no job ran twice: the killed worker's job was not rescued (or the kill missed its job)")
	}
	if byWorker["w1"] == 0 || byWorker["w2"] == 0 || byWorker["w3"] == 0 {
		t.Errorf("jobs completed per worker %v: the three workers did not share the work", byWorker)
	}
	t.Logf("jobs completed per worker: %v; rescued: %d", byWorker, rescued)

	// The job runs: 20 completed, 20 distinct accounts, 20 distinct runs.
	jrs, err := q.Store().JobRuns(ctx, history.JobRunQuery{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	seenAcct, seenRun := map[string]bool{}, map[int64]bool{}
	for _, jr := range jrs {
		if jr.Status != history.JobCompleted || jr.RunID == 0 {
			t.Errorf("job run %d: %s, run %d, error %q", jr.JobID, jr.Status, jr.RunID, jr.Error)
		}
		if seenAcct[jr.Account] || seenRun[jr.RunID] {
			t.Errorf("job run %d: account %s or run %d recorded twice", jr.JobID, jr.Account, jr.RunID)
		}
		seenAcct[jr.Account], seenRun[jr.RunID] = true, true
		// The job run is its last attempt's: the worker that completed it.
		if r := byID[jr.JobID]; r == nil || len(r.AttemptedBy) == 0 || jr.Attempt != r.Attempt || jr.Worker != r.AttemptedBy[len(r.AttemptedBy)-1] {
			t.Errorf("job run %d: attempt %d by %s, not the job's last attempt", jr.JobID, jr.Attempt, jr.Worker)
		}
	}
	if len(jrs) != len(accounts) || len(seenAcct) != len(accounts) {
		t.Errorf("%d job runs of %d accounts, want %d of %d", len(jrs), len(seenAcct), len(accounts), len(accounts))
	}
	// The history: one run per account, none twice, none lost.
	runs, err := q.Store().Runs(ctx, history.RunQuery{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	sources := map[string]int{}
	for _, r := range runs {
		sources[r.Source]++
		if r.Status != history.RunComplete || r.Total == 0 {
			t.Errorf("run %d of %s: %s with %d findings", r.ID, r.Source, r.Status, r.Total)
		}
	}
	for _, a := range accounts {
		if sources["org#"+a] != 1 {
			t.Errorf("account %s: %d runs in the history, want 1", a, sources["org#"+a])
		}
	}
	if len(runs) != len(accounts) {
		t.Errorf("%d runs in the history, want %d", len(runs), len(accounts))
	}
	if t.Failed() {
		dump()
	}
}
