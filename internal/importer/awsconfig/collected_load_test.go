package awsconfig_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/vigil-sec/vigil/internal/importer"
	"github.com/vigil-sec/vigil/internal/importer/awsconfig"
	"github.com/vigil-sec/vigil/internal/resource"
)

// loadFiles writes files (slash paths under a temporary directory: JSON
// values) and imports the directory as `vigil scan` does (file order,
// pruned raw attributes, merge, finalization, derivation).
func loadFiles(t *testing.T, files map[string]any) (*importer.Inventory, map[string]*resource.Resource) {
	t.Helper()
	dir := t.TempDir()
	for name, v := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		data, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	inv, err := importer.Load(context.Background(), []string{dir})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range inv.Errors {
		t.Errorf("input error: %s", e.Error())
	}
	m := map[string]*resource.Resource{}
	for _, r := range inv.Resources {
		m[r.ID] = r
	}
	// Finalize reads what FinishRaw keeps: the facts are the same when
	// every raw attribute is kept.
	whole, err := importer.Load(context.Background(), []string{dir}, importer.KeepRaw())
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range whole.Resources {
		got, _ := json.Marshal(m[r.ID].Facts)
		want, _ := json.Marshal(r.Facts)
		if string(got) != string(want) {
			t.Errorf("%s: facts with raw attributes pruned %s, kept %s", r.ID, got, want)
		}
	}
	return inv, m
}

const (
	fnARN     = "arn:aws:lambda:us-east-1:111122223333:function:orders-api"
	snapDir   = "aws/111122223333/AWSLogs/111122223333/Config/us-east-1/2026/11/24/ConfigSnapshot/"
	snapFile  = snapDir + "111122223333_Config_us-east-1_ConfigSnapshot_20261124T055812Z_x.json"
	cliPrefix = "aws/111122223333/cli/"
)

func configSnapshot(items ...map[string]any) map[string]any {
	list := make([]any, len(items))
	for i, it := range items {
		it["awsAccountId"] = "111122223333"
		if it["awsRegion"] == nil {
			it["awsRegion"] = "us-east-1"
		}
		it["configurationItemCaptureTime"], it["configurationItemStatus"] = "2026-11-24T05:58:12.000Z", "OK"
		list[i] = it
	}
	return map[string]any{"fileVersion": "1.0", "configSnapshotId": "x", "configurationItems": list}
}

func functionItem() map[string]any {
	return map[string]any{"resourceType": "AWS::Lambda::Function", "resourceId": "orders-api", "resourceName": "orders-api",
		"ARN": fnARN, "configuration": map[string]any{"functionName": "orders-api", "runtime": "python3.12"}}
}

func policyText(statement map[string]any) string {
	statement["Effect"], statement["Resource"] = "Allow", fnARN
	b, _ := json.Marshal(map[string]any{"Version": "2012-10-17", "Id": "default", "Statement": []any{statement}})
	return string(b)
}

