package awscollect

import (
	"bytes"
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/collect"
	"github.com/vigil-sec/vigil/internal/importer"
	"github.com/vigil-sec/vigil/internal/resource"
	"github.com/vigil-sec/vigil/internal/testkit"
)

const moreAcct = "111122223333"

// moreServiceNames are the signing names of the services of svc_*.go.
var moreServiceNames = []string{"rds", "kms", "cloudtrail", "config", "guardduty", "securityhub", "macie2", "inspector2", "lambda", "eks",
	"elasticloadbalancing", "cloudfront", "sns", "sqs", "secretsmanager", "directconnect", "apigateway", "access-analyzer", "elasticfilesystem",
	"logs", "monitoring", "cloudwatch", "ecr", "route53", "elb"} // CloudWatch signs as monitoring; its failures name the IAM prefix

// moreCLIPrefixes are the CLI outputs these services write.
var moreCLIPrefixes = []string{"elbv2-", "kms-", "lambda-", "sns-", "sqs-", "secretsmanager-", "securityhub-", "macie2-", "config-", "guardduty-",
	"directconnect-", "apigateway-", "apigatewayv2-", "accessanalyzer-", "logs-", "cloudwatch-", "route53-"}

// moreTypes are the AWS Config types these services write.
var moreTypes = []string{"AWS::RDS::", "AWS::KMS::", "AWS::CloudTrail::", "AWS::Config::", "AWS::GuardDuty::", "AWS::Lambda::",
	"AWS::EKS::", "AWS::ElasticLoadBalancingV2::", "AWS::CloudFront::", "AWS::SNS::", "AWS::SQS::", "AWS::SecretsManager::",
	"AWS::ApiGateway::", "AWS::ApiGatewayV2::", "AWS::EFS::", "AWS::ECR::", "AWS::Route53::", "AWS::ElasticLoadBalancing::"}

func isMoreService(s string) bool { return slices.Contains(moreServiceNames, s) }

// collectMore runs the whole collector against the fake server (these
// services' answers under testdata/more, dirs first) in us-east-1 and
// us-west-2, and returns the output directory and the failures of these
// services.
func collectMore(t *testing.T, fault func(fakeReq) string, dirs ...string) (string, []collect.Failure, *fakeAWS) {
	t.Helper()
	f := newFakeAWS(t, append(dirs, "testdata", filepath.Join("testdata", "more"))...)
	f.Fault = fault
	opts := testOptions(t, f, moreAcct)
	opts.Regions = []string{"us-east-1", "us-west-2"}
	opts.services = moreServices()
	out := t.TempDir()
	rec := &collect.Recorder{}
	if err := Collect(context.Background(), opts, collect.Dir(out), rec, nil); err != nil {
		t.Fatal(err)
	}
	var fails []collect.Failure
	for _, fl := range rec.Failures() {
		if isMoreService(fl.Service) {
			fails = append(fails, fl)
		}
	}
	for _, m := range f.Missing() {
		if svc, _, _ := strings.Cut(m, ":"); isMoreService(svc) {
			t.Errorf("no response file: %s", m)
		}
	}
	return out, fails, f
}

