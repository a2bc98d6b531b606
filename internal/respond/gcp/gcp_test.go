package gcprespond

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/collect/gcp/gcptest"
	"github.com/vigil-sec/vigil/internal/respond"
	"github.com/vigil-sec/vigil/internal/respond/respondtest"
)

const project = "proj-a"

// cloud is the local Google Cloud endpoint with its in-memory state.
type cloud struct {
	st   *gcptest.Cloud
	opts Options
}

// newCloud serves the state (filled by setup) on loopback.
func newCloud(t *testing.T, setup func(st *gcptest.Cloud)) *cloud {
	t.Helper()
	st := gcptest.NewCloud()
	if setup != nil {
		setup(st)
	}
	srv := st.Start()
	t.Cleanup(srv.Close)
	return &cloud{st: st, opts: Options{Endpoint: srv.URL, HTTPClient: srv.Client(), MaxAttempts: 3, RetryBackoff: time.Millisecond}}
}

func (c *cloud) action(t *testing.T, name string) respond.Action {
	t.Helper()
	for _, a := range Actions(c.opts) {
		if a.Spec().Name == name {
			return a
		}
	}
	t.Fatalf("no action %s", name)
	return nil
}

func request(inputs map[string]string) *respond.Request {
	return &respond.Request{Subject: &respond.Subject{Kind: "finding", Provider: "gcp", Account: project}, Inputs: inputs}
}

func plan(t *testing.T, a respond.Action, inputs map[string]string) (*respond.Change, error) {
	t.Helper()
	return a.Plan(context.Background(), (&respondtest.Recorder{}).Env(), request(inputs))
}

// mustErr checks that err wraps want.
func mustErr(t *testing.T, what string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Errorf("%s: err = %v, want %v", what, err, want)
	}
}

// permission is the IAM permission each method the test cloud answers
// checks (firewalls.patch also checks compute.networks.updatePolicy).
var permission = map[string][]string{
	"storage.buckets.getIamPolicy":               {"storage.buckets.getIamPolicy"},
	"storage.buckets.setIamPolicy":               {"storage.buckets.setIamPolicy"},
	"iam.projects.serviceAccounts.keys.get":      {"iam.serviceAccountKeys.get"},
	"iam.projects.serviceAccounts.keys.disable":  {"iam.serviceAccountKeys.disable"},
	"iam.projects.serviceAccounts.keys.enable":   {"iam.serviceAccountKeys.enable"},
	"compute.firewalls.get":                      {"compute.firewalls.get"},
	"compute.firewalls.patch":                    {"compute.firewalls.update", "compute.networks.updatePolicy"},
	"compute.globalOperations.get":               {"compute.globalOperations.get"},
	"compute.globalOperations.wait":              {"compute.globalOperations.get"},
	"cloudresourcemanager.projects.getIamPolicy": {"resourcemanager.projects.getIamPolicy"},
	"cloudresourcemanager.projects.setIamPolicy": {"resourcemanager.projects.setIamPolicy"},
}

// checkPermissions checks that every request the action made is allowed
// by its Spec's permissions.
func (c *cloud) checkPermissions(t *testing.T, a respond.Action) {
	t.Helper()
	perms := a.Spec().Permissions
	for _, call := range c.st.Calls() {
		need, ok := permission[call.Method]
		if !ok {
			t.Errorf("%s called %s, which the test does not know the permission of", a.Spec().Name, call.Method)
		}
		for _, p := range need {
			if !slices.Contains(perms, p) {
				t.Errorf("%s called %s, which needs %s, not in its permissions %v", a.Spec().Name, call.Method, p, perms)
			}
		}
	}
}

// methods counts the requests answered by method.
func (c *cloud) methods() map[string]int {
	out := map[string]int{}
	for _, call := range c.st.Calls() {
		out[call.Method]++
	}
	return out
}

// TestPermissionsFile: deploy/permissions/gcp-respond-roles.txt lists
// exactly the union of the actions' permissions.
func TestPermissionsFile(t *testing.T) {
	f, err := os.Open("../../../deploy/permissions/gcp-respond-roles.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var got []string
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.ContainsAny(line, " \t*") || strings.Count(line, ".") < 2 {
			t.Errorf("gcp-respond-roles.txt:%d: %q is not a permission", n, line)
		}
		got = append(got, line)
	}
	var want []string
	for _, a := range Actions(Options{}) {
		for _, p := range a.Spec().Permissions {
			if !slices.Contains(want, p) {
				want = append(want, p)
			}
		}
	}
	sort.Strings(want)
	sorted := slices.Sorted(slices.Values(got))
	if !slices.Equal(sorted, want) || len(slices.Compact(slices.Clone(sorted))) != len(got) {
		t.Errorf("gcp-respond-roles.txt lists\n%v\nthe actions' permissions are\n%v", sorted, want)
	}
}

