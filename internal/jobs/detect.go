package jobs

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/riverqueue/river"

	"github.com/vigil-sec/vigil/internal/detect"
	"github.com/vigil-sec/vigil/internal/history"
	"github.com/vigil-sec/vigil/internal/logs"
)

// DetectKind is the River job kind of a detection over a batch of log
// files.
const DetectKind = "vigil_detect"

// DetectArgs are the inputs of a detection job: audit log files or
// folders, as vigil detect reads them, the Sigma rule folders to run
// beside the built-in detections, and the folder the alerts go to.
type DetectArgs struct {
	Paths []string `json:"paths"`
	Rules []string `json:"rules,omitempty"`
	// Output is the folder of the alert files: the job writes
	// alerts-job-ID.jsonl there (OCSF Detection Findings, one a line),
	// whole or not at all, so a job run again replaces its file.
	Output string `json:"output"`
}

// Kind is River's job kind.
func (DetectArgs) Kind() string { return DetectKind }

// InsertOpts are the defaults of a detection job.
func (DetectArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: 3} }

// AlertFile is where the detection job id writes its alerts.
func (a DetectArgs) AlertFile(id int64) string {
	return filepath.Join(a.Output, fmt.Sprintf("alerts-job-%d.jsonl", id))
}

type detectWorker struct {
	river.WorkerDefaults[DetectArgs]
	q *Queue
}

// countingSink counts the alerts written.
type countingSink struct {
	detect.Sink
	n atomic.Int64
}

func (s *countingSink) Write(ctx context.Context, a *detect.Alert) error {
	s.n.Add(1)
	return s.Sink.Write(ctx, a)
}

// Work runs the detections over the batch and writes the alert file.
func (w *detectWorker) Work(ctx context.Context, job *river.Job[DetectArgs]) error {
	q := w.q
	a := job.Args
	jr := history.JobRun{JobID: job.ID, Kind: DetectKind, Source: strings.Join(a.Paths, ","), Args: string(job.EncodedArgs),
		Attempt: job.Attempt, Worker: q.id, Started: time.Now()}
	if err := q.store.StartJobRun(ctx, jr); err != nil {
		return err
	}
	q.log.Info("job started", "job", job.ID, "kind", DetectKind, "attempt", job.Attempt, "worker", q.id)
	n, inputErrs, err := w.run(ctx, job)
	finish := func(status, errText, result string) error {
		return q.store.FinishJobRun(context.WithoutCancel(ctx), job.ID, status, errText, result, time.Now())
	}
	if err != nil {
		return errors.Join(err, finish(history.JobFailed, err.Error(), ""))
	}
	result := fmt.Sprintf("%d alerts in %s", n, a.AlertFile(job.ID))
	q.log.Info("job completed", "job", job.ID, "kind", DetectKind, "alerts", n, "input_errors", len(inputErrs))
	return finish(history.JobCompleted, strings.Join(inputErrs, "; "), result)
}

// maxInputErrors is how many input errors a job run keeps.
const maxInputErrors = 20

func (w *detectWorker) run(ctx context.Context, job *river.Job[DetectArgs]) (int64, []string, error) {
	q, a := w.q, job.Args
	if len(a.Paths) == 0 || a.Output == "" {
		return 0, nil, river.JobCancel(errors.New("a detection job needs paths and an output folder"))
	}
	if q.opts.Delay > 0 {
		select {
		case <-ctx.Done():
			return 0, nil, ctx.Err()
		case <-time.After(q.opts.Delay):
		}
	}
	eng, err := detect.New(ctx, detect.Config{RuleDirs: a.Rules, Version: q.opts.Version, Logger: q.log})
	if err != nil {
		return 0, nil, err
	}
	if err := os.MkdirAll(a.Output, 0o755); err != nil {
		return 0, nil, err
	}
	final := a.AlertFile(job.ID)
	tmp := final + ".partial"
	f, err := os.Create(tmp) // truncates what a dead attempt left
	if err != nil {
		return 0, nil, err
	}
	defer os.Remove(tmp)
	sink := &countingSink{Sink: detect.NewJSONLWriter(f)}
	var inputErrs []string
	onErr := func(ie logs.InputError) {
		if len(inputErrs) < maxInputErrors {
			inputErrs = append(inputErrs, ie.Error())
		}
	}
	err = eng.Run(ctx, a.Paths, sink, detect.RunOptions{OnInputError: onErr, Workers: 1})
	if cerr := sink.Close(); err == nil {
		err = cerr
	}
	if cerr := f.Close(); err == nil && cerr != nil && !errors.Is(cerr, os.ErrClosed) {
		err = cerr
	}
	if err != nil {
		return 0, inputErrs, err
	}
	if err := os.Rename(tmp, final); err != nil {
		return 0, inputErrs, err
	}
	return sink.n.Load(), inputErrs, nil
}