// A function URL with AuthType NONE is public when the function's
// resource policy lets anyone invoke such URLs (Lambda checks the policy
// whatever the AuthType): the console's statement is conditioned on
// lambda:FunctionUrlAuthType NONE, which a policy alone does not settle.
func TestFunctionURLWithItsPolicy(t *testing.T) {
	urlPolicy := policyText(map[string]any{"Sid": "FunctionURLAllowPublicAccess", "Principal": "*", "Action": "lambda:InvokeFunctionUrl",
		"Condition": map[string]any{"StringEquals": map[string]any{"lambda:FunctionUrlAuthType": "NONE"}}})
	openPolicy := policyText(map[string]any{"Principal": "*", "Action": "lambda:InvokeFunction"})
	servicePolicy := policyText(map[string]any{"Principal": map[string]any{"Service": "s3.amazonaws.com"}, "Action": "lambda:InvokeFunction"})
	urls := func(auth ...string) map[string]any {
		list := []any{}
		for _, a := range auth {
			list = append(list, map[string]any{"FunctionUrl": "https://abc.lambda-url.us-east-1.on.aws/", "FunctionArn": fnARN,
				"AuthType": a, "CreationTime": "2026-01-28T06:00:00.000+0000", "InvokeMode": "BUFFERED"})
		}
		return map[string]any{"FunctionUrlConfigs": list}
	}
	cases := []struct {
		name   string
		policy string // "" : no get-policy output
		urls   map[string]any
		want   string
	}{
		{"NONE URL, policy grants URL access", urlPolicy, urls("NONE"), "true"},
		{"IAM URL, policy grants NONE URLs", urlPolicy, urls("AWS_IAM"), "false"},
		{"no URL, policy grants NONE URLs", urlPolicy, urls(), "false"},
		{"URLs not in the input, policy grants NONE URLs", urlPolicy, nil, "nil"},
		{"NONE URL, policy grants services only", servicePolicy, urls("NONE"), "false"},
		{"NONE URL, policy not in the input", "", urls("NONE"), "nil"},
		{"IAM URL, policy open to anyone", openPolicy, urls("AWS_IAM"), "true"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			files := map[string]any{snapFile: configSnapshot(functionItem())}
			if c.policy != "" {
				files[cliPrefix+"lambda-get-policy/orders-api.us-east-1.json"] = map[string]any{"Policy": c.policy, "RevisionId": "r1"}
			}
			if c.urls != nil {
				files[cliPrefix+"lambda-list-function-url-configs/orders-api.us-east-1.json"] = c.urls
			}
			inv, m := loadFiles(t, files)
			fn := m[fnARN]
			if fn == nil || fn.Class != resource.ClassFunction {
				t.Fatalf("function: %+v", fn)
			}
			if got := bp(fn.Facts.Function.PublicInvocation); got != c.want {
				t.Errorf("public_invocation = %s, want %s", got, c.want)
			}
			if fn.Facts.Function.Runtime != "python3.12" || len(inv.Skipped) != 0 {
				t.Errorf("runtime %q (the item merged with the outputs), skipped %v", fn.Facts.Function.Runtime, inv.Skipped)
			}
		})
	}
}

// RDS DB and cluster snapshots: the restore attribute AWS Config records
// in the supplementary configuration decides public and shared; an
// automated snapshot (which AWS does not let anyone share) has none.
func TestRDSSnapshotRestoreAttribute(t *testing.T) {
	snap := func(typ, snapshotType string, restore any) map[string]any {
		cfg := map[string]any{"snapshotType": snapshotType, "encrypted": false, "storageEncrypted": true,
			"kmsKeyId": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "snapshotCreateTime": "2026-10-01T00:00:00.000Z"}
		it := map[string]any{"resourceType": typ, "resourceId": "s1", "resourceName": "s1",
			"ARN": "arn:aws:rds:us-east-1:111122223333:snapshot:s1", "configuration": cfg, "supplementaryConfiguration": map[string]any{}}
		key := "DBSnapshotAttributes"
		if typ == "AWS::RDS::DBClusterSnapshot" {
			key = "DBClusterSnapshotAttributes"
			it["ARN"] = "arn:aws:rds:us-east-1:111122223333:cluster-snapshot:s1"
		}
		if restore != nil {
			it["supplementaryConfiguration"] = map[string]any{key: []any{map[string]any{"attributeName": "restore", "attributeValues": restore}}}
		}
		return it
	}
	cases := []struct {
		name                string
		item                map[string]any
		public, cross, encr string
		shared              int
	}{
		{"public", snap("AWS::RDS::DBSnapshot", "manual", []any{"all"}), "true", "false", "false", 0},
		{"shared with an account", snap("AWS::RDS::DBSnapshot", "manual", []any{"444455556666"}), "false", "true", "false", 1},
		{"not shared", snap("AWS::RDS::DBSnapshot", "manual", []any{}), "false", "false", "false", 0},
		{"attributes not read", snap("AWS::RDS::DBSnapshot", "manual", nil), "nil", "nil", "false", 0},
		{"automated", snap("AWS::RDS::DBSnapshot", "automated", nil), "false", "false", "false", 0},
		{"cluster snapshot, public and shared", snap("AWS::RDS::DBClusterSnapshot", "manual", []any{"all", "444455556666"}), "true", "true", "true", 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, m := loadFiles(t, map[string]any{snapFile: configSnapshot(c.item)})
			r := m[c.item["ARN"].(string)]
			if r == nil || r.Class != resource.ClassSnapshot || r.Facts.Snapshot == nil {
				t.Fatalf("snapshot: %+v", r)
			}
			s := r.Facts.Snapshot
			if bp(s.Public) != c.public || bp(s.CrossAccount) != c.cross || bp(s.Encrypted) != c.encr || len(s.SharedWith) != c.shared {
				t.Errorf("public %s cross %s encrypted %s shared %v, want %s %s %s %d", bp(s.Public), bp(s.CrossAccount),
					bp(s.Encrypted), s.SharedWith, c.public, c.cross, c.encr, c.shared)
			}
			if s.Created == "" || (c.encr == "true" && !hasRel(r, resource.RelUsesKey, "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab")) {
				t.Errorf("created %q, relationships %v", s.Created, r.Relationships)
			}
		})
	}
}