func TestSpecs(t *testing.T) {
	reg, err := respond.NewRegistry(Actions(Options{})...)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"gcp.compute.disable-firewall-rule", "gcp.iam.disable-service-account-key",
		"gcp.resourcemanager.remove-public-members", "gcp.storage.remove-public-members"}
	if !slices.Equal(reg.Names(), want) {
		t.Errorf("actions %v, want %v", reg.Names(), want)
	}
	for _, s := range reg.Specs() {
		if s.Class != respond.Remediate || s.Provider != "gcp" || !s.Reversible || s.Tactic == "" || len(s.Permissions) == 0 || s.Description == "" || len(s.Inputs) == 0 {
			t.Errorf("%s: incomplete spec %+v", s.Name, s)
		}
	}
}

// TestApplyFromPlanFile: a change written to a plan file (JSON) and read
// back is applied and rolled back by another process's actions, with the
// outcome also read back from JSON.
func TestApplyFromPlanFile(t *testing.T) {
	c := newCloud(t, func(st *gcptest.Cloud) {
		st.Buckets["site"] = &gcptest.Policy{Bindings: []gcptest.Binding{{Role: "roles/storage.objectViewer", Members: []string{"allUsers", "user:ana@example.com"}}}}
		st.Keys[leakedKey] = &gcptest.Key{}
		st.Firewalls[sshRule] = &gcptest.Firewall{Network: "default", SourceRanges: []string{"0.0.0.0/0"}}
	})
	ctx := context.Background()
	for _, tc := range []struct {
		action string
		inputs map[string]string
	}{
		{"gcp.storage.remove-public-members", map[string]string{"bucket": "gs://site"}},
		{"gcp.iam.disable-service-account-key", map[string]string{"key": "//iam.googleapis.com/" + leakedKey}},
		{"gcp.compute.disable-firewall-rule", map[string]string{"firewall": "allow-ssh"}},
	} {
		ch, err := plan(t, c.action(t, tc.action), tc.inputs)
		if err != nil {
			t.Fatal(err)
		}
		var read respond.Change
		roundTrip(t, ch, &read)
		a := c.action(t, tc.action) // another process
		done, err := a.Apply(ctx, nil, &read)
		if err != nil {
			t.Fatalf("%s: Apply of the change read back: %v", tc.action, err)
		}
		var doneRead respond.Outcome
		roundTrip(t, done, &doneRead)
		if _, err := c.action(t, tc.action).Rollback(ctx, nil, &read, &doneRead); err != nil {
			t.Fatalf("%s: Rollback: %v", tc.action, err)
		}
	}
	c.st.With(func() {
		if m := c.st.Buckets["site"].Bindings[0].Members; !slices.Contains(m, "allUsers") {
			t.Errorf("bucket members after rollback %v", m)
		}
		if c.st.Keys[leakedKey].Disabled || c.st.Firewalls[sshRule].Disabled {
			t.Errorf("key or firewall still disabled after rollback")
		}
	})
}

func roundTrip(t *testing.T, v, into any) {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, into); err != nil {
		t.Fatal(err)
	}
}

// TestLoopbackEndpointWithoutCredentials: an endpoint on loopback alone
// (as vigil respond --gcp-endpoint gives it) is spoken to without looking
// for credentials.
func TestLoopbackEndpointWithoutCredentials(t *testing.T) {
	t.Setenv("GOOGLE_APPLICATION_CREDENTIALS", "/nonexistent/credentials.json")
	c := newCloud(t, func(st *gcptest.Cloud) { st.Keys[leakedKey] = &gcptest.Key{} })
	c.opts = Options{Endpoint: c.opts.Endpoint, RetryBackoff: time.Millisecond}
	a := c.action(t, "gcp.iam.disable-service-account-key")
	ch, err := plan(t, a, map[string]string{"key": leakedKey})
	if err != nil || ch.NoOp {
		t.Fatalf("Plan through the loopback endpoint: %+v, %v", ch, err)
	}
}
