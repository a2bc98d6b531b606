// Package wire builds vigil's response engine the way every part of vigil
// that runs it does (vigil respond, the job queue of vigil serve and vigil
// worker, the dashboard's approvals): every action with the clouds'
// credentials and endpoints, the policy, and the hash-chained trail of a
// state folder; plans sealed and written with their trail entry;
// approvals recorded in the plan file and the trail, and read back from
// the trail.
package wire

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"google.golang.org/api/option"

	"github.com/vigil-sec/vigil/internal/respond"
	awsrespond "github.com/vigil-sec/vigil/internal/respond/aws"
	azurerespond "github.com/vigil-sec/vigil/internal/respond/azure"
	"github.com/vigil-sec/vigil/internal/respond/engine"
	"github.com/vigil-sec/vigil/internal/respond/enrich"
	gcprespond "github.com/vigil-sec/vigil/internal/respond/gcp"
	"github.com/vigil-sec/vigil/internal/respond/notify"
	"github.com/vigil-sec/vigil/internal/respond/ticket"
	"github.com/vigil-sec/vigil/internal/respond/trail"
)

// Clouds are the credentials and endpoint overrides of the remediation
// actions (vigil respond's cloud flags); the zero value is each SDK's
// default chain and the real endpoints.
type Clouds struct {
	AWSProfile, AWSEndpoint, AWSRole, AWSRegion string
	GCPEndpoint, GCPProject, GCPQuotaProject    string
	AzureEndpoint, AzureCAFile, AzureTenant     string
}

// Registry returns every action vigil has, with these credentials.
func Registry(c Clouds) (*respond.Registry, error) {
	var all []respond.Action
	all = append(all, awsrespond.Actions(awsrespond.Options{Profile: c.AWSProfile, Endpoint: c.AWSEndpoint, RoleName: c.AWSRole,
		Region: c.AWSRegion})...)
	all = append(all, azurerespond.Actions(azurerespond.Options{Endpoint: c.AzureEndpoint, CAFile: c.AzureCAFile, TenantID: c.AzureTenant})...)
	var gopts []option.ClientOption
	if c.GCPQuotaProject != "" {
		gopts = append(gopts, option.WithQuotaProject(c.GCPQuotaProject))
	}
	all = append(all, gcprespond.Actions(gcprespond.Options{Endpoint: c.GCPEndpoint, Project: c.GCPProject, ClientOptions: gopts})...)
	all = append(all, notify.Actions(notify.Options{})...)
	all = append(all, ticket.Actions(ticket.Options{})...)
	all = append(all, enrich.Actions(enrich.Options{})...)
	return respond.NewRegistry(all...)
}

// State is a response state folder (vigil respond --state): the trail,
// the plans, the run records and the checkpoint.
type State string

// Trail is STATE/trail.jsonl.
func (s State) Trail() string { return filepath.Join(string(s), "trail.jsonl") }

// Plans is STATE/plans, where plans are written by default.
func (s State) Plans() string { return filepath.Join(string(s), "plans") }

// Runs is STATE/runs, the run records.
func (s State) Runs() string { return filepath.Join(string(s), "runs") }

// Checkpoint is STATE/checkpoint.jsonl (continuous mode and apply).
func (s State) Checkpoint() string { return filepath.Join(string(s), "checkpoint.jsonl") }

// Trail writes the engine's events to the hash-chained trail: an
// engine.Recorder.
type Trail struct{ log *trail.Log }

// OpenTrail opens (creating) the trail at path.
func OpenTrail(path string) (*Trail, error) {
	l, err := trail.Open(path)
	if err != nil {
		if errors.Is(err, trail.ErrTorn) {
			return nil, fmt.Errorf("%w (vigil respond verify says more; the trail is left as it is)", err)
		}
		return nil, err
	}
	return &Trail{log: l}, nil
}

// Record appends one event of the engine.
func (t *Trail) Record(ctx context.Context, actor string, e engine.Event) error {
	var data json.RawMessage
	if e.Data != nil {
		b, err := json.Marshal(e.Data)
		if err != nil {
			return fmt.Errorf("trail: encode %s event: %w", e.Kind, err)
		}
		data = b
	}
	_, err := t.log.Append(ctx, trail.Entry{Kind: e.Kind, Actor: actor, Run: e.Run, Plan: e.Plan, Action: e.Action,
		Tactic: e.Tactic, Resource: e.Resource, Status: e.Status, Error: e.Error, Data: data})
	return err
}

