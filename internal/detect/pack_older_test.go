package detect

import (
	"fmt"
	"strings"
	"testing"
)

// olderCases are the built-ins written before the issue 7 packs (the
// cross-cloud OCSF rule, the fieldref access-key rule, the GCP audit
// configuration rule, the secret-read correlation) and the IAM user rule:
// each raises its alert at its level through the default tuning on the
// attack events and not on its benign look-alikes.
func olderCases() []packCase {
	auditCfg := func(action string) string {
		return gcpEvent(30, "cloudresourcemanager.googleapis.com", "SetIamPolicy", "projects/acme-prod-4821",
			fmt.Sprintf(`"serviceData":{"@type":"type.googleapis.com/google.iam.v1.logging.AuditData","policyDelta":{"auditConfigDeltas":[{"action":%q,"service":"allServices","logType":"DATA_READ"}]}}`, action))
	}
	var reads, fewReads, failedReads []string
	for i := range 20 {
		ev := ctAPI(20+i/4, "secretsmanager.amazonaws.com", "GetSecretValue", fmt.Sprintf(`"requestParameters":{"secretId":"prod/db/%02d"},"responseElements":null,"readOnly":true`, i))
		reads = append(reads, ev)
		if i < 19 {
			fewReads = append(fewReads, ev)
		}
		failedReads = append(failedReads, ctDenied(ev))
	}
	return []packCase{
		{
			title: "Cloud Audit Logging Disabled", level: LevelHigh,
			attack: []string{
				ctAPI(10, "cloudtrail.amazonaws.com", "StopLogging", `"requestParameters":{"name":"arn:aws:cloudtrail:us-east-1:111122223333:trail/org-trail"},"responseElements":null`),
				ctAPI(11, "cloudtrail.amazonaws.com", "DeleteTrail", `"requestParameters":{"name":"org-trail"},"responseElements":null`),
				azureOp("MICROSOFT.INSIGHTS/DIAGNOSTICSETTINGS/DELETE", "Success"),
				gcpEvent(12, "logging.googleapis.com", "google.logging.v2.ConfigServiceV2.DeleteSink", "projects/acme-prod-4821/sinks/to-siem", ""),
			},
			benign: []string{
				ctAPI(10, "cloudtrail.amazonaws.com", "StartLogging", `"requestParameters":{"name":"org-trail"},"responseElements":null`),
				ctDenied(ctAPI(10, "cloudtrail.amazonaws.com", "StopLogging", `"requestParameters":{"name":"org-trail"},"responseElements":null`)),
				azureOp("MICROSOFT.INSIGHTS/DIAGNOSTICSETTINGS/WRITE", "Success"),
				azureOp("MICROSOFT.INSIGHTS/DIAGNOSTICSETTINGS/DELETE", "Failure"),
				gcpEvent(12, "logging.googleapis.com", "google.logging.v2.ConfigServiceV2.CreateSink", "projects/acme-prod-4821/sinks/to-siem", ""),
				gcpFailed(gcpEvent(12, "logging.googleapis.com", "google.logging.v2.ConfigServiceV2.DeleteSink", "projects/acme-prod-4821/sinks/to-siem", "")),
			},
		},
		{
			title: "AWS Access Key Created For Another IAM User", level: LevelMedium,
			attack: []string{ctAPI(13, "iam.amazonaws.com", "CreateAccessKey", `"requestParameters":{"userName":"svc-backup"},"responseElements":{"accessKey":{"accessKeyId":"AKIA3EXAMPLEBACKDR1","status":"Active","userName":"svc-backup","createDate":"Mar 14, 2024 9:13:11 AM"}}`)},
			benign: []string{
				// An IAM user rotating its own key.
				strings.Replace(ctAPI(13, "iam.amazonaws.com", "CreateAccessKey", `"requestParameters":{"userName":"jdoe"},"responseElements":null`), ctUserIdentity(), iamUser, 1),
				ctDenied(ctAPI(13, "iam.amazonaws.com", "CreateAccessKey", `"requestParameters":{"userName":"svc-backup"},"responseElements":null`)),
			},
		},
		{
			title: "GCP Audit Logging Configuration Removed Or Sink Disabled", level: LevelHigh,
			attack: []string{
				auditCfg("REMOVE"),
				gcpEvent(31, "logging.googleapis.com", "google.logging.v2.ConfigServiceV2.UpdateSink", "projects/acme-prod-4821/sinks/to-siem", `"request":{"@type":"type.googleapis.com/google.logging.v2.UpdateSinkRequest","sinkName":"projects/acme-prod-4821/sinks/to-siem","sink":{"name":"to-siem","disabled":true}}`),
			},
			benign: []string{
				auditCfg("ADD"),
				gcpFailed(auditCfg("REMOVE")),
				gcpEvent(31, "logging.googleapis.com", "google.logging.v2.ConfigServiceV2.UpdateSink", "projects/acme-prod-4821/sinks/to-siem", `"request":{"@type":"type.googleapis.com/google.logging.v2.UpdateSinkRequest","sinkName":"projects/acme-prod-4821/sinks/to-siem","sink":{"name":"to-siem","disabled":false}}`),
			},
		},
		{
			title: "AWS IAM User Created", level: LevelLow,
			attack: []string{ctAPI(32, "iam.amazonaws.com", "CreateUser", `"requestParameters":{"userName":"backup-admin"},"responseElements":{"user":{"userName":"backup-admin","arn":"arn:aws:iam::111122223333:user/backup-admin"}}`)},
			benign: []string{
				ctAPI(32, "iam.amazonaws.com", "CreateGroup", `"requestParameters":{"groupName":"auditors"},"responseElements":null`),
				ctDenied(ctAPI(32, "iam.amazonaws.com", "CreateUser", `"requestParameters":{"userName":"backup-admin"},"responseElements":null`)),
			},
		},
		{
			// Informational (the default tuning hides it): the building
			// block of the logging-disabled sequences.
			title: "Cloud Data Access", level: LevelInformational,
			attack: []string{
				ctRO(ctAPI(33, "s3.amazonaws.com", "GetObject", `"requestParameters":{"bucketName":"acme-exports","key":"customers.csv"},"eventCategory":"Data"`)),
				gcpEvent(33, "storage.googleapis.com", "storage.objects.get", "projects/_/buckets/acme-exports/objects/customers.csv", ""),
			},
			benign: []string{
				ctAPI(33, "s3.amazonaws.com", "PutObject", `"requestParameters":{"bucketName":"acme-exports","key":"customers.csv"}`),
				gcpEvent(33, "storage.googleapis.com", "storage.objects.create", "projects/_/buckets/acme-exports/objects/customers.csv", ""),
			},
		},
		{
			title: "AWS Mass Secret Retrieval", level: LevelHigh,
			attack: reads,
			// 19 reads stay under the threshold; 20 refused reads are not
			// a retrieval.
			benign: fewReads,
		},
		{
			title: "AWS Mass Secret Retrieval", level: LevelHigh,
			attack: reads,
			benign: failedReads,
		},
	}
}

