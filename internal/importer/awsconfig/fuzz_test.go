package awsconfig

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

func addSeeds(f *testing.F, names ...string) {
	for _, n := range names {
		data, err := os.ReadFile(filepath.Join("testdata", n))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
}

func checkResources(t *testing.T, rs []*resource.Resource) {
	for _, r := range rs {
		if r.Provider != resource.AWS || r.ID == "" || r.Class == "" {
			t.Fatalf("bad resource: %+v", r)
		}
	}
}

// FuzzAWSConfig feeds arbitrary JSON documents through detection, item
// normalization and finalization: nothing may panic, and every resource
// produced has a provider, an ID and a class.
func FuzzAWSConfig(f *testing.F) {
	addSeeds(f, "snapshot.json", "history-api.json", "batch.json", "select.json", "password-policy.json")
	f.Add([]byte(`{"FlowLogs":[{"FlowLogId":"fl-1","ResourceId":"vpc-1","FlowLogStatus":"ACTIVE"}]}`))
	f.Add([]byte(`{"EbsEncryptionByDefault":false}`))
	f.Add([]byte(`{"KeyRotationEnabled":true,"KeyId":"arn:aws:kms:us-east-1:111122223333:key/k","RotationPeriodInDays":90}`))
	f.Add([]byte(`{"KeyRotationEnabled":true,"KeyId":"arn:x"}`))
	f.Add([]byte(`{"AlternateContact":{"AlternateContactType":"SECURITY","EmailAddress":"a@b"}}`))
	f.Add([]byte(`[{"resourceType":"AWS::EC2::Instance","awsRegion":"x","configuration":"{\"publicIpAddress\":\"1.2.3.4\"}"}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var doc any
		if attr.Decode(data, &doc) != nil || Detect(doc) == "" {
			return
		}
		res := Parse(context.Background(), "fuzz.json", doc)
		checkResources(t, res.Resources)
		added, _ := Finalize(res.Resources)
		checkResources(t, added)
	})
}

// FuzzCredentialReport feeds arbitrary text after the report header.
func FuzzCredentialReport(f *testing.F) {
	addSeeds(f, "credential-report.csv")
	f.Add([]byte(credentialReportHeader + "password_enabled\n\"a\",\"b\nc\",,\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if !IsCredentialReport(data) {
			data = append([]byte(credentialReportHeader+"mfa_active\n"), data...)
		}
		res := ParseCredentialReport("fuzz.csv", data)
		checkResources(t, res.Resources)
		for _, p := range res.Problems {
			if p.Line < 1 {
				t.Fatalf("problem without a line: %+v", p)
			}
		}
		added, _ := Finalize(res.Resources)
		checkResources(t, added)
	})
}
