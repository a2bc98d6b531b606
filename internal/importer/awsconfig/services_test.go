package awsconfig_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/importer/awsconfig"
	"github.com/vigil-sec/vigil/internal/resource"
)

func bp(b *bool) string {
	if b == nil {
		return "nil"
	}
	if *b {
		return "true"
	}
	return "false"
}

func hasRel(r *resource.Resource, typ, target string) bool {
	for _, rel := range r.Relationships {
		if rel.Type == typ && rel.TargetID == target {
			return true
		}
	}
	return false
}

// The facts of the sample organization's AWS resources of the classes
// added by issue 6, as the importer reads them from the real export shapes.
func TestSampleOrgAWSFacts(t *testing.T) {
	rs, unsupported := loadSampleAWS(t)
	byID, byName := map[string]*resource.Resource{}, map[string]*resource.Resource{}
	for _, r := range rs {
		byID[r.ID] = r
		byName[r.Type+"|"+r.Name] = r
	}
	get := func(typ, name string) *resource.Resource {
		t.Helper()
		r := byName[typ+"|"+name]
		if r == nil {
			t.Fatalf("no %s named %s", typ, name)
		}
		return r
	}
	want := func(what string, got *bool, w string) {
		t.Helper()
		if bp(got) != w {
			t.Errorf("%s = %s, want %s", what, bp(got), w)
		}
	}

	// Disks: instances point at their volumes by volume ID, the volume's alias.
	app1 := get("AWS::EC2::Instance", "nw-prod-app-1")
	root := get("AWS::EC2::Volume", "nw-prod-app-1-root")
	volID := root.Aliases[0]
	if !strings.HasPrefix(volID, "vol-") || !hasRel(app1, resource.RelUsesDisk, volID) {
		t.Errorf("instance → disk: %v, aliases %v", app1.Relationships, root.Aliases)
	}
	d := root.Facts.Disk
	want("root.encrypted", d.Encrypted, "true")
	want("root.attached", d.Attached, "true")
	if len(d.AttachedTo) != 1 || !strings.HasPrefix(d.AttachedTo[0], "i-") || len(root.Relationships) == 0 {
		t.Errorf("root disk: %+v %v", d, root.Relationships)
	}
	scratch := get("AWS::EC2::Volume", "nw-dev-scratch-old").Facts.Disk
	want("scratch.attached", scratch.Attached, "false")
	want("scratch.encrypted", scratch.Encrypted, "false")

	// IAM: managed policies, attachments, groups, trust, profiles.
	full := byID["arn:aws:iam::444455556666:policy/NW-DevFullAccess"]
	if full == nil || full.Class != resource.ClassIAMPolicy {
		t.Fatalf("policy: %+v", full)
	}
	p := full.Facts.Policy
	want("policy.admin", p.Admin, "true")
	want("policy.attached", p.Attached, "true")
	if p.Managed != "customer" || p.Document == nil || len(p.Document.Statements) != 1 || len(p.AttachedTo) != 1 {
		t.Errorf("policy facts: %+v", p)
	}
	sandbox := get("AWS::IAM::Role", "nw-dev-sandbox")
	if !hasRel(sandbox, resource.RelHasPolicy, full.ID) {
		t.Errorf("role → policy: %v", sandbox.Relationships)
	}
	if tp := sandbox.Facts.Identity.TrustPolicy; tp == nil || tp.Statements[0].Principals[0] != (resource.Principal{Type: "Service", ID: "ec2.amazonaws.com"}) {
		t.Errorf("trust policy: %+v", tp)
	}
	if ip := get("AWS::IAM::Role", "nw-prod-app-instance").Facts.Identity.InstanceProfiles; len(ip) != 1 {
		t.Errorf("instance profiles: %v", ip)
	}
	alice := get("AWS::IAM::User", "alice.nguyen")
	if !reflect.DeepEqual(alice.Facts.Identity.Groups, []string{"DataEngineers"}) ||
		!hasRel(alice, resource.RelMemberOf, "arn:aws:iam::111122223333:group/DataEngineers") {
		t.Errorf("alice groups: %v %v", alice.Facts.Identity.Groups, alice.Relationships)
	}
	if byID["arn:aws:iam::111122223333:group/DataEngineers"].Class != resource.ClassGroup {
		t.Error("IAM groups are class group")
	}
	dev := get("AWS::IAM::User", "dev-admin-shared").Facts.Identity
	if len(dev.InlineDocuments) != 1 || dev.InlineDocuments[0].Document.Statements[0].Actions[0] != "*" {
		t.Errorf("inline documents: %+v", dev.InlineDocuments)
	}
	want("dev-admin-shared.admin", dev.Admin, "true")
	pg := get("AWS::IAM::Group", "dev-power-users-planted").Facts.Group
	want("group.admin", pg.Admin, "true")
	admins := get("AWS::IAM::Group", "Administrators").Facts.Group
	want("Administrators.admin (AdministratorAccess)", admins.Admin, "true")

	// Functions.
	ok := get("AWS::Lambda::Function", "nw-prod-curated-indexer").Facts.Function
	if ok.RuntimeEndOfSupport != "2028-10-31T00:00:00Z" {
		t.Errorf("clean fn (python3.12) end of support: %q", ok.RuntimeEndOfSupport)
	}
	want("clean fn public", ok.PublicInvocation, "false")
	want("clean fn secrets", ok.EnvironmentSecrets, "false")
	want("clean fn vpc", ok.InVPC, "true")
	want("clean fn tracing", ok.Tracing, "true")
	bad := get("AWS::Lambda::Function", "nw-dev-report-mailer").Facts.Function
	if bad.RuntimeEndOfSupport != "2024-10-14T00:00:00Z" {
		t.Errorf("bad fn (python3.8) end of support: %q", bad.RuntimeEndOfSupport)
	}
	want("bad fn public", bad.PublicInvocation, "true")
	if !reflect.DeepEqual(bad.SecretVariables, []string{"REPORT_API_TOKEN", "SMTP_PASSWORD"}) || bad.Identity == "" {
		t.Errorf("bad fn: %+v", bad)
	}

	// Load balancers: the listeners are on their load balancer.
	web := get("AWS::ElasticLoadBalancingV2::LoadBalancer", "nw-prod-web").Facts.LoadBalancer
	if len(web.Listeners) != 2 {
		t.Errorf("listeners: %+v", web.Listeners)
	}
	want("web.public", web.Public, "true")
	want("web.http_listener", web.HTTPListener, "false")
	want("web.weak_tls", web.WeakTLS, "false")
	tools := get("AWS::ElasticLoadBalancingV2::LoadBalancer", "nw-dev-tools").Facts.LoadBalancer
	want("tools.http_listener", tools.HTTPListener, "true")
	want("tools.weak_tls", tools.WeakTLS, "true")
	elb := get("AWS::ElasticLoadBalancing::LoadBalancer", "nw-dev-legacy-elb").Facts.LoadBalancer
	want("elb.http_listener", elb.HTTPListener, "true")
	want("elb.weak_tls", elb.WeakTLS, "true")
	for id, typ := range unsupported {
		if typ == "AWS::ElasticLoadBalancingV2::Listener" && byID[id].Class != resource.ClassOther {
			t.Errorf("folded listener %s keeps a class", id)
		}
	}

	// Snapshots and images from the CLI, merged with their permissions.
	var public, shared, images int
	for _, r := range rs {
		s := r.Facts.Snapshot
		if r.Account != "444455556666" || s == nil {
			continue
		}
		if s.Public != nil && *s.Public {
			public++
		}
		if s.CrossAccount != nil && *s.CrossAccount && reflect.DeepEqual(s.SharedWith, []string{"999988887777"}) {
			shared++
		}
		if s.Kind == "image" {
			images++
		}
	}
	if public != 2 || shared != 1 || images != 1 {
		t.Errorf("dev snapshots: %d public, %d shared, %d images", public, shared, images)
	}

	// Queues, secrets, registries from Config and their CLI policies.
	q := byID["arn:aws:sqs:us-east-1:444455556666:nw-dev-jobs"].Facts.Queue
	want("queue.encrypted", q.Encrypted, "false")
	want("queue.public", q.PublicPolicy, "true")
	cq := byID["arn:aws:sqs:us-east-1:111122223333:nw-prod-ingest-events"].Facts.Queue
	want("clean queue.public", cq.PublicPolicy, "false")
	if cq.KeyManager != "customer" {
		t.Errorf("clean queue key manager %q", cq.KeyManager)
	}
	ct := byID["arn:aws:sns:us-east-1:111122223333:nw-prod-ingest-notify"].Facts.Queue
	want("default topic policy (owner condition) public", ct.PublicPolicy, "false")
	sec := get("AWS::SecretsManager::Secret", "nw-dev/mysql/admin").Facts.Secret
	want("secret.public", sec.PublicAccess, "true")
	want("secret.rotation", sec.RotationEnabled, "false")
	reg := get("AWS::ECR::Repository", "nw-dev/notebooks").Facts.Registry
	want("registry.public", reg.Public, "true")

	// The account-level Block Public Access is on the account.
	acct := byID[awsconfig.AccountID("444455556666")]
	if acct == nil || acct.Type != awsconfig.TypeAccount {
		t.Fatalf("account: %+v", acct)
	}
	want("account.storage_public_access_blocked", acct.Facts.Account.StoragePublicAccessBlocked, "false")

	// Flow logs point at what they record.
	for _, r := range rs {
		if f := r.Facts.FlowLog; f != nil && len(f.Targets) == 1 && !hasRel(r, resource.RelFlowLogsOf, f.Targets[0]) {
			t.Errorf("flow log %s: %v", r.ID, r.Relationships)
		}
	}
}

