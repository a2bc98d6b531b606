package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/vigil-sec/vigil/internal/respond"
	"github.com/vigil-sec/vigil/internal/respond/engine"
	"github.com/vigil-sec/vigil/internal/respond/wire"
)

// respondFlags are the flags every vigil respond subcommand shares.
type respondFlags struct {
	state  string
	by     string
	policy string
	clouds cloudActionFlags
}

func (f *respondFlags) register(cmd *cobra.Command) {
	fl := cmd.PersistentFlags()
	fl.StringVar(&f.state, "state", ".vigil/respond", "directory of the trail (trail.jsonl), run records (runs/) and checkpoint")
	fl.StringVar(&f.by, "by", "", "who is acting, recorded in the trail (default: the OS user)")
	fl.StringVar(&f.policy, "policy", "", "policy file: approvals per action class, blast-radius limits, rate limits, exclusions")
	f.clouds.register(fl)
}

func (f *respondFlags) trailPath() string      { return wire.State(f.state).Trail() }
func (f *respondFlags) runsDir() string        { return wire.State(f.state).Runs() }
func (f *respondFlags) checkpointPath() string { return wire.State(f.state).Checkpoint() }

// runner builds the engine: the registry of actions, the policy and the
// trail (closed by the returned func).
func (f *respondFlags) runner(cmd *cobra.Command) (*engine.Runner, func() error, error) {
	reg, err := f.clouds.registry()
	if err != nil {
		return nil, nil, err
	}
	if f.policy != "" {
		if _, err := engine.LoadPolicy(f.policy); err != nil {
			return nil, nil, usageErr(err)
		}
	}
	return wire.Runner(reg, wire.State(f.state), f.policy, f.by)
}

func newRespondCmd() *cobra.Command {
	f := &respondFlags{}
	cmd := &cobra.Command{
		Use:   "respond",
		Short: "Response playbooks on findings and alerts: plan, approve, apply, roll back, with a tamper-evident trail",
		Long: `Playbooks (YAML) say what to do about findings (vigil scan, vigil iac, identity paths) and alerts (vigil detect):
notify (webhook, Slack, Teams, email), open tickets (Jira, ServiceNow, GitHub), enrich (owner from tags, related
findings, the principal's recent activity), and remediate through the clouds' APIs.

Nothing changes a cloud unless you ask: "plan" only reads and writes a plan file showing, per resource, the exact
API calls and each changed attribute's before and after; "approve" records who approved it; "apply" runs an
approved plan (a plan edited after it was written is refused); "rollback" restores what a run changed where the
action is reversible. Every plan, approval, API call and result is appended to a hash-chained trail that "verify"
checks.

  vigil scan examples/org --format json -o findings.json
  vigil respond plan --playbooks examples/playbooks findings.json -o plan.json
  vigil respond approve plan.json --by alice --reason "SEC-123"
  vigil respond apply plan.json
  vigil respond rollback RUN-ID
  vigil respond verify

Exit status: 0 done; 1 a step failed or the run stopped (a limit reached, on_error: stop); 2 usage or input
error, nothing to do (said on stderr), a plan not approved or edited after approval, a trail that fails
verification.`,
	}
	f.register(cmd)
	cmd.AddCommand(newRespondPlanCmd(f), newRespondApproveCmd(f), newRespondApplyCmd(f), newRespondRollbackCmd(f),
		newRespondVerifyCmd(f), newRespondActionsCmd(f), newRespondWatchCmd(f))
	return cmd
}

func newRespondPlanCmd(f *respondFlags) *cobra.Command {
	var books []string
	var out, format string
	var all bool
	cmd := &cobra.Command{
		Use:   "plan --playbooks DIR INPUT...",
		Short: "Match playbooks against findings or alerts and write the plan (reads only)",
		Long: `INPUT is a findings file (vigil scan/iac --format json, ocsf or ocsf-jsonl) or an alerts file (vigil detect
JSON lines), recognised from its content. Each playbook step matching a finding or alert is planned: its action
reads the resource's current state and says which API calls it would make and what would change; nothing is
changed. The plan file is sealed with a hash: edit it and apply refuses it.`,
		Example: `  vigil respond plan --playbooks examples/playbooks findings.json -o plan.json
  vigil respond plan --playbooks ops/playbooks alerts.jsonl --policy ops/respond-policy.yaml`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format, "text", "json"); err != nil {
				return err
			}
			if len(books) == 0 {
				return usageErr(errors.New("--playbooks: name at least one playbook file or directory"))
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
			subjects, inErr := readSubjects(cmd, args, all)
			if len(subjects) == 0 {
				return errors.Join(nothing("no finding or alert to act on in %s", strings.Join(args, ", ")), inErr)
			}
			p, err := r.Build(cmd.Context(), subjects, pbs, engine.BuildOptions{Inputs: args})
			if err != nil {
				return err
			}
			if out == "" {
				out = filepath.Join(wire.State(f.state).Plans(), p.ID+".json")
			}
			sealed, err := wire.WritePlan(cmd.Context(), r, p, out, args)
			if err != nil {
				return err
			}
			if format == "json" {
				if err := writeJSON(cmd.OutOrStdout(), p); err != nil {
					return err
				}
			} else {
				printPlan(cmd.OutOrStdout(), p)
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "vigil: plan written to %s (hash %s)\n", out, sealed.Hash[:12])
			if len(p.Items) == 0 {
				return errors.Join(nothing("no playbook step to run: %d finding(s)/alert(s), %d skipped match(es)", len(subjects), len(p.Skipped)), inErr)
			}
			return inErr
		},
	}
	cmd.Flags().StringSliceVarP(&books, "playbooks", "p", nil, "playbook files or directories (*.yml, *.yaml)")
	cmd.Flags().StringVarP(&out, "output", "o", "", "plan file to write (default STATE/plans/ID.json)")
	cmd.Flags().StringVarP(&format, "format", "f", "text", "what to print: text, json (the plan)")
	cmd.Flags().BoolVar(&all, "all", false, "act on every finding (PASS, UNKNOWN and muted too), not only active failures")
	return cmd
}

