package awsconfig

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/inventory"
	"github.com/vigil-sec/vigil/internal/resource"
)

func parseFile(t *testing.T, name string) *attr.Result {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	if IsCredentialReport(data) {
		return ParseCredentialReport(name, data)
	}
	var doc any
	if err := attr.Decode(data, &doc); err != nil {
		t.Fatal(err)
	}
	if f := Detect(doc); f == "" {
		t.Fatalf("%s: not detected", name)
	}
	return Parse(context.Background(), name, doc)
}

// load parses the files and finalizes them together, as the importer does
// (without merging: the files here do not overlap unless a test says so).
func load(t *testing.T, names ...string) (map[string]*resource.Resource, []*resource.Resource, *attr.Result) {
	t.Helper()
	var all []*resource.Resource
	var last *attr.Result
	for _, n := range names {
		last = parseFile(t, n)
		if len(last.Problems) > 0 {
			t.Fatalf("%s: problems %+v", n, last.Problems)
		}
		all = append(all, last.Resources...)
	}
	added, problems := Finalize(all)
	if len(problems) > 0 {
		t.Fatalf("finalize problems: %+v", problems)
	}
	all = append(all, added...)
	inventory.Derive(all) // the cross-resource facts, as the importer's inventory does
	byID := map[string]*resource.Resource{}
	for _, r := range all {
		byID[r.ID] = r
	}
	return byID, all, last
}

func b(v bool) *bool { return &v }

func hasRel(r *resource.Resource, typ, target string) bool {
	for _, rel := range r.Relationships {
		if rel.Type == typ && rel.TargetID == target {
			return true
		}
	}
	return false
}

func eqBool(t *testing.T, what string, got, want *bool) {
	t.Helper()
	switch {
	case got == nil && want == nil:
	case got == nil || want == nil:
		t.Errorf("%s = %v, want %v", what, fmtB(got), fmtB(want))
	case *got != *want:
		t.Errorf("%s = %v, want %v", what, *got, *want)
	}
}

func fmtB(p *bool) string {
	if p == nil {
		return "nil"
	}
	if *p {
		return "true"
	}
	return "false"
}

func mustGet(t *testing.T, m map[string]*resource.Resource, id string) *resource.Resource {
	t.Helper()
	r, ok := m[id]
	if !ok {
		t.Fatalf("resource %s missing", id)
	}
	return r
}

func TestSnapshotBuckets(t *testing.T) {
	m, _, res := load(t, "snapshot.json")
	if res.Format != FormatConfig {
		t.Fatalf("format %q", res.Format)
	}
	pub := mustGet(t, m, "arn:aws:s3:::acme-public-assets")
	if pub.Class != resource.ClassObjectStorage || pub.Account != "111122223333" || pub.Region != "us-east-1" || pub.Tags["team"] != "web" {
		t.Errorf("public bucket identity wrong: %+v", pub)
	}
	s := pub.Facts.Storage
	eqBool(t, "public.public_access", s.PublicAccess, b(true))
	eqBool(t, "public.public_access_blocked", s.PublicAccessBlocked, b(false))
	eqBool(t, "public.encrypted", s.Encrypted, b(false))
	eqBool(t, "public.versioning", s.Versioning, b(false))
	eqBool(t, "public.access_logging", s.AccessLogging, b(false))
	eqBool(t, "public.secure_transport_only", s.SecureTransportOnly, b(false))

	priv := mustGet(t, m, "arn:aws:s3:::acme-audit-logs").Facts.Storage
	eqBool(t, "audit.public_access", priv.PublicAccess, b(false))
	eqBool(t, "audit.public_access_blocked", priv.PublicAccessBlocked, b(true))
	eqBool(t, "audit.encrypted", priv.Encrypted, b(true))
	if priv.KeyManager != "customer" {
		t.Errorf("audit.key_manager = %q", priv.KeyManager)
	}
	eqBool(t, "audit.versioning", priv.Versioning, b(true))
	eqBool(t, "audit.delete_protection", priv.DeleteProtection, b(true))
	eqBool(t, "audit.access_logging", priv.AccessLogging, b(true))
	eqBool(t, "audit.secure_transport_only", priv.SecureTransportOnly, b(true))

	// A bucket item without configuration: class known, facts unknown.
	bare := mustGet(t, m, "arn:aws:s3:::acme-bare")
	if bare.Class != resource.ClassObjectStorage || bare.Facts.Storage == nil {
		t.Fatalf("bare bucket: %+v", bare)
	}
	if *bare.Facts.Storage != (resource.ObjectStorage{}) {
		t.Errorf("bare bucket facts should be unknown: %+v", *bare.Facts.Storage)
	}
	if _, ok := m["arn:aws:s3:::acme-old"]; ok {
		t.Error("deleted bucket imported")
	}
}