func TestRuntimeEndOfSupport(t *testing.T) {
	for rt, w := range map[string]string{"python3.8": "2024-10-14T00:00:00Z", "nodejs20.x": "2026-04-30T00:00:00Z",
		"python3.12": "2028-10-31T00:00:00Z", "java21": "2029-06-30T00:00:00Z", "dotnet6": "2024-12-20T00:00:00Z",
		"provided.al2023": "2029-06-30T00:00:00Z", "cobol1.0": "", "": ""} {
		if got := awsconfig.RuntimeEndOfSupport(rt); got != w {
			t.Errorf("%q: %q, want %q", rt, got, w)
		}
	}
}

func TestSecretVariableNames(t *testing.T) {
	fn := func(env map[string]any) []string {
		item := map[string]any{"resourceType": "AWS::Lambda::Function", "ARN": "arn:aws:lambda:us-east-1:1:function:f", "awsRegion": "us-east-1",
			"configuration": map[string]any{"functionName": "f", "runtime": "python3.12", "environment": map[string]any{"variables": env}}}
		res := awsconfig.Parse(t.Context(), "x.json", map[string]any{"configurationItems": []any{item}})
		return res.Resources[0].Facts.Function.SecretVariables
	}
	got := fn(map[string]any{"DB_PASSWORD": "x", "DB_PWD": "x", "STRIPE_API_KEY": "x", "GITHUB_TOKEN": "x", "CLIENT_SECRET": "x",
		"LOG_LEVEL": "INFO", "AUTHOR": "me", "OAUTH_CALLBACK_URL": "https://x", "PWD_HISTORY": "3", "BUCKET": "AKIAABCDEFGHIJKLMNOP"})
	want := []string{"BUCKET", "CLIENT_SECRET", "DB_PASSWORD", "DB_PWD", "GITHUB_TOKEN", "PWD_HISTORY", "STRIPE_API_KEY"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("secret variables %v, want %v", got, want)
	}
}