// ELBv2 load balancer attributes in the supplementary configuration:
// deletion protection, access logs, invalid header dropping.
func TestELBv2LoadBalancerAttributes(t *testing.T) {
	lb := func(attrs any) map[string]any {
		it := map[string]any{"resourceType": "AWS::ElasticLoadBalancingV2::LoadBalancer",
			"resourceId": "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/web/1",
			"ARN":        "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/web/1", "resourceName": "web",
			"configuration": map[string]any{"scheme": "internet-facing", "type": "application"}, "supplementaryConfiguration": map[string]any{}}
		if attrs != nil {
			it["supplementaryConfiguration"] = map[string]any{"LoadBalancerAttributes": attrs}
		}
		return it
	}
	kv := func(k, v string) map[string]any { return map[string]any{"key": k, "value": v} }
	cases := []struct {
		name                   string
		attrs                  any
		deletion, logs, header string
	}{
		{"all off", []any{kv("deletion_protection.enabled", "false"), kv("access_logs.s3.enabled", "false"),
			kv("routing.http.drop_invalid_header_fields.enabled", "false"), kv("idle_timeout.timeout_seconds", "60")}, "false", "false", "false"},
		{"all on", []any{kv("deletion_protection.enabled", "true"), kv("access_logs.s3.enabled", "true"),
			kv("routing.http.drop_invalid_header_fields.enabled", "true")}, "true", "true", "true"},
		{"CloudFormation names", []any{map[string]any{"Key": "deletion_protection.enabled", "Value": "true"}}, "true", "nil", "nil"},
		{"attributes not read", nil, "nil", "nil", "nil"},
		{"not a list", "deletion_protection.enabled=true", "nil", "nil", "nil"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := awsconfig.Parse(context.Background(), "snap.json", configSnapshot(lb(c.attrs)))
			if len(res.Resources) != 1 || res.Resources[0].Facts.LoadBalancer == nil {
				t.Fatalf("resources: %+v", res.Resources)
			}
			f := res.Resources[0].Facts.LoadBalancer
			if bp(f.DeletionProtection) != c.deletion || bp(f.AccessLogs) != c.logs || bp(f.DropInvalidHeaders) != c.header {
				t.Errorf("deletion %s logs %s headers %s, want %s %s %s", bp(f.DeletionProtection), bp(f.AccessLogs),
					bp(f.DropInvalidHeaders), c.deletion, c.logs, c.header)
			}
			if c.name == "not a list" && len(res.Problems) == 0 {
				t.Error("attributes of the wrong type not reported")
			}
		})
	}
}

