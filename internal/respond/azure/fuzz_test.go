package azurerespond

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/collect/azure/azuretest"
	"github.com/vigil-sec/vigil/internal/respond"
)

// FuzzActions: any step input (templated from a finding) or planned change
// (read from a plan file) gives a change or an error, never a panic; an
// irreversible action's rollback is always ErrIrreversible.
func FuzzActions(f *testing.F) {
	f.Add("azure.network.delete-nsg-rule", nsg, "allow-ssh-any", `{"properties":{"access":"Allow"}}`)
	f.Add("azure.network.delete-nsg-rule", nsg+"/securityRules/x/y", "", `{}`)
	f.Add("azure.storage.disallow-blob-public-access", account+"/blobServices", "", `{"allow_blob_public_access":null}`)
	f.Add("azure.entra.remove-sp-credential", "/tenants/t/applications/a", leaked, `{"object":"/applications/a","key_id":"k","kind":"password"}`)
	f.Add("azure.entra.remove-sp-credential", "/tenants//servicePrincipals/", "", `{"object":"/x"}`)
	f.Add("azure.authorization.remove-role-assignment", grant, owner, `{"id":"/subscriptions/s/providers/Microsoft.Authorization/roleAssignments/"}`)
	f.Add("azure.authorization.remove-role-assignment", "", "", `null`)
	srv := azuretest.New(f, "../../collect/azure/testdata/server", nil)
	srv.Lenient = true
	as := Actions(Options{Endpoint: srv.URL, Credential: azuretest.StaticToken{}, HTTPClient: srv.Client(), MaxRetries: -1})
	f.Fuzz(func(t *testing.T, name, id, extra, state string) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		defer func() {
			if ctx.Err() != nil {
				t.Errorf("%s %q %q %q: timed out", name, id, extra, state)
			}
		}()
		var a respond.Action
		for _, x := range as {
			if x.Spec().Name == name {
				a = x
			}
		}
		if a == nil {
			return
		}
		in := map[string]string{"resource_id": id, "object_id": id, "assignment_id": id, "rule": extra, "key_id": extra, "role": extra,
			"principal": extra, "scope": id}
		if _, err := a.Plan(ctx, nil, &respond.Request{Inputs: in, Subject: &respond.Subject{Resource: respond.Resource{ID: id}}}); err == nil && id == "" {
			t.Errorf("%s planned without a resource", name)
		}
		ch := &respond.Change{Action: name, Resource: id, State: json.RawMessage(state), Reversible: true}
		if !json.Valid(ch.State) {
			ch.State = nil
		}
		_, _ = a.Apply(ctx, nil, ch)
		if _, err := a.Rollback(ctx, nil, ch, &respond.Outcome{}); err == nil && !a.Spec().Reversible {
			t.Error("an irreversible action rolled back")
		} else if err != nil && !a.Spec().Reversible && !errors.Is(err, respond.ErrIrreversible) {
			t.Errorf("rollback: %v", err)
		}
	})
}