func TestAPIGatewayResources(t *testing.T) {
	parse := func(path, body string) (*resource.Resource, int) {
		var doc any
		if err := json.Unmarshal([]byte(body), &doc); err != nil {
			t.Fatal(err)
		}
		if f := awsconfig.Detect(doc); f != awsconfig.FormatAPIResources {
			t.Fatalf("detected %q", f)
		}
		res := awsconfig.Parse(t.Context(), path, doc)
		if len(res.Resources) == 0 {
			return nil, len(res.Problems)
		}
		return res.Resources[0], len(res.Problems)
	}
	const iam = `{"items":[{"id":"r1","path":"/"},{"id":"r2","path":"/x","resourceMethods":{"GET":{"authorizationType":"AWS_IAM"},"OPTIONS":{"authorizationType":"NONE"}}}]}`
	const open = `{"items":[{"id":"r1","path":"/"},{"id":"r2","path":"/x","resourceMethods":{"GET":{"authorizationType":"NONE","apiKeyRequired":false}}}]}`
	const keyed = `{"items":[{"id":"r2","path":"/x","resourceMethods":{"GET":{"authorizationType":"NONE","apiKeyRequired":true}}}]}`
	for body, want := range map[string]string{iam: "true", open: "false", keyed: "true"} {
		r, _ := parse("111122223333/cli/apigateway-get-resources/ab12cd34ef.us-east-1.json", body)
		if r == nil || r.ID != "arn:aws:apigateway:us-east-1::/restapis/ab12cd34ef" || r.Account != "111122223333" || bp(r.Facts.APIGateway.AuthRequired) != want {
			t.Errorf("%s: %+v", body, r)
		}
	}
	if r, n := parse("resources.json", iam); r != nil || n != 1 {
		t.Errorf("a file that does not name the API: %v, %d problems", r, n)
	}
}