// TestOlderBuiltins runs olderCases.
func TestOlderBuiltins(t *testing.T) {
	for i, c := range olderCases() {
		t.Run(fmt.Sprint(i, c.title), func(t *testing.T) {
			tuning := DefaultTuning()
			if c.level == LevelInformational {
				tuning = NoTuning()
			}
			got := alertsOf(runWithTuning(t, tuning, c.attack), c.title)
			if len(got) == 0 {
				t.Fatalf("no alert on the attack events")
			}
			for _, a := range got {
				if a.Level != c.level {
					t.Errorf("alert level %v, want %v", a.Level, c.level)
				}
			}
			for j, ev := range c.benign {
				if n := len(alertsOf(runWithTuning(t, NoTuning(), []string{ev}), c.title)); n != 0 {
					t.Errorf("benign look-alike %d raised %d alerts: %s", j, n, ev)
				}
			}
			if n := len(alertsOf(runWithTuning(t, NoTuning(), c.benign), c.title)); n != 0 {
				t.Errorf("benign look-alikes together raised %d alerts", n)
			}
		})
	}
}

// correlationTests names the tests that assert each built-in correlation
// on an attack burst and a benign look-alike burst.
var correlationTests = map[string]string{
	"vigil_aws_access_key_new_network":                "TestAccessKeyNewNetwork",
	"vigil_cross_cloud_privilege_change":              "TestCrossCloudPrivilegeChange",
	"vigil_entra_password_spray":                      "TestEntraSignInCorrelations",
	"vigil_entra_mfa_fatigue":                         "TestEntraSignInCorrelations",
	"vigil_gcp_sa_key_new_network":                    "TestGCPServiceAccountKeyNewNetwork",
	"vigil_logging_disabled_then_data_access":         "TestLoggingDisabledThenDataAccess",
	"vigil_gcp_audit_config_removed_then_data_access": "TestGCPAuditConfigRemovedThenDataAccess",
}

