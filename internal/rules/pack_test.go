package rules_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/policy"
	"github.com/vigil-sec/vigil/internal/resource"
	"github.com/vigil-sec/vigil/internal/rules"
)

var (
	yes = resource.Bool(true)
	no  = resource.Bool(false)
	now = time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
)

func engine(t testing.TB) *policy.Engine {
	t.Helper()
	e, err := policy.New(context.Background(), []policy.Source{{FS: rules.FS(), Name: "builtin", Builtin: true}}, policy.OptIn("governance"))
	if err != nil {
		t.Fatalf("loading the built-in pack into the engine: %v", err)
	}
	return e
}

func res(p resource.Provider, class resource.Class, id string, f resource.Facts) *resource.Resource {
	return &resource.Resource{Provider: p, Account: "acct", Region: "r", Type: "T", ID: id, Name: id, Class: class, Facts: f}
}

// TestPackOnTypedFacts runs the pack through the engine on resources built
// from the Go fact structs, so a rule reading a misspelt fact name (one the
// JSON of resource.Facts never carries) shows up as a wrong status here.
func TestPackOnTypedFacts(t *testing.T) {
	ssh := resource.FirewallRule{Direction: "ingress", Action: "allow", Protocol: "tcp", FromPort: 22, ToPort: 22, Sources: []string{"0.0.0.0/0"}}
	https := resource.FirewallRule{Direction: "ingress", Action: "allow", Protocol: "tcp", FromPort: 443, ToPort: 443, Sources: []string{"0.0.0.0/0", "::/0"}}
	inv := []*resource.Resource{
		res(resource.AWS, resource.ClassObjectStorage, "s3-public", resource.Facts{Storage: &resource.ObjectStorage{PublicAccess: yes, PublicAccessBlocked: no, Encrypted: yes, SecureTransportOnly: no, AccessLogging: no, Versioning: no}}),
		res(resource.Azure, resource.ClassObjectStorage, "sa-clean", resource.Facts{Storage: &resource.ObjectStorage{PublicAccess: no, PublicAccessBlocked: yes, Encrypted: yes, SecureTransportOnly: yes, MinTLSVersion: "1.2", NetworkDefaultDeny: yes, DeleteProtection: yes, Versioning: yes}}),
		res(resource.Azure, resource.ClassObjectStorage, "sa-tls10", resource.Facts{Storage: &resource.ObjectStorage{MinTLSVersion: "1.0"}}),
		res(resource.GCP, resource.ClassObjectStorage, "gcs-acl", resource.Facts{Storage: &resource.ObjectStorage{UniformAccess: no}}),
		res(resource.AWS, resource.ClassFirewall, "sg-ssh", resource.Facts{Firewall: &resource.Firewall{Rules: []resource.FirewallRule{ssh}, Default: no}}),
		res(resource.GCP, resource.ClassFirewall, "fw-https", resource.Facts{Firewall: &resource.Firewall{Rules: []resource.FirewallRule{https}}}),
		res(resource.AWS, resource.ClassFirewall, "sg-default", resource.Facts{Firewall: &resource.Firewall{Rules: []resource.FirewallRule{https}, Default: yes}}),
		res(resource.GCP, resource.ClassDatabase, "sql-open", resource.Facts{Database: &resource.Database{PublicEndpoint: yes, AuthorizedNetworks: []string{"0.0.0.0/0"}, BackupEnabled: yes, BackupRetentionDays: resource.Int(3), SSLRequired: no}}),
		res(resource.AWS, resource.ClassKey, "kms-norotate", resource.Facts{Key: &resource.Key{CustomerManaged: yes, Symmetric: yes, Enabled: yes, RotationEnabled: no}}),
		res(resource.Azure, resource.ClassKey, "kv-key", resource.Facts{Key: &resource.Key{CustomerManaged: yes, Enabled: yes, RotationEnabled: yes}}),
		res(resource.AWS, resource.ClassIdentity, "root", resource.Facts{Identity: &resource.Identity{Kind: "root", MFAEnabled: no, AccessKeysKnown: yes,
			AccessKeys: []resource.AccessKey{{ID: "AKIAROOT", Active: true, Created: "2026-11-01T00:00:00Z"}}}}),
		res(resource.AWS, resource.ClassIdentity, "user-old-key", resource.Facts{Identity: &resource.Identity{Kind: "user", ConsoleAccess: yes, MFAEnabled: no, Admin: no,
			PasswordLastUsed: "2026-11-20T00:00:00Z", AccessKeysKnown: yes,
			AccessKeys: []resource.AccessKey{{ID: "AKIA1", Active: true, Created: "2025-01-01T00:00:00Z", LastUsed: "2026-11-23T00:00:00Z"}}}}),
		res(resource.GCP, resource.ClassIdentity, "sa", resource.Facts{Identity: &resource.Identity{Kind: "service_account",
			AccessKeys: []resource.AccessKey{{ID: "k1", Active: true, Created: "2026-11-01T00:00:00Z", UserManaged: yes}}}}),
		res(resource.GCP, resource.ClassIAMBinding, "owner-binding", resource.Facts{Binding: &resource.Binding{Principal: "user:a@example.com", Role: "roles/owner", Primitive: yes, ScopeLevel: "account", Public: no}}),
		res(resource.GCP, resource.ClassIAMBinding, "sa-editor", resource.Facts{Binding: &resource.Binding{Principal: "serviceAccount:x@p.iam.gserviceaccount.com", PrincipalType: "serviceAccount", Role: "roles/editor", Primitive: yes, ScopeLevel: "account"}}),
		res(resource.AWS, resource.ClassPasswordPolicy, "pwpol", resource.Facts{PasswordPolicy: &resource.PasswordPolicy{MinLength: resource.Int(8), ReusePrevention: resource.Int(24)}}),
		res(resource.Azure, resource.ClassAuditLog, "diag", resource.Facts{AuditLog: &resource.AuditLog{RetentionDays: resource.Int(90)}}),
		res(resource.Azure, resource.ClassCompute, "vm", resource.Facts{Compute: &resource.Compute{PublicIP: yes}}),
		res(resource.AWS, resource.ClassAccount, "111122223333", resource.Facts{Account: &resource.Account{AuditLogging: yes, ThreatDetection: no, DefaultEncryption: no}}),
	}
	want := map[string]finding.Status{
		"storage-public-access/s3-public":                      finding.Fail,
		"storage-public-access/sa-clean":                       finding.Pass,
		"storage-public-access-not-blocked/s3-public":          finding.Fail,
		"storage-insecure-transport/s3-public":                 finding.Fail,
		"storage-access-logging-disabled/s3-public":            finding.Fail,
		"storage-versioning-disabled/sa-clean":                 finding.Pass,
		"storage-unencrypted/gcs-acl":                          finding.Unknown,
		"azure-storage-min-tls/sa-tls10":                       finding.Fail,
		"azure-storage-min-tls/sa-clean":                       finding.Pass,
		"azure-storage-network-not-restricted/sa-clean":        finding.Pass,
		"gcp-bucket-uniform-access-disabled/gcs-acl":           finding.Fail,
		"firewall-ssh-open-to-internet/sg-ssh":                 finding.Fail,
		"firewall-ssh-open-to-internet/fw-https":               finding.Pass,
		"firewall-all-ports-open-to-internet/sg-ssh":           finding.Pass,
		"aws-default-security-group-not-restricted/sg-default": finding.Fail,
		"database-open-to-any-ip/sql-open":                     finding.Fail,
		"database-backups-disabled/sql-open":                   finding.Fail,
		"database-ssl-not-required/sql-open":                   finding.Fail,
		"database-public-endpoint/sql-open":                    finding.Fail,
		"key-rotation-disabled/kms-norotate":                   finding.Fail,
		"key-rotation-disabled/kv-key":                         finding.Pass,
		"azure-key-no-expiry/kv-key":                           finding.Fail,
		"aws-root-access-keys/root":                            finding.Fail,
		"aws-root-mfa-disabled/root":                           finding.Fail,
		"aws-user-console-without-mfa/user-old-key":            finding.Fail,
		"identity-stale-access-keys/user-old-key":              finding.Fail,
		"identity-unused-credentials/user-old-key":             finding.Pass,
		"aws-user-direct-admin/user-old-key":                   finding.Pass,
		"gcp-service-account-user-managed-keys/sa":             finding.Fail,
		"identity-stale-access-keys/sa":                        finding.Pass,
		"iam-primitive-role-broad/owner-binding":               finding.Fail,
		"iam-public-binding/owner-binding":                     finding.Pass,
		"gcp-service-account-admin/sa-editor":                  finding.Fail,
		"aws-password-policy-weak/pwpol":                       finding.Fail,
		"azure-activity-log-retention-short/diag":              finding.Fail,
		"azure-vm-no-managed-identity/vm":                      finding.Fail,
		"compute-public-ip/vm":                                 finding.Fail,
		"threat-detection-disabled/111122223333":               finding.Fail,
		"audit-logging-disabled/111122223333":                  finding.Pass,
		"aws-ebs-default-encryption-disabled/111122223333":     finding.Fail,
	}
	fs, err := engine(t).Evaluate(context.Background(), inv, now)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]finding.Status{}
	for _, f := range fs {
		got[f.RuleID+"/"+f.Resource.ID] = f.Status
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s: status %q, want %q", k, got[k], w)
		}
	}
	// Rules a resource is not applicable to report nothing for it.
	for _, k := range []string{"aws-root-mfa-disabled/user-old-key", "gcp-service-account-admin/owner-binding", "storage-public-access/sg-ssh"} {
		if s, ok := got[k]; ok {
			t.Errorf("%s: status %q, want no finding", k, s)
		}
	}
}