func TestSnapshotNetworkAndCompute(t *testing.T) {
	m, _, res := load(t, "snapshot.json")
	sg := mustGet(t, m, "arn:aws:ec2:us-east-1:111122223333:security-group/sg-0ssh")
	fw := sg.Facts.Firewall
	if sg.Class != resource.ClassFirewall || fw == nil {
		t.Fatalf("sg: %+v", sg)
	}
	eqBool(t, "sg.default", fw.Default, b(false))
	eqBool(t, "sg.in_use", fw.InUse, b(true))
	if len(fw.Rules) != 3 {
		t.Fatalf("rules: %+v", fw.Rules)
	}
	ssh := fw.Rules[0]
	if ssh.Direction != "ingress" || ssh.Protocol != "tcp" || ssh.FromPort != 22 || ssh.ToPort != 22 || ssh.Action != "allow" {
		t.Errorf("ssh rule: %+v", ssh)
	}
	if len(ssh.Sources) != 2 || ssh.Sources[0] != "::/0" && ssh.Sources[1] != "::/0" {
		t.Errorf("ssh sources: %v", ssh.Sources)
	}
	if got := fw.Rules[1].Sources; len(got) != 1 || got[0] != "sg-0lb" {
		t.Errorf("group-pair sources: %v", got)
	}
	if e := fw.Rules[2]; e.Direction != "egress" || e.Protocol != "all" || e.FromPort != 0 || e.ToPort != 65535 {
		t.Errorf("egress: %+v", e)
	}
	def := mustGet(t, m, "arn:aws:ec2:us-east-1:111122223333:security-group/sg-0def").Facts.Firewall
	eqBool(t, "default.default", def.Default, b(true))
	eqBool(t, "default.in_use", def.InUse, b(false))

	in := mustGet(t, m, "arn:aws:ec2:us-east-1:111122223333:instance/i-0bastion").Facts.Compute
	eqBool(t, "instance.public_ip", in.PublicIP, b(true))
	eqBool(t, "instance.metadata_v2_required", in.MetadataV2Required, b(false))
	eqBool(t, "instance.disk_encrypted", in.DiskEncrypted, b(false))
	if in.Identity != "arn:aws:iam::111122223333:instance-profile/bastion" || in.State != "running" {
		t.Errorf("instance: %+v", in)
	}
	eqBool(t, "vpc.flow_logs", mustGet(t, m, "arn:aws:ec2:us-east-1:111122223333:vpc/vpc-0a1").Facts.Network.FlowLogs, b(true))
	dv := mustGet(t, m, "arn:aws:ec2:us-east-1:111122223333:vpc/vpc-0def").Facts.Network
	eqBool(t, "default vpc.flow_logs", dv.FlowLogs, b(false))
	eqBool(t, "default vpc.default", dv.Default, b(true))

	db := mustGet(t, m, "arn:aws:rds:us-east-1:111122223333:db:orders-db").Facts.Database
	eqBool(t, "db.public", db.PublicEndpoint, b(true))
	eqBool(t, "db.encrypted", db.Encrypted, b(false))
	eqBool(t, "db.backup", db.BackupEnabled, b(false))
	if db.Engine != "postgres" || db.BackupRetentionDays == nil || *db.BackupRetentionDays != 0 {
		t.Errorf("db: %+v", db)
	}
	k := mustGet(t, m, "arn:aws:kms:us-east-1:111122223333:key/0a1b2c3d-1111-2222-3333-444455556666").Facts.Key
	eqBool(t, "key.customer", k.CustomerManaged, b(true))
	eqBool(t, "key.symmetric", k.Symmetric, b(true))
	eqBool(t, "key.rotation (not in a Config item)", k.RotationEnabled, nil)

	tr := mustGet(t, m, "arn:aws:cloudtrail:us-east-1:111122223333:trail/main").Facts.AuditLog
	eqBool(t, "trail.multi_region", tr.MultiRegion, b(false))
	eqBool(t, "trail.file_validation", tr.FileValidation, b(false))
	eqBool(t, "trail.cmk", tr.EncryptedWithCMK, b(false))
	eqBool(t, "trail.destination_public", tr.DestinationPublic, b(false))

	// The GuardDuty detector is read for the account's facts only: it is
	// kept (class other) and listed as unsupported.
	gd := "aws:111122223333:us-east-1:AWS::GuardDuty::Detector:12abc34d567e8fa901bc2d34e56789f0"
	if got := res.Unsupported[gd]; got != "AWS::GuardDuty::Detector" || len(res.Unsupported) != 1 {
		t.Errorf("unsupported = %v", res.Unsupported)
	}
	if l := m[gd]; l == nil || l.Class != resource.ClassOther {
		t.Error("unsupported resource must still be kept as class other")
	}
	if l := m["arn:aws:lambda:us-east-1:111122223333:function:thumbnailer"]; l == nil || l.Class != resource.ClassFunction {
		t.Error("the Lambda function is a function")
	}
}

