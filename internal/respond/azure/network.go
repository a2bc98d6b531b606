package azurerespond

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/vigil-sec/vigil/internal/respond"
)

const networkAPI = "2024-05-01"

// deleteNSGRule deletes one named security rule of a network security
// group; Rollback re-creates it with the properties it had.
type deleteNSGRule struct{ c *clients }

func (a *deleteNSGRule) Spec() respond.Spec {
	return respond.Spec{
		Name: "azure.network.delete-nsg-rule", Class: respond.Remediate, Provider: "azure",
		Description: "Delete one named security rule of a network security group (the plan shows its properties)",
		Inputs: []respond.Input{
			{Name: "resource_id", Description: "the network security group's ID, or the rule's (…/securityRules/<name>) (default: the subject's resource)"},
			{Name: "rule", Description: "the rule's name (required unless resource_id is the rule's ID)"},
		},
		Permissions: []string{
			"Microsoft.Network/networkSecurityGroups/read",
			"Microsoft.Network/networkSecurityGroups/securityRules/read",
			"Microsoft.Network/networkSecurityGroups/securityRules/write",
			"Microsoft.Network/networkSecurityGroups/securityRules/delete",
		},
		Reversible: true, Tactic: "isolate",
	}
}

type nsgState struct {
	Properties json.RawMessage `json:"properties"`
}

// ruleID returns the NSG's and the rule's IDs from the inputs.
func ruleID(r *respond.Request) (nsg, rule string, err error) {
	id, err := resourceInput(r, "Microsoft.Network/networkSecurityGroups")
	if err != nil {
		return "", "", err
	}
	segs := strings.Split(id, "/")
	name := strings.TrimSpace(r.Inputs["rule"])
	switch {
	case len(segs) == 11 && strings.EqualFold(segs[9], "securityRules"):
		if name != "" && !strings.EqualFold(name, segs[10]) {
			return "", "", fmt.Errorf("%w: rule %q and resource_id %q name different rules", respond.ErrInput, name, id)
		}
		return strings.Join(segs[:9], "/"), id, nil
	case len(segs) != 9:
		return "", "", fmt.Errorf("%w: resource_id %q is neither a network security group's ID nor one of its rules'", respond.ErrInput, id)
	case name == "" || strings.Contains(name, "/"):
		return "", "", fmt.Errorf("%w: rule is required: the name of the security rule of %s to delete", respond.ErrInput, id)
	}
	return id, id + "/securityRules/" + name, nil
}

// read returns the rule's properties, or nil when the NSG has no such
// rule; ErrGone when the NSG itself is gone.
func (a *deleteNSGRule) read(ctx context.Context, env *respond.Env, nsg, rule string) (json.RawMessage, error) {
	var r struct {
		Properties map[string]any `json:"properties"`
	}
	err := a.c.send(ctx, env, respond.Call{Service: "Microsoft.Network", Operation: "GET securityRules", Target: rule, ReadOnly: true},
		req{method: http.MethodGet, path: rule, apiVersion: networkAPI}, &r)
	if errors.Is(err, errNotFound) {
		// The rule is absent: is the group?
		err = a.c.send(ctx, env, respond.Call{Service: "Microsoft.Network", Operation: "GET networkSecurityGroups", Target: nsg, ReadOnly: true},
			req{method: http.MethodGet, path: nsg, apiVersion: networkAPI}, nil)
		return nil, err
	}
	if err != nil {
		return nil, err
	}
	delete(r.Properties, "provisioningState") // read-only
	return mustJSON(r.Properties), nil
}

func (a *deleteNSGRule) Plan(ctx context.Context, env *respond.Env, r *respond.Request) (*respond.Change, error) {
	nsg, rule, err := ruleID(r)
	if err != nil {
		return nil, err
	}
	props, err := a.read(ctx, env, nsg, rule)
	if err != nil {
		return nil, err
	}
	ch := change(a.Spec(), r, rule)
	if props == nil {
		ch.NoOp, ch.Reason = true, "the network security group has no such rule"
		return ch, nil
	}
	var shown map[string]any
	_ = json.Unmarshal(props, &shown)
	ch.Calls = []respond.Call{deleteCall(rule)}
	ch.Diff = []respond.AttrChange{{Attribute: "securityRules/" + rule[strings.LastIndexByte(rule, '/')+1:], Before: shown, After: nil}}
	ch.State = mustJSON(nsgState{Properties: props})
	return ch, nil
}

// target returns the NSG's and the rule's IDs of a planned change.
func (a *deleteNSGRule) target(ch *respond.Change) (nsg, rule string, err error) {
	return ruleID(&respond.Request{Inputs: map[string]string{"resource_id": ch.Resource}})
}

func deleteCall(rule string) respond.Call {
	return respond.Call{Service: "Microsoft.Network", Operation: "DELETE securityRules", Target: rule}
}

func (a *deleteNSGRule) Apply(ctx context.Context, env *respond.Env, ch *respond.Change) (*respond.Outcome, error) {
	nsg, rule, err := a.target(ch)
	if err != nil {
		return nil, err
	}
	props, err := a.read(ctx, env, nsg, rule)
	if err != nil {
		return nil, err
	}
	if props == nil {
		return &respond.Outcome{Note: "already applied: the rule is absent"}, nil
	}
	err = a.c.send(ctx, env, deleteCall(rule), req{method: http.MethodDelete, path: rule, apiVersion: networkAPI}, nil)
	if err != nil && !errors.Is(err, errNotFound) {
		return nil, err
	}
	return &respond.Outcome{Note: "rule deleted"}, nil
}

func (a *deleteNSGRule) Rollback(ctx context.Context, env *respond.Env, ch *respond.Change, _ *respond.Outcome) (*respond.Outcome, error) {
	var st nsgState
	if err := stateOf(ch, &st); err != nil {
		return nil, err
	}
	nsg, rule, err := a.target(ch)
	if err != nil {
		return nil, err
	}
	now, err := a.read(ctx, env, nsg, rule)
	if err != nil {
		return nil, err
	}
	if now != nil {
		return &respond.Outcome{Note: "the rule exists: nothing to restore"}, nil
	}
	var props map[string]any
	if err := json.Unmarshal(st.Properties, &props); err != nil {
		return nil, fmt.Errorf("%w: %s: the saved rule is not readable: %v", respond.ErrInput, ch.Resource, err)
	}
	call := respond.Call{Service: "Microsoft.Network", Operation: "PUT securityRules", Target: rule, Params: props}
	if err := a.c.send(ctx, env, call, req{method: http.MethodPut, path: rule, apiVersion: networkAPI,
		body: map[string]any{"properties": props}}, nil); err != nil {
		return nil, err
	}
	return &respond.Outcome{Note: "rule re-created with its properties"}, nil
}
