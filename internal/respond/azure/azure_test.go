package azurerespond

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/collect/azure/azuretest"
	"github.com/vigil-sec/vigil/internal/respond"
	"github.com/vigil-sec/vigil/internal/respond/respondtest"
)

const (
	sub     = "00000000-0000-4000-8000-000000000001"
	rg      = "/subscriptions/" + sub + "/resourceGroups/prod"
	account = rg + "/providers/Microsoft.Storage/storageAccounts/prodlogs"
	nsg     = rg + "/providers/Microsoft.Network/networkSecurityGroups/web-nsg"
	spID    = "5f0e0000-0000-4000-8000-00000000005a"
	sp      = "/v1.0/servicePrincipals/" + spID
	app     = "/v1.0/applications/6a0e0000-0000-4000-8000-00000000006b"
	leaked  = "aaaa0000-0000-4000-8000-000000000001"
	other   = "bbbb0000-0000-4000-8000-000000000002"
	cert    = "cccc0000-0000-4000-8000-000000000003"
	owner   = "/subscriptions/" + sub + "/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
	reader  = "/subscriptions/" + sub + "/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7"
	guest   = "7c1e0000-0000-4000-8000-0000000000f1"
	grant   = rg + "/providers/Microsoft.Authorization/roleAssignments/9d2e0000-0000-4000-8000-0000000000a1"
	grant2  = rg + "/providers/Microsoft.Authorization/roleAssignments/9d2e0000-0000-4000-8000-0000000000a2"
)

// fake is the azuretest server with the resources the actions touch.
func fake(t *testing.T) (*azuretest.Server, []respond.Action) {
	t.Helper()
	f := azuretest.New(t, filepath.Join("..", "..", "collect", "azure", "testdata", "server"), nil)
	f.PutState(account, map[string]any{"type": "Microsoft.Storage/storageAccounts", "location": "westeurope",
		"properties": map[string]any{"allowBlobPublicAccess": true, "minimumTlsVersion": "TLS1_2"}})
	f.PutState(nsg, map[string]any{"type": "Microsoft.Network/networkSecurityGroups", "properties": map[string]any{}})
	f.PutState(nsg+"/securityRules/allow-ssh-any", map[string]any{"type": "Microsoft.Network/networkSecurityGroups/securityRules",
		"properties": sshRule()})
	f.PutState(nsg+"/securityRules/allow-https", map[string]any{"properties": map[string]any{"access": "Allow", "direction": "Inbound",
		"priority": 110.0, "protocol": "Tcp", "sourceAddressPrefix": "*", "destinationPortRange": "443", "provisioningState": "Succeeded"}})
	f.PutState(sp, map[string]any{"displayName": "ci-deployer",
		"passwordCredentials": []any{
			map[string]any{"keyId": leaked, "displayName": "leaked", "hint": "Abc", "endDateTime": "2027-01-01T00:00:00Z", "secretText": nil},
			map[string]any{"keyId": other, "displayName": "rotation", "hint": "Xyz", "endDateTime": "2027-06-01T00:00:00Z", "secretText": nil},
		},
		"keyCredentials": []any{
			map[string]any{"keyId": cert, "displayName": "CN=ci", "type": "AsymmetricX509Cert", "usage": "Verify", "key": "TUlJQ2NpMQ=="},
			map[string]any{"keyId": "dddd0000-0000-4000-8000-000000000004", "displayName": "CN=ci2", "type": "AsymmetricX509Cert", "usage": "Verify", "key": "TUlJQ2NpMg=="},
		}})
	f.PutState(grant, map[string]any{"type": "Microsoft.Authorization/roleAssignments", "properties": map[string]any{
		"roleDefinitionId": owner, "principalId": guest, "principalType": "User", "scope": rg, "description": "break-glass"}})
	f.PutState(grant2, map[string]any{"type": "Microsoft.Authorization/roleAssignments", "properties": map[string]any{
		"roleDefinitionId": reader, "principalId": guest, "principalType": "User", "scope": rg}})
	return f, Actions(Options{Endpoint: f.URL, Credential: azuretest.StaticToken{}, HTTPClient: f.Client(), RetryDelay: time.Millisecond})
}