func TestSnapshotIdentitiesAndAccount(t *testing.T) {
	m, _, _ := load(t, "snapshot.json")
	admin := func(id string) *bool { return mustGet(t, m, id).Facts.Identity.Admin }
	eqBool(t, "alice admin (AdministratorAccess)", admin("arn:aws:iam::111122223333:user/alice"), b(true))
	eqBool(t, "bob admin (inline *:*)", admin("arn:aws:iam::111122223333:user/bob"), b(true))
	eqBool(t, "carol admin (policy default version is read-only)", admin("arn:aws:iam::111122223333:user/carol"), b(false))
	eqBool(t, "dave admin (policy not in input)", admin("arn:aws:iam::111122223333:user/dave"), nil)
	role := mustGet(t, m, "arn:aws:iam::111122223333:role/partner-audit").Facts.Identity
	if role.Kind != "role" || len(role.TrustsExternal) != 1 || role.TrustsExternal[0] != "arn:aws:iam::999988887777:root" {
		t.Errorf("role: %+v", role)
	}
	alice := mustGet(t, m, "arn:aws:iam::111122223333:user/alice")
	if alice.Region != "global" || !hasRel(alice, resource.RelMemberOf, "arn:aws:iam::111122223333:group/developers") ||
		!hasRel(alice, resource.RelHasPolicy, "arn:aws:iam::aws:policy/AdministratorAccess") {
		t.Errorf("alice: %+v", alice.Relationships)
	}
	acct := mustGet(t, m, AccountID("111122223333"))
	if acct.Class != resource.ClassAccount || acct.Type != TypeAccount {
		t.Fatalf("account: %+v", acct)
	}
	eqBool(t, "account.audit_logging (only a single-region trail)", acct.Facts.Account.AuditLogging, b(false))
	eqBool(t, "account.threat_detection (detector disabled)", acct.Facts.Account.ThreatDetection, b(false))
	eqBool(t, "account.default_encryption (not in input)", acct.Facts.Account.DefaultEncryption, nil)
}

func TestAPIForms(t *testing.T) {
	m, _, _ := load(t, "history-api.json", "batch.json", "select.json")
	hb := mustGet(t, m, "arn:aws:s3:::hist-bucket")
	if hb.Account != "444455556666" || hb.Region != "eu-west-1" {
		t.Errorf("hist bucket: %+v", hb)
	}
	// The later history item wins: versioning suspended, no public access block.
	eqBool(t, "hist.versioning", hb.Facts.Storage.Versioning, b(false))
	eqBool(t, "hist.public_access_blocked", hb.Facts.Storage.PublicAccessBlocked, b(false))
	eqBool(t, "hist.public_access", hb.Facts.Storage.PublicAccess, b(false))
	eqBool(t, "hist.encrypted", hb.Facts.Storage.Encrypted, b(true))
	if hb.Facts.Storage.KeyManager != "provider" {
		t.Errorf("hist key manager %q", hb.Facts.Storage.KeyManager)
	}
	k := mustGet(t, m, "arn:aws:kms:eu-west-1:444455556666:key/k1").Facts.Key
	eqBool(t, "k1.rotation", k.RotationEnabled, b(false))
	sg := mustGet(t, m, "arn:aws:ec2:eu-west-1:444455556666:security-group/sg-9")
	if sg.Tags["env"] != "prod" || sg.Name != "rdp-open" {
		t.Errorf("select sg: %+v", sg)
	}
	if r := sg.Facts.Firewall.Rules; len(r) != 1 || r[0].FromPort != 3389 {
		t.Errorf("select sg rules: %+v", r)
	}
	acct := mustGet(t, m, AccountID("444455556666")).Facts.Account
	// The trail is multi-region, but AWS Config does not record whether it
	// is logging: unknown, not logging.
	eqBool(t, "444455556666 audit logging", acct.AuditLogging, nil)
	eqBool(t, "444455556666 threat detection", acct.ThreatDetection, b(true))
}

