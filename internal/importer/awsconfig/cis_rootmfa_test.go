package awsconfig

import (
	"strings"
	"testing"
)

// TestRootHardwareMFA: CIS AWS 7.0 2.6 from the credential report's root
// row and the list of virtual MFA devices: false when root has no MFA or
// a virtual device is root's; true when root has MFA and a whole list has
// none of root's; unknown when the list is absent, a page, or has a
// device that does not read.
func TestRootHardwareMFA(t *testing.T) {
	const listPath = "aws/111122223333/cli/iam-list-virtual-mfa-devices.json"
	report := func(mfa string) string {
		return credentialReportHeader + "password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active\n" +
			"<root_account>,arn:aws:iam::111122223333:root,2020-01-01T00:00:00+00:00,not_supported,2026-01-01T00:00:00+00:00,not_supported,not_supported," + mfa + "\n"
	}
	userDev := `{"SerialNumber":"arn:aws:iam::111122223333:mfa/alice","User":{"Arn":"arn:aws:iam::111122223333:user/alice","UserName":"alice"}}`
	rootDev := `{"SerialNumber":"arn:aws:iam::111122223333:mfa/root-account-mfa-device","User":{"Arn":"arn:aws:iam::111122223333:root"}}`
	cases := []struct {
		name, mfa, list, want, problem string
	}{
		{"hardware", "true", `{"VirtualMFADevices":[` + userDev + `],"IsTruncated":false}`, "true", ""},
		{"virtual", "true", `{"VirtualMFADevices":[` + userDev + `,` + rootDev + `]}`, "false", ""},
		{"no MFA", "false", "", "false", ""},
		{"list not read", "true", "", "nil", ""},
		{"a page", "true", `{"VirtualMFADevices":[` + userDev + `],"IsTruncated":true,"Marker":"m"}`, "nil", ""},
		{"a device without serial", "true", `{"VirtualMFADevices":[{"User":{"Arn":"arn:aws:iam::111122223333:root"}}]}`, "nil", "has no SerialNumber"},
		{"not a list", "true", `{"VirtualMFADevices":"none"}`, "nil", "not a list"},
		{"MFA unknown", "not_supported", `{"VirtualMFADevices":[]}`, "nil", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := ParseCredentialReport("aws/111122223333/cli/credential-report.csv", []byte(report(c.mfa)))
			files := map[string]string{}
			if c.list != "" {
				files[listPath] = c.list
			}
			cis, p := cisCLIFacts(t, res.Resources, files)
			got := "nil"
			if cis != nil {
				got = fmtB(cis.RootHardwareMFA)
			}
			if got != c.want {
				t.Errorf("root_hardware_mfa = %s, want %s (problems %v)", got, c.want, p)
			}
			if (c.problem == "") != (p == "") || !strings.Contains(p, c.problem) {
				t.Errorf("problems %q, want %q", p, c.problem)
			}
		})
	}
}