// moreOutput is what these services wrote: their CLI outputs by path and
// their configuration items, for the golden file.
func moreOutput(t *testing.T, dir string) []byte {
	t.Helper()
	cli := map[string]any{}
	var items []any
	root := filepath.Join(dir, "aws", moreAcct)
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		switch {
		case strings.HasPrefix(rel, "cli/"):
			for _, pre := range moreCLIPrefixes {
				if strings.HasPrefix(rel, "cli/"+pre) {
					var v any
					if err := json.Unmarshal(b, &v); err != nil {
						t.Errorf("%s: %v", rel, err)
					}
					cli[rel] = v
				}
			}
		case strings.Contains(rel, "/ConfigSnapshot/"):
			var snap struct {
				Items []map[string]any `json:"configurationItems"`
			}
			if err := json.Unmarshal(b, &snap); err != nil {
				t.Errorf("%s: %v", rel, err)
			}
			for _, it := range snap.Items {
				typ, _ := it["resourceType"].(string)
				for _, pre := range moreTypes {
					if strings.HasPrefix(typ, pre) {
						items = append(items, it)
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(map[string]any{"cli": cli, "configurationItems": items}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestMoreCollectGolden: the services' exports, collected from the fake
// server's wire-format answers (pages, a not-found policy, a region where
// Security Hub is off), against testdata/more/golden.json.
func TestMoreCollectGolden(t *testing.T) {
	dir, fails, _ := collectMore(t, nil)
	for _, f := range fails {
		t.Errorf("unexpected failure: %s", f)
	}
	got := moreOutput(t, dir)
	testkit.Golden(t, filepath.Join("testdata", "more", "golden.json"), got, *update)
}

// imported loads the collected directory with the awsconfig importer and
// returns its resources by ID.
func imported(t *testing.T, dir string) map[string]*resource.Resource {
	t.Helper()
	rs, _ := importedInv(t, dir)
	return rs
}

func importedInv(t *testing.T, dir string) (map[string]*resource.Resource, *importer.Inventory) {
	t.Helper()
	inv, err := importer.Load(context.Background(), []string{dir})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range inv.Errors {
		t.Errorf("import problem: %+v", p)
	}
	byID := map[string]*resource.Resource{}
	for _, r := range inv.Resources {
		byID[r.ID] = r
	}
	return byID, inv
}

// fact is a resource's fact at path ("database.public_endpoint"), as the
// rules see it (nil: unknown).
func fact(t *testing.T, rs map[string]*resource.Resource, id, path string) any {
	t.Helper()
	r := rs[id]
	if r == nil {
		t.Errorf("%s: not in the inventory", id)
		return nil
	}
	b, _ := json.Marshal(r.Facts)
	var v any
	_ = json.Unmarshal(b, &v)
	for _, k := range strings.Split(path, ".") {
		m, _ := v.(map[string]any)
		v = m[k]
	}
	return v
}

type factWant struct {
	id, path string
	want     any // nil: unknown
}

func checkFacts(t *testing.T, rs map[string]*resource.Resource, wants []factWant) {
	t.Helper()
	for _, w := range wants {
		got := fact(t, rs, w.id, w.path)
		if gb, _ := json.Marshal(got); string(gb) != mustJSON(w.want) {
			t.Errorf("%s %s = %s, want %s", w.id, w.path, gb, mustJSON(w.want))
		}
	}
}

// attrOf follows keys through decoded JSON objects.
func attrOf(v any, keys ...string) any {
	for _, k := range keys {
		m, _ := v.(map[string]any)
		v = m[k]
	}
	return v
}

func mustJSON(v any) string { b, _ := json.Marshal(v); return string(b) }

const (
	keyA       = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	keyB       = "arn:aws:kms:us-east-1:111122223333:key/0987dcba-09fe-87dc-65ba-ab0987654321"
	keyAWS     = "arn:aws:kms:us-east-1:111122223333:key/aa11bb22-cc33-dd44-ee55-ff6677889900"
	fnAPI      = "arn:aws:lambda:us-east-1:111122223333:function:orders-api"
	fnMailer   = "arn:aws:lambda:us-east-1:111122223333:function:report-mailer"
	eksProd    = "arn:aws:eks:us-east-1:111122223333:cluster/prod-platform"
	lbWeb      = "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/prod-web/dd5401c094c2b683"
	cdn        = "arn:aws:cloudfront::111122223333:distribution/E2QWRUHEXAMPLE"
	topicOps   = "arn:aws:sns:us-east-1:111122223333:ops-alerts"
	topicIn    = "arn:aws:sns:us-east-1:111122223333:ingest-notify"
	queue      = "arn:aws:sqs:us-east-1:111122223333:jobs"
	secDB      = "arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/orders-db/credentials-c0dc40"
	secAPI     = "arn:aws:secretsmanager:us-east-1:111122223333:secret:partner/api-key-Ab12Cd"
	dbLegacy   = "arn:aws:rds:us-east-1:111122223333:db:legacy-mysql"
	dbOrders   = "arn:aws:rds:us-east-1:111122223333:db:orders-pg"
	snapLegacy = "arn:aws:rds:us-east-1:111122223333:snapshot:legacy-mysql-final"
	snapAuto   = "arn:aws:rds:us-east-1:111122223333:snapshot:rds:orders-pg-2026-11-23-03-10"
	account    = "aws-account/111122223333"
	efsHome    = "arn:aws:elasticfilesystem:us-east-1:111122223333:file-system/fs-0123456789abcdef0"
	efsML      = "arn:aws:elasticfilesystem:us-east-1:111122223333:file-system/fs-0fedcba9876543210"
)

// TestMoreImportFacts: collect, save, import: the facts the rules read
// come out of the collected exports as the fake account has them.
func TestMoreImportFacts(t *testing.T) {
	dir, _, _ := collectMore(t, nil)
	rs, inv := importedInv(t, dir)
	checkFacts(t, rs, []factWant{
		{dbLegacy, "database.public_endpoint", true}, {dbLegacy, "database.encrypted", false},
		{dbLegacy, "database.backup_enabled", false}, {dbLegacy, "database.deletion_protection", false},
		{dbOrders, "database.public_endpoint", false}, {dbOrders, "database.encrypted", true},
		{dbOrders, "database.key_manager", "customer"}, {dbOrders, "database.multi_az", true},
		{keyA, "key.customer_managed", true}, {keyA, "key.rotation_enabled", true}, {keyA, "key.rotation_period_days", 365},
		{keyB, "key.rotation_enabled", false}, {keyAWS, "key.customer_managed", false}, {keyAWS, "key.rotation_enabled", nil},
		{"arn:aws:cloudtrail:us-east-1:111122223333:trail/org-audit", "audit_log.enabled", true},
		{"arn:aws:cloudtrail:us-east-1:111122223333:trail/org-audit", "audit_log.encrypted_with_cmk", true},
		{"arn:aws:cloudtrail:us-east-1:111122223333:trail/dev-local", "audit_log.enabled", false},
		{account, "account.audit_logging", true}, {account, "account.threat_detection", true},
		{fnAPI, "function.public_invocation", true}, {fnAPI, "function.environment_secrets", true}, {fnAPI, "function.in_vpc", true},
		{fnMailer, "function.public_invocation", false}, {fnMailer, "function.runtime_end_of_support", "2024-06-12T00:00:00Z"},
		{eksProd, "kubernetes.public_endpoint", true}, {eksProd, "kubernetes.audit_logging", true},
		{eksProd, "kubernetes.secrets_encrypted", true},
		{lbWeb, "load_balancer.public", true}, {lbWeb, "load_balancer.http_listener", true}, {lbWeb, "load_balancer.weak_tls", true},
		{cdn, "cdn.viewer_https_only", false}, {cdn, "cdn.min_tls_version", "1.0"}, {cdn, "cdn.waf", false},
		{cdn, "cdn.access_logs", false}, {cdn, "cdn.origin_https_only", false}, {cdn, "cdn.origin_access_control", true},
		{topicOps, "queue.public_policy", true}, {topicOps, "queue.encrypted", false},
		{topicIn, "queue.public_policy", false}, {topicIn, "queue.encrypted", true},
		{queue, "queue.encrypted", true}, {queue, "queue.key_manager", "provider"}, {queue, "queue.public_policy", false},
		{secDB, "secret.rotation_enabled", true}, {secDB, "secret.public_access", false},
		{secAPI, "secret.rotation_enabled", false}, {secAPI, "secret.public_access", true}, {secAPI, "secret.key_manager", "provider"},
		// The outputs the importer reads since: key policies, load balancer
		// attributes, RDS snapshot attributes.
		{keyA, "key.public_access", false}, {keyB, "key.public_access", false}, {keyAWS, "key.public_access", nil},
		{lbWeb, "load_balancer.access_logs", false}, {lbWeb, "load_balancer.deletion_protection", false},
		{lbWeb, "load_balancer.drop_invalid_headers", false},
		{snapLegacy, "snapshot.public", true}, {snapLegacy, "snapshot.encrypted", false},
		{snapAuto, "snapshot.public", false}, {snapAuto, "snapshot.key_manager", "customer"},
		// CIS AWS 3.3.1 and 2.18: EFS encryption at rest; an external
		// access analyzer in us-east-1 only (us-west-2 has an unused
		// access analyzer, which does not count).
		{efsHome, "disk.encrypted", false}, {efsML, "disk.encrypted", true},
		{account, "account.cis.access_analyzer_all_regions", false},
		{account, "account.cis.access_analyzer_missing_regions", []string{"us-west-2"}},
	})
	checkNetFacts(t, rs)
	for _, id := range []string{snapLegacy,
		"arn:aws:rds:us-east-1:111122223333:cluster:analytics-aurora"} {
		if rs[id] == nil {
			t.Errorf("%s: not in the inventory", id)
		}
	}
	for id, tag := range map[string]string{fnAPI: "orders", lbWeb: "platform", keyA: "platform",
		"arn:aws:cloudtrail:us-east-1:111122223333:trail/org-audit": "security", eksProd: "platform", dbOrders: "platform", cdn: "web"} {
		if r := rs[id]; r == nil || r.Tags["Owner"] != tag {
			t.Errorf("%s: tag Owner is not %q", id, tag)
		}
	}
	// Every CLI output written is read (none skipped); the outputs and
	// types the importer knows but evaluates no rule on (Security Hub,
	// Config's recorder and delivery channel, key policies and detector
	// lists once folded into their key and account, listeners folded into
	// their load balancer) are listed once per kind among the unsupported
	// types.
	// The services' findings, collected under cli/findings/, are skipped
	// as such (vigil findings import reads them).
	var skipped, findingsFiles []string
	for _, s := range inv.Skipped {
		rel, _ := filepath.Rel(filepath.Join(dir, "aws", moreAcct, "cli"), s.Path)
		if s.Reason == importer.SkipFindings {
			findingsFiles = append(findingsFiles, filepath.ToSlash(rel))
			continue
		}
		skipped = append(skipped, filepath.ToSlash(rel)+": "+s.Reason)
	}
	if len(skipped) != 0 {
		t.Errorf("skipped inputs: %v, want none", skipped)
	}
	sort.Strings(findingsFiles)
	if want := []string{"findings/guardduty-get-findings.us-east-1.json", "findings/inspector2-list-findings.us-east-1.json",
		"findings/securityhub-get-findings.us-east-1.json"}; !slices.Equal(findingsFiles, want) {
		t.Errorf("findings files skipped by the inventory import: %v, want %v", findingsFiles, want)
	}
	wantUnsupported := map[string]int{"AWS::AccessAnalyzer::AnalyzerList": 2, "AWS::ApiGateway::VpcLink": 1,
		"AWS::CloudWatch::AlarmList": 2, "AWS::Logs::MetricFilterList": 2,
		"AWS::DirectConnect::DirectConnectGatewayAssociation": 2, "AWS::DirectConnect::VirtualInterface": 1, "AWS::Config::ConfigurationRecorder": 1, "AWS::Config::DeliveryChannel": 1,
		"AWS::ElasticLoadBalancingV2::Listener": 2, "AWS::ElasticLoadBalancingV2::TargetGroup": 1, "AWS::GuardDuty::Detector": 1, "AWS::GuardDuty::DetectorIds": 2, "AWS::KMS::KeyPolicy": 2,
		"AWS::Macie::Session": 1, "AWS::SecurityHub::Hub": 1, "AWS::SecurityHub::Standard": 2}
	if mustJSON(inv.Unsupported) != mustJSON(wantUnsupported) {
		t.Errorf("unsupported types = %v, want %v", inv.Unsupported, wantUnsupported)
	}
}

// TestMoreFaults: a denied, throttled, failing or unsupported call is
// reported with its call and resource, the rest is collected, and the
// facts it would have given are unknown, never false.
func TestMoreFaults(t *testing.T) {
	faults := map[string]string{
		"kms:GetKeyRotationStatus:" + safeName(keyB):                "denied",
		"sqs:GetQueueAttributes:":                                   "throttle",
		"lambda:ListFunctions:":                                     "500",
		"eks:DescribeCluster:":                                      "denied",
		"guardduty:GetDetector:":                                    "500",
		"cloudfront:GetDistribution:":                               "denied",
		"securityhub:DescribeHub:":                                  "notimpl",
		"elasticloadbalancing:DescribeListeners:" + safeName(lbWeb): "denied",
		"rds:DescribeDBSnapshotAttributes:":                         "denied",
	}
	dir, fails, _ := collectMore(t, func(r fakeReq) string {
		if r.Region != "us-east-1" {
			return ""
		}
		if k, ok := faults[r.Key()+":"+r.Resource]; ok {
			return k
		}
		if r.Key() == "lambda:ListFunctions" || r.Key() == "sqs:GetQueueAttributes" || r.Key() == "eks:DescribeCluster" ||
			r.Key() == "guardduty:GetDetector" || r.Key() == "cloudfront:GetDistribution" || r.Key() == "securityhub:DescribeHub" ||
			r.Key() == "rds:DescribeDBSnapshotAttributes" {
			return faults[r.Key()+":"]
		}
		return ""
	})
	type key struct {
		call, resource string
		kind           collect.Kind
	}
	var got []key
	for _, f := range fails {
		got = append(got, key{f.Call, f.Resource, f.Kind})
	}
	want := []key{
		{"cloudfront:GetDistribution", cdn, collect.Denied},
		{"eks:DescribeCluster", eksProd, collect.Denied},
		{"elasticloadbalancing:DescribeListeners", lbWeb, collect.Denied},
		{"guardduty:GetDetector", "arn:aws:guardduty:us-east-1:111122223333:detector/12abc34d567e8fa901bc2d34e56789f0", collect.Failed},
		{"kms:GetKeyRotationStatus", keyB, collect.Denied},
		{"lambda:ListFunctions", "", collect.Failed},
		{"rds:DescribeDBSnapshotAttributes", snapLegacy, collect.Denied},
		{"securityhub:DescribeHub", "", collect.Unsupported},
		{"sqs:GetQueueAttributes", queue, collect.Throttled},
	}
	slices.SortFunc(got, func(a, b key) int { return strings.Compare(a.call+a.resource, b.call+b.resource) })
	if mustJSON(got) != mustJSON(want) {
		t.Errorf("failures:\n got %v\nwant %v", got, want)
	}
	rs := imported(t, dir)
	checkFacts(t, rs, []factWant{
		{keyB, "key.rotation_enabled", nil}, {keyB, "key.customer_managed", true}, {keyA, "key.rotation_enabled", true},
		{queue, "queue.encrypted", nil}, {queue, "queue.public_policy", nil},
		{eksProd, "kubernetes.public_endpoint", nil}, {eksProd, "kubernetes.secrets_encrypted", nil},
		{account, "account.threat_detection", nil},
		{cdn, "cdn.access_logs", nil}, {cdn, "cdn.viewer_https_only", false},
		{topicOps, "queue.public_policy", true},
		{lbWeb, "load_balancer.public", true}, {lbWeb, "load_balancer.http_listener", nil}, {lbWeb, "load_balancer.weak_tls", nil},
		{snapLegacy, "snapshot.public", nil}, {snapLegacy, "snapshot.cross_account", nil}, {snapLegacy, "snapshot.encrypted", false},
	})
	var out struct {
		Items []map[string]any `json:"configurationItems"`
	}
	if err := json.Unmarshal(moreOutput(t, dir), &out); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, it := range out.Items {
		if it["resourceId"] == "legacy-mysql-final" {
			found = true
			if a := attrOf(it, "supplementaryConfiguration", "DBSnapshotAttributes"); a != nil {
				t.Errorf("snapshot whose attributes were denied has DBSnapshotAttributes %v, want none", a)
			}
			if attrOf(it, "configuration", "snapshotType") != "manual" {
				t.Errorf("snapshot item without its configuration: %v", it)
			}
		}
	}
	if !found {
		t.Error("snapshot whose attributes were denied: no item")
	}
	for id, r := range rs {
		if strings.Contains(id, ":lambda:") && r.Type == "AWS::Lambda::Function" {
			t.Errorf("%s collected although ListFunctions failed", id)
		}
	}
}

// TestMoreLambdaFaults: a function whose GetPolicy failed has no Policy
// in its item (unknown, not "none": that is null) and no get-policy
// output; a function whose URL listing was denied has no URL output
// (unknown, not "no URL": that is an empty list). Both are reported.
func TestMoreLambdaFaults(t *testing.T) {
	dir, fails, _ := collectMore(t, func(r fakeReq) string {
		switch {
		case r.Key() == "lambda:GetPolicy" && strings.Contains(r.Resource, "function_orders-api_"):
			return "500"
		case r.Key() == "lambda:ListFunctionUrlConfigs" && strings.Contains(r.Resource, "function_report-mailer_"):
			return "denied"
		}
		return ""
	})
	var got []string
	for _, f := range fails {
		got = append(got, f.Call+" "+f.Resource+" "+string(f.Kind))
	}
	want := []string{"lambda:GetPolicy " + fnAPI + " " + string(collect.Failed), "lambda:ListFunctionUrlConfigs " + fnMailer + " " + string(collect.Denied)}
	slices.Sort(got)
	if mustJSON(got) != mustJSON(want) {
		t.Errorf("failures:\n got %v\nwant %v", got, want)
	}
	var out struct {
		CLI   map[string]any   `json:"cli"`
		Items []map[string]any `json:"configurationItems"`
	}
	if err := json.Unmarshal(moreOutput(t, dir), &out); err != nil {
		t.Fatal(err)
	}
	for name := range out.CLI {
		if strings.HasPrefix(name, "cli/lambda-get-policy/") || name == "cli/lambda-list-function-url-configs/report-mailer.us-east-1.json" {
			t.Errorf("%s written although its call failed", name)
		}
	}
	if got := mustJSON(out.CLI["cli/lambda-list-function-url-configs/orders-api.us-east-1.json"]); !strings.Contains(got, `"AuthType":"NONE"`) {
		t.Errorf("orders-api URLs = %s", got)
	}
	supp := map[string]string{}
	for _, it := range out.Items {
		if it["resourceType"] == "AWS::Lambda::Function" {
			supp[it["resourceId"].(string)] = mustJSON(it["supplementaryConfiguration"])
		}
	}
	if strings.Contains(supp["orders-api"], `"Policy"`) {
		t.Errorf("orders-api, GetPolicy failed: supplementary configuration %s has a Policy", supp["orders-api"])
	}
	if !strings.Contains(supp["report-mailer"], `"Policy":null`) {
		t.Errorf("report-mailer, no policy: supplementary configuration %s, want Policy null", supp["report-mailer"])
	}
	rs := imported(t, dir)
	checkFacts(t, rs, []factWant{
		{fnAPI, "function.public_invocation", nil}, {fnAPI, "function.in_vpc", true},
		{fnMailer, "function.public_invocation", false},
	})
}

// TestMoreGuardDutyLists: the detector IDs of a region are written when
// every page of ListDetectors was read, an empty list included, and
// decide the account's threat detection with the detectors read: on in
// one region is on; no detector anywhere is off. A listing cut by a
// failed page writes no list (the detectors read are still collected).
func TestMoreGuardDutyLists(t *testing.T) {
	const det = "12abc34d567e8fa901bc2d34e56789f0"
	lists := func(dir string) map[string]string {
		var out struct {
			CLI map[string]any `json:"cli"`
		}
		if err := json.Unmarshal(moreOutput(t, dir), &out); err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for name, v := range out.CLI {
			if strings.HasPrefix(name, "cli/guardduty-") {
				got[name] = mustJSON(v)
			}
		}
		return got
	}
	cases := []struct {
		name      string
		dir       string
		fault     func(fakeReq) string
		lists     map[string]string
		fails     []string
		detection any
	}{
		{"two pages", "guardduty-pages", nil, map[string]string{
			"cli/guardduty-list-detectors.us-east-1.json": `{"DetectorIds":["` + det + `"]}`,
			"cli/guardduty-list-detectors.us-west-2.json": `{"DetectorIds":[]}`}, nil, true},
		{"no detector in any region", "guardduty-none", nil, map[string]string{
			"cli/guardduty-list-detectors.us-east-1.json": `{"DetectorIds":[]}`,
			"cli/guardduty-list-detectors.us-west-2.json": `{"DetectorIds":[]}`}, nil, false},
		{"second page fails", "guardduty-pages", func(r fakeReq) string {
			if r.Key() == "guardduty:ListDetectors" && r.Region == "us-east-1" && r.Token != "" {
				return "500"
			}
			return ""
		}, map[string]string{}, // us-west-2's empty list says nothing once us-east-1's failed; the detector read says true
			[]string{"guardduty:ListDetectors us-east-1 " + string(collect.Failed)}, true},
		// us-east-1 failed at once and us-west-2 lists none: whether the
		// account has a detector is not known, so the empty list is left out.
		{"one region fails, the other lists none", "guardduty-none", func(r fakeReq) string {
			if r.Key() == "guardduty:ListDetectors" && r.Region == "us-east-1" {
				return "500"
			}
			return ""
		}, map[string]string{}, []string{"guardduty:ListDetectors us-east-1 " + string(collect.Failed)}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir, fails, _ := collectMore(t, c.fault, filepath.Join("testdata", "more", c.dir))
			var got []string
			for _, f := range fails {
				got = append(got, f.Call+" "+f.Region+" "+string(f.Kind))
			}
			if mustJSON(got) != mustJSON(c.fails) {
				t.Errorf("failures = %v, want %v", got, c.fails)
			}
			if l := lists(dir); mustJSON(l) != mustJSON(c.lists) {
				t.Errorf("detector lists:\n got %v\nwant %v", l, c.lists)
			}
			rs, inv := importedInv(t, dir)
			checkFacts(t, rs, []factWant{{account, "account.threat_detection", c.detection}})
			if c.detection == true && inv.Unsupported["AWS::GuardDuty::Detector"] != 1 {
				t.Errorf("detector items: %v", inv.Unsupported)
			}
		})
	}
}

// TestMorePaginationLoop: a listing whose page token comes back is
// reported as a pagination loop and stops; what was read is kept.
func TestMorePaginationLoop(t *testing.T) {
	dir, fails, _ := collectMore(t, nil, filepath.Join("testdata", "more", "loop"))
	var loops []string
	for _, f := range fails {
		if f.Kind == collect.PaginationLoop {
			loops = append(loops, f.Call+" "+f.Region)
		} else {
			t.Errorf("unexpected failure: %s", f)
		}
	}
	if mustJSON(loops) != mustJSON([]string{"sns:ListTopics us-east-1"}) {
		t.Errorf("pagination loops = %v, want sns:ListTopics in us-east-1", loops)
	}
	rs := imported(t, dir)
	checkFacts(t, rs, []factWant{{topicOps, "queue.public_policy", true}})
}