func TestCredentialReport(t *testing.T) {
	m, _, res := load(t, "credential-report.csv")
	if res.Format != FormatCredentialReport {
		t.Fatalf("format %q", res.Format)
	}
	root := mustGet(t, m, "arn:aws:iam::111122223333:root")
	id := root.Facts.Identity
	if root.Type != TypeRoot || id.Kind != "root" {
		t.Fatalf("root: %+v", root)
	}
	eqBool(t, "root.mfa", id.MFAEnabled, b(false))
	eqBool(t, "root.console (not_supported)", id.ConsoleAccess, nil)
	if len(id.AccessKeys) != 1 || !id.AccessKeys[0].Active || id.AccessKeys[0].Created != "2020-01-15T00:00:00Z" || id.AccessKeys[0].LastUsed != "2026-09-01T00:00:00Z" {
		t.Errorf("root keys: %+v", id.AccessKeys)
	}
	alice := mustGet(t, m, "arn:aws:iam::111122223333:user/alice").Facts.Identity
	eqBool(t, "alice.console", alice.ConsoleAccess, b(true))
	eqBool(t, "alice.mfa", alice.MFAEnabled, b(false))
	eqBool(t, "alice.keys_known", alice.AccessKeysKnown, b(true))
	if len(alice.AccessKeys) != 2 || !alice.AccessKeys[1].Active || alice.AccessKeys[1].LastUsed != "" {
		t.Errorf("alice keys: %+v", alice.AccessKeys)
	}
	if alice.PasswordLastUsed != "2026-11-19T08:30:00Z" || alice.LastActivity != "2026-11-19T08:30:00Z" {
		t.Errorf("alice activity: %q %q", alice.PasswordLastUsed, alice.LastActivity)
	}
	bob := mustGet(t, m, "arn:aws:iam::111122223333:user/bob").Facts.Identity
	if len(bob.AccessKeys) != 1 || bob.AccessKeys[0].Active {
		t.Errorf("bob keys: %+v", bob.AccessKeys)
	}
	erin := mustGet(t, m, "arn:aws:iam::111122223333:user/erin").Facts.Identity
	if len(erin.AccessKeys) != 0 || erin.PasswordLastUsed != "" || erin.AccessKeysKnown == nil {
		t.Errorf("erin: %+v", erin)
	}
	eqBool(t, "erin.mfa", erin.MFAEnabled, b(true))
}

func TestCredentialReportBadRows(t *testing.T) {
	data := []byte("user,arn,user_creation_time,password_enabled,mfa_active\n" +
		"ok,arn:aws:iam::111122223333:user/ok,2024-01-01T00:00:00+00:00,true,true\n" +
		"broken,\"arn:aws:iam::111122223333:user/bro\"ken,x,true,true\n" +
		"noarn,,2024-01-01T00:00:00+00:00,true,true\n" +
		"short,arn:aws:iam::111122223333:user/short\n")
	res := ParseCredentialReport("cr.csv", data)
	if len(res.Problems) != 2 {
		t.Fatalf("problems: %+v", res.Problems)
	}
	if res.Problems[0].Line != 3 || res.Problems[1].Line != 4 {
		t.Errorf("problem lines: %+v", res.Problems)
	}
	ids := map[string]bool{}
	for _, r := range res.Resources {
		ids[r.Name] = true
	}
	if !ids["ok"] || !ids["short"] || len(res.Resources) != 2 {
		t.Errorf("resources: %v", ids)
	}
	for _, r := range res.Resources {
		if r.Name == "short" && (r.Facts.Identity.MFAEnabled != nil || r.Facts.Identity.ConsoleAccess != nil) {
			t.Errorf("short row facts must be unknown: %+v", r.Facts.Identity)
		}
	}
}

