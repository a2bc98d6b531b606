package gcprespond

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	crm "google.golang.org/api/cloudresourcemanager/v3"
	"google.golang.org/api/storage/v1"

	"github.com/vigil-sec/vigil/internal/lazyre"
	"github.com/vigil-sec/vigil/internal/respond"
)

// The members that make a grant public.
var publicPrincipals = []string{"allUsers", "allAuthenticatedUsers"}

// binding is a role granted to members under an optional condition, in a
// form both APIs' policies convert to.
type binding struct {
	Role      string     `json:"role"`
	Condition *condition `json:"condition,omitempty"`
	Members   []string   `json:"members"`
}

type condition struct {
	Title       string `json:"title,omitempty"`
	Description string `json:"description,omitempty"`
	Expression  string `json:"expression,omitempty"`
}

func (b binding) same(o binding) bool {
	if b.Role != o.Role || (b.Condition == nil) != (o.Condition == nil) {
		return false
	}
	return b.Condition == nil || *b.Condition == *o.Condition
}

// label names a binding in a diff: its role, and its condition's title or
// expression.
func (b binding) label() string {
	if b.Condition == nil {
		return b.Role
	}
	return b.Role + " if " + cmpOr(b.Condition.Title, b.Condition.Expression)
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// withoutPublic returns the bindings without the public members (a
// binding left without members is dropped) and the members removed, by
// binding.
func withoutPublic(bs []binding) (kept, removed []binding) {
	for _, b := range bs {
		var keep, drop []string
		for _, m := range b.Members {
			if slices.Contains(publicPrincipals, m) {
				drop = append(drop, m)
			} else {
				keep = append(keep, m)
			}
		}
		if len(drop) > 0 {
			removed = append(removed, binding{Role: b.Role, Condition: b.Condition, Members: drop})
		}
		if len(keep) > 0 {
			b.Members = keep
			kept = append(kept, b)
		}
	}
	return kept, removed
}

// withMembers returns the bindings with the members of add granted again
// (in their binding, made anew when gone) and whether any was missing.
func withMembers(bs []binding, add []binding) ([]binding, bool) {
	out := slices.Clone(bs)
	changed := false
	for _, a := range add {
		i := slices.IndexFunc(out, a.same)
		if i < 0 {
			out = append(out, binding{Role: a.Role, Condition: a.Condition})
			i = len(out) - 1
		}
		for _, m := range a.Members {
			if !slices.Contains(out[i].Members, m) {
				out[i].Members = append(slices.Clone(out[i].Members), m)
				changed = true
			}
		}
	}
	return out, changed
}

// policy is an IAM policy read: its bindings, and the API's own policy
// written back with the bindings changed (its etag makes the write fail
// when the policy changed since).
type policy struct {
	bindings []binding
	write    func(ctx context.Context, bs []binding) error
}

// policyTarget is the resource whose IAM policy an action changes.
type policyTarget struct {
	Name     string `json:"name"`     // the bucket or the project ID
	Resource string `json:"resource"` // its full resource name
}

// policyKind is one API's IAM policy: how its actions name the resource
// and read and write its policy.
type policyKind struct {
	action, service, what, input string
	inputDesc, description       string
	permissions                  []string
	target                       func(c *clients, req *respond.Request) (policyTarget, error)
	read                         func(ctx context.Context, c *clients, env *respond.Env, k *policyKind, t policyTarget) (*policy, error)
	getOp, setOp                 string
}

var bucketPolicy = &policyKind{
	action: "gcp.storage.remove-public-members", service: "storage.googleapis.com", what: "bucket", input: "bucket",
	inputDesc:   "the bucket: a name, gs://NAME or //storage.googleapis.com/NAME",
	description: "Removes allUsers and allAuthenticatedUsers from every binding of a Cloud Storage bucket's IAM policy, keeping the other members; rollback grants them again.",
	permissions: []string{"storage.buckets.getIamPolicy", "storage.buckets.setIamPolicy"},
	getOp:       "buckets.getIamPolicy", setOp: "buckets.setIamPolicy",
	target: func(_ *clients, req *respond.Request) (policyTarget, error) {
		v, err := required(req, "gcp.storage.remove-public-members", "bucket")
		if err != nil {
			return policyTarget{}, err
		}
		name := v
		for _, p := range []string{"gs://", "//storage.googleapis.com/projects/_/buckets/", "//storage.googleapis.com/", "projects/_/buckets/"} {
			if s, ok := strings.CutPrefix(v, p); ok {
				name = strings.TrimSuffix(s, "/")
				break
			}
		}
		if !bucketName.Get().MatchString(name) {
			return policyTarget{}, fmt.Errorf("%w: gcp.storage.remove-public-members: %q is not a bucket name", respond.ErrInput, v)
		}
		return policyTarget{Name: name, Resource: "//storage.googleapis.com/" + name}, nil
	},
	read: readBucketPolicy,
}

// bucketName is a bucket's name as Cloud Storage allows it (dotted names
// up to 222 characters).
var bucketName = lazyre.Regexp{Expr: `^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$`}

var projectPolicy = &policyKind{
	action: "gcp.resourcemanager.remove-public-members", service: "cloudresourcemanager.googleapis.com", what: "project", input: "project",
	inputDesc:   "the project: an ID, projects/ID or //cloudresourcemanager.googleapis.com/projects/ID (default: the subject's)",
	description: "Removes allUsers and allAuthenticatedUsers from every binding of a project's IAM policy, keeping the other members and the audit configuration; rollback grants them again.",
	permissions: []string{"resourcemanager.projects.getIamPolicy", "resourcemanager.projects.setIamPolicy"},
	getOp:       "projects.getIamPolicy", setOp: "projects.setIamPolicy",
	target: func(c *clients, req *respond.Request) (policyTarget, error) {
		v := c.project(req)
		if v == "" {
			return policyTarget{}, fmt.Errorf("%w: gcp.resourcemanager.remove-public-members: input \"project\" is required (the subject names no project)", respond.ErrInput)
		}
		id := strings.TrimPrefix(strings.TrimPrefix(v, "//cloudresourcemanager.googleapis.com/"), "projects/")
		if !projectID.Get().MatchString(id) {
			return policyTarget{}, fmt.Errorf("%w: gcp.resourcemanager.remove-public-members: %q is not a project", respond.ErrInput, v)
		}
		return policyTarget{Name: id, Resource: "//cloudresourcemanager.googleapis.com/projects/" + id}, nil
	},
	read: readProjectPolicy,
}

// projectID is a project ID or number (a domain-scoped ID has a colon).
var projectID = lazyre.Regexp{Expr: `^([a-z][a-z0-9.-]*:)?[a-z0-9][a-z0-9-]{4,28}[a-z0-9]$`}

func readBucketPolicy(ctx context.Context, c *clients, env *respond.Env, k *policyKind, t policyTarget) (*policy, error) {
	svc, err := c.storageSvc(ctx)
	if err != nil {
		return nil, err
	}
	var sp *storage.Policy
	err = c.do(ctx, env, respond.Call{Service: k.service, Operation: k.getOp, Target: t.Resource,
		Params: map[string]any{"optionsRequestedPolicyVersion": 3}, ReadOnly: true}, func(ctx context.Context) error {
		var err error
		sp, err = svc.getPolicy(ctx, t.Name)
		return err
	})
	if err != nil {
		return nil, err
	}
	p := &policy{bindings: recast[[]binding](sp.Bindings)}
	p.write = func(ctx context.Context, bs []binding) error {
		out := &storage.Policy{Etag: sp.Etag, Version: version(bs, sp.Version), Bindings: recast[[]*storage.PolicyBindings](bs), ForceSendFields: []string{"Bindings"}}
		return c.do(ctx, env, setCall(k, t, bs), func(ctx context.Context) error {
			return svc.setPolicy(ctx, t.Name, out)
		})
	}
	return p, nil
}

func readProjectPolicy(ctx context.Context, c *clients, env *respond.Env, k *policyKind, t policyTarget) (*policy, error) {
	svc, err := c.crmSvc(ctx)
	if err != nil {
		return nil, err
	}
	var cp *crm.Policy
	err = c.do(ctx, env, respond.Call{Service: k.service, Operation: k.getOp, Target: t.Resource,
		Params: map[string]any{"requestedPolicyVersion": 3}, ReadOnly: true}, func(ctx context.Context) error {
		var err error
		cp, err = svc.getPolicy(ctx, "projects/"+t.Name)
		return err
	})
	if err != nil {
		return nil, err
	}
	p := &policy{bindings: recast[[]binding](cp.Bindings)}
	p.write = func(ctx context.Context, bs []binding) error {
		// Only the bindings are written (the update mask): the audit
		// configuration stays as it is.
		out := &crm.Policy{Etag: cp.Etag, Version: version(bs, cp.Version), Bindings: recast[[]*crm.Binding](bs), ForceSendFields: []string{"Bindings"}}
		return c.do(ctx, env, setCall(k, t, bs), func(ctx context.Context) error {
			return svc.setPolicy(ctx, "projects/"+t.Name, out)
		})
	}
	return p, nil
}

// recast copies bindings from one API's type to another's through their
// JSON, which the APIs share (role, members, condition).
func recast[T any](from any) T {
	var out T
	b, _ := json.Marshal(from) // plain structs: cannot fail
	_ = json.Unmarshal(b, &out)
	return out
}

// version is the policy format version to write bindings in: 3 when one
// is conditional (the APIs refuse conditions in a lower version).
func version(bs []binding, read int64) int64 {
	if slices.ContainsFunc(bs, func(b binding) bool { return b.Condition != nil }) {
		return 3
	}
	return read
}

// setCall is the write of the policy with bindings bs.
func setCall(k *policyKind, t policyTarget, bs []binding) respond.Call {
	roles := make([]string, 0, len(bs))
	for _, b := range bs {
		roles = append(roles, b.label()+": "+strings.Join(b.Members, ", "))
	}
	return respond.Call{Service: k.service, Operation: k.setOp, Target: t.Resource, Params: map[string]any{"bindings": roles}}
}

// publicMembers removes the public members of a bucket's or project's
// IAM policy.
type publicMembers struct {
	c    *clients
	kind *policyKind
}

type membersState struct {
	policyTarget
	// Removed are the members taken out of each binding (Change.State:
	// those planned; Outcome.Undo: those the apply removed).
	Removed []binding `json:"removed"`
	respond.Applied
}

func (a *publicMembers) Spec() respond.Spec {
	k := a.kind
	return respond.Spec{
		Name: k.action, Class: respond.Remediate, Provider: "gcp", Tactic: "harden", Reversible: true,
		Description: k.description,
		Inputs:      a.inputs(),
		Permissions: k.permissions,
	}
}

func (a *publicMembers) inputs() []respond.Input {
	if a.kind == projectPolicy {
		return []respond.Input{{Name: "project", Description: a.kind.inputDesc}}
	}
	return []respond.Input{{Name: a.kind.input, Required: true, Description: a.kind.inputDesc},
		{Name: "project", Description: "the bucket's project, the change's account (default: the subject's)"}}
}

func (a *publicMembers) Plan(ctx context.Context, env *respond.Env, req *respond.Request) (*respond.Change, error) {
	t, err := a.kind.target(a.c, req)
	if err != nil {
		return nil, err
	}
	p, err := a.kind.read(ctx, a.c, env, a.kind, t)
	if err != nil {
		return nil, err
	}
	kept, removed := withoutPublic(p.bindings)
	ch := &respond.Change{Action: a.kind.action, Resource: t.Resource, Provider: "gcp", Account: a.account(t, req), Inputs: req.Inputs,
		Reversible: true, State: respond.State(membersState{policyTarget: t, Removed: removed})}
	if len(removed) == 0 {
		ch.NoOp, ch.Reason = true, "no binding of the "+a.kind.what+"'s IAM policy grants allUsers or allAuthenticatedUsers"
		return ch, nil
	}
	for _, r := range removed {
		before := p.bindings[slices.IndexFunc(p.bindings, r.same)]
		after := []string{}
		if i := slices.IndexFunc(kept, r.same); i >= 0 {
			after = kept[i].Members
		}
		ch.Diff = append(ch.Diff, respond.AttrChange{Attribute: "bindings[" + r.label() + "].members", Before: before.Members, After: after})
	}
	ch.Calls = []respond.Call{setCall(a.kind, t, kept)}
	return ch, nil
}

// account is the change's project: the bucket's is not in its name.
func (a *publicMembers) account(t policyTarget, req *respond.Request) string {
	if a.kind == projectPolicy {
		return t.Name
	}
	return a.c.project(req)
}

// update reads the policy, changes its bindings with edit and writes it
// with the etag read; a write refused because the policy changed since
// (a stale etag) is made again once from a fresh read. edit returns
// false when nothing needs writing. wrote is true once a write went
// through, or when a fresh read after a refused write finds nothing left
// to change (a retried write whose first attempt did go through answers
// 412 too).
func (a *publicMembers) update(ctx context.Context, env *respond.Env, t policyTarget, edit func([]binding) ([]binding, bool)) (wrote bool, err error) {
	for attempt := 1; ; attempt++ {
		p, err := a.kind.read(ctx, a.c, env, a.kind, t)
		if err != nil {
			return false, err
		}
		next, write := edit(p.bindings)
		if !write {
			return attempt > 1, nil
		}
		err = p.write(ctx, next)
		if err != nil && conflict(err) && attempt == 1 {
			continue
		}
		return err == nil, err
	}
}

func (a *publicMembers) Apply(ctx context.Context, env *respond.Env, ch *respond.Change) (*respond.Outcome, error) {
	var st membersState
	if err := respond.ReadState(ch.State, &st, ch.Action); err != nil {
		return nil, err
	}
	var removed []binding
	changed, err := a.update(ctx, env, st.policyTarget, func(bs []binding) ([]binding, bool) {
		kept, r := withoutPublic(bs)
		if len(r) > 0 {
			removed = r // the last removal tried: a fresh read after a refused write may find none left
		}
		return kept, len(r) > 0
	})
	if err != nil {
		return nil, err
	}
	undo := membersState{policyTarget: st.policyTarget, Removed: removed, Applied: respond.Applied{Changed: changed}}
	if !changed {
		return &respond.Outcome{Undo: respond.State(undo), Note: "already applied: no public member in the policy"}, nil
	}
	n := 0
	for _, r := range removed {
		n += len(r.Members)
	}
	return &respond.Outcome{Undo: respond.State(undo), Note: fmt.Sprintf("%d public members removed from %d bindings", n, len(removed))}, nil
}

func (a *publicMembers) Rollback(ctx context.Context, env *respond.Env, ch *respond.Change, done *respond.Outcome) (*respond.Outcome, error) {
	var st membersState
	if changed, err := respond.RollbackOf(ch, done, &st); err != nil || !changed {
		return respond.Unchanged(err)
	}
	changed, err := a.update(ctx, env, st.policyTarget, func(bs []binding) ([]binding, bool) { return withMembers(bs, st.Removed) })
	if err != nil {
		return nil, err
	}
	if !changed {
		return &respond.Outcome{Note: "already as before: the members removed are granted"}, nil
	}
	return &respond.Outcome{Note: "the public members removed are granted again"}, nil
}