func sshRule() map[string]any {
	return map[string]any{"access": "Allow", "direction": "Inbound", "priority": 100.0, "protocol": "Tcp",
		"sourceAddressPrefix": "*", "sourcePortRange": "*", "destinationAddressPrefix": "*", "destinationPortRange": "22",
		"description": "temporary", "provisioningState": "Succeeded"}
}

func action(t *testing.T, as []respond.Action, name string) respond.Action {
	t.Helper()
	for _, a := range as {
		if a.Spec().Name == name {
			return a
		}
	}
	t.Fatalf("no action %s", name)
	return nil
}

func props(t *testing.T, f *azuretest.Server, p string) map[string]any {
	t.Helper()
	o, ok := f.State(p)
	if !ok {
		t.Fatalf("%s is gone", p)
	}
	m, _ := o["properties"].(map[string]any)
	return m
}

func keyIDs(f *azuretest.Server, field string) []string {
	o, _ := f.State(sp)
	var ids []string
	list, _ := o[field].([]any)
	for _, c := range list {
		ids = append(ids, c.(map[string]any)["keyId"].(string))
	}
	return ids
}

func TestDisallowBlobPublicAccess(t *testing.T) {
	f, as := fake(t)
	ch := respondtest.Lifecycle{
		Action:  action(t, as, "azure.storage.disallow-blob-public-access"),
		Request: &respond.Request{Subject: &respond.Subject{Resource: respond.Resource{ID: account}}, Inputs: map[string]string{}},
		Before: func(t *testing.T) {
			if v := props(t, f, account)["allowBlobPublicAccess"]; v != true {
				t.Errorf("allowBlobPublicAccess = %v, want true", v)
			}
		},
		After: func(t *testing.T) {
			if v := props(t, f, account)["allowBlobPublicAccess"]; v != false {
				t.Errorf("allowBlobPublicAccess = %v, want false", v)
			}
		},
		Unrelated: func(t *testing.T) {
			if v := props(t, f, account)["minimumTlsVersion"]; v != "TLS1_2" {
				t.Errorf("minimumTlsVersion = %v: the PATCH touched another property", v)
			}
		},
	}.Run(t)
	if want := (respond.AttrChange{Attribute: "properties.allowBlobPublicAccess", Before: true, After: false}); !reflect.DeepEqual(ch.Diff, []respond.AttrChange{want}) {
		t.Errorf("diff = %+v", ch.Diff)
	}
	if ch.Account != sub || ch.Calls[0].Operation != "PATCH storageAccounts" {
		t.Errorf("change = %+v", ch)
	}
}

// An account that never said (allowBlobPublicAccess absent) is restored to
// true, what Azure applied.
func TestDisallowBlobPublicAccessUnset(t *testing.T) {
	f, as := fake(t)
	f.PutState(account, map[string]any{"properties": map[string]any{}})
	a := action(t, as, "azure.storage.disallow-blob-public-access")
	ctx, env := context.Background(), (&respondtest.Recorder{}).Env()
	// A finding about one of its containers names the account.
	ch, err := a.Plan(ctx, env, &respond.Request{Inputs: map[string]string{"resource_id": account + "/blobServices/default/containers/public"}})
	if err != nil || ch.NoOp || ch.Diff[0].Before != nil || ch.Resource != account {
		t.Fatalf("plan = %+v, %v", ch, err)
	}
	done, err := a.Apply(ctx, env, ch)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Rollback(ctx, env, ch, done); err != nil {
		t.Fatal(err)
	}
	if v := props(t, f, account)["allowBlobPublicAccess"]; v != true {
		t.Errorf("after rollback allowBlobPublicAccess = %v, want true", v)
	}
}

