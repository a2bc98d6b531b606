package drift

import (
	"reflect"
	"testing"

	"github.com/vigil-sec/vigil/internal/resource"
)

func TestNorm(t *testing.T) {
	for in, want := range map[string]string{
		"//compute.googleapis.com/projects/p/global/firewalls/fw":              "projects/p/global/firewalls/fw",
		"https://www.googleapis.com/compute/v1/projects/p/global/firewalls/fw": "projects/p/global/firewalls/fw",
		"projects/p/global/firewalls/fw":                                       "projects/p/global/firewalls/fw",
		"//storage.googleapis.com/acme-assets":                                 "acme-assets",
		"https://www.googleapis.com/storage/v1/b/acme-assets":                  "acme-assets",
		"acme-assets": "acme-assets",
		"/subscriptions/S/resourceGroups/RG/providers/Microsoft.Storage/storageAccounts/st": "/subscriptions/s/resourcegroups/rg/providers/microsoft.storage/storageaccounts/st",
		"arn:aws:s3:::acme-data": "arn:aws:s3:::acme-data",
	} {
		if got := norm(in); got != want {
			t.Errorf("norm(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestAccountOf(t *testing.T) {
	for _, c := range []struct {
		r    resource.Resource
		want string
	}{
		{resource.Resource{Provider: resource.AWS, Raw: map[string]any{"arn": "arn:aws:ec2:eu-west-1:210987654321:security-group/sg-1", "id": "sg-1"}}, "210987654321"},
		{resource.Resource{Provider: resource.AWS, Raw: map[string]any{"arn": "arn:aws:s3:::b", "id": "b"}}, ""},
		{resource.Resource{Provider: resource.AWS, Raw: map[string]any{"arn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}}, ""},
		{resource.Resource{Provider: resource.Azure, Raw: map[string]any{"id": "/subscriptions/ABC/resourceGroups/rg"}}, "abc"},
		{resource.Resource{Provider: resource.GCP, Raw: map[string]any{"project": "p-1", "id": "b"}}, "p-1"},
		{resource.Resource{Provider: resource.GCP, Raw: map[string]any{"id": "projects/p-2/global/firewalls/f"}}, "p-2"},
		{resource.Resource{Provider: resource.AWS, Account: "111122223333"}, "111122223333"},
	} {
		if got := accountOf(&c.r); got != c.want {
			t.Errorf("accountOf(%v) = %q, want %q", c.r.Raw, got, c.want)
		}
	}
}

func TestCloudName(t *testing.T) {
	loc := func(addr string) *resource.Location { return &resource.Location{File: "x", Address: addr} }
	for _, c := range []struct {
		r    resource.Resource
		want string
	}{
		// Terraform: a name argument, not the block label.
		{resource.Resource{Name: "data", Raw: map[string]any{"bucket": "acme-data"}, Location: loc("aws_s3_bucket.data")}, "acme-data"},
		{resource.Resource{Name: "uploads", Raw: map[string]any{"bucket_prefix": "acme-"}, Location: loc("aws_s3_bucket.uploads")}, ""},
		// CloudFormation: a physical name, not the logical ID.
		{resource.Resource{Name: "acme-data", Location: loc("DataBucket")}, "acme-data"},
		{resource.Resource{Name: "ScratchBucket", Location: loc("ScratchBucket")}, ""},
		// ARM: a name not known before deploy.
		{resource.Resource{Name: "[concat('st', uniqueString(resourceGroup().id))]", Location: loc("Microsoft.Storage/storageAccounts/x")}, ""},
	} {
		if got := cloudName(&c.r); got != c.want {
			t.Errorf("cloudName(%s) = %q, want %q", c.r.Name, got, c.want)
		}
	}
}

// TestMatchNarrowsByRegion: two security groups of the same name in two
// regions; the IaC's region picks one, without a region it is ambiguous.
func TestMatchNarrowsByRegion(t *testing.T) {
	sg := func(id, region string) *resource.Resource {
		return &resource.Resource{Provider: resource.AWS, Account: "1", Region: region, ID: id, Name: "web", Class: resource.ClassFirewall}
	}
	a, b := sg("arn:a", "eu-west-1"), sg("arn:b", "us-east-1")
	x := newIndex([]*resource.Resource{a, b})
	r := &resource.Resource{Provider: resource.AWS, Region: "us-east-1", Name: "web", Class: resource.ClassFirewall,
		Raw: map[string]any{"name": "web"}, Location: &resource.Location{Address: "aws_security_group.web"}}
	if m := x.match(r); m.live != b || m.by != ByName {
		t.Errorf("match in us-east-1: %+v", m)
	}
	r.Region = ""
	if m := x.match(r); m.live != nil || m.reason == "" {
		t.Errorf("match without region: %+v, want ambiguous", m)
	}
}

// TestFirewallRulesCompareAsSets: one rule with an IPv4 and an IPv6
// source equals two rules of one source each, in any order; another port
// differs.
func TestFirewallRulesCompareAsSets(t *testing.T) {
	fw := func(rules ...resource.FirewallRule) *resource.Resource {
		return &resource.Resource{Provider: resource.AWS, Class: resource.ClassFirewall, Facts: resource.Facts{Firewall: &resource.Firewall{Rules: rules}}}
	}
	in := func(port int, srcs ...string) resource.FirewallRule {
		return resource.FirewallRule{Direction: "ingress", Action: "allow", Protocol: "tcp", FromPort: port, ToPort: port, Sources: srcs}
	}
	a := fw(in(443, "0.0.0.0/0", "::/0"))
	b := fw(in(443, "::/0"), in(443, "0.0.0.0/0"))
	if d := compareFacts(a, b); len(d) != 0 {
		t.Errorf("same rules differ: %+v", d)
	}
	c := fw(in(443, "0.0.0.0/0", "::/0"), in(22, "0.0.0.0/0"))
	d := compareFacts(a, c)
	if len(d) != 1 || d[0].path != "firewall.ingress" || d[0].category != catNetwork ||
		!reflect.DeepEqual(d[0].live, []any{"allow tcp/22 from 0.0.0.0/0", "allow tcp/443 from 0.0.0.0/0", "allow tcp/443 from ::/0"}) ||
		d[0].detail != " (only in the inventory: allow tcp/22 from 0.0.0.0/0)" {
		t.Errorf("diff %+v", d)
	}
}

// TestUnknownNotCompared: a fact one side does not know is not drift.
func TestUnknownNotCompared(t *testing.T) {
	a := &resource.Resource{Class: resource.ClassObjectStorage, Facts: resource.Facts{Storage: &resource.ObjectStorage{Encrypted: resource.Bool(true)}}}
	b := &resource.Resource{Class: resource.ClassObjectStorage, Facts: resource.Facts{Storage: &resource.ObjectStorage{Versioning: resource.Bool(false)}}}
	if d := compareFacts(a, b); len(d) != 0 {
		t.Errorf("unknown facts compared: %+v", d)
	}
	b.Facts.Storage.Encrypted = resource.Bool(false)
	if d := compareFacts(a, b); len(d) != 1 || d[0].path != "storage.encrypted" || d[0].category != catEncryption || d[0].iac != true || d[0].live != false {
		t.Errorf("diff %+v", d)
	}
}

func TestCategoryOf(t *testing.T) {
	for p, want := range map[string]string{
		"storage.encrypted": catEncryption, "storage.key_manager": catEncryption, "storage.min_tls_version": catEncryption,
		"storage.public_access": catPublic, "storage.public_access_blocked": catPublic, "database.authorized_networks": catPublic,
		"firewall.ingress": catNetwork, "storage.network_default_deny": catNetwork,
		"identity.admin": catIAM, "identity.attached_policies": catIAM, "resource_policy": catIAM,
		"storage.access_logging": catLogging, "network.flow_logs": catLogging,
		"storage.versioning": catVersioning, "database.deletion_protection": catProtection,
		"compute.secure_boot": catConfig, "database.backup_retention_days": catProtection, "audit_log.multi_region": catLogging,
	} {
		if got := categoryOf(p); got != want {
			t.Errorf("categoryOf(%s) = %s, want %s", p, got, want)
		}
	}
}

// TestMatchGrant: a Terraform google_project_iam_member names its project
// by ID, the Cloud Asset export by number; the grant is the same.
func TestMatchGrant(t *testing.T) {
	bind := func(scope string) resource.Facts {
		return resource.Facts{Binding: &resource.Binding{Principal: "group:auditors@acme.example", Role: "roles/viewer", Scope: scope, ScopeLevel: "account"}}
	}
	live := &resource.Resource{Provider: resource.GCP, Account: "acme-prod", Class: resource.ClassIAMBinding,
		ID: "//cloudresourcemanager.googleapis.com/projects/487615239784#iam/roles/viewer/group:auditors@acme.example", Facts: bind("//cloudresourcemanager.googleapis.com/projects/487615239784")}
	other := &resource.Resource{Provider: resource.GCP, Account: "acme-dev", Class: resource.ClassIAMBinding,
		ID: "//cloudresourcemanager.googleapis.com/projects/1#iam/roles/viewer/group:auditors@acme.example", Facts: bind("//cloudresourcemanager.googleapis.com/projects/1")}
	x := newIndex([]*resource.Resource{live, other})
	r := &resource.Resource{Provider: resource.GCP, Class: resource.ClassIAMBinding, ID: ".:google_project_iam_member.viewer",
		Raw:   map[string]any{"id": "acme-prod/roles/viewer/group:auditors@acme.example", "project": "acme-prod"},
		Facts: bind("//cloudresourcemanager.googleapis.com/projects/acme-prod")}
	if m := x.match(r); m.live != live || m.by != ByGrant {
		t.Errorf("match %+v", m)
	}
}

// TestOutside: the inventory decides only where it holds resources.
func TestOutside(t *testing.T) {
	c := newCoverage([]*resource.Resource{{Provider: resource.AWS, Account: "1", Region: "eu-west-1"}})
	for _, x := range []struct {
		r       resource.Resource
		outside bool
	}{
		{resource.Resource{Provider: resource.AWS, Region: "eu-west-1"}, false},
		{resource.Resource{Provider: resource.AWS, Region: "eu-central-1"}, true}, // HCL: no account, a region not exported
		{resource.Resource{Provider: resource.AWS}, false},
		{resource.Resource{Provider: resource.AWS, Raw: map[string]any{"arn": "arn:aws:ec2:eu-west-1:2:security-group/sg-1"}}, true},
		{resource.Resource{Provider: resource.AWS, Region: "us-east-1", Raw: map[string]any{"arn": "arn:aws:ec2:us-east-1:1:security-group/sg-1"}}, true},
		{resource.Resource{Provider: resource.AWS, Region: "eu-west-1", Raw: map[string]any{"arn": "arn:aws:ec2:eu-west-1:1:security-group/sg-1"}}, false},
		{resource.Resource{Provider: resource.GCP}, true},
	} {
		if got := c.outside(&x.r) != ""; got != x.outside {
			t.Errorf("outside(%s %s %v) = %v", x.r.Provider, x.r.Region, x.r.Raw, got)
		}
	}
}

func TestDirection(t *testing.T) {
	for _, c := range []struct {
		path      string
		iac, live any
		want      string
	}{
		{"storage.public_access_blocked", true, false, Weaker},
		{"storage.versioning", false, true, Stricter},
		{"storage.public_access", false, true, Weaker},
		{"identity.admin", true, false, Stricter},
		{"storage.key_manager", "customer", "provider", Weaker},
		{"firewall.ingress", []any{"allow tcp/443 from 0.0.0.0/0"}, []any{"allow tcp/22 from 0.0.0.0/0", "allow tcp/443 from 0.0.0.0/0"}, Weaker},
		{"firewall.ingress", []any{"allow tcp/22 from 0.0.0.0/0", "allow tcp/443 from 0.0.0.0/0"}, []any{"allow tcp/443 from 0.0.0.0/0"}, Stricter},
		{"firewall.ingress", []any{"allow tcp/22 from 10.0.0.0/8"}, []any{"allow tcp/22 from 0.0.0.0/0"}, ""},
		{"identity.attached_policies", []any{"a"}, []any{"a", "b"}, ""},
		{"storage.min_tls_version", "1.2", "1.0", ""},
	} {
		if got := directionOf(c.path, c.iac, c.live); got != c.want {
			t.Errorf("directionOf(%s, %v, %v) = %q, want %q", c.path, c.iac, c.live, got, c.want)
		}
	}
}

// TestMatchPrefix: a bucket_prefix designates the one bucket whose name
// starts with it; two such buckets, none.
func TestMatchPrefix(t *testing.T) {
	b := func(name string) *resource.Resource {
		return &resource.Resource{Provider: resource.AWS, Account: "1", Region: "eu-west-1", ID: "arn:aws:s3:::" + name, Name: name, Class: resource.ClassObjectStorage}
	}
	up := b("acme-uploads-20261205093000000000000001")
	r := &resource.Resource{Provider: resource.AWS, Class: resource.ClassObjectStorage, Name: "uploads",
		Raw: map[string]any{"bucket_prefix": "acme-uploads-"}, Location: &resource.Location{Address: "aws_s3_bucket.uploads"}}
	if m := newIndex([]*resource.Resource{b("acme-data"), up}).match(r); m.live != up || m.by != ByName {
		t.Errorf("match %+v", m)
	}
	if m := newIndex([]*resource.Resource{up, b("acme-uploads-2")}).match(r); m.live != nil || m.reason == "" {
		t.Errorf("two candidates: %+v", m)
	}
}

// TestIaCOnlyNotCompared: a launch template (judged in IaC as the
// instances it launches) is no inventory type: not missing, not compared.
func TestIaCOnlyNotCompared(t *testing.T) {
	live := []*resource.Resource{{Provider: resource.AWS, Account: "111122223333", Region: "eu-west-1", Class: resource.ClassCompute,
		Type: "AWS::EC2::Instance", ID: "i-0123456789abcdef0"}}
	lt := &resource.Resource{Provider: resource.AWS, Class: resource.ClassCompute, Type: "AWS::EC2::LaunchTemplate", ID: ".:aws_launch_template.workers"}
	rep := Compare([]*resource.Resource{lt}, live, Options{})
	if rep.Summary.Missing != 0 || rep.Summary.NotCompared != 1 {
		t.Errorf("launch template: %+v", rep.Summary)
	}
}
