package logs

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/ocsf"
)

var update = flag.Bool("update", false, "rewrite testdata/golden files")

// goldenInputs lists the inputs of the OCSF golden tests: the corpus samples
// of each source (one invictus file) and vigil's own samples.
func goldenInputs(t *testing.T) map[string]string {
	in := map[string]string{}
	base := filepath.Join("..", "..", "..", "shared", "corpus", "logs")
	if _, err := os.Stat(base); err == nil {
		for _, d := range []string{"aws_cloudtrail/elastic", "azure_activitylogs/elastic", "azure_auditlogs/elastic", "azure_signinlogs/elastic", "gcp_audit/elastic"} {
			files, _ := filepath.Glob(filepath.Join(base, d, "*"))
			for _, f := range files {
				in["corpus_"+strings.ReplaceAll(d, "/", "_")] = f
			}
		}
		files, _ := filepath.Glob(filepath.Join(base, "aws_cloudtrail", "invictus-aws_dataset", "*.json"))
		sort.Strings(files)
		if len(files) > 0 {
			in["corpus_invictus_first"] = files[0]
		}
	} else {
		t.Logf("corpus absent (%s): golden tests cover vigil's own samples only", base)
	}
	own, _ := filepath.Glob(filepath.Join("testdata", "samples", "*"))
	// Other shapes of the sources' events (kept apart: the lake's tests
	// ingest the samples folder and count its events).
	shapes, _ := filepath.Glob(filepath.Join("testdata", "shapes", "*"))
	own = append(own, shapes...)
	for _, f := range own {
		in["sample_"+strings.TrimSuffix(filepath.Base(f), filepath.Ext(f))] = f
	}
	return in
}

func TestNormalizeGolden(t *testing.T) {
	for name, path := range goldenInputs(t) {
		t.Run(name, func(t *testing.T) {
			var events []ocsf.Event
			err := ReadFile(context.Background(), path, func(r Record) error {
				ev, err := Normalize(r)
				if err != nil {
					t.Errorf("%s:%d: %v", r.File, r.Line, err)
					return nil
				}
				checkEvent(t, r, ev)
				events = append(events, ev)
				return nil
			}, func(e InputError) { t.Errorf("input error: %v", e) })
			if err != nil {
				t.Fatal(err)
			}
			if len(events) == 0 {
				t.Fatal("no events")
			}
			// raw_data is checked against the input by checkEvent; the golden
			// files hold its size and hash only, so no corpus event is copied
			// into the repository.
			for _, ev := range events {
				b := ev.Common()
				sum := sha256.Sum256([]byte(b.RawData))
				b.RawData = fmt.Sprintf("(%d bytes, sha256 %x)", len(b.RawData), sum[:8])
			}
			got, err := json.MarshalIndent(events, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			golden := filepath.Join("testdata", "golden", name+".golden")
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("OCSF output differs from %s (run go test -run TestNormalizeGolden -update and review the diff)", golden)
			}
		})
	}
}

// checkEvent asserts what every normalized event must have, whatever the
// source: class ids consistent, time, cloud provider, api operation, the
// original event kept.
func checkEvent(t *testing.T, r Record, ev ocsf.Event) {
	t.Helper()
	b := ev.Common()
	if b.TypeUID != b.ClassUID*100+b.ActivityID || b.ClassName == "" || b.CategoryUID == 0 {
		t.Errorf("%s:%d: inconsistent class: %+v", r.File, r.Line, b)
	}
	if b.Time <= 0 || b.Metadata.Version != ocsf.Version || b.Metadata.Product.Name == "" {
		t.Errorf("%s:%d: missing time/metadata", r.File, r.Line)
	}
	if b.Cloud == nil || b.Cloud.Provider == "" || b.API == nil || b.API.Operation == "" {
		t.Errorf("%s:%d: missing cloud or api", r.File, r.Line)
	}
	if b.RawData != string(r.Raw) {
		t.Errorf("%s:%d: raw_data is not the original event", r.File, r.Line)
	}
}