// TestEveryBuiltinTested: at least 250 built-in detections raise alerts
// (rules a correlation counts silently, and correlations another
// correlation chains, are not counted), and every one of them has a test
// case with a matching and a benign look-alike event: the pack, coverage,
// broad, Workspace, older and accuracy cases, the coverage correlations, or a named
// correlation test.
func TestEveryBuiltinTested(t *testing.T) {
	rules, corrs, _, errs := LoadBuiltins()
	for _, e := range errs {
		t.Errorf("load: %v", e)
	}
	silent := map[string]bool{}
	generated := map[string]bool{}
	for _, c := range corrs {
		for _, r := range c.Rules {
			if c.Generate {
				generated[r] = true
			} else {
				silent[r] = true
			}
		}
	}
	tested := map[string]bool{}
	hasBenign := func(key string, benign int) {
		if benign > 0 {
			tested[key] = true
		}
	}
	for _, c := range broadCases() {
		hasBenign(c.name, len(c.benign))
	}
	for _, c := range coverageCases() {
		hasBenign(c.name, len(c.benign))
	}
	for _, c := range workspaceCases() {
		hasBenign(c.name, len(c.benign))
	}
	for _, c := range packCases() {
		hasBenign(c.title, len(c.benign))
	}
	for _, c := range olderCases() {
		hasBenign(c.title, len(c.benign))
	}
	for _, c := range append(append(append(append(append(append(append(append(accuracyCases(), recallCases()...), azureResourceCases()...), stratusCases()...), identityCases()...), exposureCases()...), gkeCases()...), discoveryCases()...), k8sCases()...) {
		hasBenign(c.title, len(c.benign)+len(c.benignSequence))
	}
	for _, n := range coverageCorrelationRules {
		tested[n] = true // TestCoveragePackCorrelations
	}
	for n := range correlationTests {
		tested[n] = true
	}
	alerting := 0
	for _, r := range rules {
		if silent[r.Name] && !generated[r.Name] {
			continue
		}
		alerting++
		if !tested[r.Name] && !tested[r.Title] {
			t.Errorf("rule %s (%s, %s) has no test case with matching and benign events", r.Name, r.Title, r.Path)
		}
	}
	for _, c := range corrs {
		if silent[c.Name] {
			continue
		}
		alerting++
		if !tested[c.Name] && !tested[c.Title] {
			t.Errorf("correlation %s (%s) has no test", c.Name, c.Title)
		}
	}
	if alerting < 250 {
		t.Errorf("%d built-in detections raise alerts, want at least 250", alerting)
	}
	t.Logf("%d built-in detections raise alerts (%d rules, %d correlations loaded)", alerting, len(rules), len(corrs))
}

// TestGCPAuditConfigRemovedThenDataAccess: removing the Data Access audit
// configuration then reading an object as the same identity within an hour
// raises the critical sequence alert; the read before the removal, or the
// removal refused, does not.
func TestGCPAuditConfigRemovedThenDataAccess(t *testing.T) {
	const title = "GCP Audit Configuration Removed Then Data Accessed"
	remove := gcpEvent(10, "cloudresourcemanager.googleapis.com", "SetIamPolicy", "projects/acme-prod-4821",
		`"serviceData":{"@type":"type.googleapis.com/google.iam.v1.logging.AuditData","policyDelta":{"auditConfigDeltas":[{"action":"REMOVE","service":"allServices","logType":"DATA_READ"}]}}`)
	read := func(min int) string {
		return gcpEvent(min, "storage.googleapis.com", "storage.objects.get", "projects/_/buckets/acme-exports/objects/customers.csv", "")
	}
	got := alertsOf(runDefault(t, []string{remove, read(25)}), title)
	if len(got) != 1 {
		t.Fatalf("%d sequence alerts, want 1", len(got))
	}
	if got[0].Level != LevelCritical {
		t.Errorf("level %v, want critical", got[0].Level)
	}
	for name, evs := range map[string][]string{
		"read before the removal": {read(5), remove},
		"removal refused":         {gcpFailed(remove), read(25)},
	} {
		if n := len(alertsOf(runDefault(t, evs), title)); n != 0 {
			t.Errorf("%s: %d sequence alerts", name, n)
		}
	}
}
