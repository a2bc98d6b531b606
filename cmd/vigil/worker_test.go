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
	"github.com/vigil-sec/vigil/internal/jobs/jobstest"
	"github.com/vigil-sec/vigil/internal/respond/trail"
	"github.com/vigil-sec/vigil/internal/respond/wire"
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
	name      string
	cmd       *exec.Cmd
	mu        sync.Mutex
	log       bytes.Buffer
	started   chan struct{} // a value per "job started" line
	completed chan struct{} // a value per "job completed" line (the run recorded)
	done      chan struct{}
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
	w := &workerProc{name: name, cmd: cmd, started: make(chan struct{}, 100), completed: make(chan struct{}, 100), done: make(chan struct{})}
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
			for text, ch := range map[string]chan struct{}{"job started": w.started, "job completed": w.completed} {
				if strings.Contains(line, text) {
					select {
					case ch <- struct{}{}:
					default:
					}
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

	// Timeouts short enough for a test: a job takes about a second (the
	// half second of --job-delay that lets the kill land in the middle of
	// one included), a few on a loaded machine; a job left running 16 s is
	// rescued at the leader's next look (every 30 s).
	common := []string{"--db", dsn, "--workers", "2", "--job-timeout", "15s", "--rescue-after", "16s", "--poll", "200ms",
		"--job-delay", "500ms", "--log-level", "info"}
	// w2, the worker to kill, holds each job 3 s after recording its run
	// before telling the queue: it is killed in between, so its job is run
	// again after it was recorded, and must not be recorded twice.
	var ws []*workerProc
	for i := 1; i <= 3; i++ {
		args := common
		if i == 2 {
			args = append(slices.Clip(common), "--job-hold", "3s")
		}
		ws = append(ws, startWorker(t, fmt.Sprintf("w%d", i), args...))
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
	// SIGKILL w2 once it recorded the run of a job, before the queue
	// hears the job completed (its other job, if any, is still running).
	victim := ws[1]
	select {
	case <-victim.completed:
	case <-ctx.Done():
		dump()
		t.Fatal("the victim worker never recorded a run")
	}
	victim.kill(t)
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

	// River's table: 20 jobs, each completed; the killed worker's jobs
	// were run again by another.
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
			if slices.Contains(r.AttemptedBy, "w2") {
				rescued++
			} else {
				// A job over --job-timeout on a loaded machine is retried
				// too; it must still complete once (checked below).
				t.Logf("job %d ran %d times, attempted by %v (timed out?): %v", r.ID, r.Attempt, r.AttemptedBy, r.Errors)
			}
		}
		if len(r.AttemptedBy) > 0 {
			byWorker[r.AttemptedBy[len(r.AttemptedBy)-1]]++
		}
	}
	if rescued == 0 {
		t.Error("no job of the killed worker ran again: its job was not rescued (or the kill missed its job)")
	}
	t.Logf("jobs completed (in River) per worker: %v; rescued from the killed worker: %d", byWorker, rescued)

	// The job runs: 20 completed, 20 distinct accounts, 20 distinct runs.
	jrs, err := q.Store().JobRuns(ctx, history.JobRunQuery{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	seenAcct, seenRun := map[string]bool{}, map[int64]bool{}
	recordedBy := map[string]int{}
	recordedThenRerun := 0
	for _, jr := range jrs {
		if jr.Status != history.JobCompleted || jr.RunID == 0 {
			t.Errorf("job run %d: %s, run %d, error %q", jr.JobID, jr.Status, jr.RunID, jr.Error)
		}
		if seenAcct[jr.Account] || seenRun[jr.RunID] {
			t.Errorf("job run %d: account %s or run %d recorded twice", jr.JobID, jr.Account, jr.RunID)
		}
		seenAcct[jr.Account], seenRun[jr.RunID] = true, true
		// The job run is the attempt that recorded the run; a later attempt
		// (the job run again after its worker died) recorded nothing.
		r := byID[jr.JobID]
		if r == nil || jr.Attempt < 1 || jr.Attempt > len(r.AttemptedBy) || jr.Worker != r.AttemptedBy[jr.Attempt-1] {
			t.Errorf("job run %d: attempt %d by %s, not an attempt of the job (%+v)", jr.JobID, jr.Attempt, jr.Worker, r)
		} else if jr.Attempt < r.Attempt {
			recordedThenRerun++
		}
		recordedBy[jr.Worker]++
	}
	if len(jrs) != len(accounts) || len(seenAcct) != len(accounts) {
		t.Errorf("%d job runs of %d accounts, want %d of %d", len(jrs), len(seenAcct), len(accounts), len(accounts))
	}
	if recordedBy["w1"] == 0 || recordedBy["w2"] == 0 || recordedBy["w3"] == 0 {
		t.Errorf("runs recorded per worker %v: the three workers did not share the work", recordedBy)
	}
	if recordedThenRerun == 0 {
		t.Error("no job was run again after its run was recorded: the kill missed the window it was aimed at")
	}
	t.Logf("runs recorded per worker: %v; jobs run again after the killed worker recorded them: %d", recordedBy, recordedThenRerun)
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

// TestWorkerCLISQLite queues a scan with vigil worker enqueue, works it with
// vigil worker on the default engine (SQLite) in this process, and lists
// the job run with vigil worker runs.
func TestWorkerCLISQLite(t *testing.T) {
	db := filepath.Join(t.TempDir(), "history.db")
	if code, _ := runCLI(t, "worker", "enqueue", "no/such/dir", "--db", db); code != exitUsage {
		t.Errorf("enqueue of a missing path: exit %d, want %d", code, exitUsage)
	}
	if code := runBounded(t, "worker", "--workers", "0", "--db", db); code != exitUsage {
		t.Errorf("--workers 0: exit %d, want %d", code, exitUsage)
	}
	code, out := runCLI(t, "worker", "enqueue", "../../examples/org/aws", "--account", "111122223333", "--source", "sample", "--db", db)
	if code != 0 || !strings.HasSuffix(strings.TrimSpace(out), "\tsample#111122223333") {
		t.Fatalf("enqueue: exit %d, output %q", code, out)
	}
	if code, _ := runCLI(t, "worker", "runs", "--db", db); code != exitUsage {
		t.Errorf("runs before any job ran: exit %d, want %d (nothing to list)", code, exitUsage)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	exited := make(chan int, 1)
	go func() { exited <- run(ctx, []string{"worker", "--db", db, "--poll", "100ms", "--name", "cli"}) }()
	deadline := time.After(2 * time.Minute)
	var jrs []history.JobRun
	done := func() bool { return completedJobs(jrs) == 1 }
	for !done() {
		select {
		case code := <-exited:
			t.Fatalf("the worker exited with %d", code)
		case <-deadline:
			t.Fatalf("the job did not complete: %+v", jrs)
		case <-time.After(200 * time.Millisecond):
		}
		st, err := history.OpenExisting(context.Background(), db)
		if err != nil {
			continue
		}
		jrs, err = st.JobRuns(context.Background(), history.JobRunQuery{})
		st.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	cancel()
	if code := <-exited; code != 0 {
		t.Errorf("the worker stopped with exit %d, want 0", code)
	}
	code, out = runCLI(t, "worker", "runs", "--db", db)
	if code != 0 || !strings.Contains(out, "completed") || !strings.Contains(out, "sample#111122223333") || !strings.Contains(out, "cli") {
		t.Errorf("runs: exit %d, output:\n%s", code, out)
	}
}

// TestServeSchedule runs vigil serve --schedule on SQLite: the scheduler
// enqueues the schedule's scan at start and the in-process worker records
// it; a schedule that does not parse is a usage error.
func TestServeSchedule(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "history.db")
	bad := filepath.Join(dir, "bad.yaml")
	writeFile(t, bad, "sources:\n  - path: x\n")
	if code := runBounded(t, "serve", "--db", db, "--listen", "127.0.0.1:0", "--schedule", bad); code != exitUsage {
		t.Errorf("a schedule without when: exit %d, want %d", code, exitUsage)
	}
	aws, err := filepath.Abs("../../examples/org/aws")
	if err != nil {
		t.Fatal(err)
	}
	sched := filepath.Join(dir, "schedule.yaml")
	if err := os.MkdirAll(filepath.Join(dir, "logs"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "logs", "trail.json"), detectTestTrail)
	writeFile(t, sched, "sources:\n  - name: sample\n    path: "+aws+"\n    accounts: [\"444455556666\"]\n    every: 1h\n    run_on_start: true\n"+
		"logs:\n  - name: trail\n    path: logs\n    output: alerts\n    every: 1h\n    run_on_start: true\n")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	exited := make(chan int, 1)
	go func() {
		exited <- run(ctx, []string{"serve", "--db", db, "--listen", "127.0.0.1:0", "--schedule", sched, "--poll", "100ms"})
	}()
	deadline := time.After(2 * time.Minute)
	var jrs []history.JobRun
	done := func() bool { return completedJobs(jrs) == 2 }
	for !done() {
		select {
		case code := <-exited:
			t.Fatalf("vigil serve exited with %d", code)
		case <-deadline:
			t.Fatalf("the scheduled scan did not complete: %+v", jrs)
		case <-time.After(200 * time.Millisecond):
		}
		st, err := history.OpenExisting(context.Background(), db)
		if err != nil {
			continue
		}
		jrs, err = st.JobRuns(context.Background(), history.JobRunQuery{})
		st.Close()
		if err != nil {
			continue // the schema may not be there yet
		}
	}
	cancel()
	if code := <-exited; code != 0 {
		t.Errorf("vigil serve stopped with exit %d, want 0", code)
	}
	for _, jr := range jrs {
		switch jr.Kind {
		case "vigil_scan":
			if jr.Source != "sample#444455556666" || jr.RunID == 0 {
				t.Errorf("scan job run: %+v", jr)
			}
		case "vigil_follow":
			if jr.Source != "trail" || !strings.Contains(jr.Result, "1 alerts in "+filepath.Join(dir, "alerts")) {
				t.Errorf("follow job run: %+v", jr)
			}
		default:
			t.Errorf("job run of kind %s", jr.Kind)
		}
	}
}

// runBounded runs vigil in-process for at most 30 seconds: a command that
// should refuse its arguments, but would serve or work until stopped if it
// did not, fails the test instead of hanging it.
func runBounded(t *testing.T, args ...string) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return run(ctx, args)
}

// TestFollowSurvivesKill: a vigil worker is SIGKILLed after its follow job
// advanced the checkpoint and wrote the alerts, before the queue heard the
// job completed. Another worker (on the same SQLite file) rescues the job
// and runs it again: the job is not recorded twice, the checkpoint moves
// once, and the alert file keeps the three alerts, once each.
func TestFollowSurvivesKill(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: kills a worker and waits for the rescuer (about 40 seconds)")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	f := startFollowVictim(ctx, t, "--job-hold")
	q, logDir, out, common, victim, args, id := f.q, f.logDir, f.out, f.common, f.victim, f.args, f.id
	select {
	case <-victim.completed:
	case <-ctx.Done():
		t.Fatalf("the follow job did not record:\n%s", victim.logText())
	}
	victim.kill(t)
	rescuer := startWorker(t, "rescuer", common...)
	rows := waitCompleted(ctx, t, q, 1, rescuer, "the killed worker's job was not run again")
	if len(rows) != 1 || rows[0].Attempt != 2 || !slices.Equal(rows[0].AttemptedBy, []string{"victim", "rescuer"}) {
		t.Errorf("jobs %+v: want one, its second attempt by the rescuer", rows)
	}
	rescuer.stop()
	jr, err := q.Store().JobRunByID(ctx, id)
	if err != nil || jr.Status != history.JobCompleted || jr.Attempt != 1 || jr.Worker != "victim" || !strings.HasPrefix(jr.Result, "3 new or grown files, 3 alerts") {
		t.Errorf("job run %+v (%v): want the victim's record kept", jr, err)
	}
	st, err := q.Store().FollowState(ctx, "trail", logDir)
	if err != nil || st.Seq != 1 || st.Files != 3 {
		t.Errorf("follow state %+v (%v): the checkpoint must move once", st, err)
	}
	b, err := os.ReadFile(args.AlertFile(id))
	if err != nil {
		t.Fatal(err)
	}
	checkThreeAlerts(t, b, out)
}

// waitWorking waits until w logs that it works jobs (its rules compiled); it
// fails the test if w exits first.
func (w *workerProc) waitWorking(t *testing.T) {
	t.Helper()
	for !strings.Contains(w.logText(), "working jobs") {
		select {
		case <-w.done:
			t.Fatalf("the worker exited:\n%s", w.logText())
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// kill SIGKILLs w and waits for it to end.
func (w *workerProc) kill(t *testing.T) {
	t.Helper()
	if err := w.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	w.cmd.Wait()
}

// stop asks w to stop (SIGTERM) and waits for it to end.
func (w *workerProc) stop() {
	w.cmd.Process.Signal(syscall.SIGTERM)
	w.cmd.Wait()
}

// waitCompleted polls q until n of its jobs completed and returns them all;
// at ctx's end it fails the test with what, and w's log.
func waitCompleted(ctx context.Context, t *testing.T, q *jobs.Queue, n int, w *workerProc, what string) []*rivertype.JobRow {
	t.Helper()
	for {
		rows, err := q.Jobs(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		done := 0
		for _, r := range rows {
			if r.State == rivertype.JobStateCompleted {
				done++
			}
		}
		if done == n {
			return rows
		}
		select {
		case <-ctx.Done():
			t.Fatalf("%s (%d of %d):\n%s", what, done, n, w.logText())
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// followVictim is the set-up of the follow kill tests: three CloudTrail
// files, a queue on a SQLite file, a victim worker held in the job by one
// flag, and the follow job enqueued.
type followVictim struct {
	q           *jobs.Queue
	logDir, out string
	common      []string
	victim      *workerProc
	args        jobs.FollowArgs
	id          int64
}

func startFollowVictim(ctx context.Context, t *testing.T, holdFlag string) followVictim {
	t.Helper()
	dir := t.TempDir()
	db, logDir, out := filepath.Join(dir, "history.db"), filepath.Join(dir, "logs"), filepath.Join(dir, "alerts")
	if err := os.MkdirAll(logDir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"aaaaaaaa", "bbbbbbbb", "cccccccc"} {
		writeFile(t, filepath.Join(logDir, id+".json"), strings.Replace(detectTestTrail, "11111111-1111-4111-8111-111111111111", id+"-1111-4111-8111-111111111111", 1))
	}
	q, err := jobs.Open(ctx, jobs.Options{DSN: db})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { q.Close() })
	common := []string{"--db", db, "--workers", "1", "--job-timeout", "5s", "--rescue-after", "6s", "--poll", "200ms", "--log-level", "info"}
	victim := startWorker(t, "victim", append(slices.Clip(common), holdFlag, "30s")...)
	victim.waitWorking(t)
	args := jobs.FollowArgs{Name: "trail", Dir: logDir, Output: out}
	id, err := q.Enqueue(ctx, args)
	if err != nil {
		t.Fatal(err)
	}
	return followVictim{q: q, logDir: logDir, out: out, common: common, victim: victim, args: args, id: id}
}

// checkThreeAlerts checks the follow job's alert file b: the alert on each
// of the three events, once, and the only file in the alert folder out.
func checkThreeAlerts(t *testing.T, b []byte, out string) {
	t.Helper()
	for _, want := range []string{"aaaaaaaa-", "bbbbbbbb-", "cccccccc-"} {
		if strings.Count(string(b), want) < 1 {
			t.Errorf("alert file lacks the alert on %s", want)
		}
	}
	if n := strings.Count(string(b), "\n"); n != 3 {
		t.Errorf("alert file: %d alerts, want 3 (each event counted once)", n)
	}
	if files, _ := filepath.Glob(filepath.Join(out, "*")); len(files) != 1 {
		t.Errorf("alert folder: %v, want the one file", files)
	}
}

// completedJobs counts the job runs that completed.
func completedJobs(jrs []history.JobRun) int {
	n := 0
	for _, jr := range jrs {
		if jr.Status == history.JobCompleted {
			n++
		}
	}
	return n
}

// TestFollowKilledBeforeCommit: a vigil worker is SIGKILLed after its
// follow job read the three files and wrote their alerts, before it
// recorded them (the checkpoint's move and the job run's completion, one
// transaction). Another worker rescues the job and reads the same files
// again from the unmoved checkpoint: the job is recorded once, by the
// rescuer; the checkpoint moves once; each event's alert is in the alert
// file once.
func TestFollowKilledBeforeCommit(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: kills a worker and waits for the rescuer (about 40 seconds)")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	f := startFollowVictim(ctx, t, "--job-before-commit")
	q, logDir, out, common, victim, args, id := f.q, f.logDir, f.out, f.common, f.victim, f.args, f.id
	for !strings.Contains(victim.logText(), "job read its files; recording them") {
		select {
		case <-ctx.Done():
			t.Fatalf("the follow job did not read its files:\n%s", victim.logText())
		case <-time.After(100 * time.Millisecond):
		}
	}
	victim.kill(t)
	if st, err := q.Store().FollowState(ctx, "trail", logDir); err != nil || st.Seq != 0 {
		t.Fatalf("follow state after the kill %+v (%v): the checkpoint moved before the commit", st, err)
	}
	rescuer := startWorker(t, "rescuer", common...)
	rows := waitCompleted(ctx, t, q, 1, rescuer, "the killed worker's job was not run again")
	if len(rows) != 1 || !slices.Equal(rows[0].AttemptedBy, []string{"victim", "rescuer"}) {
		t.Errorf("jobs %+v: want one, its second attempt by the rescuer", rows)
	}
	rescuer.stop()
	jr, err := q.Store().JobRunByID(ctx, id)
	if err != nil || jr.Status != history.JobCompleted || jr.Attempt != 2 || jr.Worker != "rescuer" || !strings.HasPrefix(jr.Result, "3 new or grown files, 3 alerts") {
		t.Errorf("job run %+v (%v): want the rescuer's record of the three files", jr, err)
	}
	st, err := q.Store().FollowState(ctx, "trail", logDir)
	if err != nil || st.Seq != 1 || st.Files != 3 {
		t.Errorf("follow state %+v (%v): the checkpoint must move once", st, err)
	}
	b, err := os.ReadFile(args.AlertFile(id))
	if err != nil {
		t.Fatal(err)
	}
	checkThreeAlerts(t, b, out)
}

// TestStepJobSurvivesKill: a vigil worker process applies the first step
// of an approved plan (against a local AWS endpoint) and is SIGKILLed
// before its job is recorded; another vigil worker process rescues the job,
// finds the step's start in the trail and does not apply it again, then
// applies the second step: every write call once.
func TestStepJobSurvivesKill(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: kills a worker and waits for the rescuer (about 40 seconds)")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	dir := t.TempDir()
	db, state := filepath.Join(dir, "history.db"), filepath.Join(dir, "respond")
	st, endpoint, reg := jobstest.StepCloud(t) // the workers inherit its AWS environment
	plan := jobstest.WritePlan(ctx, t, reg, state)
	jobstest.Approve(ctx, t, state, plan, "alice", wire.ModeApply)
	q, err := jobs.Open(ctx, jobs.Options{DSN: db, Registry: reg})
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	common := []string{"--db", db, "--job-timeout", "5s", "--rescue-after", "6s", "--poll", "200ms",
		"--log-level", "info", "--apply-steps", "--aws-endpoint", endpoint}
	// The victim has one worker, held in the first step's job: the second
	// step (free once the first ended in the trail) cannot run there.
	victim := startWorker(t, "victim", append(slices.Clip(common), "--workers", "1", "--job-hold", "60s")...)
	victim.waitWorking(t)
	enq, err := q.EnqueueSteps(ctx, state, plan, wire.ModeApply)
	if err != nil || len(enq.Jobs) != 2 {
		t.Fatalf("enqueue: %+v %v", enq, err)
	}
	// Kill the victim once the first step is applied (its end in the
	// trail), before its job is recorded (it holds).
	trailPath := wire.State(state).Trail()
	for {
		if blocked, _ := jobstest.BucketState(st); blocked && jobstest.WriteCalls(t, trailPath, "PutPublicAccessBlock") == 1 {
			break
		}
		select {
		case <-ctx.Done():
			t.Fatalf("the first step was not applied:\n%s", victim.logText())
		case <-time.After(100 * time.Millisecond):
		}
	}
	victim.kill(t)
	if jr, err := q.Store().JobRunByID(ctx, enq.Jobs[1]); err != nil || jr.Status == history.JobCompleted {
		t.Fatalf("the first step's job was recorded before the kill: %+v %v", jr, err)
	}
	rescuer := startWorker(t, "rescuer", append(slices.Clip(common), "--workers", "2")...)
	waitCompleted(ctx, t, q, 2, rescuer, "the step jobs did not complete")
	rescuer.stop()
	if n := jobstest.WriteCalls(t, trailPath, "PutPublicAccessBlock"); n != 1 {
		t.Errorf("PutPublicAccessBlock written %d times, want once", n)
	}
	if blocked, public := jobstest.BucketState(st); !blocked || public {
		t.Errorf("after both steps: blocked %v, public %v", blocked, public)
	}
	jr, err := q.Store().JobRunByID(ctx, enq.Jobs[1])
	if err != nil || jr.Status != history.JobCompleted || jr.Worker != "rescuer" || !strings.Contains(jr.Result, "not run again") {
		t.Errorf("first step's job run: %+v %v", jr, err)
	}
	jr, err = q.Store().JobRunByID(ctx, enq.Jobs[2])
	if err != nil || jr.Status != history.JobCompleted || !strings.Contains(jr.Result, ": applied (run ") {
		t.Errorf("second step's job run: %+v %v", jr, err)
	}
	if rep, err := trail.Verify(trailPath, trail.VerifyOptions{}); err != nil || rep.Err() != nil {
		t.Errorf("trail: %v %v", err, rep.Err())
	}
}