func TestAPIGatewayResourcesBroken(t *testing.T) {
	for _, body := range []string{`{"items":{"a":1}}`, `{"items":["oops",{"id":"r2","path":"/x","resourceMethods":{"GET":{"authorizationType":"NONE"}}}]}`} {
		var doc any
		_ = json.Unmarshal([]byte(body), &doc)
		if awsconfig.Detect(doc) != awsconfig.FormatAPIResources {
			t.Errorf("%s: not detected", body)
			continue
		}
		res := awsconfig.Parse(t.Context(), "111122223333/cli/apigateway-get-resources/ab12cd34ef.us-east-1.json", doc)
		if len(res.Problems) == 0 {
			t.Errorf("%s: no problem", body)
		}
		for _, r := range res.Resources {
			if a := r.Facts.APIGateway; a != nil && a.AuthRequired != nil && *a.AuthRequired {
				t.Errorf("%s: auth_required true from a broken list", body)
			}
		}
	}
}

func TestRoute53RecordSets(t *testing.T) {
	parse := func(path, body string) (*resource.Resource, int) {
		t.Helper()
		var doc any
		if err := json.Unmarshal([]byte(body), &doc); err != nil {
			t.Fatal(err)
		}
		if f := awsconfig.Detect(doc); f != awsconfig.FormatRecordSets {
			t.Fatalf("%s: detected %q", body, f)
		}
		res := awsconfig.Parse(t.Context(), path, doc)
		if len(res.Resources) == 0 {
			return nil, len(res.Problems)
		}
		return res.Resources[0], len(res.Problems)
	}
	const body = `{"ResourceRecordSets":[
	{"Name":"example.com.","Type":"SOA","TTL":900,"ResourceRecords":[{"Value":"ns-1.awsdns-01.org. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400"}]},
	{"Name":"\\052.example.com.","Type":"CNAME","TTL":300,"ResourceRecords":[{"Value":"Old.S3-Website-US-East-1.amazonaws.com."}]},
	{"Name":"www.example.com.","Type":"A","AliasTarget":{"HostedZoneId":"Z3AQBSTGFYJSTF","DNSName":"s3-website-us-east-1.amazonaws.com.","EvaluateTargetHealth":false}},
	{"Name":"api.example.com.","Type":"A","TTL":60,"ResourceRecords":[{"Value":"203.0.113.10"},{"Value":"203.0.113.11"}]}]}`
	r, n := parse("111122223333/cli/route53-list-resource-record-sets/Z0123456789ABCDEFGHIJ.json", body)
	if r == nil || n != 0 {
		t.Fatalf("%v, %d problems", r, n)
	}
	if r.ID != "arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ" || r.Account != "111122223333" || r.Type != "AWS::Route53::HostedZone" ||
		r.Class != resource.ClassDNSZone || r.Name != "example.com." || !reflect.DeepEqual(r.Aliases, []string{"Z0123456789ABCDEFGHIJ"}) {
		t.Errorf("zone %+v", r)
	}
	want := []resource.DNSRecord{
		{Name: "example.com", Type: "SOA", Targets: []string{"ns-1.awsdns-01.org. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400"}},
		{Name: "*.example.com", Type: "CNAME", Targets: []string{"old.s3-website-us-east-1.amazonaws.com"}},
		{Name: "www.example.com", Type: "A", Alias: true, Targets: []string{"s3-website-us-east-1.amazonaws.com"}},
		{Name: "api.example.com", Type: "A", Targets: []string{"203.0.113.10", "203.0.113.11"}},
	}
	if got := r.Facts.DNS.Records; !reflect.DeepEqual(got, want) {
		t.Errorf("records\n got %+v\nwant %+v", got, want)
	}
	if r.Facts.DNS.DanglingRecords != nil || r.Facts.DNS.Public != nil {
		t.Errorf("the record sets decide nothing else: %+v", r.Facts.DNS)
	}
	if r, _ := parse("x/Z1.json", `{"ResourceRecordSets":[]}`); r == nil || r.Facts.DNS.Records == nil {
		t.Errorf("an empty listing is a known empty list: %+v", r)
	}
	if r, n := parse("records.json", body); r != nil || n != 1 {
		t.Errorf("a file that does not name the zone: %v, %d problems", r, n)
	}
	for _, broken := range []string{`{"ResourceRecordSets":"oops"}`, `{"ResourceRecordSets":[{"Name":"a.","Type":"A"},7]}`} {
		r, n := parse("x/Z1.json", broken)
		if n == 0 || r == nil || r.Facts.DNS.Records != nil {
			t.Errorf("%s: %d problems, %+v", broken, n, r)
		}
	}
	if r, n := parse("x/Z1.json", `{"ResourceRecordSets":[{"Name":"a.example.com.","Type":"CNAME","ResourceRecords":[{"Value":5}]}]}`); n != 1 || r == nil {
		t.Errorf("a value of the wrong type: %d problems", n)
	}
}