// m365Org is the tenant (OrganizationId) of the Microsoft 365 samples.
const m365Org = "4b2d7c1e-9f3a-4e8b-a6d5-0c1f2e3d4a5b"

// Specific mappings, independent of the golden files.
func TestNormalizeMappings(t *testing.T) {
	type want struct {
		class, activity, status int
		actor, ip, account      string
	}
	cases := map[string][]want{
		"testdata/samples/aws_eventbridge.json": {{ocsf.ClassAccountChange, ocsf.AccountOther, ocsf.StatusSuccess, "OpsAdmin/ops-session", "203.0.113.10", "111122223333"}},
		"testdata/samples/aws_cloudtrail_lake.jsonl": {
			{ocsf.ClassAuthentication, ocsf.AuthLogon, ocsf.StatusSuccess, "root", "198.51.100.200", "111122223333"},
			{ocsf.ClassAPIActivity, ocsf.APIUpdate, ocsf.StatusFailure, "deploy-bot", "45.133.1.20", "111122223333"},
		},
		"testdata/samples/azure_signin.jsonl": {
			{ocsf.ClassAuthentication, ocsf.AuthLogon, ocsf.StatusSuccess, "adaeze.okafor@contoso.com", "203.0.113.45", "72f988bf-86f1-41af-91ab-2d7cd011db47"},
			{ocsf.ClassAuthentication, ocsf.AuthLogon, ocsf.StatusFailure, "j.smith@contoso.com", "185.220.101.34", "72f988bf-86f1-41af-91ab-2d7cd011db47"},
			{ocsf.ClassAuthentication, ocsf.AuthLogon, ocsf.StatusSuccess, "deploy-pipeline", "198.51.100.77", "72f988bf-86f1-41af-91ab-2d7cd011db47"},
		},
		"testdata/samples/azure_audit.json": {
			{ocsf.ClassAccountChange, ocsf.AccountCreate, ocsf.StatusSuccess, "adaeze.okafor@contoso.com", "203.0.113.45", "72f988bf-86f1-41af-91ab-2d7cd011db47"},
			{ocsf.ClassAccountChange, ocsf.AccountAttachPolicy, ocsf.StatusSuccess, "adaeze.okafor@contoso.com", "203.0.113.45", "72f988bf-86f1-41af-91ab-2d7cd011db47"},
			{ocsf.ClassAccountChange, ocsf.AccountOther, ocsf.StatusFailure, "deploy-pipeline", "", "72f988bf-86f1-41af-91ab-2d7cd011db47"},
			{ocsf.ClassAPIActivity, ocsf.APIUpdate, ocsf.StatusSuccess, "adaeze.okafor@contoso.com", "203.0.113.45", "72f988bf-86f1-41af-91ab-2d7cd011db47"},
		},
		"testdata/samples/azure_activity.json": {
			{ocsf.ClassAPIActivity, ocsf.APIUpdate, ocsf.StatusSuccess, "adaeze.okafor@contoso.com", "203.0.113.45", "6b3f0c2a-1d4e-4f5a-9b8c-7d6e5f4a3b2c"},
			{ocsf.ClassAPIActivity, ocsf.APIOther, ocsf.StatusSuccess, "", "198.51.100.77", "6b3f0c2a-1d4e-4f5a-9b8c-7d6e5f4a3b2c"},
			{ocsf.ClassAPIActivity, ocsf.APIDelete, ocsf.StatusFailure, "j.smith@contoso.com", "2001:db8:85a3::8a2e:370:7334", "6b3f0c2a-1d4e-4f5a-9b8c-7d6e5f4a3b2c"},
			{ocsf.ClassAPIActivity, ocsf.APIDelete, ocsf.StatusOther, "adaeze.okafor@contoso.com", "203.0.113.45", "6b3f0c2a-1d4e-4f5a-9b8c-7d6e5f4a3b2c"},
		},
		"testdata/samples/m365_audit.json": {
			{ocsf.ClassAuthentication, ocsf.AuthLogon, ocsf.StatusSuccess, "megan.bowen@contoso.com", "185.220.101.34", m365Org},
			{ocsf.ClassAuthentication, ocsf.AuthLogon, ocsf.StatusFailure, "megan.bowen@contoso.com", "185.220.101.34", m365Org},
			{ocsf.ClassAccountChange, ocsf.AccountMFADisable, ocsf.StatusSuccess, "it-admin@contoso.com", "", m365Org},
			{ocsf.ClassAPIActivity, ocsf.APICreate, ocsf.StatusSuccess, "it-admin@contoso.com", "", m365Org},
			{ocsf.ClassAPIActivity, ocsf.APICreate, ocsf.StatusSuccess, "it-admin@contoso.com", "2001:db8:4a1::1f", m365Org},
			{ocsf.ClassAPIActivity, ocsf.APICreate, ocsf.StatusSuccess, "it-admin@contoso.com", "203.0.113.45", m365Org},
			{ocsf.ClassAPIActivity, ocsf.APIOther, ocsf.StatusUnknown, "ThreatIntel", "45.133.1.20", m365Org},
			{ocsf.ClassAPIActivity, ocsf.APIRead, ocsf.StatusSuccess, "megan.bowen@contoso.com", "185.220.101.34", m365Org},
		},
		// Google Workspace audit logs shared with Cloud Logging (gcp_audit).
		"testdata/samples/gcp_workspace.jsonl": {
			{ocsf.ClassAPIActivity, ocsf.APIUpdate, ocsf.StatusSuccess, "gw-admin@example.org", "203.0.113.88", "684915227091"},
			{ocsf.ClassAPIActivity, ocsf.APIDelete, ocsf.StatusSuccess, "gw-admin@example.org", "203.0.113.88", "684915227091"},
			{ocsf.ClassAPIActivity, ocsf.APIUpdate, ocsf.StatusSuccess, "gw-admin@example.org", "203.0.113.88", "684915227091"},
			{ocsf.ClassAPIActivity, ocsf.APIOther, ocsf.StatusSuccess, "gw-admin@example.org", "203.0.113.88", "684915227091"},
			{ocsf.ClassAPIActivity, ocsf.APIOther, ocsf.StatusSuccess, "gw-admin@example.org", "203.0.113.88", "684915227091"},
			{ocsf.ClassAPIActivity, ocsf.APIDelete, ocsf.StatusSuccess, "gw-admin@example.org", "203.0.113.88", "684915227091"},
			{ocsf.ClassAPIActivity, ocsf.APIDelete, ocsf.StatusSuccess, "gw-admin@example.org", "203.0.113.88", "684915227091"},
			{ocsf.ClassAPIActivity, ocsf.APIOther, ocsf.StatusSuccess, "gw-admin@example.org", "203.0.113.88", "684915227091"},
			{ocsf.ClassAPIActivity, ocsf.APICreate, ocsf.StatusSuccess, "gw-admin@example.org", "203.0.113.88", "684915227091"},
			{ocsf.ClassAPIActivity, ocsf.APIOther, ocsf.StatusSuccess, "j.doe@example.org", "198.51.100.23", "684915227091"},
			{ocsf.ClassAPIActivity, ocsf.APIOther, ocsf.StatusSuccess, "j.doe@example.org", "45.133.1.20", "684915227091"},
			{ocsf.ClassAPIActivity, ocsf.APIOther, ocsf.StatusSuccess, "j.doe@example.org", "45.133.1.20", "684915227091"},
			{ocsf.ClassAuthentication, ocsf.AuthLogon, ocsf.StatusSuccess, "j.doe@example.org", "198.51.100.23", "684915227091"},
			{ocsf.ClassAuthentication, ocsf.AuthLogon, ocsf.StatusFailure, "j.doe@example.org", "45.133.1.20", "684915227091"},
		},
		"testdata/samples/gcp_audit.jsonl": {
			{ocsf.ClassAPIActivity, ocsf.APIUpdate, ocsf.StatusSuccess, "priya.n@example.org", "203.0.113.88", "acme-prod-4821"},
			{ocsf.ClassAccountChange, ocsf.AccountOther, ocsf.StatusSuccess, "ci-deployer@acme-prod-4821.iam.gserviceaccount.com", "203.0.113.88", "acme-prod-4821"},
			{ocsf.ClassAPIActivity, ocsf.APIRead, ocsf.StatusSuccess, "backup-sa@acme-prod-4821.iam.gserviceaccount.com", "45.133.1.20", "acme-prod-4821"},
			{ocsf.ClassAPIActivity, ocsf.APIDelete, ocsf.StatusFailure, "backup-sa@acme-prod-4821.iam.gserviceaccount.com", "45.133.1.20", "acme-prod-4821"},
			{ocsf.ClassAccountChange, ocsf.AccountCreate, ocsf.StatusSuccess, "priya.n@example.org", "203.0.113.88", "acme-prod-4821"},
		},
	}
	for file, wants := range cases {
		var got []ocsf.Event
		err := ReadFile(context.Background(), file, func(r Record) error {
			ev, err := Normalize(r)
			if err != nil {
				return err
			}
			got = append(got, ev)
			return nil
		}, func(e InputError) { t.Errorf("%v", e) })
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		if len(got) != len(wants) {
			t.Fatalf("%s: %d events, want %d", file, len(got), len(wants))
		}
		for i, w := range wants {
			b := got[i].Common()
			actor, ip, acct := "", "", ""
			if b.Actor != nil && b.Actor.User != nil {
				actor = b.Actor.User.Name
			}
			if b.SrcEndpoint != nil {
				ip = b.SrcEndpoint.IP
			}
			if b.Cloud.Account != nil {
				acct = b.Cloud.Account.UID
			}
			g := want{b.ClassUID, b.ActivityID, b.StatusID, actor, ip, acct}
			if g != w {
				t.Errorf("%s #%d:\n got %+v\nwant %+v", file, i, g, w)
			}
		}
	}
}

