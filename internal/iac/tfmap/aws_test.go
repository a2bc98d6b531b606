package tfmap_test

import (
	"testing"

	"github.com/vigil-sec/vigil/internal/iac/tfmap"
	"github.com/vigil-sec/vigil/internal/resource"
)

type factCase struct {
	name  string
	insts []tfmap.Instance
	addr  string // the resource whose facts are checked
	want  string // its facts as JSON
	// unsupported lists the addresses expected in unsupported ("" none).
	unsupported []string
}

func runFactCases(t *testing.T, cases []factCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, unsupported, probs := mapped(t, c.insts...)
			if f := factsJSON(t, got[c.addr]); f != c.want {
				t.Errorf("facts of %s:\n got %s\nwant %s\nproblems: %v", c.addr, f, c.want, probs)
			}
			if len(unsupported) != len(c.unsupported) {
				t.Errorf("unsupported: %v, want %v", unsupported, c.unsupported)
			}
			for _, a := range c.unsupported {
				if _, found := unsupported[a]; !found {
					t.Errorf("%s not unsupported: %v", a, unsupported)
				}
			}
		})
	}
}

const (
	bucketDefaults = `{"storage":{"public_access":false,"public_access_blocked":true,"encrypted":true,"key_manager":"provider","versioning":false,"access_logging":false,"secure_transport_only":false,"uniform_access":true,"delete_protection":false}}`
)

