package gcprespond

import (
	"fmt"
	"testing"

	"github.com/vigil-sec/vigil/internal/collect/gcp/gcptest"
	"github.com/vigil-sec/vigil/internal/respond"
	"github.com/vigil-sec/vigil/internal/respond/respondtest"
)

const (
	sshRule = "projects/proj-a/global/firewalls/allow-ssh"
	webRule = "projects/proj-a/global/firewalls/allow-web"
)

func firewallCloud(t *testing.T) *cloud {
	return newCloud(t, func(st *gcptest.Cloud) {
		st.Firewalls[sshRule] = &gcptest.Firewall{Network: "global/networks/default", SourceRanges: []string{"0.0.0.0/0"}, Description: "ssh from anywhere"}
		st.Firewalls[webRule] = &gcptest.Firewall{Network: "global/networks/default", SourceRanges: []string{"0.0.0.0/0"}}
	})
}

func (c *cloud) firewall(name string) (fw gcptest.Firewall) {
	c.st.With(func() { fw = *c.st.Firewalls[name] })
	return fw
}

func TestDisableFirewallRule(t *testing.T) {
	for _, input := range []string{
		"//compute.googleapis.com/" + sshRule,
		"https://www.googleapis.com/compute/v1/" + sshRule,
		"allow-ssh", // with the subject's project
	} {
		t.Run(input, func(t *testing.T) {
			c := firewallCloud(t)
			a := c.action(t, "gcp.compute.disable-firewall-rule")
			ch := respondtest.Lifecycle{
				Action:  a,
				Request: request(map[string]string{"firewall": input}),
				Before: func(t *testing.T) {
					if fw := c.firewall(sshRule); fw.Disabled {
						t.Errorf("rule %+v disabled, want enabled", fw)
					}
				},
				After: func(t *testing.T) {
					if fw := c.firewall(sshRule); !fw.Disabled || fw.Description != "ssh from anywhere" || len(fw.SourceRanges) != 1 {
						t.Errorf("rule %+v: want disabled, the rest unchanged", fw)
					}
				},
				Unrelated: func(t *testing.T) {
					if fw := c.firewall(webRule); fw.Disabled {
						t.Errorf("another rule was disabled")
					}
				},
			}.Run(t)
			if ch.Resource != "//compute.googleapis.com/"+sshRule || ch.Account != project || ch.Calls[0].Params["disabled"] != true {
				t.Errorf("change %+v", ch)
			}
			if m := c.methods(); m["compute.firewalls.patch"] != 2 {
				t.Errorf("calls %v, want 2 patches (apply, rollback)", m)
			}
			c.checkPermissions(t, a)
		})
	}
}

// TestDisableFirewallOperationWaited: a patch answered with a running
// operation is waited for before the apply returns.
func TestDisableFirewallOperationWaited(t *testing.T) {
	c := firewallCloud(t)
	c.st.With(func() { c.st.PendingOps = true })
	a := c.action(t, "gcp.compute.disable-firewall-rule")
	ch, err := plan(t, a, map[string]string{"firewall": sshRule})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Apply(t.Context(), nil, ch); err != nil {
		t.Fatal(err)
	}
	if m := c.methods(); m["compute.globalOperations.wait"] != 1 || !c.firewall(sshRule).Disabled {
		t.Errorf("calls %v: want the operation waited for once", m)
	}
	c.checkPermissions(t, a)
}

func TestDisableFirewallInputs(t *testing.T) {
	c := firewallCloud(t)
	a := c.action(t, "gcp.compute.disable-firewall-rule")
	for _, tc := range []struct {
		inputs map[string]string
		want   error
	}{
		{map[string]string{}, respond.ErrInput},
		{map[string]string{"firewall": "projects/proj-a/global/networks/default"}, respond.ErrInput},
		{map[string]string{"firewall": "Allow_SSH"}, respond.ErrInput},
		{map[string]string{"firewall": "projects/proj-a/global/firewalls/gone"}, respond.ErrGone},
	} {
		_, err := plan(t, a, tc.inputs)
		mustErr(t, fmt.Sprint(tc.inputs), err, tc.want)
	}
	already := newCloud(t, func(st *gcptest.Cloud) { st.Firewalls[sshRule] = &gcptest.Firewall{Disabled: true} })
	ch, err := plan(t, already.action(t, "gcp.compute.disable-firewall-rule"), map[string]string{"firewall": sshRule})
	if err != nil || !ch.NoOp {
		t.Errorf("a disabled rule: change %+v, err %v; want a no-op", ch, err)
	}
}