func TestNormalizeMissingFields(t *testing.T) {
	cases := []struct {
		src Source
		raw string
	}{
		{AWSCloudTrail, `{"eventVersion":"1.08","eventSource":"s3.amazonaws.com"}`},
		{AWSCloudTrail, `{"eventName":"GetObject","eventTime":"yesterday"}`},
		{AzureActivity, `{"category":"Administrative","time":"2024-01-01T00:00:00Z"}`},
		{AzureSignIn, `{"category":"SignInLogs"}`},
		{AzureAudit, `{"category":"AuditLogs","time":"2024-01-01T00:00:00Z"}`},
		{GCPAudit, `{"protoPayload":{"@type":"type.googleapis.com/google.cloud.audit.AuditLog"},"timestamp":"2024-01-01T00:00:00Z"}`},
		{GCPAudit, `[1,2]`},
		{M365Audit, `{"CreationTime":"2024-05-06T08:12:41","RecordType":15,"Workload":"AzureActiveDirectory"}`},
		{M365Audit, `{"CreationTime":"last week","Operation":"UserLoggedIn","RecordType":15}`},
	}
	for _, c := range cases {
		if _, err := Normalize(Record{Source: c.src, Raw: []byte(c.raw)}); err == nil {
			t.Errorf("%s %s: want an error", c.src, c.raw)
		}
	}
	// Minimal events with only the required fields normalize.
	ev, err := Normalize(Record{Source: AWSCloudTrail, Raw: []byte(`{"eventName":"GetObject","eventTime":"2024-01-01T00:00:00Z"}`)})
	if err != nil || ev.Common().API.Operation != "GetObject" || ev.Common().Actor != nil {
		t.Errorf("minimal CloudTrail event: %v %+v", err, ev)
	}
}