// Close closes the trail.
func (t *Trail) Close() error { return t.log.Close() }

// Runner builds the engine over the state folder (created when missing):
// the registry, the policy file (the default policy when ""), the trail
// (closed by the returned func) and who acts ("" the OS user).
func Runner(reg *respond.Registry, state State, policyFile, actor string) (*engine.Runner, func() error, error) {
	pol := engine.DefaultPolicy()
	if policyFile != "" {
		var err error
		if pol, err = engine.LoadPolicy(policyFile); err != nil {
			return nil, nil, err
		}
	}
	if err := os.MkdirAll(string(state), 0o700); err != nil {
		return nil, nil, err
	}
	tr, err := OpenTrail(state.Trail())
	if err != nil {
		return nil, nil, err
	}
	return &engine.Runner{Registry: reg, Policy: pol, Trail: tr, Actor: actor}, tr.Close, nil
}

// WritePlan seals the plan, writes it to path (its folder created) and
// records it in the trail, as vigil respond plan does.
func WritePlan(ctx context.Context, r *engine.Runner, p *engine.Plan, path string, inputs []string) (*engine.File, error) {
	sealed, err := engine.Seal(p)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	if err := sealed.WriteFile(path); err != nil {
		return nil, err
	}
	if r.Trail != nil {
		if err := r.Trail.Record(ctx, r.Actor, engine.Event{Kind: engine.KindPlan, Plan: sealed.Hash,
			Data: map[string]any{"plan": p.ID, "file": path, "items": len(p.Items), "skipped": len(p.Skipped), "inputs": inputs}}); err != nil {
			return nil, err
		}
	}
	return sealed, nil
}

// Approval modes: an approval lets the plan's steps be applied, or only
// run dry (what they would change is recorded, nothing is changed).
const (
	ModeApply  = "apply"
	ModeDryRun = "dry-run"
)

// Approve records who approves the plan file at path, why, and for what
// (ModeApply or ModeDryRun): in the trail first, then in the plan file.
// via names what recorded it ("" for vigil respond approve).
func Approve(ctx context.Context, state State, path string, f *engine.File, by, reason, mode, via string, now time.Time) (engine.Approval, error) {
	if mode != ModeApply && mode != ModeDryRun {
		return engine.Approval{}, fmt.Errorf("approve: mode %q is %s or %s", mode, ModeApply, ModeDryRun)
	}
	a, err := f.ApproveMode(by, reason, mode, now)
	if err != nil {
		return a, err
	}
	tr, err := OpenTrail(state.Trail())
	if err != nil {
		return a, err
	}
	data := map[string]any{"plan": f.Plan().ID, "by": a.By, "reason": a.Reason, "mode": mode}
	if via != "" {
		data["via"] = via
	}
	err = tr.Record(ctx, a.By, engine.Event{Kind: engine.KindApproval, Plan: f.Hash, Data: data})
	if cerr := tr.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return a, fmt.Errorf("recording the approval in the trail: %w", err)
	}
	return a, f.WriteFile(path)
}

// Approvers returns who approved the plan with this hash according to the
// trail (which must verify), each with whether they approved it for apply:
// an approval written into a plan file by hand, and not through vigil, is
// not in it. An approval recorded before modes were (no mode) is for
// apply when vigil respond approve recorded it, dry-run when the
// dashboard did.
func Approvers(trailPath, planHash string) (map[string]bool, error) {
	out := map[string]bool{}
	err := scan(trailPath, func(e *trail.Entry) {
		if e.Kind != trail.KindApproval || e.Plan != planHash || e.Actor == "" {
			return
		}
		var d struct{ Mode, Via string }
		_ = json.Unmarshal(e.Data, &d)
		apply := d.Mode == ModeApply || (d.Mode == "" && d.Via == "")
		out[e.Actor] = out[e.Actor] || apply
	})
	return out, err
}

// scan verifies the trail and calls fn with each entry.
func scan(path string, fn func(*trail.Entry)) error {
	rep, err := trail.Verify(path, trail.VerifyOptions{})
	if err != nil {
		return err
	}
	if err := rep.Err(); err != nil {
		return fmt.Errorf("the trail does not verify: %w", err)
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		var e trail.Entry
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			return fmt.Errorf("trail %s: %w", path, err)
		}
		fn(&e)
	}
	return sc.Err()
}