func TestPasswordPolicyAttribution(t *testing.T) {
	// With the snapshot (one account) the policy is attributed to it.
	m, _, _ := load(t, "snapshot.json", "password-policy.json")
	pp := mustGet(t, m, "arn:aws:iam::111122223333:account-password-policy")
	if pp.Class != resource.ClassPasswordPolicy || *pp.Facts.PasswordPolicy.MinLength != 8 || *pp.Facts.PasswordPolicy.ReusePrevention != 5 {
		t.Errorf("password policy: %+v", pp.Facts.PasswordPolicy)
	}
	if pp.Facts.PasswordPolicy.MaxAgeDays != nil {
		t.Error("max age must be unknown when the policy does not expire passwords")
	}
	// With two accounts and no account in the path it cannot be attributed.
	var all []*resource.Resource
	for _, n := range []string{"snapshot.json", "history-api.json", "password-policy.json"} {
		all = append(all, parseFile(t, n).Resources...)
	}
	_, problems := Finalize(all)
	if len(problems) != 1 || problems[0].Path != "password-policy.json" {
		t.Errorf("problems: %+v", problems)
	}
	// An account ID in the path attributes it.
	if got := accountInPath("exports/444455556666/iam/password-policy.json"); got != "444455556666" {
		t.Errorf("accountInPath = %q", got)
	}
	if got := accountInPath("exports/acct-444455556666-2026/pp.json"); got != "444455556666" {
		t.Errorf("accountInPath = %q", got)
	}
	if got := accountInPath("exports/1234567890123/pp.json"); got != "" {
		t.Errorf("accountInPath = %q", got)
	}
}

func TestMissingFieldsDoNotPanic(t *testing.T) {
	docs := []string{
		`{"configurationItems":[{"resourceType":"AWS::S3::Bucket","awsRegion":"us-east-1","supplementaryConfiguration":{"BucketPolicy":"not json","AccessControlList":5,"PublicAccessBlockConfiguration":[]}}]}`,
		`{"configurationItems":[{"resourceType":"AWS::EC2::SecurityGroup","awsRegion":"x","configuration":{"ipPermissions":[{"ipProtocol":null,"fromPort":"x"},7]}}]}`,
		`{"configurationItems":[{"resourceType":"AWS::IAM::User","awsRegion":"global","configuration":{"userPolicyList":[{"policyDocument":"%7B%22Statement%22%3A5%7D"}],"attachedManagedPolicies":[null,{"policyArn":7}]}}]}`,
		`{"configurationItems":[{"resourceType":"AWS::EC2::Instance","awsRegion":"x","configuration":"{broken"}, {"resourceType":"AWS::CloudTrail::Trail","awsRegion":"x","configuration":{}}, 3, {}]}`,
		`{"configurationItems":[{"resourceType":"AWS::IAM::Role","awsRegion":"global","configuration":{"assumeRolePolicyDocument":{"Statement":{"Effect":"Allow","Principal":"*"}}}}]}`,
	}
	for _, d := range docs {
		var doc any
		if err := attr.Decode([]byte(d), &doc); err != nil {
			t.Fatal(err)
		}
		res := Parse(context.Background(), "x.json", doc)
		Finalize(res.Resources)
	}
	var doc any
	_ = attr.Decode([]byte(docs[3]), &doc)
	res := Parse(context.Background(), "x.json", doc)
	if len(res.Problems) != 3 {
		t.Errorf("want 3 problems (configuration not an object, non-object item, item without type/id): %+v", res.Problems)
	}
	for _, r := range res.Resources {
		if r.Type == "AWS::EC2::Instance" && r.Facts.Compute.PublicIP != nil {
			t.Error("instance with unreadable configuration must have unknown facts")
		}
	}
}