func TestDeleteNSGRule(t *testing.T) {
	f, as := fake(t)
	rule := nsg + "/securityRules/allow-ssh-any"
	ch := respondtest.Lifecycle{
		Action:  action(t, as, "azure.network.delete-nsg-rule"),
		Request: &respond.Request{Inputs: map[string]string{"resource_id": nsg, "rule": "allow-ssh-any"}},
		Before: func(t *testing.T) {
			if got := props(t, f, rule); !reflect.DeepEqual(got, sshRule()) {
				t.Errorf("rule = %v, want %v", got, sshRule())
			}
		},
		After: func(t *testing.T) {
			if _, ok := f.State(rule); ok {
				t.Error("the rule is still there")
			}
		},
		Unrelated: func(t *testing.T) {
			if props(t, f, nsg+"/securityRules/allow-https")["destinationPortRange"] != "443" {
				t.Error("the other rule changed")
			}
		},
	}.Run(t)
	before, _ := ch.Diff[0].Before.(map[string]any)
	if ch.Diff[0].Attribute != "securityRules/allow-ssh-any" || before["destinationPortRange"] != "22" || before["sourceAddressPrefix"] != "*" {
		t.Errorf("diff = %+v", ch.Diff)
	}
	// The rule's own ID names it too.
	if _, err := action(t, as, "azure.network.delete-nsg-rule").Plan(context.Background(), nil,
		&respond.Request{Inputs: map[string]string{"resource_id": rule}}); err != nil {
		t.Errorf("plan by the rule's ID: %v", err)
	}
}

func TestRemoveSPPassword(t *testing.T) {
	f, as := fake(t)
	ch := respondtest.Lifecycle{
		Action:  action(t, as, "azure.entra.remove-sp-credential"),
		Request: &respond.Request{Inputs: map[string]string{"object_id": spID, "key_id": leaked}},
		Before: func(t *testing.T) {
			if ids := keyIDs(f, "passwordCredentials"); !slices.Contains(ids, leaked) {
				t.Errorf("passwords = %v", ids)
			}
		},
		After: func(t *testing.T) {
			if ids := keyIDs(f, "passwordCredentials"); slices.Contains(ids, leaked) {
				t.Errorf("passwords = %v: the leaked one is still there", ids)
			}
		},
		// Only the named credential: the other password and both
		// certificates stay.
		Unrelated: func(t *testing.T) {
			if ids := keyIDs(f, "passwordCredentials"); !reflect.DeepEqual(ids, []string{other}) {
				t.Errorf("passwords = %v, want only %s", ids, other)
			}
			if ids := keyIDs(f, "keyCredentials"); len(ids) != 2 {
				t.Errorf("certificates = %v", ids)
			}
		},
	}.Run(t)
	if ch.Resource != "/servicePrincipals/"+spID || ch.Calls[0].Operation != "POST servicePrincipals/removePassword" || ch.Reversible {
		t.Errorf("change = %+v", ch)
	}
	if before, _ := ch.Diff[0].Before.(map[string]any); before["displayName"] != "leaked" || before["kind"] != "password" {
		t.Errorf("diff = %+v", ch.Diff)
	}
}