// printPlan writes the plan for a reviewer: per item the resource, the
// calls and each attribute's before and after.
func printPlan(w io.Writer, p *engine.Plan) {
	for _, it := range p.Items {
		ch := it.Change
		state := fmt.Sprintf("needs %d approval(s)", it.Approvals)
		if it.Approvals == 0 {
			state = "runs without approval (auto)"
		}
		if ch.NoOp {
			state = "nothing to change: " + ch.Reason
		}
		fmt.Fprintf(w, "%d. %s/%s  %s  on %s\n   %s; for %s %s", it.N, it.Playbook, it.Step, it.Action, ch.Resource, state, it.Subject.Kind, it.Subject.Rule)
		if it.Subject.Account != "" {
			fmt.Fprintf(w, " (account %s)", it.Subject.Account)
		}
		fmt.Fprintln(w)
		for _, c := range ch.Calls {
			fmt.Fprintf(w, "   call  %s %s %s\n", c.Service, c.Operation, c.Target)
		}
		for _, d := range ch.Diff {
			fmt.Fprintf(w, "   ~ %s: %s -> %s\n", d.Attribute, compact(d.Before), compact(d.After))
		}
		if !ch.Reversible && !ch.NoOp && it.Class == respond.Remediate {
			fmt.Fprintln(w, "   ! not reversible")
		}
		for k, v := range ch.Outputs {
			fmt.Fprintf(w, "   = %s: %s\n", k, v)
		}
	}
	if len(p.Skipped) > 0 {
		fmt.Fprintf(w, "skipped (%d):\n", len(p.Skipped))
		for _, s := range p.Skipped {
			step := s.Playbook
			if s.Step != "" {
				step += "/" + s.Step
			}
			fmt.Fprintf(w, "  %s on %s: %s\n", step, first(s.Subject.Resource, s.Subject.ID), s.Reason)
		}
	}
	fmt.Fprintf(w, "%d step(s) planned, %d skipped\n", len(p.Items), len(p.Skipped))
}

