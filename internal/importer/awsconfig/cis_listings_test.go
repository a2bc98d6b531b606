package awsconfig

import (
	"strings"
	"testing"
)

// TestServerCertificateListing: CIS AWS 7.0 2.17 from aws iam
// list-server-certificates: a whole listing makes the account's
// certificates known, an empty one too (no certificate at all); a listing
// cut short gives its certificates but not that there are no others; no
// listing leaves them unknown.
func TestServerCertificateListing(t *testing.T) {
	const path = "aws/111122223333/cli/iam-list-server-certificates.json"
	old := `{"Path":"/","ServerCertificateName":"web-2024","ServerCertificateId":"ASCAEXAMPLE1","Arn":"arn:aws:iam::111122223333:server-certificate/web-2024","UploadDate":"2024-01-02T03:04:05Z","Expiration":"2025-01-02T03:04:05Z"}`
	cur := `{"Path":"/cloudfront/","ServerCertificateName":"cdn-2026","ServerCertificateId":"ASCAEXAMPLE2","Arn":"arn:aws:iam::111122223333:server-certificate/cloudfront/cdn-2026","UploadDate":"2026-01-02T03:04:05Z","Expiration":"2027-01-02T03:04:05Z"}`
	for _, c := range []struct {
		name, list, listed, certs, problem string
	}{
		{"two", `{"ServerCertificateMetadataList":[` + old + `,` + cur + `],"IsTruncated":false}`, "true", "cdn-2026@2027-01-02T03:04:05Z web-2024@2025-01-02T03:04:05Z", ""},
		{"none", `{"ServerCertificateMetadataList":[]}`, "true", "", ""},
		{"cut short", `{"ServerCertificateMetadataList":[` + old + `],"IsTruncated":true,"Marker":"AAE"}`, "nil", "web-2024@2025-01-02T03:04:05Z", ""},
		{"no listing", "", "nil", "", ""},
		{"not a list", `{"ServerCertificateMetadataList":"web-2024"}`, "nil", "", "not a list"},
		{"a certificate without name", `{"ServerCertificateMetadataList":[{"Arn":"arn:aws:iam::111122223333:server-certificate/x"}]}`, "nil", "", "has no ServerCertificateName"},
	} {
		t.Run(c.name, func(t *testing.T) {
			rs := parseDoc(t, "aws/111122223333/config.json", `{"configurationItems":[{"resourceType":"AWS::IAM::User","resourceId":"AIDA1","resourceName":"alice","awsAccountId":"111122223333","awsRegion":"global","arn":"arn:aws:iam::111122223333:user/alice","configuration":{"userName":"alice"}}]}`).Resources
			files := map[string]string{}
			if c.list != "" {
				files[path] = c.list
			}
			cis, p := cisCLIFacts(t, rs, files)
			listed, certs := "nil", ""
			if cis != nil {
				listed = fmtB(cis.ServerCertificatesListed)
				var names []string
				for _, sc := range cis.ServerCertificates {
					names = append(names, sc.Name+"@"+sc.Expiration)
				}
				certs = strings.Join(names, " ")
			}
			if listed != c.listed || certs != c.certs {
				t.Errorf("listed %s, certificates %q; want %s, %q (problems %v)", listed, certs, c.listed, c.certs, p)
			}
			if (c.problem == "") != (p == "") || !strings.Contains(p, c.problem) {
				t.Errorf("problems %q, want %q", p, c.problem)
			}
		})
	}
}