func TestRemoveSPCertificate(t *testing.T) {
	f, as := fake(t)
	certs := func() []any { o, _ := f.State(sp); l, _ := o["keyCredentials"].([]any); return l }
	before := certs()
	ch := respondtest.Lifecycle{
		Action: action(t, as, "azure.entra.remove-sp-credential"),
		// Rolled back: the certificate is back, public key and all.
		Before: func(t *testing.T) {
			got := certs()
			slices.SortFunc(got, func(a, b any) int {
				return strings.Compare(a.(map[string]any)["keyId"].(string), b.(map[string]any)["keyId"].(string))
			})
			if !reflect.DeepEqual(got, before) {
				t.Errorf("certificates = %v, want %v", got, before)
			}
		},
		// The subject's resource as vigil's entra importer names it.
		Request: &respond.Request{Subject: &respond.Subject{Resource: respond.Resource{ID: "/tenants/" + azuretest.TenantID + "/servicePrincipals/" + spID}},
			Inputs: map[string]string{"key_id": cert}},
		After: func(t *testing.T) {
			if ids := keyIDs(f, "keyCredentials"); !reflect.DeepEqual(ids, []string{"dddd0000-0000-4000-8000-000000000004"}) {
				t.Errorf("certificates = %v", ids)
			}
		},
		Unrelated: func(t *testing.T) {
			if ids := keyIDs(f, "passwordCredentials"); len(ids) != 2 {
				t.Errorf("passwords = %v", ids)
			}
		},
	}.Run(t)
	if ch.Account != azuretest.TenantID || ch.Resource != "/servicePrincipals/"+spID {
		t.Errorf("change = %+v", ch)
	}
}

// An application's object ID, the service principal lookup answering 404.
func TestRemoveApplicationPassword(t *testing.T) {
	f, as := fake(t)
	f.Gone("/v1.0/servicePrincipals/" + lastSegment(app))
	f.PutState(app, map[string]any{"passwordCredentials": []any{map[string]any{"keyId": leaked}, map[string]any{"keyId": other}}})
	a := action(t, as, "azure.entra.remove-sp-credential")
	ctx := context.Background()
	ch, err := a.Plan(ctx, nil, &respond.Request{Inputs: map[string]string{"object_id": lastSegment(app), "key_id": leaked}})
	if err != nil || ch.Resource != "/applications/"+lastSegment(app) {
		t.Fatalf("plan = %+v, %v", ch, err)
	}
	if _, err := a.Apply(ctx, nil, ch); err != nil {
		t.Fatal(err)
	}
	o, _ := f.State(app)
	if list := o["passwordCredentials"].([]any); len(list) != 1 || list[0].(map[string]any)["keyId"] != other {
		t.Errorf("passwords = %v", list)
	}
}

func TestRemoveRoleAssignmentByID(t *testing.T) {
	f, as := fake(t)
	ch := respondtest.Lifecycle{
		Action:  action(t, as, "azure.authorization.remove-role-assignment"),
		Request: &respond.Request{Subject: &respond.Subject{Resource: respond.Resource{ID: grant}}, Inputs: map[string]string{}},
		Before: func(t *testing.T) {
			p := props(t, f, grant)
			if p["roleDefinitionId"] != owner || p["principalId"] != guest || p["scope"] != rg || p["description"] != "break-glass" {
				t.Errorf("assignment = %v", p)
			}
		},
		After: func(t *testing.T) {
			if _, ok := f.State(grant); ok {
				t.Error("the assignment is still there")
			}
		},
		Unrelated: func(t *testing.T) { props(t, f, grant2) },
	}.Run(t)
	if ch.Calls[0].Operation != "DELETE roleAssignments" || ch.Calls[0].Target != grant {
		t.Errorf("calls = %+v", ch.Calls)
	}
}

func TestRemoveRoleAssignmentByPrincipal(t *testing.T) {
	f, as := fake(t)
	ch := respondtest.Lifecycle{
		Action: action(t, as, "azure.authorization.remove-role-assignment"),
		Request: &respond.Request{Subject: &respond.Subject{Principal: guest, Resource: respond.Resource{ID: rg}},
			Inputs: map[string]string{"role": lastSegment(reader)}},
		Before: func(t *testing.T) {
			if p := props(t, f, grant2); p["roleDefinitionId"] != reader || p["principalId"] != guest || p["scope"] != rg {
				t.Errorf("assignment = %v", p)
			}
		},
		After: func(t *testing.T) {
			if _, ok := f.State(grant2); ok {
				t.Error("the reader assignment is still there")
			}
		},
		Unrelated: func(t *testing.T) { props(t, f, grant) },
	}.Run(t)
	if ch.Resource != grant2 {
		t.Errorf("resource = %s", ch.Resource)
	}
}

