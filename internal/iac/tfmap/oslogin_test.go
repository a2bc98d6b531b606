package tfmap_test

import "testing"

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
