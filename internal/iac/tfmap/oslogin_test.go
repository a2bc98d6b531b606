package tfmap_test

import (
	"fmt"
	"testing"

	"github.com/vigil-sec/vigil/internal/iac/tfmap"
)

// TestProjectOSLogin: the project's enable-oslogin (a
// google_compute_project_metadata_item, or google_compute_project_metadata)
// is the project's CIS setting and the value of the instances that leave
// it unset; an instance's own metadata wins.
func TestProjectOSLogin(t *testing.T) {
	got, _, probs := mapped(t,
		res("google_compute_project_metadata_item", "oslogin", obj{"key": "enable-oslogin", "value": "TRUE"}),
		res("google_compute_project_metadata_item", "other", obj{"key": "startup-script", "value": "echo"}),
		res("google_compute_instance", "follows", obj{"name": "a", "metadata": obj{"foo": "bar"}}),
		res("google_compute_instance", "own", obj{"name": "b", "metadata": obj{"enable-oslogin": "false", "block-project-ssh-keys": "true"}}),
	)
	if len(probs) > 0 {
		t.Errorf("problems: %v", probs)
	}
	for addr, want := range map[string]string{
		"google_compute_project_metadata_item.oslogin": `{"account":{"cis":{"os_login":true}}}`,
		"google_compute_project_metadata_item.other":   `<no resource>`,
	} {
		if g := factsJSON(t, got[addr]); g != want {
			t.Errorf("%s: %s, want %s", addr, g, want)
		}
	}
	for addr, want := range map[string][2]bool{"google_compute_instance.follows": {true, false}, "google_compute_instance.own": {false, true}} {
		c := got[addr].Facts.Compute
		if c.OSLogin == nil || *c.OSLogin != want[0] || c.BlockProjectSSHKeys == nil || *c.BlockProjectSSHKeys != want[1] {
			t.Errorf("%s: %s, want os_login %v, block_project_ssh_keys %v", addr, factsJSON(t, got[addr]), want[0], want[1])
		}
	}
}

// TestProjectOSLoginPerProject: an instance follows the OS Login setting
// of its own project's metadata; a project is the instance's project
// argument, else its provider configuration's project (Instance.Account).
// An instance whose project is known only at apply cannot tell which of
// two projects' settings applies.
func TestProjectOSLoginPerProject(t *testing.T) {
	onProvider := func(in tfmap.Instance, project string) tfmap.Instance {
		in.Account = project
		return in
	}
	got, _, probs := mapped(t,
		res("google_compute_project_metadata_item", "on", obj{"project": "p1", "key": "enable-oslogin", "value": "TRUE"}),
		onProvider(res("google_compute_project_metadata_item", "off", obj{"key": "enable-oslogin", "value": "FALSE"}), "p2"),
		res("google_compute_instance", "in_p1", obj{"name": "a", "project": "projects/p1"}),
		onProvider(res("google_compute_instance", "in_p2", obj{"name": "b"}), "p2"),
		onProvider(res("google_compute_instance", "own_p1", obj{"name": "c", "project": "p1"}), "p2"),
		res("google_compute_instance", "unknown", obj{"name": "d", "project": ref("google_project.x")}),
		onProvider(res("google_project", "x", obj{"project_id": "p3", "name": "x"}), "p2"),
		onProvider(res("google_folder_iam_member", "f", obj{"folder": "folders/1", "role": "roles/viewer", "member": "user:a@example.com"}), "p2"),
	)
	if len(probs) > 0 {
		t.Errorf("problems: %v", probs)
	}
	for addr, want := range map[string]*bool{
		"google_compute_instance.in_p1": ptr(true), "google_compute_instance.in_p2": ptr(false),
		"google_compute_instance.own_p1": ptr(true), "google_compute_instance.unknown": nil,
	} {
		c := got[addr].Facts.Compute
		if (c.OSLogin == nil) != (want == nil) || (want != nil && *c.OSLogin != *want) {
			t.Errorf("%s: %s, want os_login %v", addr, factsJSON(t, got[addr]), fmtBool(want))
		}
	}
	for addr, want := range map[string]string{
		"google_compute_project_metadata_item.on": "p1", "google_compute_project_metadata_item.off": "p2",
		"google_compute_instance.in_p1": "p1", "google_compute_instance.in_p2": "p2", "google_compute_instance.own_p1": "p1",
		"google_compute_instance.unknown": "", "google_project.x": "p3", "google_folder_iam_member.f": "",
	} {
		if r := got[addr]; r == nil || r.Account != want {
			t.Errorf("%s: account %q, want %q", addr, func() string {
				if r == nil {
					return "<no resource>"
				}
				return r.Account
			}(), want)
		}
	}
}

func fmtBool(b *bool) string {
	if b == nil {
		return "unknown"
	}
	return fmt.Sprint(*b)
}

func ptr(b bool) *bool { return &b }