// A resource gone is ErrGone; a credential, rule or assignment already
// absent is a no-op.
func TestGone(t *testing.T) {
	f, as := fake(t)
	ctx := context.Background()
	f.Gone(account)
	f.Gone(nsg + "/securityRules/allow-ssh-any")
	f.Gone(nsg)
	f.Gone(sp)
	f.Gone("/v1.0/applications/" + spID)
	for name, in := range map[string]map[string]string{
		"azure.storage.disallow-blob-public-access":  {"resource_id": account},
		"azure.network.delete-nsg-rule":              {"resource_id": nsg, "rule": "allow-ssh-any"},
		"azure.entra.remove-sp-credential":           {"object_id": spID, "key_id": leaked},
		"azure.authorization.remove-role-assignment": {"principal": guest, "role": owner, "scope": account},
	} {
		if name == "azure.authorization.remove-role-assignment" {
			f.Gone(account + assignmentsPath)
		}
		_, err := action(t, as, name).Plan(ctx, nil, &respond.Request{Inputs: in})
		if !errors.Is(err, respond.ErrGone) {
			t.Errorf("%s: err = %v, want ErrGone", name, err)
		}
	}
	f2, as2 := fake(t)
	f2.Gone(nsg + "/securityRules/allow-ssh-any")
	ch, err := action(t, as2, "azure.network.delete-nsg-rule").Plan(ctx, nil, &respond.Request{Inputs: map[string]string{"resource_id": nsg, "rule": "allow-ssh-any"}})
	if err != nil || !ch.NoOp {
		t.Errorf("absent rule of an existing group: %+v, %v", ch, err)
	}
}

// An ARM 403 and a Graph 403 are ErrDenied; the write refused leaves the
// state as it was.
func TestDenied(t *testing.T) {
	f, as := fake(t)
	ctx := context.Background()
	a := action(t, as, "azure.storage.disallow-blob-public-access")
	ch, err := a.Plan(ctx, nil, &respond.Request{Inputs: map[string]string{"resource_id": account}})
	if err != nil {
		t.Fatal(err)
	}
	f.Fail("PATCH", account, nil, 403)
	if _, err := a.Apply(ctx, nil, ch); !errors.Is(err, respond.ErrDenied) || !strings.Contains(err.Error(), "AuthorizationFailed") {
		t.Errorf("apply: err = %v, want ErrDenied", err)
	}
	if v := props(t, f, account)["allowBlobPublicAccess"]; v != true {
		t.Errorf("allowBlobPublicAccess = %v after a refused write", v)
	}
	f.Fail("GET", sp, nil, 403)
	_, err = action(t, as, "azure.entra.remove-sp-credential").Plan(ctx, nil, &respond.Request{Inputs: map[string]string{"object_id": spID, "key_id": leaked}})
	if !errors.Is(err, respond.ErrDenied) {
		t.Errorf("graph: err = %v, want ErrDenied", err)
	}
}

// A 429 with Retry-After is retried by the SDK's policy after the time
// it says.
func TestThrottled(t *testing.T) {
	f, as := fake(t)
	f.Fail("DELETE", grant, map[string]string{"Retry-After": "1"}, 429)
	a := action(t, as, "azure.authorization.remove-role-assignment")
	ctx := context.Background()
	ch, err := a.Plan(ctx, nil, &respond.Request{Inputs: map[string]string{"assignment_id": grant}})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if _, err := a.Apply(ctx, nil, ch); err != nil {
		t.Fatalf("apply: %v", err)
	}
	if took := time.Since(start); took < 900*time.Millisecond {
		t.Errorf("retried after %v, before the Retry-After second", took)
	}
	if _, ok := f.State(grant); ok {
		t.Error("the assignment is still there")
	}
	n := 0
	for _, r := range f.Requests() {
		if strings.EqualFold(r, "DELETE "+grant) {
			n++
		}
	}
	if n != 2 {
		t.Errorf("%d DELETE requests, want 2: %v", n, f.Requests())
	}
}