// `aws kms get-key-policy` output, named after its key ID, puts the
// policy's public access on the key; a multi-Region key's file names
// its region too.
func TestKMSKeyPolicy(t *testing.T) {
	const id = "1234abcd-12ab-34cd-56ef-1234567890ab"
	const mrk = "mrk-1234abcd12ab34cd56ef1234567890ab"
	key := func(id, region string) map[string]any {
		return map[string]any{"resourceType": "AWS::KMS::Key", "resourceId": id, "ARN": "arn:aws:kms:" + region + ":111122223333:key/" + id,
			"awsRegion": region, "configuration": map[string]any{"keyManager": "CUSTOMER", "keyState": "Enabled", "keySpec": "SYMMETRIC_DEFAULT"}}
	}
	doc := func(principal any, cond bool) string {
		s := map[string]any{"Sid": "s", "Effect": "Allow", "Principal": principal, "Action": "kms:Decrypt", "Resource": "*"}
		if cond {
			s["Condition"] = map[string]any{"StringEquals": map[string]any{"kms:CallerAccount": "111122223333"}}
		}
		b, _ := json.Marshal(map[string]any{"Version": "2012-10-17", "Id": "key-default-1", "Statement": []any{s}})
		return string(b)
	}
	cases := []struct {
		name, file, policy string
		keyID, want        string
	}{
		{"account root only", id + ".json", doc(map[string]any{"AWS": "arn:aws:iam::111122223333:root"}, false), id, "false"},
		{"anyone", id + ".json", doc("*", false), id, "true"},
		{"anyone in the account (condition)", id + ".json", doc(map[string]any{"AWS": "*"}, true), id, "false"},
		{"multi-Region key, its region", mrk + ".eu-west-1.json", doc("*", false), mrk, "true"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			other := "0987dcba-09fe-87dc-65ba-ab0987654321" // key IDs are unique, but for a multi-Region key's replicas
			if c.keyID == mrk {
				other = mrk
			}
			inv, m := loadFiles(t, map[string]any{
				snapFile: configSnapshot(key(c.keyID, "us-east-1")), snapDir + "eu.json": configSnapshot(key(other, "eu-west-1")),
				cliPrefix + "kms-get-key-policy/" + c.file: map[string]any{"Policy": c.policy, "PolicyName": "default"},
			})
			region := "us-east-1"
			if c.keyID == mrk {
				region = "eu-west-1"
				if other := m["arn:aws:kms:us-east-1:111122223333:key/"+mrk].Facts.Key.PublicAccess; other != nil {
					t.Errorf("the policy of the eu-west-1 replica went to the us-east-1 one too: %s", bp(other))
				}
			}
			k := m["arn:aws:kms:"+region+":111122223333:key/"+c.keyID]
			if k == nil || k.Facts.Key == nil {
				t.Fatalf("key: %+v", k)
			}
			if got := bp(k.Facts.Key.PublicAccess); got != c.want {
				t.Errorf("public_access = %s, want %s", got, c.want)
			}
			if inv.Files[awsconfig.FormatKeyPolicy] != 1 || len(inv.Skipped) != 0 {
				t.Errorf("files %v, skipped %v", inv.Files, inv.Skipped)
			}
		})
	}
}

// The AWS CLI outputs vigil reads but does not evaluate (no fact holds
// them) are recognised, so the summary lists them once per kind among the
// unsupported types rather than once per file, region or account among
// the skipped inputs; a document that only looks like one stays skipped.
func TestCollectedOutputsNotEvaluatedOncePerKind(t *testing.T) {
	hub := func(region string) map[string]any {
		return map[string]any{"HubArn": "arn:aws:securityhub:" + region + ":111122223333:hub/default",
			"SubscribedAt": "2024-03-01T10:00:00.000Z", "AutoEnableControls": true, "ControlFindingGenerator": "SECURITY_CONTROL"}
	}
	standards := func(region string) map[string]any {
		return map[string]any{"StandardsSubscriptions": []any{map[string]any{
			"StandardsArn":             "arn:aws:securityhub:" + region + "::standards/aws-foundational-security-best-practices/v/1.0.0",
			"StandardsSubscriptionArn": "arn:aws:securityhub:" + region + ":111122223333:subscription/aws-foundational-security-best-practices/v/1.0.0",
			"StandardsInput":           map[string]any{}, "StandardsStatus": "READY"}}}
	}
	channels := map[string]any{"DeliveryChannels": []any{map[string]any{"name": "default", "s3BucketName": "config-bucket-111122223333",
		"configSnapshotDeliveryProperties": map[string]any{"deliveryFrequency": "TwentyFour_Hours"}}}}
	inv, _ := loadFiles(t, map[string]any{
		cliPrefix + "securityhub-describe-hub.us-east-1.json":          hub("us-east-1"),
		cliPrefix + "securityhub-describe-hub.eu-west-1.json":          hub("eu-west-1"),
		cliPrefix + "securityhub-get-enabled-standards.us-east-1.json": standards("us-east-1"),
		cliPrefix + "securityhub-get-enabled-standards.eu-west-1.json": standards("eu-west-1"),
		cliPrefix + "config-describe-delivery-channels.us-east-1.json": channels,
		cliPrefix + "config-describe-delivery-channels.eu-west-1.json": channels,
		cliPrefix + "account-summary.json":                             map[string]any{"SummaryMap": map[string]any{"Users": 3, "AccountMFAEnabled": 1}},
		"aws/444455556666/cli/account-summary.json":                    map[string]any{"SummaryMap": map[string]any{"Users": 1, "AccountMFAEnabled": 0}},
		"other/not-a-hub.json":                                         map[string]any{"HubArn": "arn:aws:securityhub:us-east-1:1:hub/default", "Name": "x"},
	})
	want := map[string]int{awsconfig.TypeSecurityHub: 2, awsconfig.TypeStandard: 2, awsconfig.TypeDeliveryChannel: 2, awsconfig.TypeAccountSummary: 2}
	for typ, n := range want {
		if inv.Unsupported[typ] != n {
			t.Errorf("unsupported[%s] = %d, want %d (unsupported %v)", typ, inv.Unsupported[typ], n, inv.Unsupported)
		}
	}
	if len(inv.Skipped) != 1 || filepath.Base(inv.Skipped[0].Path) != "not-a-hub.json" {
		t.Errorf("skipped: %+v", inv.Skipped)
	}
	for _, f := range []string{awsconfig.FormatSecurityHub, awsconfig.FormatStandards, awsconfig.FormatDeliveryChannels, awsconfig.FormatAccountSummary} {
		if inv.Files[f] != 2 {
			t.Errorf("files[%s] = %d, want 2", f, inv.Files[f])
		}
	}
	// A delivery channel names the bucket it delivers to (governance
	// plumbing, not a workload of a management account: CIS AWS 2.1.3).
	channelsSeen := 0
	for _, r := range inv.Resources {
		if r.Type != awsconfig.TypeDeliveryChannel {
			continue
		}
		channelsSeen++
		if len(r.Relationships) != 1 || r.Relationships[0].Type != resource.RelLogsTo || r.Relationships[0].TargetID != "arn:aws:s3:::config-bucket-111122223333" {
			t.Errorf("delivery channel %s relationships %+v, want logs_to arn:aws:s3:::config-bucket-111122223333", r.ID, r.Relationships)
		}
	}
	if channelsSeen != 2 {
		t.Errorf("%d delivery channels in the inventory, want 2", channelsSeen)
	}
}