func TestS3Bucket(t *testing.T) {
	publicPolicy := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::site/*"}]}`
	runFactCases(t, []factCase{
		{name: "defaults of a new bucket", addr: "aws_s3_bucket.b",
			insts: []tfmap.Instance{res("aws_s3_bucket", "b", obj{"bucket": "site"})},
			want:  bucketDefaults},
		{name: "split resources joined by reference", addr: "aws_s3_bucket.b",
			insts: []tfmap.Instance{
				res("aws_s3_bucket", "b", obj{}),
				res("aws_s3_bucket_public_access_block", "b", obj{"bucket": ref("aws_s3_bucket.b"), "block_public_acls": true}),
				res("aws_s3_bucket_policy", "b", obj{"bucket": ref("aws_s3_bucket.b"), "policy": publicPolicy}),
				res("aws_s3_bucket_versioning", "b", obj{"bucket": ref("aws_s3_bucket.b"), "versioning_configuration": blk(obj{"status": "Enabled"})}),
				res("aws_s3_bucket_logging", "b", obj{"bucket": ref("aws_s3_bucket.b"), "target_bucket": "logs"}),
				res("aws_s3_bucket_server_side_encryption_configuration", "b", obj{"bucket": ref("aws_s3_bucket.b"),
					"rule": blk(obj{"apply_server_side_encryption_by_default": blk(obj{"sse_algorithm": "aws:kms", "kms_master_key_id": ref("aws_kms_key.k")})})}),
			},
			want: `{"storage":{"public_access":true,"public_access_blocked":false,"encrypted":true,"key_manager":"customer","versioning":true,"access_logging":true,"secure_transport_only":false,"uniform_access":true,"delete_protection":false},"resource_policy":{"version":"2012-10-17","statements":[{"effect":"Allow","actions":["s3:GetObject"],"resources":["arn:aws:s3:::site/*"],"principals":[{"type":"*","id":"*"}]}]}}`},
		{name: "split resources joined by literal name; plan JSON's single-object blocks", addr: "aws_s3_bucket.b",
			insts: []tfmap.Instance{
				res("aws_s3_bucket", "b", obj{"bucket": "site"}),
				res("aws_s3_bucket_versioning", "v", obj{"bucket": "site", "versioning_configuration": obj{"status": "Suspended"}}),
				res("aws_s3_bucket_ownership_controls", "o", obj{"bucket": "site", "rule": obj{"object_ownership": "ObjectWriter"}}),
				res("aws_s3_bucket_acl", "a", obj{"bucket": "site", "acl": "public-read"}),
				res("aws_s3_bucket_public_access_block", "p", obj{"bucket": "site", "block_public_acls": false, "ignore_public_acls": false,
					"block_public_policy": true, "restrict_public_buckets": true}),
			},
			want: `{"storage":{"public_access":true,"public_access_blocked":false,"encrypted":true,"key_manager":"provider","versioning":false,"access_logging":false,"secure_transport_only":false,"uniform_access":false,"delete_protection":false}}`},
		{name: "public ACL ignored under the default BucketOwnerEnforced", addr: "aws_s3_bucket.b",
			insts: []tfmap.Instance{
				res("aws_s3_bucket", "b", obj{"bucket": "site", "acl": "public-read"}),
				res("aws_s3_bucket_public_access_block", "p", obj{"bucket": "site"}),
			},
			want: `{"storage":{"public_access":false,"public_access_blocked":false,"encrypted":true,"key_manager":"provider","versioning":false,"access_logging":false,"secure_transport_only":false,"uniform_access":true,"delete_protection":false}}`},
		{name: "public ACL refused by block_public_acls under ObjectWriter", addr: "aws_s3_bucket.b",
			insts: []tfmap.Instance{
				res("aws_s3_bucket", "b", obj{"bucket": "site"}),
				res("aws_s3_bucket_ownership_controls", "o", obj{"bucket": "site", "rule": obj{"object_ownership": "ObjectWriter"}}),
				res("aws_s3_bucket_public_access_block", "p", obj{"bucket": "site", "block_public_acls": true}),
				res("aws_s3_bucket_acl", "a", obj{"bucket": "site", "acl": "public-read"}),
			},
			want: `{"storage":{"public_access":false,"public_access_blocked":false,"encrypted":true,"key_manager":"provider","versioning":false,"access_logging":false,"secure_transport_only":false,"uniform_access":false,"delete_protection":false}}`},
		{name: "public policy refused by block_public_policy although restrict_public_buckets is off", addr: "aws_s3_bucket.b",
			insts: []tfmap.Instance{
				res("aws_s3_bucket", "b", obj{"bucket": "site"}),
				res("aws_s3_bucket_public_access_block", "p", obj{"bucket": "site", "block_public_policy": true}),
				res("aws_s3_bucket_policy", "p", obj{"bucket": "site", "policy": publicPolicy}),
			},
			want: `{"storage":{"public_access":false,"public_access_blocked":false,"encrypted":true,"key_manager":"provider","versioning":false,"access_logging":false,"secure_transport_only":false,"uniform_access":true,"delete_protection":false}}`},
		{name: "policy known only after apply leaves public access unknown", addr: "aws_s3_bucket.b",
			insts: []tfmap.Instance{
				res("aws_s3_bucket", "b", obj{"bucket": "site"}),
				res("aws_s3_bucket_public_access_block", "p", obj{"bucket": "site"}),
				res("aws_s3_bucket_policy", "p", obj{"bucket": "site", "policy": tfmap.Unknown{}}),
			},
			want: `{"storage":{"public_access_blocked":false,"encrypted":true,"key_manager":"provider","versioning":false,"access_logging":false,"uniform_access":true,"delete_protection":false}}`},
		{name: "jsonencode object with a reference in Resource only; TLS-only policy", addr: "aws_s3_bucket.b",
			insts: []tfmap.Instance{
				res("aws_s3_bucket", "b", obj{"bucket": "site"}),
				res("aws_s3_bucket_policy", "p", obj{"bucket": ref("aws_s3_bucket.b"), "policy": obj{"Statement": []any{
					obj{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": ref("aws_s3_bucket.b"),
						"Condition": obj{"Bool": obj{"aws:SecureTransport": "false"}}}}}}),
			},
			want: `{"storage":{"public_access":false,"public_access_blocked":true,"encrypted":true,"key_manager":"provider","versioning":false,"access_logging":false,"secure_transport_only":true,"uniform_access":true,"delete_protection":false},"resource_policy":{"statements":[{"effect":"Deny","actions":["s3:*"],"resources":["${aws_s3_bucket.b}"],"principals":[{"type":"*","id":"*"}],"conditions":[{"operator":"Bool","key":"aws:SecureTransport","values":["false"]}]}]}}`},
		{name: "inline deprecated arguments", addr: "aws_s3_bucket.b",
			insts: []tfmap.Instance{res("aws_s3_bucket", "b", obj{"bucket": "site",
				"versioning": blk(obj{"enabled": true}), "logging": blk(obj{"target_bucket": "logs"}),
				"server_side_encryption_configuration": blk(obj{"rule": blk(obj{"apply_server_side_encryption_by_default": blk(obj{
					"sse_algorithm": "aws:kms", "kms_master_key_id": "alias/aws/s3"})})})})},
			want: `{"storage":{"public_access":false,"public_access_blocked":true,"encrypted":true,"key_manager":"provider","versioning":true,"access_logging":true,"secure_transport_only":false,"uniform_access":true,"delete_protection":false}}`},
		{name: "a split resource of a bucket not in the configuration is unsupported", addr: "aws_s3_bucket.b",
			insts: []tfmap.Instance{
				res("aws_s3_bucket", "b", obj{"bucket": "site"}),
				res("aws_s3_bucket_versioning", "other", obj{"bucket": "elsewhere", "versioning_configuration": blk(obj{"status": "Enabled"})}),
			},
			want: bucketDefaults, unsupported: []string{"aws_s3_bucket_versioning.other"}},
		{name: "versioning of the wrong type is unknown, not off", addr: "aws_s3_bucket.b",
			insts: []tfmap.Instance{res("aws_s3_bucket", "b", obj{"versioning": blk(obj{"enabled": "maybe"})})},
			want:  `{"storage":{"public_access":false,"public_access_blocked":true,"encrypted":true,"key_manager":"provider","access_logging":false,"secure_transport_only":false,"uniform_access":true,"delete_protection":false}}`},
		{name: "the account-wide block of the configuration blocks its buckets (the refused public policy is not deployed)", addr: "aws_s3_bucket.b",
			insts: []tfmap.Instance{
				res("aws_s3_bucket", "b", obj{"bucket": "site"}),
				res("aws_s3_bucket_public_access_block", "p", obj{"bucket": "site"}),
				res("aws_s3_bucket_policy", "p", obj{"bucket": "site", "policy": publicPolicy}),
				res("aws_s3_account_public_access_block", "a", obj{"block_public_acls": true, "ignore_public_acls": true,
					"block_public_policy": true, "restrict_public_buckets": true}),
			},
			want: `{"storage":{"public_access":false,"public_access_blocked":true,"encrypted":true,"key_manager":"provider","versioning":false,"access_logging":false,"secure_transport_only":false,"uniform_access":true,"delete_protection":false}}`},
		{name: "account public access block", addr: "aws_s3_account_public_access_block.a",
			insts: []tfmap.Instance{res("aws_s3_account_public_access_block", "a", obj{"block_public_acls": true, "ignore_public_acls": true,
				"block_public_policy": true, "restrict_public_buckets": false})},
			want: `{"account":{"storage_public_access_blocked":false}}`},
	})
}

func TestS3JoinByForEachKey(t *testing.T) {
	mk := func(key string) tfmap.Instance {
		in := res("aws_s3_bucket", "b", obj{"bucket": "b-" + key})
		in.Address = `module.m.aws_s3_bucket.b["` + key + `"]`
		in.Location.Address = in.Address
		in.Location.Calls = []resource.Location{{File: "main.tf", StartLine: 3}}
		in.Location.File = "modules/m/main.tf"
		return in
	}
	pab := res("aws_s3_bucket_public_access_block", "p", obj{"bucket": ref(`module.m.aws_s3_bucket.b["x"]`)})
	pab.Address = `module.m.aws_s3_bucket_public_access_block.p["x"]`
	// A reference to the whole resource from an instance with the same key.
	ver := res("aws_s3_bucket_versioning", "v", obj{"bucket": ref(`module.m.aws_s3_bucket.b`), "versioning_configuration": blk(obj{"status": "Enabled"})})
	ver.Address = `module.m.aws_s3_bucket_versioning.v["y"]`
	got, unsupported, _ := mapped(t, mk("x"), mk("y"), pab, ver)
	x, y := got[`module.m.aws_s3_bucket.b["x"]`], got[`module.m.aws_s3_bucket.b["y"]`]
	if x == nil || y == nil {
		t.Fatalf("buckets: %v", got)
	}
	if *x.Facts.Storage.PublicAccessBlocked || !*y.Facts.Storage.PublicAccessBlocked {
		t.Errorf("x blocked %v, y blocked %v: the block joined the wrong instance", *x.Facts.Storage.PublicAccessBlocked, *y.Facts.Storage.PublicAccessBlocked)
	}
	if *x.Facts.Storage.Versioning || !*y.Facts.Storage.Versioning {
		t.Errorf("x versioning %v, y versioning %v: the versioning joined the wrong instance", *x.Facts.Storage.Versioning, *y.Facts.Storage.Versioning)
	}
	if x.ID != `.:module.m.aws_s3_bucket.b["x"]` || x.ID == y.ID {
		t.Errorf("IDs %q, %q", x.ID, y.ID)
	}
	if x.Type != "AWS::S3::Bucket" || x.Provider != "aws" || x.Name != "b-x" {
		t.Errorf("resource %+v", x)
	}
	if len(unsupported) != 0 {
		t.Errorf("unsupported: %v", unsupported)
	}
}

func TestSecurityGroup(t *testing.T) {
	runFactCases(t, []factCase{
		{name: "inline rules; no default egress", addr: "aws_security_group.g",
			insts: []tfmap.Instance{res("aws_security_group", "g", obj{"ingress": blk(
				obj{"from_port": 22.0, "to_port": 22.0, "protocol": "tcp", "cidr_blocks": []any{"0.0.0.0/0"}},
				obj{"from_port": 0.0, "to_port": 0.0, "protocol": "-1", "self": true},
			)})},
			want: `{"firewall":{"rules":[{"direction":"ingress","action":"allow","protocol":"tcp","from_port":22,"to_port":22,"sources":["0.0.0.0/0"]},{"direction":"ingress","action":"allow","protocol":"all","from_port":0,"to_port":65535,"sources":["self"]}],"default":false}}`},
		{name: "rule resources joined", addr: "aws_security_group.g",
			insts: []tfmap.Instance{
				res("aws_security_group", "g", obj{"name": "web"}),
				res("aws_security_group_rule", "ssh", obj{"type": "ingress", "security_group_id": ref("aws_security_group.g"),
					"from_port": 22.0, "to_port": 22.0, "protocol": "6", "cidr_blocks": []any{"10.0.0.0/8"}, "ipv6_cidr_blocks": []any{"::/0"}}),
				res("aws_vpc_security_group_ingress_rule", "rdp", obj{"security_group_id": ref("aws_security_group.g"),
					"from_port": 3389.0, "to_port": 3389.0, "ip_protocol": "tcp", "cidr_ipv4": "0.0.0.0/0"}),
				res("aws_vpc_security_group_egress_rule", "all", obj{"security_group_id": ref("aws_security_group.g"),
					"ip_protocol": "-1", "cidr_ipv4": "0.0.0.0/0"}),
			},
			want: `{"firewall":{"rules":[{"direction":"ingress","action":"allow","protocol":"tcp","from_port":22,"to_port":22,"sources":["10.0.0.0/8","::/0"]},{"direction":"ingress","action":"allow","protocol":"tcp","from_port":3389,"to_port":3389,"sources":["0.0.0.0/0"]},{"direction":"egress","action":"allow","protocol":"all","from_port":0,"to_port":65535,"sources":["0.0.0.0/0"]}],"default":false}}`},
		{name: "a CIDR from a variable without value leaves the rules unknown", addr: "aws_security_group.g",
			insts: []tfmap.Instance{
				res("aws_security_group", "g", obj{}),
				res("aws_security_group_rule", "ssh", obj{"type": "ingress", "security_group_id": ref("aws_security_group.g"),
					"from_port": 22.0, "to_port": 22.0, "protocol": "tcp", "cidr_blocks": []any{tfmap.Unknown{}}}),
			},
			want: `{"firewall":{"rules":null,"default":false}}`},
		{name: "a list of addresses of a resource of the configuration", addr: "aws_security_group.g",
			insts: []tfmap.Instance{res("aws_security_group", "g", obj{"ingress": blk(
				obj{"from_port": 3306.0, "to_port": 3306.0, "protocol": "tcp", "cidr_blocks": ref("aws_vpc.v")})})},
			want: `{"firewall":{"rules":[{"direction":"ingress","action":"allow","protocol":"tcp","from_port":3306,"to_port":3306,"sources":["${aws_vpc.v}"]}],"default":false}}`},
		{name: "a variable beside 0.0.0.0/0 does not hide the internet", addr: "aws_security_group.g",
			insts: []tfmap.Instance{res("aws_security_group", "g", obj{"ingress": blk(
				obj{"from_port": 22.0, "to_port": 22.0, "protocol": "tcp", "cidr_blocks": []any{tfmap.Unknown{}, "0.0.0.0/0"}})})},
			want: `{"firewall":{"rules":[{"direction":"ingress","action":"allow","protocol":"tcp","from_port":22,"to_port":22,"sources":["${}","0.0.0.0/0"]}],"default":false}}`},
		{name: "a port of the wrong type leaves the rules unknown", addr: "aws_security_group.g",
			insts: []tfmap.Instance{res("aws_security_group", "g", obj{"ingress": blk(
				obj{"from_port": "ssh", "to_port": 22.0, "protocol": "tcp", "cidr_blocks": []any{"0.0.0.0/0"}})})},
			want: `{"firewall":{"rules":null,"default":false}}`},
		{name: "default security group", addr: "aws_default_security_group.d",
			insts: []tfmap.Instance{res("aws_default_security_group", "d", obj{"vpc_id": "vpc-1"})},
			want:  `{"firewall":{"rules":[],"default":true}}`},
	})
}

func TestProblemsNameAddressAndAttribute(t *testing.T) {
	_, _, probs := mapped(t,
		res("aws_s3_bucket", "b", obj{"bucket": "site"}),
		res("aws_s3_bucket_policy", "p", obj{"bucket": "site", "policy": "not json"}),
		res("aws_security_group", "g", obj{"ingress": blk(obj{"from_port": "ssh", "to_port": 22.0, "protocol": "tcp"})}),
		res("google_compute_firewall", "f", obj{"direction": "SIDEWAYS", "allow": blk(obj{"protocol": "tcp"})}),
		res("azurerm_network_security_group", "n", obj{"security_rule": blk(obj{"priority": 100.0, "direction": "Inbound", "access": "Allow",
			"protocol": "Tcp", "source_address_prefix": "*", "destination_port_range": "twenty-two"})}),
	)
	want := map[string]bool{"aws_s3_bucket_policy.p policy": false, "aws_security_group.g from_port": false,
		"google_compute_firewall.f direction": false, "azurerm_network_security_group.n destination_port_range": false}
	for _, p := range probs {
		k := p.Resource + " " + p.Field
		if _, found := want[k]; found {
			want[k] = true
		}
		if p.Path != "main.tf" || p.Line != 1 {
			t.Errorf("problem not located: %+v", p)
		}
	}
	for k, seen := range want {
		if !seen {
			t.Errorf("no problem for %s: %v", k, probs)
		}
	}
}

func TestDataSourcesAreNotResources(t *testing.T) {
	d := res("aws_s3_bucket", "existing", obj{"bucket": "x"})
	d.Mode, d.Address = "data", "data.aws_s3_bucket.existing"
	got, unsupported, _ := mapped(t, d, res("aws_instance_unknown_thing", "x", obj{}))
	if len(got) != 0 {
		t.Errorf("resources from a data source: %v", got)
	}
	if len(unsupported) != 1 || unsupported["aws_instance_unknown_thing.x"] != "aws_instance_unknown_thing" {
		t.Errorf("unsupported: %v", unsupported)
	}
}