func TestBadInput(t *testing.T) {
	_, as := fake(t)
	for name, in := range map[string]map[string]string{
		"azure.storage.disallow-blob-public-access":  {"resource_id": nsg},
		"azure.network.delete-nsg-rule":              {"resource_id": nsg},
		"azure.entra.remove-sp-credential":           {"object_id": spID},
		"azure.authorization.remove-role-assignment": {"principal": guest},
	} {
		_, err := action(t, as, name).Plan(context.Background(), nil, &respond.Request{Inputs: in})
		if !errors.Is(err, respond.ErrInput) {
			t.Errorf("%s %v: err = %v, want ErrInput", name, in, err)
		}
	}
}

// The Spec says reversible; a password's change says it is not (the
// secret is never readable again), a certificate's that it is.
func ExampleActions() {
	for _, a := range Actions(Options{}) {
		s := a.Spec()
		fmt.Println(s.Name, s.Reversible)
	}
	// Output:
	// azure.storage.disallow-blob-public-access true
	// azure.network.delete-nsg-rule true
	// azure.entra.remove-sp-credential true
	// azure.authorization.remove-role-assignment true
}

// The NSG rule's DELETE and PUT are long-running operations in Azure
// (202 Accepted, then an Azure-AsyncOperation to poll): the SDK's poller
// waits for them.
func TestDeleteNSGRuleAsync(t *testing.T) {
	f, as := fake(t)
	f.Async(true)
	rule := nsg + "/securityRules/allow-ssh-any"
	respondtest.Lifecycle{
		Action:  action(t, as, "azure.network.delete-nsg-rule"),
		Request: &respond.Request{Inputs: map[string]string{"resource_id": rule}},
		Before: func(t *testing.T) {
			if got := props(t, f, rule); !reflect.DeepEqual(got, sshRule()) {
				t.Errorf("rule = %v, want %v", got, sshRule())
			}
		},
		After: func(t *testing.T) {
			if _, ok := f.State(rule); ok {
				t.Error("the rule is still there")
			}
		},
	}.Run(t)
	polled := 0
	for _, r := range f.Requests() {
		if strings.HasPrefix(r, "GET /azuretest/operations/") {
			polled++
		}
	}
	// The delete's operation is polled; the re-creation's 202 already says
	// provisioningState Succeeded, which the poller takes as done.
	if polled < 1 {
		t.Errorf("no operation polled: %v", f.Requests())
	}
}

