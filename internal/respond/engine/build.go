package engine

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	"golang.org/x/sync/errgroup"

	"github.com/vigil-sec/vigil/internal/respond"
)

// Playbook is what planning needs of a loaded playbook.
type Playbook interface {
	Ref() PlaybookRef
	// OnError is "stop" or "continue".
	OnError() string
	Match(s *respond.Subject) (bool, error)
	Steps() []Step
}

// Step is one step of a playbook.
type Step interface {
	ID() string
	Action() string
	Auto() bool
	// Render templates the step's inputs from the subject and the outputs
	// of the earlier steps (by step id).
	Render(s *respond.Subject, outputs map[string]map[string]string) (map[string]string, error)
}

// BuildOptions tune planning.
type BuildOptions struct {
	Inputs []string // the findings and alerts files, for the record
	// Done reports an item key already applied (continuous mode's
	// checkpoint): such steps are skipped.
	Done func(key string) bool
}

type chainJob struct {
	subject *respond.Subject
	book    Playbook
}

type chainOut struct {
	items   []Item
	skipped []Skipped
}

// Build plans every playbook against every subject: the matches, the
// policy's exclusions, each step's rendered inputs and its action's Plan
// (which only reads). Chains (one playbook on one subject) are planned side
// by side, at most Policy.Concurrency at once. A step whose planning fails
// (the resource is gone, a call is denied, a template misses a value)
// is listed in Skipped with the reason, with the rest of its chain.
func (r *Runner) Build(ctx context.Context, subjects []*respond.Subject, books []Playbook, opts BuildOptions) (*Plan, error) {
	now := r.now().UTC()
	p := &Plan{Version: PlanVersion, ID: NewID(now), Created: now, CreatedBy: r.actor(), Inputs: opts.Inputs, Policy: r.Policy, Items: []Item{}}
	for _, b := range books {
		p.Playbooks = append(p.Playbooks, b.Ref())
	}
	var jobs []chainJob
	for _, s := range subjects {
		for _, b := range books {
			ok, err := b.Match(s)
			if err != nil {
				p.Skipped = append(p.Skipped, Skipped{Subject: refOf(s), Playbook: b.Ref().Name, Reason: "condition: " + err.Error()})
				continue
			}
			if !ok {
				continue
			}
			if why := r.Policy.excluded(s); why != "" {
				p.Skipped = append(p.Skipped, Skipped{Subject: refOf(s), Playbook: b.Ref().Name, Reason: why})
				continue
			}
			jobs = append(jobs, chainJob{s, b})
		}
	}
	outs := make([]chainOut, len(jobs))
	env := r.env("", "", &r.Policy)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(max(1, r.Policy.Concurrency))
	for i := range jobs {
		g.Go(func() error {
			outs[i] = r.planChain(gctx, env, jobs[i], subjects, opts)
			return gctx.Err()
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	// Number the items and drop a change another subject already plans
	// (two findings on one bucket lock it once).
	seen := map[string]int{}
	for ci, o := range outs {
		for _, it := range o.items {
			sig := changeSig(it.Change)
			if n, dup := seen[sig]; dup && !it.Change.NoOp {
				p.Skipped = append(p.Skipped, Skipped{Subject: it.Subject, Playbook: it.Playbook, Step: it.Step,
					Reason: fmt.Sprintf("the same change as item %d", n)})
				continue
			}
			it.N = len(p.Items) + 1
			it.Chain = ci + 1
			seen[sig] = it.N
			p.Items = append(p.Items, it)
		}
		p.Skipped = append(p.Skipped, o.skipped...)
	}
	return p, nil
}

func (r *Runner) planChain(ctx context.Context, env *respond.Env, job chainJob, all []*respond.Subject, opts BuildOptions) chainOut {
	var out chainOut
	s, b := job.subject, job.book
	ref := refOf(s)
	name := b.Ref().Name
	outputs := map[string]map[string]string{}
	onErr := b.OnError()
	if onErr == "" {
		onErr = "stop"
	}
	for _, st := range b.Steps() {
		skip := func(reason string) {
			out.skipped = append(out.skipped, Skipped{Subject: ref, Playbook: name, Step: st.ID(), Reason: reason})
		}
		key := ItemKey(s.ID, name, st.ID())
		if opts.Done != nil && opts.Done(key) {
			skip("already applied (checkpoint)")
			continue
		}
		act, ok := r.Registry.Get(st.Action())
		if !ok {
			skip(r.Registry.Unknown(st.Action()).Error())
			return out
		}
		inputs, err := st.Render(s, outputs)
		if err != nil {
			skip("inputs: " + err.Error())
			return out
		}
		ch, err := act.Plan(ctx, env, &respond.Request{Subject: s, Inputs: inputs, All: all})
		if err != nil {
			if errors.Is(err, respond.ErrGone) {
				skip("resource no longer exists: " + err.Error())
			} else {
				skip("planning failed: " + err.Error())
			}
			return out
		}
		spec := act.Spec()
		if ch.Action == "" {
			ch.Action = spec.Name
		}
		if ch.Inputs == nil {
			ch.Inputs = inputs
		}
		outputs[st.ID()] = ch.Outputs
		out.items = append(out.items, Item{
			Key: key, Subject: ref, Playbook: name, Step: st.ID(), Action: spec.Name, Class: spec.Class,
			Auto: st.Auto(), OnError: onErr, Approvals: r.Policy.required(spec.Class, st.Auto()), Change: ch,
		})
	}
	return out
}

// ItemKey is the stable key of a step on a subject.
func ItemKey(subject, playbook, step string) string {
	h := sha256.Sum256([]byte(subject + "\x00" + playbook + "\x00" + step))
	return hex.EncodeToString(h[:12])
}

func changeSig(ch *respond.Change) string {
	keys := make([]string, 0, len(ch.Inputs))
	for k := range ch.Inputs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString(ch.Action + "\x00" + ch.Resource)
	for _, k := range keys {
		b.WriteString("\x00" + k + "=" + ch.Inputs[k])
	}
	calls, _ := json.Marshal(ch.Calls)
	b.Write(calls)
	return b.String()
}

func refOf(s *respond.Subject) SubjectRef {
	return SubjectRef{Kind: s.Kind, ID: s.ID, Rule: s.Rule, Severity: s.Severity, Provider: s.Provider, Account: s.Account,
		Region: s.Region, Resource: s.Resource.ID, Principal: s.Principal}
}