// TestRuleCasesThroughEngine runs every built-in rule test's
// test_fail_/test_pass_/test_unknown_ assertions through the engine (as
// `vigil rules test` does for a custom pack) and enforces the contract's
// test coverage: every rule has custom.requires, and has at
// least one case of each kind; every test_pass_ and test_unknown_ test
// asserts its resource is not in the rule's fail set.
func TestRuleCasesThroughEngine(t *testing.T) {
	ctx := context.Background()
	src := policy.Source{FS: rules.FS(), Name: "builtin", Builtin: true}
	rep, err := policy.RunTests(ctx, []policy.Source{src}, true)
	if err != nil {
		t.Fatalf("running the built-in rule tests: %v", err)
	}
	byRule := map[string]policy.RuleCheck{}
	for _, rc := range rep.Rules {
		byRule[rc.Rule] = rc
	}
	for _, r := range engine(t).Rules() {
		rc := byRule[r.ID]
		var problems []string
		if len(r.Requires) == 0 {
			problems = append(problems, "has no custom.requires (the facts it needs), so it can never be UNKNOWN")
		}
		for _, k := range []struct {
			prefix string
			n      int
		}{{policy.PrefixFail, rc.Fail}, {policy.PrefixPass, rc.Pass}, {policy.PrefixUnknown, rc.Unknown}} {
			if k.n == 0 {
				problems = append(problems, "has no "+k.prefix+" test asserting on it")
			}
		}
		for _, p := range problems {
			t.Errorf("%s (%s): %s", r.ID, r.File, p)
		}
	}
	checked := 0
	for _, tr := range rep.Tests {
		if tr.CaseError != "" {
			t.Errorf("%s.%s (%s): %s", tr.Package, tr.Name, tr.File, tr.CaseError)
		}
		for _, c := range tr.Cases {
			checked++
			if !c.Pass {
				t.Errorf("%s.%s (%s): %s", tr.Package, tr.Name, tr.File, c.Error)
			}
		}
	}
	if checked == 0 {
		t.Fatal("no test case was checked through the engine")
	}
	t.Logf("%d assertions of %d tests checked through the engine", checked, len(rep.Tests))
}

