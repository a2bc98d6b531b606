package gcprespond

import (
	"fmt"
	"testing"

	"github.com/vigil-sec/vigil/internal/collect/gcp/gcptest"
	"github.com/vigil-sec/vigil/internal/respond"
	"github.com/vigil-sec/vigil/internal/respond/respondtest"
)

const (
	sa        = "projects/proj-a/serviceAccounts/deploy@proj-a.iam.gserviceaccount.com"
	leakedKey = sa + "/keys/1f2e3d4c5b6a79880716253443526170"
	otherKey  = sa + "/keys/aa00bb11cc22dd33ee44ff5566778899"
	bobKey    = "projects/proj-a/serviceAccounts/bob@proj-a.iam.gserviceaccount.com/keys/0123456789abcdef0123456789abcdef"
	sysKey    = sa + "/keys/5555555555555555555555555555aaaa"
)

func keysCloud(t *testing.T) *cloud {
	return newCloud(t, func(st *gcptest.Cloud) {
		st.Keys[leakedKey] = &gcptest.Key{}
		st.Keys[otherKey] = &gcptest.Key{}
		st.Keys[bobKey] = &gcptest.Key{}
		st.Keys[sysKey] = &gcptest.Key{KeyType: "SYSTEM_MANAGED"}
	})
}

func (c *cloud) disabled(key string) (d bool) {
	c.st.With(func() { d = c.st.Keys[key].Disabled })
	return d
}

// TestDisableOneNamedKey: an account with two enabled keys keeps the one
// not named enabled through apply, a second apply and rollback; another
// account's key is not touched.
func TestDisableOneNamedKey(t *testing.T) {
	c := keysCloud(t)
	a := c.action(t, "gcp.iam.disable-service-account-key")
	ch := respondtest.Lifecycle{
		Action:  a,
		Request: request(map[string]string{"key": "//iam.googleapis.com/" + leakedKey}),
		Before: func(t *testing.T) {
			if c.disabled(leakedKey) {
				t.Errorf("the named key is disabled, want enabled")
			}
		},
		After: func(t *testing.T) {
			if !c.disabled(leakedKey) {
				t.Errorf("the named key is enabled, want disabled")
			}
		},
		Unrelated: func(t *testing.T) {
			if c.disabled(otherKey) || c.disabled(bobKey) {
				t.Errorf("a key not named was disabled (same account: %t, another account: %t)", c.disabled(otherKey), c.disabled(bobKey))
			}
		},
	}.Run(t)
	if len(ch.Calls) != 1 || ch.Calls[0].Target != "//iam.googleapis.com/"+leakedKey || ch.Account != project {
		t.Errorf("change %+v: want one disable of %s", ch, leakedKey)
	}
	// One write to disable, one to roll back: never one per key.
	if m := c.methods(); m["iam.projects.serviceAccounts.keys.disable"] != 1 || m["iam.projects.serviceAccounts.keys.enable"] != 1 {
		t.Errorf("calls %v: want one disable and one enable", m)
	}
	for _, call := range c.st.Calls() {
		if call.Resource != leakedKey {
			t.Errorf("a call on %s (%s): only the named key may be read or written", call.Resource, call.Method)
		}
	}
	c.checkPermissions(t, a)
}

// TestDisableKeyByID: the key's ID with its service account (project "-",
// as the API allows) names the same one key.
func TestDisableKeyByID(t *testing.T) {
	byDash := "projects/-/serviceAccounts/deploy@proj-a.iam.gserviceaccount.com/keys/1f2e3d4c5b6a79880716253443526170"
	c := newCloud(t, func(st *gcptest.Cloud) { st.Keys[byDash] = &gcptest.Key{}; st.Keys[otherKey] = &gcptest.Key{} })
	ch, err := plan(t, c.action(t, "gcp.iam.disable-service-account-key"),
		map[string]string{"key": "1f2e3d4c5b6a79880716253443526170", "service_account": "serviceAccount:deploy@proj-a.iam.gserviceaccount.com"})
	if err != nil {
		t.Fatal(err)
	}
	if ch.Resource != "//iam.googleapis.com/"+byDash || ch.Account != project || ch.NoOp {
		t.Errorf("change %+v", ch)
	}
}

func TestDisableKeyInputs(t *testing.T) {
	c := keysCloud(t)
	a := c.action(t, "gcp.iam.disable-service-account-key")
	for _, tc := range []struct {
		inputs map[string]string
		want   error
	}{
		{map[string]string{}, respond.ErrInput},                                          // no key: never "all keys"
		{map[string]string{"key": sa}, respond.ErrInput},                                 // an account, not a key
		{map[string]string{"key": sa + "/keys/"}, respond.ErrInput},                      // no ID
		{map[string]string{"key": "1f2e3d4c5b6a79880716253443526170"}, respond.ErrInput}, // an ID without its account
		{map[string]string{"key": sysKey}, respond.ErrInput},                             // Google-managed
		{map[string]string{"key": sa + "/keys/0000"}, respond.ErrGone},                   // no such key
	} {
		_, err := plan(t, a, tc.inputs)
		mustErr(t, fmt.Sprint(tc.inputs), err, tc.want)
	}
	if c.disabled(leakedKey) || c.disabled(otherKey) {
		t.Errorf("keys changed by refused plans")
	}
}