// `aws guardduty list-detectors` per region tells a region without a
// detector (threat detection off, if no other region has one on) from a
// region whose detectors were not read (unknown).
func TestGuardDutyDetectorList(t *testing.T) {
	detector := func(id, region string, on bool) map[string]any {
		return map[string]any{"resourceType": "AWS::GuardDuty::Detector", "resourceId": id, "resourceName": id, "awsRegion": region,
			"ARN": "arn:aws:guardduty:" + region + ":111122223333:detector/" + id, "configuration": map[string]any{"Id": id, "Enable": on}}
	}
	list := func(ids ...string) map[string]any {
		l := []any{}
		for _, id := range ids {
			l = append(l, id)
		}
		return map[string]any{"DetectorIds": l}
	}
	listFile := func(region string) string { return cliPrefix + "guardduty-list-detectors." + region + ".json" }
	cases := []struct {
		name  string
		files map[string]any
		want  string
	}{
		{"listed, none", map[string]any{listFile("us-east-1"): list()}, "false"},
		{"none here, on elsewhere", map[string]any{listFile("us-east-1"): list(), listFile("eu-west-1"): list("d2"),
			snapFile: configSnapshot(detector("d2", "eu-west-1", true))}, "true"},
		{"listed and read, off", map[string]any{listFile("us-east-1"): list("d1"), snapFile: configSnapshot(detector("d1", "us-east-1", false))}, "false"},
		{"listed, not read", map[string]any{listFile("us-east-1"): list("d1")}, "nil"},
		{"none here, not read elsewhere", map[string]any{listFile("us-east-1"): list(), listFile("eu-west-1"): list("d2")}, "nil"},
		{"a page of a longer list", map[string]any{listFile("us-east-1"): map[string]any{"DetectorIds": []any{}, "NextToken": "t"}}, "nil"},
		{"no list, detector off (as before)", map[string]any{snapFile: configSnapshot(detector("d1", "us-east-1", false))}, "false"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.files[cliPrefix+"ebs-encryption-by-default.us-east-1.json"] = map[string]any{"EbsEncryptionByDefault": true} // the account is seen
			_, m := loadFiles(t, c.files)
			acct := m[awsconfig.AccountID("111122223333")]
			if acct == nil || acct.Facts.Account == nil {
				t.Fatalf("account: %+v", acct)
			}
			if got := bp(acct.Facts.Account.ThreatDetection); got != c.want {
				t.Errorf("threat_detection = %s, want %s", got, c.want)
			}
		})
	}
}