// BenchmarkBuiltinPack evaluates the whole built-in pack over a synthetic
// inventory spread across classes and clouds, reporting resources/s.
func BenchmarkBuiltinPack(b *testing.B) {
	e := engine(b)
	const n = 20000
	inv := synth(n)
	b.ResetTimer()
	for range b.N {
		if _, err := e.Evaluate(context.Background(), inv, now); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "resources/s")
}

// synth builds n resources spread over six classes and the three clouds.
func synth(n int) []*resource.Resource {
	providers := []resource.Provider{resource.AWS, resource.Azure, resource.GCP}
	inv := make([]*resource.Resource, 0, n)
	for i := range n {
		p := providers[i%3]
		id := fmt.Sprintf("r%d", i)
		switch i % 6 {
		case 0:
			inv = append(inv, res(p, resource.ClassObjectStorage, id, resource.Facts{Storage: &resource.ObjectStorage{PublicAccess: resource.Bool(i%7 == 0), Encrypted: yes, Versioning: no, MinTLSVersion: "1.2"}}))
		case 1:
			inv = append(inv, res(p, resource.ClassFirewall, id, resource.Facts{Firewall: &resource.Firewall{Rules: []resource.FirewallRule{
				{Direction: "ingress", Action: "allow", Protocol: "tcp", FromPort: 22, ToPort: 22, Sources: []string{"10.0.0.0/8"}},
				{Direction: "ingress", Action: "allow", Protocol: "tcp", FromPort: 443, ToPort: 443, Sources: []string{"0.0.0.0/0"}},
				{Direction: "egress", Action: "allow", Protocol: "all", FromPort: 0, ToPort: 65535, Sources: []string{"0.0.0.0/0"}},
			}}}))
		case 2:
			inv = append(inv, res(p, resource.ClassCompute, id, resource.Facts{Compute: &resource.Compute{PublicIP: resource.Bool(i%5 == 0), DiskEncrypted: yes, Identity: "x"}}))
		case 3:
			inv = append(inv, res(p, resource.ClassIdentity, id, resource.Facts{Identity: &resource.Identity{Kind: "user", ConsoleAccess: yes, MFAEnabled: yes, AccessKeysKnown: yes,
				AccessKeys: []resource.AccessKey{{ID: "k", Active: true, Created: "2026-01-01T00:00:00Z", LastUsed: "2026-11-01T00:00:00Z"}}}}))
		case 4:
			inv = append(inv, res(p, resource.ClassDatabase, id, resource.Facts{Database: &resource.Database{PublicEndpoint: no, Encrypted: yes, BackupEnabled: yes, BackupRetentionDays: resource.Int(7)}}))
		case 5:
			inv = append(inv, res(p, resource.ClassIAMBinding, id, resource.Facts{Binding: &resource.Binding{Principal: "user:a@example.com", Role: "roles/viewer", Primitive: yes, ScopeLevel: "account"}}))
		}
	}
	return inv
}
