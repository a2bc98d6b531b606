package awsconfig

import (
	"strings"
	"testing"
)

// TestIdentityFederation: CIS AWS 7.0 2.19 from aws iam
// list-saml-providers: true with a provider (IAM Identity Center's), false
// for an empty list in the account's directory, unknown without the
// listing, with a list that is not one, or with a provider that does not
// read (it may be the one).
func TestIdentityFederation(t *testing.T) {
	const path = "aws/111122223333/cli/iam-list-saml-providers.json"
	sso := `{"Arn":"arn:aws:iam::111122223333:saml-provider/AWSSSO_0a1b2c3d4e5f6789_DO_NOT_DELETE","ValidUntil":"2126-01-01T00:00:00Z","CreateDate":"2025-01-01T00:00:00Z"}`
	for _, c := range []struct {
		name, list, want, problem string
	}{
		{"identity center", `{"SAMLProviderList":[` + sso + `]}`, "true", ""},
		{"none", `{"SAMLProviderList":[]}`, "false", ""},
		{"no listing", "", "nil", ""},
		{"not a list", `{"SAMLProviderList":{}}`, "nil", "not a list"},
		{"a provider without ARN", `{"SAMLProviderList":[{"CreateDate":"2025-01-01T00:00:00Z"}]}`, "nil", "has no Arn"},
	} {
		t.Run(c.name, func(t *testing.T) {
			// The account exists through a Config item of it.
			rs := parseDoc(t, "aws/111122223333/config.json", `{"configurationItems":[{"resourceType":"AWS::IAM::User","resourceId":"AIDA1","resourceName":"alice","awsAccountId":"111122223333","awsRegion":"global","arn":"arn:aws:iam::111122223333:user/alice","configuration":{"userName":"alice"}}]}`).Resources
			files := map[string]string{}
			if c.list != "" {
				files[path] = c.list
			}
			cis, p := cisCLIFacts(t, rs, files)
			got := "nil"
			if cis != nil {
				got = fmtB(cis.SAMLProvider)
			}
			if got != c.want {
				t.Errorf("saml_provider = %s, want %s (problems %v)", got, c.want, p)
			}
			if (c.problem == "") != (p == "") || !strings.Contains(p, c.problem) {
				t.Errorf("problems %q, want %q", p, c.problem)
			}
		})
	}
}