// A function item whose supplementary configuration says "Policy": null
// has no resource policy: not publicly invocable, whatever its URLs.
func TestFunctionWithoutPolicy(t *testing.T) {
	it := functionItem()
	it["supplementaryConfiguration"] = map[string]any{"Policy": nil, "Tags": map[string]any{}}
	_, m := loadFiles(t, map[string]any{snapFile: configSnapshot(it),
		cliPrefix + "lambda-list-function-url-configs/orders-api.us-east-1.json": map[string]any{"FunctionUrlConfigs": []any{
			map[string]any{"FunctionArn": fnARN, "AuthType": "NONE", "FunctionUrl": "https://abc.lambda-url.us-east-1.on.aws/"}}}})
	if got := bp(m[fnARN].Facts.Function.PublicInvocation); got != "false" {
		t.Errorf("public_invocation = %s, want false", got)
	}
	it = functionItem()
	it["supplementaryConfiguration"] = map[string]any{"Tags": map[string]any{}}
	if _, m := loadFiles(t, map[string]any{snapFile: configSnapshot(it)}); m[fnARN].Facts.Function.PublicInvocation != nil {
		t.Error("a function whose item does not carry its policy: public_invocation known")
	}
}

// `aws macie2 get-macie-session` per region: Macie must be enabled (not
// paused) wherever the account keeps S3 buckets (CIS AWS 3.1.3); a region
// without a session file is one where Macie is not enabled, once the
// account's sessions were collected at all.
func TestMacieSessions(t *testing.T) {
	bucket := func(name, region string) map[string]any {
		return map[string]any{"resourceType": "AWS::S3::Bucket", "resourceId": name, "resourceName": name, "awsRegion": region,
			"ARN": "arn:aws:s3:::" + name, "configuration": map[string]any{"name": name}}
	}
	session := func(status string) map[string]any {
		return map[string]any{"createdAt": "2025-02-03T09:00:00.000000+00:00", "findingPublishingFrequency": "SIX_HOURS",
			"serviceRole": "arn:aws:iam::111122223333:role/aws-service-role/macie.amazonaws.com/AWSServiceRoleForAmazonMacie",
			"status":      status, "updatedAt": "2025-02-03T09:00:00.000000+00:00"}
	}
	file := func(region string) string { return cliPrefix + "macie2-get-macie-session." + region + ".json" }
	both := configSnapshot(bucket("nw-a", "us-east-1"), bucket("nw-b", "eu-west-1"))
	cases := []struct {
		name    string
		files   map[string]any
		want    string
		missing []string
	}{
		{"enabled where the buckets are", map[string]any{file("us-east-1"): session("ENABLED"),
			snapFile: configSnapshot(bucket("nw-a", "us-east-1"))}, "true", nil},
		{"no session where a bucket is", map[string]any{file("us-east-1"): session("ENABLED"), snapFile: both}, "false", []string{"eu-west-1"}},
		{"paused", map[string]any{file("us-east-1"): session("ENABLED"), file("eu-west-1"): session("PAUSED"), snapFile: both},
			"false", []string{"eu-west-1"}},
		{"enabled in both", map[string]any{file("us-east-1"): session("ENABLED"), file("eu-west-1"): session("ENABLED"), snapFile: both},
			"true", nil},
		{"sessions not collected", map[string]any{snapFile: both}, "nil", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.files[cliPrefix+"ebs-encryption-by-default.us-east-1.json"] = map[string]any{"EbsEncryptionByDefault": true} // the account is seen
			inv, m := loadFiles(t, c.files)
			if len(inv.Skipped) != 0 {
				t.Fatalf("skipped: %+v", inv.Skipped)
			}
			acct := m[awsconfig.AccountID("111122223333")]
			if acct == nil || acct.Facts.Account == nil {
				t.Fatalf("account: %+v", acct)
			}
			var got *bool
			var missing []string
			if cis := acct.Facts.Account.CIS; cis != nil {
				got, missing = cis.MacieAllBucketRegions, cis.MacieMissingRegions
			}
			if bp(got) != c.want || !slices.Equal(missing, c.missing) {
				t.Errorf("macie_all_bucket_regions = %s %v, want %s %v", bp(got), missing, c.want, c.missing)
			}
		})
	}
}
