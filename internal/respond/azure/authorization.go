package azurerespond

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/vigil-sec/vigil/internal/respond"
)

const authorizationAPI = "2022-04-01"

// removeRoleAssignment deletes one role assignment, named by its ID or by
// principal, role and scope; Rollback re-creates it (same ID, role,
// principal, scope and condition).
type removeRoleAssignment struct{ c *clients }

func (a *removeRoleAssignment) Spec() respond.Spec {
	return respond.Spec{
		Name: "azure.authorization.remove-role-assignment", Class: respond.Remediate, Provider: "azure",
		Description: "Remove one role assignment, by its ID or by principal, role and scope",
		Inputs: []respond.Input{
			{Name: "assignment_id", Description: "the role assignment's ID (…/providers/Microsoft.Authorization/roleAssignments/<name>; default: the subject's resource when it is one)"},
			{Name: "principal", Description: "the principal's object ID (without assignment_id; default: the subject's principal)"},
			{Name: "role", Description: "the role definition's ID or GUID (without assignment_id)"},
			{Name: "scope", Description: "the assignment's exact scope (without assignment_id; default: the subject's resource)"},
		},
		Permissions: []string{
			"Microsoft.Authorization/roleAssignments/read",
			"Microsoft.Authorization/roleAssignments/write",
			"Microsoft.Authorization/roleAssignments/delete",
		},
		Reversible: true, Tactic: "evict",
	}
}

type assignment struct {
	ID         string         `json:"id"`
	Properties map[string]any `json:"properties"`
}

func (as *assignment) prop(k string) string { s, _ := as.Properties[k].(string); return s }

const assignmentsPath = "/providers/Microsoft.Authorization/roleAssignments"

// lastSegment is the part after the last slash (a role definition's GUID).
func lastSegment(s string) string { return s[strings.LastIndexByte(s, '/')+1:] }

func (a *removeRoleAssignment) get(ctx context.Context, env *respond.Env, id string) (*assignment, error) {
	var as assignment
	err := a.c.send(ctx, env, respond.Call{Service: "Microsoft.Authorization", Operation: "GET roleAssignments", Target: id, ReadOnly: true},
		req{method: http.MethodGet, path: id, apiVersion: authorizationAPI}, &as)
	if errors.Is(err, errNotFound) {
		return nil, nil
	}
	return &as, err
}

// lookup finds the assignment of principal to role at exactly scope (nil
// when there is none); ErrGone when the scope is gone.
func (a *removeRoleAssignment) lookup(ctx context.Context, env *respond.Env, principal, role, scope string) (*assignment, error) {
	var page struct {
		Value    []assignment `json:"value"`
		NextLink string       `json:"nextLink"`
	}
	q := url.Values{"$filter": {fmt.Sprintf("principalId eq '%s'", principal)}}
	err := a.c.send(ctx, env, respond.Call{Service: "Microsoft.Authorization", Operation: "GET roleAssignments (list for scope)", Target: scope,
		Params: map[string]any{"$filter": q.Get("$filter")}, ReadOnly: true},
		req{method: http.MethodGet, path: scope + assignmentsPath, apiVersion: authorizationAPI, query: q}, &page)
	if err != nil {
		return nil, err
	}
	for _, as := range page.Value {
		if strings.EqualFold(as.prop("principalId"), principal) && strings.EqualFold(lastSegment(as.prop("roleDefinitionId")), lastSegment(role)) &&
			strings.EqualFold(strings.TrimRight(as.prop("scope"), "/"), strings.TrimRight(scope, "/")) {
			return &as, nil
		}
	}
	return nil, nil
}