func TestRoute53RecordSetsAccount(t *testing.T) {
	var doc any
	_ = json.Unmarshal([]byte(`{"ResourceRecordSets":[{"Name":"a.example.com.","Type":"CNAME","ResourceRecords":[{"Value":"b.example.com"}]}]}`), &doc)
	zone := awsconfig.Parse(t.Context(), "exports/route53/Z1ABC.json", doc).Resources[0]
	if zone.Account != "" {
		t.Fatalf("account %q from a path without one", zone.Account)
	}
	other := &resource.Resource{Provider: resource.AWS, Account: "111122223333", ID: "arn:aws:s3:::b", Type: "AWS::S3::Bucket"}
	if _, problems := awsconfig.Finalize([]*resource.Resource{zone, other}); len(problems) != 0 || zone.Account != "111122223333" {
		t.Errorf("the only account: %q, %v", zone.Account, problems)
	}
	zone.Account = ""
	two := &resource.Resource{Provider: resource.AWS, Account: "444455556666", ID: "arn:aws:s3:::c", Type: "AWS::S3::Bucket"}
	if _, problems := awsconfig.Finalize([]*resource.Resource{zone, other, two}); len(problems) != 1 || zone.Account != "" {
		t.Errorf("two accounts: %q, %v", zone.Account, problems)
	}
}
