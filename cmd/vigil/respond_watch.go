package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/vigil-sec/vigil/internal/respond"
	"github.com/vigil-sec/vigil/internal/respond/engine"
	"github.com/vigil-sec/vigil/internal/respond/subjects"
)

func newRespondWatchCmd(f *respondFlags) *cobra.Command {
	var books, alerts, findings []string
	var interval time.Duration
	var once bool
	cmd := &cobra.Command{
		Use:   "watch --playbooks DIR (--alerts FILE | --findings FILE)...",
		Short: "Continuous mode: follow alerts and scheduled scans' findings, run auto steps, queue the rest for approval",
		Long: `Follows growing alert files (vigil detect --follow --output FILE) from where it stopped, and re-reads findings
files when a scheduled scan rewrites them. New findings and alerts are planned against the playbooks: the steps
their playbook marks auto (notify, ticket, enrich) run at once; every other step is written to a plan under
STATE/plans/ for "vigil respond approve" and "vigil respond apply". The checkpoint (STATE/checkpoint.jsonl) keeps
the read offsets and every step started, so a restart never runs a step twice.`,
		Example: `  vigil detect --follow logs/ --output alerts.jsonl &
  vigil respond watch --playbooks ops/playbooks --alerts alerts.jsonl --findings nightly/findings.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if len(books) == 0 {
				return usageErr(errors.New("--playbooks: name at least one playbook file or directory"))
			}
			if len(alerts)+len(findings) == 0 {
				return usageErr(errors.New("name what to follow: --alerts FILE or --findings FILE"))
			}
			r, closeTrail, err := f.runner(cmd)
			if err != nil {
				return err
			}
			defer closeTrail()
			pbs, err := loadPlaybooks(books, r.Registry)
			if err != nil {
				return usageErr(err)
			}
			cp, err := engine.OpenCheckpoint(f.checkpointPath())
			if err != nil {
				return err
			}
			defer cp.Close()
			w := &watcher{cmd: cmd, f: f, r: r, books: pbs, cp: cp, mtimes: map[string]time.Time{}}
			ctx := cmd.Context()
			for {
				if err := w.pass(ctx, alerts, findings); err != nil {
					return err
				}
				if once {
					return nil
				}
				select {
				case <-ctx.Done():
					return nil
				case <-time.After(interval):
				}
			}
		},
	}
	cmd.Flags().StringSliceVarP(&books, "playbooks", "p", nil, "playbook files or directories")
	cmd.Flags().StringSliceVar(&alerts, "alerts", nil, "alert files to follow (JSON lines, read from where the last run stopped)")
	cmd.Flags().StringSliceVar(&findings, "findings", nil, "findings files re-read when they change (a scheduled scan's output)")
	cmd.Flags().DurationVar(&interval, "interval", 10*time.Second, "how often to look for new alerts and findings")
	cmd.Flags().BoolVar(&once, "once", false, "one pass, then exit (for cron)")
	return cmd
}

type watcher struct {
	cmd    *cobra.Command
	f      *respondFlags
	r      *engine.Runner
	books  []engine.Playbook
	cp     *engine.Checkpoint
	mtimes map[string]time.Time
}

// pass reads what is new, plans it, runs the auto steps and queues the
// others in a plan file.
func (w *watcher) pass(ctx context.Context, alerts, findings []string) error {
	var subs []*respond.Subject
	offsets := map[string]int64{}
	for _, p := range alerts {
		got, off, err := w.readNew(ctx, p)
		if err != nil {
			fmt.Fprintln(w.cmd.ErrOrStderr(), "vigil: watch:", err)
			continue
		}
		subs = append(subs, got...)
		offsets[p] = off
	}
	for _, p := range findings {
		st, err := os.Stat(p)
		if err != nil {
			fmt.Fprintln(w.cmd.ErrOrStderr(), "vigil: watch:", err)
			continue
		}
		if st.ModTime().Equal(w.mtimes[p]) {
			continue
		}
		w.mtimes[p] = st.ModTime()
		got, probs := subjects.ReadFile(p, subjects.Options{})
		for _, e := range probs {
			fmt.Fprintln(w.cmd.ErrOrStderr(), "vigil: input error:", e)
		}
		subs = append(subs, got...)
	}
	if len(subs) > 0 {
		if err := w.act(ctx, subs); err != nil {
			return err
		}
	}
	// The offsets move only once what was read is planned and its auto
	// steps ran: a crash before reads it again, and the checkpoint's keys
	// keep the steps from running twice.
	for p, off := range offsets {
		if off != w.cp.Offset(p) {
			if err := w.cp.SetOffset(p, off); err != nil {
				return err
			}
		}
	}
	return nil
}

func (w *watcher) readNew(ctx context.Context, path string) ([]*respond.Subject, int64, error) {
	start := w.cp.Offset(path)
	fh, err := os.Open(path)
	if err != nil {
		return nil, start, err
	}
	defer fh.Close()
	if st, err := fh.Stat(); err == nil && st.Size() < start {
		fmt.Fprintf(w.cmd.ErrOrStderr(), "vigil: watch: %s is shorter than the checkpoint's offset (rotated or truncated): reading it from the start\n", path)
		start = 0
	}
	if _, err := fh.Seek(start, io.SeekStart); err != nil {
		return nil, start, err
	}
	var out []*respond.Subject
	off, err := subjects.ReadJSONL(ctx, fh, start, subjects.Options{}, func(line int, s *respond.Subject, perr error) error {
		if perr != nil {
			fmt.Fprintf(w.cmd.ErrOrStderr(), "vigil: input error: %s (byte %d on): %v\n", path, start, perr)
			return nil
		}
		out = append(out, s)
		return nil
	})
	return out, off, err
}

func (w *watcher) act(ctx context.Context, subs []*respond.Subject) error {
	p, err := w.r.Build(ctx, subs, w.books, engine.BuildOptions{Done: w.cp.Done})
	if err != nil {
		return err
	}
	if len(p.Items) == 0 {
		return nil
	}
	sealed, err := engine.Seal(p)
	if err != nil {
		return err
	}
	path := filepath.Join(w.f.state, "plans", p.ID+".json")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	if err := sealed.WriteFile(path); err != nil {
		return err
	}
	if err := w.r.Trail.Record(ctx, w.r.Actor, engine.Event{Kind: engine.KindPlan, Plan: sealed.Hash,
		Data: map[string]any{"plan": p.ID, "file": path, "items": len(p.Items), "mode": "watch"}}); err != nil {
		return err
	}
	run, err := w.r.Apply(ctx, sealed, engine.ApplyOptions{RunsDir: w.f.runsDir(), OnlyAuto: true, Checkpoint: w.cp})
	if err != nil {
		return err
	}
	c := run.Counts()
	fmt.Fprintf(w.cmd.OutOrStdout(), "%s: %d subject(s), %d step(s) planned; auto: %d applied, %d failed; %d awaiting approval in %s\n",
		time.Now().UTC().Format(time.RFC3339), len(subs), len(p.Items), c[engine.StatusApplied], c[engine.StatusFailed],
		c[engine.StatusNotApproved]+c[engine.StatusNotRun], path)
	return nil
}
