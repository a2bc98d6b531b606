package inventory

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/resource"
	"github.com/vigil-sec/vigil/internal/source"
)

func b(v bool) *bool { return &v }

func rel(typ, target string) resource.Relationship {
	return resource.Relationship{Type: typ, TargetID: target}
}

func show(p *bool) string {
	if p == nil {
		return "unknown"
	}
	return fmt.Sprint(*p)
}

var adminDoc = &resource.PolicyDocument{Version: "2012-10-17", Statements: []resource.Statement{
	{Effect: "Allow", Actions: []string{"*"}, Resources: []string{"*"}},
}}

var readDoc = &resource.PolicyDocument{Version: "2012-10-17", Statements: []resource.Statement{
	{Effect: "Allow", Actions: []string{"s3:GetObject"}, Resources: []string{"*"}},
}}

// TestDerive feeds resources that carry only typed facts and relationships
// (Raw is empty everywhere) and checks each derived fact.
func TestDerive(t *testing.T) {
	const acct, other = "111122223333", "444455556666"
	arn := func(kind, name string) string { return "arn:aws:iam::" + acct + ":" + kind + "/" + name }
	aws := func(class resource.Class, id string, f resource.Facts, rels ...resource.Relationship) *resource.Resource {
		return &resource.Resource{Provider: resource.AWS, Account: acct, ID: id, Name: id, Class: class, Facts: f, Relationships: rels}
	}
	vm := func(id string, rels ...resource.Relationship) *resource.Resource {
		return aws(resource.ClassCompute, id, resource.Facts{Compute: &resource.Compute{}}, rels...)
	}
	disk := func(id, alias string, enc *bool) *resource.Resource {
		r := aws(resource.ClassDisk, id, resource.Facts{Disk: &resource.Disk{Encrypted: enc}})
		r.Aliases = []string{alias}
		return r
	}
	user := func(name string, admin *bool, rels ...resource.Relationship) *resource.Resource {
		return aws(resource.ClassIdentity, arn("user", name), resource.Facts{Identity: &resource.Identity{Kind: "user", Admin: admin}}, rels...)
	}
	policy := func(name string, admin *bool, doc *resource.PolicyDocument) *resource.Resource {
		r := aws(resource.ClassIAMPolicy, arn("policy", name), resource.Facts{Policy: &resource.Policy{Managed: "customer", Admin: admin, Document: doc}})
		r.Aliases = []string{"ANPA" + name}
		return r
	}
	group := func(name string, admin *bool, inline []resource.NamedPolicy, rels ...resource.Relationship) *resource.Resource {
		r := aws(resource.ClassGroup, arn("group", name), resource.Facts{Group: &resource.Group{Admin: admin, InlineDocuments: inline}}, rels...)
		r.Aliases = []string{"AGPA" + name}
		return r
	}
	network := func(provider resource.Provider, account, id string, rels ...resource.Relationship) *resource.Resource {
		return &resource.Resource{Provider: provider, Account: account, ID: id, Class: resource.ClassNetwork,
			Facts: resource.Facts{Network: &resource.Network{}}, Relationships: rels}
	}
	flowLog := func(provider resource.Provider, account, id string, enabled *bool, target string) *resource.Resource {
		return &resource.Resource{Provider: provider, Account: account, ID: id, Class: resource.ClassFlowLog,
			Facts: resource.Facts{FlowLog: &resource.FlowLog{Enabled: enabled}}, Relationships: []resource.Relationship{rel(resource.RelFlowLogsOf, target)}}
	}
	bucket := func(account, name string, public *bool) *resource.Resource {
		return &resource.Resource{Provider: resource.AWS, Account: account, ID: "arn:aws:s3:::" + name, Name: name,
			Class: resource.ClassObjectStorage, Facts: resource.Facts{Storage: &resource.ObjectStorage{PublicAccess: public}}}
	}
	const sub = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft."
	azure := func(class resource.Class, id string, f resource.Facts, rels ...resource.Relationship) *resource.Resource {
		return &resource.Resource{Provider: resource.Azure, Account: "s1", ID: id, Class: class, Facts: f, Relationships: rels}
	}

	rs := []*resource.Resource{
		// Disks, referred to by alias (an AWS volume ID beside its ARN).
		disk("arn:vol/1", "vol-1", b(true)), disk("arn:vol/2", "vol-2", b(false)), disk("arn:vol/3", "vol-3", nil),
		vm("i-enc", rel(resource.RelUsesDisk, "vol-1")),
		vm("i-mixed", rel(resource.RelUsesDisk, "vol-1"), rel(resource.RelUsesDisk, "vol-2")),
		vm("i-missing", rel(resource.RelUsesDisk, "vol-1"), rel(resource.RelUsesDisk, "vol-404")),
		vm("i-unknown", rel(resource.RelUsesDisk, "vol-3")),
		vm("i-nodisk"),

		// Policies, groups, membership.
		policy("AllOfIt", b(true), adminDoc),
		policy("FromDocument", nil, adminDoc),
		policy("ReadOnly", b(false), readDoc),
		group("Admins", b(false), nil, rel(resource.RelHasPolicy, arn("policy", "AllOfIt"))),
		group("InlineAdmins", b(false), []resource.NamedPolicy{{Name: "all", Document: adminDoc}}),
		group("Readers", b(false), nil, rel(resource.RelHasPolicy, "arn:aws:iam::aws:policy/ReadOnlyAccess")),
		user("via-policy", b(false), rel(resource.RelHasPolicy, arn("policy", "AllOfIt"))),
		user("via-policy-alias", b(false), rel(resource.RelHasPolicy, "ANPAAllOfIt")),
		user("via-document", b(false), rel(resource.RelHasPolicy, arn("policy", "FromDocument"))),
		user("via-group", b(false), rel(resource.RelMemberOf, arn("group", "Admins"))),
		user("via-group-alias", b(false), rel(resource.RelMemberOf, "AGPAInlineAdmins")),
		user("reader", b(false), rel(resource.RelHasPolicy, arn("policy", "ReadOnly")), rel(resource.RelMemberOf, arn("group", "Readers")),
			rel(resource.RelHasPolicy, "arn:aws:iam::aws:policy/ReadOnlyAccess")),
		user("aws-admin", b(false), rel(resource.RelHasPolicy, "arn:aws:iam::aws:policy/AdministratorAccess")),
		user("missing-policy", b(false), rel(resource.RelHasPolicy, arn("policy", "NotExported"))),
		user("missing-group", b(false), rel(resource.RelMemberOf, arn("group", "NotExported"))),
		user("unreadable", nil, rel(resource.RelHasPolicy, arn("policy", "ReadOnly"))),
		user("plain", b(false)),

		// Account-level Block Public Access onto the account's buckets only.
		{Provider: resource.AWS, Account: acct, ID: "aws-account/" + acct, Class: resource.ClassAccount,
			Facts: resource.Facts{Account: &resource.Account{StoragePublicAccessBlocked: b(true)}}},
		bucket(acct, "blocked-public", b(true)), bucket(acct, "blocked-private", b(false)),
		bucket(other, "open", b(true)),
		// A trail delivering to a public bucket, another to a blocked one.
		{Provider: resource.AWS, Account: other, ID: "trail-open", Class: resource.ClassAuditLog,
			Facts: resource.Facts{AuditLog: &resource.AuditLog{Destination: "open"}}},
		{Provider: resource.AWS, Account: acct, ID: "trail-blocked", Class: resource.ClassAuditLog,
			Facts: resource.Facts{AuditLog: &resource.AuditLog{Destination: "blocked-public"}}},
		// Trails to buckets with and without server access logging.
		{Provider: resource.AWS, Account: acct, ID: "arn:aws:s3:::logged", Name: "logged", Class: resource.ClassObjectStorage,
			Facts: resource.Facts{Storage: &resource.ObjectStorage{AccessLogging: b(true)}}},
		{Provider: resource.AWS, Account: acct, ID: "arn:aws:s3:::unlogged", Name: "unlogged", Class: resource.ClassObjectStorage,
			Facts: resource.Facts{Storage: &resource.ObjectStorage{AccessLogging: b(false)}}},
		{Provider: resource.AWS, Account: acct, ID: "trail-logged", Class: resource.ClassAuditLog,
			Facts: resource.Facts{AuditLog: &resource.AuditLog{Destination: "logged"}}},
		{Provider: resource.AWS, Account: acct, ID: "trail-unlogged", Class: resource.ClassAuditLog,
			Facts: resource.Facts{AuditLog: &resource.AuditLog{Destination: "unlogged"}}},

		// Flow logs: on a VPC, on a subnet of another, disabled on a third;
		// an account without flow logs says nothing.
		network(resource.AWS, acct, "vpc-direct"),
		network(resource.AWS, acct, "vpc-subnet"),
		network(resource.AWS, acct, "vpc-disabled"),
		network(resource.AWS, acct, "vpc-none"),
		network(resource.AWS, other, "vpc-other"),
		{Provider: resource.AWS, Account: acct, ID: "subnet-1", Type: "AWS::EC2::Subnet", Class: resource.ClassOther,
			Relationships: []resource.Relationship{rel(resource.RelInNetwork, "vpc-subnet")}},
		flowLog(resource.AWS, acct, "fl-1", b(true), "vpc-direct"),
		flowLog(resource.AWS, acct, "fl-2", nil, "subnet-1"),
		flowLog(resource.AWS, acct, "fl-3", b(false), "vpc-disabled"),
		// An account-less flow-log listing takes its account from its target.
		flowLog(resource.AWS, "", "fl-cli", b(true), "vpc-other"),

		// Azure: flow log on an NSG of a VNet's subnet (IDs in another case);
		// a VM's public IP through its NICs.
		azure(resource.ClassNetwork, sub+"Network/virtualNetworks/vnet1", resource.Facts{Network: &resource.Network{}},
			rel(resource.RelUsesFirewall, sub+"Network/networkSecurityGroups/nsg1")),
		azure(resource.ClassNetwork, sub+"Network/virtualNetworks/vnet2", resource.Facts{Network: &resource.Network{}}),
		azure(resource.ClassFirewall, sub+"Network/networkSecurityGroups/nsg1", resource.Facts{Firewall: &resource.Firewall{}}),
		azure(resource.ClassFlowLog, sub+"Network/networkWatchers/nw/flowLogs/fl", resource.Facts{FlowLog: &resource.FlowLog{Enabled: b(true)}},
			rel(resource.RelFlowLogsOf, "/SUBSCRIPTIONS/S1/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.NETWORK/NETWORKSECURITYGROUPS/NSG1")),
		azure(resource.ClassOther, sub+"Network/networkInterfaces/nic-pub", resource.Facts{},
			rel(resource.RelUsesPublicIP, sub+"Network/publicIPAddresses/pip")),
		azure(resource.ClassOther, sub+"Network/networkInterfaces/nic-priv", resource.Facts{}),
		azure(resource.ClassCompute, sub+"Compute/virtualMachines/vm-pub", resource.Facts{Compute: &resource.Compute{}},
			rel(resource.RelUsesInterface, sub+"Network/networkInterfaces/nic-priv"), rel(resource.RelUsesInterface, sub+"Network/networkInterfaces/NIC-PUB")),
		azure(resource.ClassCompute, sub+"Compute/virtualMachines/vm-priv", resource.Facts{Compute: &resource.Compute{}},
			rel(resource.RelUsesInterface, sub+"Network/networkInterfaces/nic-priv")),
		azure(resource.ClassCompute, sub+"Compute/virtualMachines/vm-gone", resource.Facts{Compute: &resource.Compute{}},
			rel(resource.RelUsesInterface, sub+"Network/networkInterfaces/nic-404")),
	}
	for _, r := range rs {
		if r.Raw != nil {
			t.Fatalf("%s has Raw", r.ID)
		}
	}
	Derive(rs)
	first, err := json.Marshal(rs)
	if err != nil {
		t.Fatal(err)
	}
	Derive(rs)
	if again, _ := json.Marshal(rs); string(again) != string(first) {
		t.Error("Derive is not idempotent")
	}

	byID := map[string]*resource.Resource{}
	for _, r := range rs {
		byID[r.ID] = r
	}
	get := func(id string) *resource.Resource {
		t.Helper()
		r := byID[id]
		if r == nil {
			t.Fatalf("no %s", id)
		}
		return r
	}
	cases := []struct {
		name string
		got  *bool
		want string
	}{
		{"disk: every disk encrypted", get("i-enc").Facts.Compute.DiskEncrypted, "true"},
		{"disk: one unencrypted", get("i-mixed").Facts.Compute.DiskEncrypted, "false"},
		{"disk: one not in the inventory", get("i-missing").Facts.Compute.DiskEncrypted, "unknown"},
		{"disk: encryption unknown", get("i-unknown").Facts.Compute.DiskEncrypted, "unknown"},
		{"disk: no disks", get("i-nodisk").Facts.Compute.DiskEncrypted, "unknown"},

		{"policy admin from its document", get(arn("policy", "FromDocument")).Facts.Policy.Admin, "true"},
		{"group admin through an attached policy", get(arn("group", "Admins")).Facts.Group.Admin, "true"},
		{"group admin through an inline document", get(arn("group", "InlineAdmins")).Facts.Group.Admin, "true"},
		{"group with AWS-managed read-only", get(arn("group", "Readers")).Facts.Group.Admin, "false"},
		{"user admin through a policy", get(arn("user", "via-policy")).Facts.Identity.Admin, "true"},
		{"user admin through a policy alias", get(arn("user", "via-policy-alias")).Facts.Identity.Admin, "true"},
		{"user admin through a policy document", get(arn("user", "via-document")).Facts.Identity.Admin, "true"},
		{"user admin through a group", get(arn("user", "via-group")).Facts.Identity.Admin, "true"},
		{"user admin through a group alias", get(arn("user", "via-group-alias")).Facts.Identity.Admin, "true"},
		{"user with read-only policies and group", get(arn("user", "reader")).Facts.Identity.Admin, "false"},
		{"user with AdministratorAccess", get(arn("user", "aws-admin")).Facts.Identity.Admin, "true"},
		{"user with a policy not in the inventory", get(arn("user", "missing-policy")).Facts.Identity.Admin, "unknown"},
		{"user in a group not in the inventory", get(arn("user", "missing-group")).Facts.Identity.Admin, "unknown"},
		{"user whose own policies were unreadable", get(arn("user", "unreadable")).Facts.Identity.Admin, "unknown"},
		{"user without policies", get(arn("user", "plain")).Facts.Identity.Admin, "false"},

		{"account block: bucket blocked", get("arn:aws:s3:::blocked-public").Facts.Storage.PublicAccessBlocked, "true"},
		{"account block: public bucket no longer public", get("arn:aws:s3:::blocked-public").Facts.Storage.PublicAccess, "false"},
		{"account block: private bucket blocked", get("arn:aws:s3:::blocked-private").Facts.Storage.PublicAccessBlocked, "true"},
		{"account block: other account untouched", get("arn:aws:s3:::open").Facts.Storage.PublicAccessBlocked, "unknown"},
		{"account block: other account still public", get("arn:aws:s3:::open").Facts.Storage.PublicAccess, "true"},
		{"trail to a public bucket", get("trail-open").Facts.AuditLog.DestinationPublic, "true"},
		{"trail to a blocked bucket", get("trail-blocked").Facts.AuditLog.DestinationPublic, "false"},
		{"trail to a bucket with access logging", get("trail-logged").Facts.AuditLog.DestinationAccessLogging, "true"},
		{"trail to a bucket without access logging", get("trail-unlogged").Facts.AuditLog.DestinationAccessLogging, "false"},
		{"trail to a bucket whose logging is unknown", get("trail-open").Facts.AuditLog.DestinationAccessLogging, "unknown"},

		{"flow log on the VPC", get("vpc-direct").Facts.Network.FlowLogs, "true"},
		{"flow log on a subnet", get("vpc-subnet").Facts.Network.FlowLogs, "true"},
		{"disabled flow log", get("vpc-disabled").Facts.Network.FlowLogs, "false"},
		{"no flow log, account has some", get("vpc-none").Facts.Network.FlowLogs, "false"},
		{"account-less listing on the VPC", get("vpc-other").Facts.Network.FlowLogs, "true"},
		{"flow log on a subnet NSG", get(sub + "Network/virtualNetworks/vnet1").Facts.Network.FlowLogs, "true"},
		{"VNet without flow logs", get(sub + "Network/virtualNetworks/vnet2").Facts.Network.FlowLogs, "false"},

		{"VM with a public NIC", get(sub + "Compute/virtualMachines/vm-pub").Facts.Compute.PublicIP, "true"},
		{"VM with private NICs only", get(sub + "Compute/virtualMachines/vm-priv").Facts.Compute.PublicIP, "false"},
		{"VM whose NIC is not in the inventory", get(sub + "Compute/virtualMachines/vm-gone").Facts.Compute.PublicIP, "unknown"},
	}
	for _, c := range cases {
		if got := show(c.got); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
	if fl := get("fl-cli"); fl.Account != other {
		t.Errorf("account-less flow log attributed to %q, want %s", fl.Account, other)
	}
}

// TestDeriveKeepsSourceAnswers: a derivation that cannot decide leaves what
// the source said, and never turns a source's true into false.
func TestDeriveKeepsSourceAnswers(t *testing.T) {
	vm := &resource.Resource{Provider: resource.AWS, ID: "i-1", Class: resource.ClassCompute,
		Facts:         resource.Facts{Compute: &resource.Compute{DiskEncrypted: b(true), PublicIP: b(true)}},
		Relationships: []resource.Relationship{rel(resource.RelUsesDisk, "vol-404"), rel(resource.RelUsesInterface, "eni-1")}}
	eni := &resource.Resource{Provider: resource.AWS, ID: "eni-1", Class: resource.ClassOther}
	admin := &resource.Resource{Provider: resource.AWS, ID: "u", Class: resource.ClassIdentity,
		Facts:         resource.Facts{Identity: &resource.Identity{Admin: b(true)}},
		Relationships: []resource.Relationship{rel(resource.RelHasPolicy, "arn:aws:iam::1:policy/gone")}}
	Derive([]*resource.Resource{vm, eni, admin})
	if show(vm.Facts.Compute.DiskEncrypted) != "true" || show(vm.Facts.Compute.PublicIP) != "true" || show(admin.Facts.Identity.Admin) != "true" {
		t.Errorf("source answers overwritten: disk %s ip %s admin %s", show(vm.Facts.Compute.DiskEncrypted),
			show(vm.Facts.Compute.PublicIP), show(admin.Facts.Identity.Admin))
	}
}

// TestDeriveDoubtsResourcesWithProblems: a resource an input problem names
// may have lost relationships or facts to a wrong-typed field, so it never
// decides a derived fact in the passing direction.
func TestDeriveDoubtsResourcesWithProblems(t *testing.T) {
	const nicID = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Network/networkInterfaces/nic"
	nic := &resource.Resource{Provider: resource.Azure, ID: nicID, Class: resource.ClassOther}
	vm := &resource.Resource{Provider: resource.Azure, ID: "vm", Class: resource.ClassCompute,
		Facts: resource.Facts{Compute: &resource.Compute{}}, Relationships: []resource.Relationship{rel(resource.RelUsesInterface, nicID)}}
	vol := &resource.Resource{Provider: resource.AWS, ID: "vol-1", Class: resource.ClassDisk, Facts: resource.Facts{Disk: &resource.Disk{Encrypted: b(true)}}}
	inst := &resource.Resource{Provider: resource.AWS, ID: "i-1", Class: resource.ClassCompute,
		Facts: resource.Facts{Compute: &resource.Compute{}}, Relationships: []resource.Relationship{rel(resource.RelUsesDisk, "vol-1")}}
	pol := &resource.Resource{Provider: resource.AWS, ID: "arn:aws:iam::1:policy/p", Class: resource.ClassIAMPolicy,
		Facts: resource.Facts{Policy: &resource.Policy{Admin: b(false)}}}
	user := &resource.Resource{Provider: resource.AWS, ID: "u", Class: resource.ClassIdentity,
		Facts: resource.Facts{Identity: &resource.Identity{Admin: b(false)}}, Relationships: []resource.Relationship{rel(resource.RelHasPolicy, pol.ID)}}
	all := []*resource.Resource{nic, vm, vol, inst, pol, user}

	Derive(all) // without problems every fact is decided
	if show(vm.Facts.Compute.PublicIP) != "false" || show(inst.Facts.Compute.DiskEncrypted) != "true" || show(user.Facts.Identity.Admin) != "false" {
		t.Fatalf("without problems: ip %s disk %s admin %s", show(vm.Facts.Compute.PublicIP),
			show(inst.Facts.Compute.DiskEncrypted), show(user.Facts.Identity.Admin))
	}
	vm.Facts.Compute.PublicIP, inst.Facts.Compute.DiskEncrypted, user.Facts.Identity.Admin = nil, nil, b(false)
	derive(all, []source.Problem{
		{Path: "r.json", Resource: strings.ToUpper(nicID), Field: "type", Err: "want string"},
		{Path: "s.json", Resource: "vol-1", Field: "configuration.size", Err: "want number"},
		{Path: "s.json", Resource: pol.ID, Field: "configuration.policyVersionList", Err: "want array"},
	})
	if show(vm.Facts.Compute.PublicIP) != "unknown" || show(inst.Facts.Compute.DiskEncrypted) != "unknown" || show(user.Facts.Identity.Admin) != "unknown" {
		t.Errorf("with problems: ip %s disk %s admin %s, want all unknown", show(vm.Facts.Compute.PublicIP),
			show(inst.Facts.Compute.DiskEncrypted), show(user.Facts.Identity.Admin))
	}
}

// A binding to a custom role the inventory holds is privileged when the
// role is full-admin, whichever cloud and whichever way the binding names
// the role (a grants_role relationship to an alias, or its role ID); a role
// missing from the inventory leaves it unknown, and a role with an input
// problem decides nothing in the passing direction.
func TestDeriveBindingPrivilegeFromRole(t *testing.T) {
	role := func(p resource.Provider, id, alias string, full *bool) *resource.Resource {
		r := &resource.Resource{Provider: p, ID: id, Class: resource.ClassRole,
			Facts: resource.Facts{Role: &resource.RoleDefinition{Custom: b(true), FullAdmin: full}}}
		if alias != "" {
			r.Aliases = []string{alias}
		}
		return r
	}
	binding := func(p resource.Provider, id, roleID string, own *bool, rels ...resource.Relationship) *resource.Resource {
		return &resource.Resource{Provider: p, ID: id, Class: resource.ClassIAMBinding, Relationships: rels,
			Facts: resource.Facts{Binding: &resource.Binding{Principal: "x", Role: roleID, Privileged: own}}}
	}
	const gAdmin, gRead = "//iam.googleapis.com/organizations/1/roles/admin", "//iam.googleapis.com/organizations/1/roles/read"
	const aAdmin = "/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/AAAA"
	rs := []*resource.Resource{
		role(resource.GCP, gAdmin, "organizations/1/roles/admin", b(true)),
		role(resource.GCP, gRead, "organizations/1/roles/read", b(false)),
		role(resource.GCP, "//iam.googleapis.com/projects/p/roles/odd", "projects/p/roles/odd", nil),
		role(resource.GCP, "//iam.googleapis.com/projects/p/roles/troubled", "projects/p/roles/troubled", b(false)),
		role(resource.Azure, aAdmin, "", b(true)),
		binding(resource.GCP, "g-admin", "organizations/1/roles/admin", nil, rel(relGrantsRole, "organizations/1/roles/admin")),
		binding(resource.GCP, "g-read", "organizations/1/roles/read", nil, rel(relGrantsRole, "organizations/1/roles/read")),
		binding(resource.GCP, "g-missing", "organizations/1/roles/gone", nil, rel(relGrantsRole, "organizations/1/roles/gone")),
		binding(resource.GCP, "g-odd", "projects/p/roles/odd", nil, rel(relGrantsRole, "projects/p/roles/odd")),
		binding(resource.GCP, "g-troubled", "projects/p/roles/troubled", nil, rel(relGrantsRole, "projects/p/roles/troubled")),
		binding(resource.GCP, "g-owner", "roles/owner", b(true)),
		binding(resource.GCP, "g-viewer", "roles/viewer", b(false)),
		// Azure: the role ID in another case, and a source that said false.
		binding(resource.Azure, "a-admin", strings.ToLower(aAdmin), b(false)),
		binding(resource.Azure, "a-missing", "/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/BBBB", nil),
	}
	derive(rs, []source.Problem{{Resource: "//iam.googleapis.com/projects/p/roles/troubled", Field: "includedPermissions"}})
	want := map[string]string{
		"g-admin": "true", "g-read": "false", "g-missing": "unknown", "g-odd": "unknown", "g-troubled": "unknown",
		"g-owner": "true", "g-viewer": "false", "a-admin": "true", "a-missing": "unknown",
	}
	for _, r := range rs {
		if w, ok := want[r.ID]; ok {
			if got := show(r.Facts.Binding.Privileged); got != w {
				t.Errorf("%s: privileged %s, want %s", r.ID, got, w)
			}
		}
	}
}
