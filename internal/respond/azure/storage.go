package azurerespond

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/vigil-sec/vigil/internal/respond"
)

const storageAPI = "2023-05-01"

// disallowBlobPublicAccess sets a storage account's allowBlobPublicAccess
// to false; Rollback restores the value it had (an account that did not
// say is given true, the value Azure then applied).
type disallowBlobPublicAccess struct{ c *clients }

func (a *disallowBlobPublicAccess) Spec() respond.Spec {
	return respond.Spec{
		Name: "azure.storage.disallow-blob-public-access", Class: respond.Remediate, Provider: "azure",
		Description: "Set a storage account's allowBlobPublicAccess to false (no container can then be read anonymously); a container's ID names its account",
		Inputs:      []respond.Input{{Name: "resource_id", Description: "the storage account's ID (default: the subject's resource)"}},
		Permissions: []string{"Microsoft.Storage/storageAccounts/read", "Microsoft.Storage/storageAccounts/write"},
		Reversible:  true, Tactic: "harden",
	}
}

type storageState struct {
	Before *bool `json:"allow_blob_public_access"`
}

// read returns the account's allowBlobPublicAccess (nil when unset).
func (a *disallowBlobPublicAccess) read(ctx context.Context, env *respond.Env, id string) (*bool, error) {
	var acct struct {
		Properties struct {
			AllowBlobPublicAccess *bool `json:"allowBlobPublicAccess"`
		} `json:"properties"`
	}
	err := a.c.send(ctx, env, respond.Call{Service: "Microsoft.Storage", Operation: "GET storageAccounts", Target: id, ReadOnly: true},
		req{method: http.MethodGet, path: id, apiVersion: storageAPI}, &acct)
	return acct.Properties.AllowBlobPublicAccess, err
}

func (a *disallowBlobPublicAccess) write(ctx context.Context, env *respond.Env, id string, v bool) error {
	body := map[string]any{"properties": map[string]any{"allowBlobPublicAccess": v}}
	return a.c.send(ctx, env, a.call(id, v), req{method: http.MethodPatch, path: id, apiVersion: storageAPI, body: body}, nil)
}

func (a *disallowBlobPublicAccess) call(id string, v bool) respond.Call {
	return respond.Call{Service: "Microsoft.Storage", Operation: "PATCH storageAccounts", Target: id,
		Params: map[string]any{"properties.allowBlobPublicAccess": v}}
}

func (a *disallowBlobPublicAccess) Plan(ctx context.Context, env *respond.Env, r *respond.Request) (*respond.Change, error) {
	id, err := resourceInput(r, "Microsoft.Storage/storageAccounts")
	if err != nil {
		return nil, err
	}
	// A container's or a blob service's ID (a finding about a public
	// container) names its account.
	id = strings.Join(strings.Split(id, "/")[:9], "/")
	before, err := a.read(ctx, env, id)
	if err != nil {
		return nil, err
	}
	ch := change(a.Spec(), r, id)
	if before != nil && !*before {
		ch.NoOp, ch.Reason = true, "allowBlobPublicAccess is already false"
		return ch, nil
	}
	var shown any
	if before != nil {
		shown = *before
	}
	ch.Calls = []respond.Call{a.call(id, false)}
	ch.Diff = []respond.AttrChange{{Attribute: "properties.allowBlobPublicAccess", Before: shown, After: false}}
	ch.State = mustJSON(storageState{Before: before})
	return ch, nil
}

// accountOf returns a planned change's account ID, checked.
func accountOf(ch *respond.Change) (string, error) {
	id, err := resourceInput(&respond.Request{Inputs: map[string]string{"resource_id": ch.Resource}}, "Microsoft.Storage/storageAccounts")
	if err == nil && id != ch.Resource {
		err = fmt.Errorf("%w: %q is not a storage account's ID", respond.ErrInput, ch.Resource)
	}
	return id, err
}

func (a *disallowBlobPublicAccess) Apply(ctx context.Context, env *respond.Env, ch *respond.Change) (*respond.Outcome, error) {
	if _, err := accountOf(ch); err != nil {
		return nil, err
	}
	now, err := a.read(ctx, env, ch.Resource)
	if err != nil {
		return nil, err
	}
	if now != nil && !*now {
		return &respond.Outcome{Note: "already applied: allowBlobPublicAccess is false"}, nil
	}
	if err := a.write(ctx, env, ch.Resource, false); err != nil {
		return nil, err
	}
	return &respond.Outcome{Note: "allowBlobPublicAccess set to false"}, nil
}

func (a *disallowBlobPublicAccess) Rollback(ctx context.Context, env *respond.Env, ch *respond.Change, _ *respond.Outcome) (*respond.Outcome, error) {
	var st storageState
	if err := stateOf(ch, &st); err != nil {
		return nil, err
	}
	if _, err := accountOf(ch); err != nil {
		return nil, err
	}
	want := true // unset: Azure allowed public access
	if st.Before != nil {
		want = *st.Before
	}
	now, err := a.read(ctx, env, ch.Resource)
	if err != nil {
		return nil, err
	}
	if now != nil && *now == want {
		return &respond.Outcome{Note: fmt.Sprintf("allowBlobPublicAccess is already %v", want)}, nil
	}
	if err := a.write(ctx, env, ch.Resource, want); err != nil {
		return nil, err
	}
	return &respond.Outcome{Note: fmt.Sprintf("allowBlobPublicAccess restored to %v", want)}, nil
}