func (a *removeRoleAssignment) Plan(ctx context.Context, env *respond.Env, r *respond.Request) (*respond.Change, error) {
	id := strings.TrimSpace(r.Inputs["assignment_id"])
	if id == "" && r.Inputs["role"] == "" && r.Subject != nil &&
		strings.Contains(strings.ToLower(r.Subject.Resource.ID), strings.ToLower(assignmentsPath)+"/") {
		id = r.Subject.Resource.ID // a finding about the assignment itself
	}
	var (
		as  *assignment
		err error
	)
	if id != "" {
		if !strings.Contains(strings.ToLower(id), strings.ToLower(assignmentsPath)+"/") {
			return nil, fmt.Errorf("%w: assignment_id %q is not a role assignment's ID", respond.ErrInput, id)
		}
		as, err = a.get(ctx, env, id)
	} else {
		principal, role, scope := strings.TrimSpace(r.Inputs["principal"]), strings.TrimSpace(r.Inputs["role"]), strings.TrimSpace(r.Inputs["scope"])
		if principal == "" && r.Subject != nil {
			principal = r.Subject.Principal
		}
		if scope == "" && r.Subject != nil {
			scope = r.Subject.Resource.ID
		}
		if principal == "" || role == "" || !strings.HasPrefix(scope, "/") {
			return nil, fmt.Errorf("%w: give assignment_id, or principal, role and scope (principal %q, role %q, scope %q)",
				respond.ErrInput, principal, role, scope)
		}
		as, err = a.lookup(ctx, env, principal, role, scope)
		id = scope + assignmentsPath + " (principal " + principal + ", role " + lastSegment(role) + ")"
		if as != nil {
			id = as.ID
		}
	}
	if err != nil {
		return nil, err
	}
	ch := change(a.Spec(), r, id)
	if as == nil {
		ch.NoOp, ch.Reason = true, "no such role assignment"
		return ch, nil
	}
	before := map[string]any{}
	for _, k := range []string{"roleDefinitionId", "principalId", "principalType", "scope", "condition", "conditionVersion", "description"} {
		if v, ok := as.Properties[k]; ok && v != nil {
			before[k] = v
		}
	}
	ch.Calls = []respond.Call{deleteAssignment(as.ID)}
	ch.Diff = []respond.AttrChange{{Attribute: "roleAssignment", Before: before, After: nil}}
	ch.State = mustJSON(assignment{ID: as.ID, Properties: before})
	return ch, nil
}

func deleteAssignment(id string) respond.Call {
	return respond.Call{Service: "Microsoft.Authorization", Operation: "DELETE roleAssignments", Target: id}
}

// checkState refuses a change whose state names no role assignment.
func checkState(st *assignment) error {
	if !strings.HasPrefix(st.ID, "/") || !strings.Contains(strings.ToLower(st.ID), strings.ToLower(assignmentsPath)+"/") {
		return fmt.Errorf("%w: the change's state names no role assignment (%q)", respond.ErrInput, st.ID)
	}
	return nil
}

func (a *removeRoleAssignment) Apply(ctx context.Context, env *respond.Env, ch *respond.Change) (*respond.Outcome, error) {
	var st assignment
	if err := stateOf(ch, &st); err != nil {
		return nil, err
	}
	if err := checkState(&st); err != nil {
		return nil, err
	}
	now, err := a.get(ctx, env, st.ID)
	if err != nil {
		return nil, err
	}
	if now == nil {
		return &respond.Outcome{Note: "already applied: the role assignment is absent"}, nil
	}
	err = a.c.send(ctx, env, deleteAssignment(st.ID), req{method: http.MethodDelete, path: st.ID, apiVersion: authorizationAPI}, nil)
	if err != nil && !errors.Is(err, errNotFound) {
		return nil, err
	}
	return &respond.Outcome{Note: "role assignment removed"}, nil
}

func (a *removeRoleAssignment) Rollback(ctx context.Context, env *respond.Env, ch *respond.Change, _ *respond.Outcome) (*respond.Outcome, error) {
	var st assignment
	if err := stateOf(ch, &st); err != nil {
		return nil, err
	}
	if err := checkState(&st); err != nil {
		return nil, err
	}
	now, err := a.get(ctx, env, st.ID)
	if err != nil {
		return nil, err
	}
	if now != nil {
		return &respond.Outcome{Note: "the role assignment exists: nothing to restore"}, nil
	}
	props := map[string]any{}
	for k, v := range st.Properties {
		if k != "scope" { // read-only: the ID carries it
			props[k] = v
		}
	}
	call := respond.Call{Service: "Microsoft.Authorization", Operation: "PUT roleAssignments", Target: st.ID, Params: props}
	if err := a.c.send(ctx, env, call, req{method: http.MethodPut, path: st.ID, apiVersion: authorizationAPI,
		body: map[string]any{"properties": props}}, nil); err != nil {
		return nil, err
	}
	return &respond.Outcome{Note: "role assignment re-created"}, nil
}