func TestKeyRotationAndSecurityContact(t *testing.T) {
	m, _, _ := load(t, "snapshot.json", "kms-rotation-status.json", "111122223333/alternate-contact-security.json")
	// The rotation status with an ARN is a second view of the key: here, not
	// merged, it is its own resource with the key's facts.
	k := m["arn:aws:kms:us-east-1:111122223333:key/0a1b2c3d-1111-2222-3333-444455556666"]
	if k == nil || k.Class != resource.ClassKey || k.Account != "111122223333" || k.Region != "us-east-1" {
		t.Fatalf("rotation status: %+v", k)
	}
	eqBool(t, "acct.security_contact", mustGet(t, m, AccountID("111122223333")).Facts.Account.SecurityContact, b(true))

	m, _, _ = load(t, "snapshot.json", "111122223333/kms-rotation-by-id.json")
	key := mustGet(t, m, "arn:aws:kms:us-east-1:111122223333:key/0a1b2c3d-1111-2222-3333-444455556666").Facts.Key
	eqBool(t, "key.rotation (by key ID)", key.RotationEnabled, b(true))
	if key.RotationPeriodDays == nil || *key.RotationPeriodDays != 365 {
		t.Errorf("rotation period %v", key.RotationPeriodDays)
	}
	eqBool(t, "acct.security_contact (no contact file)", mustGet(t, m, AccountID("111122223333")).Facts.Account.SecurityContact, nil)

	// Only a BILLING contact exported for 444455556666: no security contact.
	m, _, _ = load(t, "history-api.json", "444455556666/alternate-contact-billing.json")
	eqBool(t, "444455556666.security_contact (billing only)", mustGet(t, m, AccountID("444455556666")).Facts.Account.SecurityContact, b(false))
}

func TestPasswordPoliciesOfTwoAccountsStayApart(t *testing.T) {
	pp := func(path string) *resource.Resource {
		var doc any
		if err := attr.Decode([]byte(`{"PasswordPolicy":{"MinimumPasswordLength":8}}`), &doc); err != nil {
			t.Fatal(err)
		}
		return Parse(context.Background(), path, doc).Resources[0]
	}
	a, b := pp("exports/111122223333/pp.json"), pp("exports/444455556666/pp.json")
	if a.ID == b.ID {
		t.Fatal("account-less policies of two files share an ID and would merge")
	}
	_, problems := Finalize([]*resource.Resource{a, b})
	if len(problems) != 0 || a.ID != "arn:aws:iam::111122223333:account-password-policy" || b.ID != "arn:aws:iam::444455556666:account-password-policy" {
		t.Errorf("ids %s %s problems %+v", a.ID, b.ID, problems)
	}
}

// A KMS key named by ARN says nothing of who manages it: the key's own
// item in the file decides (RDS names even its default aws/rds key by ARN).
func TestKeyManagerFromTheKeysItem(t *testing.T) {
	const awsKey = "arn:aws:kms:us-east-1:111122223333:key/aaaa"
	const cmk = "arn:aws:kms:us-east-1:111122223333:key/bbbb"
	key := func(arn, manager string) any {
		return attr.M{"resourceType": "AWS::KMS::Key", "ARN": arn, "resourceId": arn[len(arn)-4:], "awsRegion": "us-east-1",
			"configuration": attr.M{"keyManager": manager, "keyState": "Enabled", "keySpec": "SYMMETRIC_DEFAULT"}}
	}
	db := func(name, kms string) any {
		return attr.M{"resourceType": "AWS::RDS::DBInstance", "ARN": "arn:aws:rds:us-east-1:111122223333:db:" + name, "awsRegion": "us-east-1",
			"configuration": attr.M{"storageEncrypted": true, "kmsKeyId": kms}}
	}
	vol := func(name, kms string) any {
		return attr.M{"resourceType": "AWS::EC2::Volume", "ARN": "arn:aws:ec2:us-east-1:111122223333:volume/" + name, "awsRegion": "us-east-1",
			"configuration": attr.M{"encrypted": true, "kmsKeyId": kms, "attachments": []any{}}}
	}
	res := Parse(context.Background(), "s.json", attr.M{"configurationItems": []any{
		db("default-key", awsKey), db("cmk", cmk), db("by-id", "bbbb"), db("elsewhere", "arn:aws:kms:us-east-1:111122223333:key/cccc"),
		vol("vol-a", awsKey), vol("vol-b", cmk), key(awsKey, "AWS"), key(cmk, "CUSTOMER")}})
	got := map[string]string{}
	for _, r := range res.Resources {
		switch {
		case r.Facts.Database != nil:
			got[r.ID[strings.LastIndex(r.ID, ":")+1:]] = r.Facts.Database.KeyManager
		case r.Facts.Disk != nil:
			got[r.ID[strings.LastIndex(r.ID, "/")+1:]] = r.Facts.Disk.KeyManager
		}
	}
	want := map[string]string{"default-key": "provider", "cmk": "customer", "by-id": "customer", "elsewhere": "",
		"vol-a": "provider", "vol-b": "customer"}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s: key manager %q, want %q", k, got[k], w)
		}
	}
}
