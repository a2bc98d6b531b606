package gcprespond

import (
	"context"
	"fmt"
	"strings"

	"google.golang.org/api/compute/v1"

	"github.com/vigil-sec/vigil/internal/lazyre"
	"github.com/vigil-sec/vigil/internal/respond"
)

// disableFirewall disables a VPC firewall rule (it stays, and can be
// enabled again as it was).
type disableFirewall struct{ c *clients }

const firewallAction = "gcp.compute.disable-firewall-rule"

type firewallState struct {
	Project string `json:"project"`
	Name    string `json:"name"`
	Before  bool   `json:"disabled_before"`
	respond.Applied
}

// firewallName reads projects/P/global/firewalls/NAME out of a full
// resource name or a self link.
var firewallName = lazyre.Regexp{Expr: `(?:^|/)projects/([^/]+)/global/firewalls/([^/]+)$`}

// ruleName is a firewall rule's name (RFC 1035).
var ruleName = lazyre.Regexp{Expr: `^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$`}

func (a *disableFirewall) Spec() respond.Spec {
	return respond.Spec{
		Name: firewallAction, Class: respond.Remediate, Provider: "gcp", Tactic: "isolate", Reversible: true,
		Description: "Disables a VPC firewall rule (disabled=true; the rule is kept); rollback sets disabled back to its previous value.",
		Inputs: []respond.Input{
			{Name: "firewall", Required: true, Description: "the rule: //compute.googleapis.com/projects/P/global/firewalls/NAME, its self link, or a name with project"},
			{Name: "project", Description: "the rule's project when firewall is a name (default: the subject's)"},
		},
		// Changing a firewall rule needs the network's updatePolicy too;
		// the patch is an operation waited for.
		Permissions: []string{"compute.firewalls.get", "compute.firewalls.update", "compute.networks.updatePolicy", "compute.globalOperations.get"},
	}
}

func (a *disableFirewall) parse(req *respond.Request) (project, name string, err error) {
	v, err := required(req, firewallAction, "firewall")
	if err != nil {
		return "", "", err
	}
	if m := firewallName.Get().FindStringSubmatch(v); m != nil {
		project, name = m[1], m[2]
	} else if !strings.Contains(v, "/") {
		project, name = a.c.project(req), v
		if project == "" {
			return "", "", fmt.Errorf("%w: %s: firewall %q names no project and neither the inputs nor the subject give one", respond.ErrInput, firewallAction, v)
		}
	}
	if !ruleName.Get().MatchString(name) || !projectID.Get().MatchString(project) {
		return "", "", fmt.Errorf("%w: %s: %q is not a firewall rule (projects/P/global/firewalls/NAME)", respond.ErrInput, firewallAction, v)
	}
	return project, name, nil
}

func fullName(project, name string) string {
	return "//compute.googleapis.com/projects/" + project + "/global/firewalls/" + name
}

func (a *disableFirewall) get(ctx context.Context, env *respond.Env, project, name string) (*compute.Firewall, error) {
	svc, err := a.c.computeSvc(ctx)
	if err != nil {
		return nil, err
	}
	var fw *compute.Firewall
	err = a.c.do(ctx, env, respond.Call{Service: "compute.googleapis.com", Operation: "firewalls.get", Target: fullName(project, name), ReadOnly: true},
		func(ctx context.Context) error {
			var err error
			fw, err = svc.getFirewall(ctx, project, name)
			return err
		})
	return fw, err
}

func patchCall(project, name string, disabled bool) respond.Call {
	return respond.Call{Service: "compute.googleapis.com", Operation: "firewalls.patch", Target: fullName(project, name),
		Params: map[string]any{"disabled": disabled}}
}

// patch sets the rule's disabled field (sent even when false) and waits
// for the operation.
func (a *disableFirewall) patch(ctx context.Context, env *respond.Env, project, name string, disabled bool) error {
	svc, err := a.c.computeSvc(ctx)
	if err != nil {
		return err
	}
	var op *compute.Operation
	err = a.c.do(ctx, env, patchCall(project, name, disabled), func(ctx context.Context) error {
		var err error
		op, err = svc.patchFirewall(ctx, project, name, &compute.Firewall{Disabled: disabled, ForceSendFields: []string{"Disabled"}})
		return err
	})
	for err == nil && op.Status != "DONE" {
		opName := op.Name
		err = a.c.do(ctx, env, respond.Call{Service: "compute.googleapis.com", Operation: "globalOperations.wait",
			Target: "projects/" + project + "/global/operations/" + opName, ReadOnly: true}, func(ctx context.Context) error {
			var err error
			op, err = svc.waitGlobal(ctx, project, opName)
			return err
		})
	}
	if err != nil {
		return err
	}
	if op.Error != nil && len(op.Error.Errors) > 0 {
		var msgs []string
		for _, e := range op.Error.Errors {
			msgs = append(msgs, e.Code+": "+e.Message)
		}
		return fmt.Errorf("compute.googleapis.com firewalls.patch %s: operation %s failed: %s", fullName(project, name), op.Name, strings.Join(msgs, "; "))
	}
	return nil
}

func (a *disableFirewall) Plan(ctx context.Context, env *respond.Env, req *respond.Request) (*respond.Change, error) {
	project, name, err := a.parse(req)
	if err != nil {
		return nil, err
	}
	fw, err := a.get(ctx, env, project, name)
	if err != nil {
		return nil, err
	}
	ch := &respond.Change{Action: firewallAction, Resource: fullName(project, name), Provider: "gcp", Account: project, Inputs: req.Inputs,
		Reversible: true, State: respond.State(firewallState{Project: project, Name: name, Before: fw.Disabled})}
	if fw.Disabled {
		ch.NoOp, ch.Reason = true, "firewall rule "+name+" is already disabled"
		return ch, nil
	}
	ch.Diff = []respond.AttrChange{{Attribute: "disabled", Before: false, After: true}}
	ch.Calls = []respond.Call{patchCall(project, name, true)}
	return ch, nil
}

func (a *disableFirewall) Apply(ctx context.Context, env *respond.Env, ch *respond.Change) (*respond.Outcome, error) {
	var st firewallState
	if err := respond.ReadState(ch.State, &st, ch.Action); err != nil {
		return nil, err
	}
	fw, err := a.get(ctx, env, st.Project, st.Name)
	if err != nil {
		return nil, err
	}
	undo := firewallState{Project: st.Project, Name: st.Name, Before: fw.Disabled}
	if fw.Disabled {
		return &respond.Outcome{Undo: respond.State(undo), Note: "already applied: the rule is disabled"}, nil
	}
	if err := a.patch(ctx, env, st.Project, st.Name, true); err != nil {
		return nil, err
	}
	undo.Changed = true
	return &respond.Outcome{Undo: respond.State(undo), Note: "firewall rule " + st.Name + " disabled"}, nil
}

func (a *disableFirewall) Rollback(ctx context.Context, env *respond.Env, ch *respond.Change, done *respond.Outcome) (*respond.Outcome, error) {
	var st firewallState
	if changed, err := respond.RollbackOf(ch, done, &st); err != nil || !changed {
		return respond.Unchanged(err)
	}
	fw, err := a.get(ctx, env, st.Project, st.Name)
	if err != nil {
		return nil, err
	}
	if fw.Disabled == st.Before {
		return &respond.Outcome{Note: "already as before"}, nil
	}
	if err := a.patch(ctx, env, st.Project, st.Name, st.Before); err != nil {
		return nil, err
	}
	return &respond.Outcome{Note: fmt.Sprintf("firewall rule %s: disabled is %t again", st.Name, st.Before)}, nil
}