// Without Options.Credential the azidentity chain is used (here the
// environment's client secret, against azuretest's token authority), and
// a CA file is trusted as vigil collect's --azure-ca-file.
func TestDefaultCredentialAndCAFile(t *testing.T) {
	f, _ := fake(t)
	ca, err := f.CAFile(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("AZURE_TENANT_ID", azuretest.TenantID)
	t.Setenv("AZURE_CLIENT_ID", azuretest.ClientID)
	t.Setenv("AZURE_CLIENT_SECRET", azuretest.ClientSecret)
	as := Actions(Options{Endpoint: f.URL, CAFile: ca, TenantID: azuretest.TenantID})
	ctx := context.Background()
	ch, err := action(t, as, "azure.storage.disallow-blob-public-access").Plan(ctx, nil, &respond.Request{Inputs: map[string]string{"resource_id": account}})
	if err != nil || ch.NoOp {
		t.Fatalf("plan = %+v, %v", ch, err)
	}
	if _, err := action(t, as, "azure.entra.remove-sp-credential").Plan(ctx, nil, &respond.Request{Inputs: map[string]string{"object_id": spID, "key_id": leaked}}); err != nil {
		t.Fatal(err)
	}
	var tokens []string
	for _, r := range f.Requests() {
		if strings.HasPrefix(r, "TOKEN ") {
			tokens = append(tokens, strings.Fields(r)[1]) // MSAL adds openid offline_access profile
		}
	}
	slices.Sort(tokens)
	if want := []string{"https://graph.microsoft.com/.default", "https://management.core.windows.net//.default"}; !reflect.DeepEqual(tokens, want) {
		t.Errorf("token requests = %v, want %v", tokens, want)
	}
	t.Setenv("AZURE_CLIENT_SECRET", "wrong")
	as = Actions(Options{Endpoint: f.URL, CAFile: ca, TenantID: azuretest.TenantID})
	if _, err := action(t, as, "azure.storage.disallow-blob-public-access").Plan(ctx, nil, &respond.Request{Inputs: map[string]string{"resource_id": account}}); err == nil || !strings.Contains(err.Error(), "invalid_client") {
		t.Errorf("a refused client secret: err = %v", err)
	}
}

// A change read back from a plan file is applied and rolled back by
// another Actions (another process).
func TestApplyFromPlanFile(t *testing.T) {
	f, as := fake(t)
	ctx := context.Background()
	a := action(t, as, "azure.authorization.remove-role-assignment")
	ch, err := a.Plan(ctx, nil, &respond.Request{Inputs: map[string]string{"assignment_id": grant}})
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(ch)
	if err != nil {
		t.Fatal(err)
	}
	var back respond.Change
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	b := action(t, Actions(Options{Endpoint: f.URL, Credential: azuretest.StaticToken{}, HTTPClient: f.Client()}), a.Spec().Name)
	done, err := b.Apply(ctx, nil, &back)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := f.State(grant); ok {
		t.Fatal("not removed")
	}
	if _, err := b.Rollback(ctx, nil, &back, done); err != nil {
		t.Fatal(err)
	}
	if p := props(t, f, grant); p["roleDefinitionId"] != owner || p["principalId"] != guest || p["principalType"] != "User" || p["description"] != "break-glass" {
		t.Errorf("re-created assignment = %v", p)
	}
}

// TestConcurrentApply: 50 changes applied at once by one Actions against
// an endpoint answering in 50 ms each run side by side (50 requests in
// flight), not one after the other (50 x 2 calls x 50 ms = 5 s).
func TestConcurrentApply(t *testing.T) {
	f, as := fake(t)
	a := action(t, as, "azure.storage.disallow-blob-public-access")
	ctx := context.Background()
	var chs []*respond.Change
	for i := range 50 {
		id := fmt.Sprintf("%s/providers/Microsoft.Storage/storageAccounts/acct%02d", rg, i)
		f.PutState(id, map[string]any{"properties": map[string]any{"allowBlobPublicAccess": true}})
		ch, err := a.Plan(ctx, nil, &respond.Request{Inputs: map[string]string{"resource_id": id}})
		if err != nil {
			t.Fatal(err)
		}
		chs = append(chs, ch)
	}
	f.Latency(50 * time.Millisecond)
	start := time.Now()
	errs := make(chan error, len(chs))
	for _, ch := range chs {
		go func() { _, err := a.Apply(ctx, nil, ch); errs <- err }()
	}
	for range chs {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	took := time.Since(start)
	t.Logf("50 applies (100 calls at 50 ms) in %v", took)
	if took > 2*time.Second {
		t.Errorf("50 applies took %v: not run side by side", took)
	}
	for _, ch := range chs {
		if v := props(t, f, ch.Resource)["allowBlobPublicAccess"]; v != false {
			t.Errorf("%s: allowBlobPublicAccess = %v", ch.Resource, v)
		}
	}
}

// Throttled beyond the retries: the error says 429 (HTTPStatusCode, which
// the engine's trail names "throttled") and nothing was written.
func TestThrottledBeyondRetries(t *testing.T) {
	f, _ := fake(t)
	as := Actions(Options{Endpoint: f.URL, Credential: azuretest.StaticToken{}, HTTPClient: f.Client(), MaxRetries: 2, RetryDelay: time.Millisecond})
	f.Fail("GET", account, map[string]string{"Retry-After": "0"}, 429, 429, 429)
	_, err := action(t, as, "azure.storage.disallow-blob-public-access").Plan(context.Background(), nil,
		&respond.Request{Inputs: map[string]string{"resource_id": account}})
	var hs interface{ HTTPStatusCode() int }
	if !errors.As(err, &hs) || hs.HTTPStatusCode() != 429 {
		t.Fatalf("err = %v, want one with HTTPStatusCode 429", err)
	}
	n := 0
	for _, r := range f.Requests() {
		if strings.HasPrefix(r, "GET ") {
			n++
		}
	}
	if n != 3 {
		t.Errorf("%d GETs, want 3 (the call and 2 retries)", n)
	}
}

// A service principal's finding naming a secret of its application (where
// app registrations keep their credentials): the application's is removed,
// found by appId; the service principal's own credentials stay.
func TestRemoveApplicationSecretOfSP(t *testing.T) {
	f, as := fake(t)
	appID := "0a990000-0000-4000-8000-0000000000aa"
	o, _ := f.State(sp)
	o["appId"] = appID
	f.PutState(sp, o)
	f.PutState(app, map[string]any{"appId": appID, "passwordCredentials": []any{
		map[string]any{"keyId": "eeee0000-0000-4000-8000-000000000005", "displayName": "app secret"},
		map[string]any{"keyId": other, "displayName": "app rotation"},
	}})
	appPasswords := func() []any { o, _ := f.State(app); l, _ := o["passwordCredentials"].([]any); return l }
	ch := respondtest.Lifecycle{
		Action:  action(t, as, "azure.entra.remove-sp-credential"),
		Request: &respond.Request{Inputs: map[string]string{"object_id": spID, "key_id": "eeee0000-0000-4000-8000-000000000005"}},
		After: func(t *testing.T) {
			if l := appPasswords(); len(l) != 1 || l[0].(map[string]any)["keyId"] != other {
				t.Errorf("application passwords = %v", l)
			}
		},
		Unrelated: func(t *testing.T) {
			if ids := keyIDs(f, "passwordCredentials"); !reflect.DeepEqual(ids, []string{leaked, other}) {
				t.Errorf("service principal passwords = %v", ids)
			}
		},
	}.Run(t)
	if ch.Resource != "/applications/"+lastSegment(app) {
		t.Errorf("resource = %s", ch.Resource)
	}
	// A keyId on neither: nothing to do.
	ch, err := action(t, as, "azure.entra.remove-sp-credential").Plan(context.Background(), nil,
		&respond.Request{Inputs: map[string]string{"object_id": spID, "key_id": "ffff0000-0000-4000-8000-000000000006"}})
	if err != nil || !ch.NoOp {
		t.Errorf("unknown keyId: %+v, %v", ch, err)
	}
}

// A certificate kept that Graph gave without its public key would be
// dropped by writing keyCredentials back: refused, nothing written.
func TestRemoveCertificateOthersWithoutKey(t *testing.T) {
	f, as := fake(t)
	o, _ := f.State(sp)
	o["keyCredentials"].([]any)[1].(map[string]any)["key"] = nil
	f.PutState(sp, o)
	a := action(t, as, "azure.entra.remove-sp-credential")
	rec := &respondtest.Recorder{}
	ch, err := a.Plan(context.Background(), rec.Env(), &respond.Request{Inputs: map[string]string{"object_id": spID, "key_id": cert}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Apply(context.Background(), rec.Env(), ch); err == nil || !strings.Contains(err.Error(), "without its key") {
		t.Errorf("apply: err = %v", err)
	}
	if w := rec.Writes(); len(w) > 0 {
		t.Errorf("writes: %+v", w)
	}
	if ids := keyIDs(f, "keyCredentials"); len(ids) != 2 {
		t.Errorf("certificates = %v", ids)
	}
}