func compact(v any) string {
	if v == nil {
		return "(none)"
	}
	b, err := jsonMarshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

func first(a ...string) string {
	for _, s := range a {
		if s != "" {
			return s
		}
	}
	return ""
}

func newRespondApproveCmd(f *respondFlags) *cobra.Command {
	var reason string
	cmd := &cobra.Command{
		Use:     "approve PLAN --by NAME",
		Short:   "Record an approval of a plan (who, when, why) in the plan file and the trail",
		Example: `  vigil respond approve .vigil/respond/plans/20261205T010000Z-ab12cd34ef56.json --by alice --reason "SEC-123"`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if f.by == "" {
				return usageErr(errors.New("approve: say who approves with --by"))
			}
			file, err := engine.ReadFile(args[0])
			if err != nil {
				return usageErr(err)
			}
			if err := os.MkdirAll(f.state, 0o700); err != nil {
				return err
			}
			a, err := wire.Approve(cmd.Context(), wire.State(f.state), args[0], file, f.by, reason, wire.ModeApply, "", time.Now())
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "approved by %s: plan %s (%d step(s)); approvers: %d\n", a.By, file.Plan().ID, len(file.Plan().Items), len(file.Approvals))
			if miss := file.Missing(); len(miss) > 0 {
				fmt.Fprintf(cmd.ErrOrStderr(), "vigil: %d step(s) still need more approvals (up to %d)\n", len(miss), slices.MaxFunc(miss, func(a, b engine.Item) int { return a.Approvals - b.Approvals }).Approvals)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&reason, "reason", "", "why (a ticket, a change request)")
	return cmd
}

func newRespondApplyCmd(f *respondFlags) *cobra.Command {
	var onlyAuto bool
	cmd := &cobra.Command{
		Use:   "apply PLAN",
		Short: "Run an approved plan: make the changes, record every call, stop at the policy's limits",
		Long: `Applies a plan written by "vigil respond plan" and approved by as many distinct people as its policy asks
(remediation always needs one). Steps the playbook marks auto (notify, ticket, enrich) need none; --only-auto runs
just those. Applying twice changes nothing more. The run record (STATE/runs/RUN.jsonl) keeps each change's
before-state for "vigil respond rollback RUN".`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			file, err := engine.ReadFile(args[0])
			if err != nil {
				return usageErr(err)
			}
			r, closeTrail, err := f.runner(cmd)
			if err != nil {
				return err
			}
			defer closeTrail()
			inTrail, err := wire.Approvers(f.trailPath(), file.Hash)
			if err != nil {
				return usageErr(err)
			}
			for _, a := range file.Approvals {
				if _, ok := inTrail[a.By]; !ok {
					return usageErr(fmt.Errorf("%w: the approval by %s is not in the trail %s (approve with vigil respond approve, with the same --state)", engine.ErrTampered, a.By, f.trailPath()))
				}
			}
			// An approval given on the dashboard for a dry run allows no
			// change.
			file.Approvals = slices.DeleteFunc(file.Approvals, func(a engine.Approval) bool { return a.Mode == wire.ModeDryRun })
			cp, err := engine.OpenCheckpoint(f.checkpointPath())
			if err != nil {
				return err
			}
			defer cp.Close()
			run, err := r.Apply(cmd.Context(), file, engine.ApplyOptions{RunsDir: f.runsDir(), OnlyAuto: onlyAuto, Checkpoint: cp})
			if errors.Is(err, engine.ErrNotApproved) {
				return usageErr(err)
			}
			if err != nil {
				return err
			}
			return reportRun(cmd, run)
		},
	}
	cmd.Flags().BoolVar(&onlyAuto, "only-auto", false, "run only the steps needing no approval")
	return cmd
}

// reportRun prints a run's results; a failure or a stop is exit status 1.
func reportRun(cmd *cobra.Command, run *engine.Run) error {
	tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "N\tACTION\tRESOURCE\tSTATUS\tDETAIL")
	for _, x := range run.Results {
		detail := x.Error
		if detail == "" && x.Outcome != nil {
			detail = x.Outcome.Note
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", x.N, x.Action, x.Resource, x.Status, detail)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	c := run.Counts()
	keys := make([]string, 0, len(c))
	for k := range c {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%d %s", c[k], k))
	}
	fmt.Fprintf(cmd.OutOrStdout(), "%s run %s: %s (record %s)\n", run.Kind, run.Run, strings.Join(parts, ", "), run.Path)
	if run.Stopped != "" {
		return &exitError{code: exitFindings, err: fmt.Errorf("the run stopped: %s", run.Stopped)}
	}
	if c[engine.StatusFailed] > 0 {
		return &exitError{code: exitFindings, err: fmt.Errorf("%d step(s) failed", c[engine.StatusFailed])}
	}
	return nil
}

func newRespondRollbackCmd(f *respondFlags) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "rollback RUN",
		Short: "Restore what an apply run changed, where the actions are reversible; say which are not",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			of, err := engine.ReadRun(engine.FindRun(f.runsDir(), args[0]))
			if err != nil {
				return usageErr(err)
			}
			r, closeTrail, err := f.runner(cmd)
			if err != nil {
				return err
			}
			defer closeTrail()
			run, err := r.Rollback(cmd.Context(), of, f.runsDir())
			if err != nil {
				return err
			}
			if len(run.Results) == 0 {
				return nothing("run %s applied nothing: nothing to roll back", of.Run)
			}
			for _, x := range run.Results {
				if x.Status == engine.StatusIrreversible {
					fmt.Fprintf(cmd.ErrOrStderr(), "vigil: not reversible: %s on %s\n", x.Action, x.Resource)
				}
			}
			return reportRun(cmd, run)
		},
	}
	return cmd
}

func newRespondActionsCmd(f *respondFlags) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "actions",
		Short: "List the actions playbooks may use, with their inputs and the exact permissions they need",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkFormat(format, "text", "json"); err != nil {
				return err
			}
			reg, err := f.clouds.registry()
			if err != nil {
				return err
			}
			specs := reg.Specs()
			if format == "json" {
				return writeJSON(cmd.OutOrStdout(), specs)
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ACTION\tCLASS\tREVERSIBLE\tINPUTS\tPERMISSIONS")
			for _, s := range specs {
				var in []string
				for _, i := range s.Inputs {
					n := i.Name
					if i.Required {
						n += "*"
					}
					if i.Secret {
						n += "(secret)"
					}
					in = append(in, n)
				}
				fmt.Fprintf(tw, "%s\t%s\t%v\t%s\t%s\n", s.Name, s.Class, s.Reversible, strings.Join(in, ","), strings.Join(s.Permissions, ","))
			}
			return tw.Flush()
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", "text", "output format: text, json")
	return cmd
}
