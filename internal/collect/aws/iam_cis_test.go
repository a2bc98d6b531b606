package awscollect

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/collect"
)

// TestVirtualMFADevices: the account's virtual MFA devices are written as
// `aws iam list-virtual-mfa-devices` prints them, read over two pages, for
// CIS AWS 2.6 (root's MFA is a hardware device). The management account's
// root has MFA (credential report): no virtual device of root's means
// hardware; root's device on the second page means virtual; a second page
// denied leaves a truncated listing (IsTruncated, Marker) that decides
// nothing without root's device, and a first page throttled writes none.
func TestVirtualMFADevices(t *testing.T) {
	const file = "iam-list-virtual-mfa-devices.json"
	cases := []struct {
		name, dir, fault, token string
		fail                    collect.Kind
		serials                 []string // "-": no file
		truncated               bool
		hardware                any
	}{
		{"two pages, none of root's", "", "", "", "",
			[]string{"arn:aws:iam::111122223333:mfa/alice", "arn:aws:iam::111122223333:mfa/ops-break-glass"}, false, true},
		{"root's on the second page", "rootvirtual", "", "", "",
			[]string{"arn:aws:iam::111122223333:mfa/alice", "arn:aws:iam::111122223333:mfa/ops-break-glass",
				"arn:aws:iam::111122223333:mfa/root-account-mfa-device"}, false, false},
		{"second page denied", "", "denied", "vmfa-p2", collect.Denied,
			[]string{"arn:aws:iam::111122223333:mfa/alice"}, true, nil},
		{"first page throttled", "", "throttle", "", collect.Throttled, []string{"-"}, false, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dirs := []string{"testdata"}
			if c.dir != "" {
				dirs = append([]string{filepath.Join("testdata", c.dir)}, dirs...)
			}
			dir, got := collectMgmt(t, []Service{{Name: "iam", Global: true, Run: runIAM}}, func(r fakeReq) string {
				if r.Key() == "iam:ListVirtualMFADevices" && r.Token == c.token {
					return c.fault
				}
				return ""
			}, []string{"iam", "account"}, dirs...)
			var want []string
			if c.fail != "" {
				want = []string{"iam:ListVirtualMFADevices  " + string(c.fail)}
			}
			if mustJSON(got) != mustJSON(want) {
				t.Errorf("failures = %v, want %v", got, want)
			}
			path := filepath.Join(dir, "aws", mgmt, "cli", file)
			if c.serials[0] == "-" {
				if _, err := os.Stat(path); err == nil {
					t.Errorf("%s written although its first page failed", file)
				}
			} else {
				var out struct {
					VirtualMFADevices []map[string]any
					IsTruncated       bool
					Marker            string
				}
				readJSON(t, path, &out)
				var serials []string
				for _, d := range out.VirtualMFADevices {
					serials = append(serials, d["SerialNumber"].(string))
					if _, ok := d["Base32StringSeed"]; ok {
						t.Errorf("%v: a seed in the export", d["SerialNumber"])
					}
					if u, _ := d["User"].(map[string]any); u == nil || !strings.HasPrefix(u["Arn"].(string), "arn:aws:iam::111122223333:") {
						t.Errorf("%v: user %v", d["SerialNumber"], d["User"])
					}
				}
				if mustJSON(serials) != mustJSON(c.serials) {
					t.Errorf("devices %v, want %v", serials, c.serials)
				}
				if out.IsTruncated != c.truncated || (out.Marker != "") != c.truncated {
					t.Errorf("IsTruncated %v, Marker %q, want truncated %v", out.IsTruncated, out.Marker, c.truncated)
				}
			}
			checkFacts(t, imported(t, dir), []factWant{{"aws-account/" + mgmt, "account.cis.root_hardware_mfa", c.hardware}})
		})
	}
}
