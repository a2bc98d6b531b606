package escalate

import (
	"context"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/resource"
)

func TestAttackPaths(t *testing.T) {
	instance := func(name string, public bool, profile string) *resource.Resource {
		return &resource.Resource{Provider: resource.AWS, Account: acctA, Region: "us-east-1", Type: "AWS::EC2::Instance", ID: "arn:aws:ec2:us-east-1:" + acctA + ":instance/" + name, Name: name,
			Class: resource.ClassCompute, Facts: resource.Facts{Compute: &resource.Compute{PublicIP: resource.Bool(public), Identity: profile}}}
	}
	bucket := func(name string, tags map[string]string) *resource.Resource {
		return &resource.Resource{Provider: resource.AWS, Account: acctA, Region: "us-east-1", Type: "AWS::S3::Bucket", ID: "arn:aws:s3:::" + name, Name: name, Tags: tags,
			Class: resource.ClassObjectStorage, Facts: resource.Facts{Storage: &resource.ObjectStorage{}}}
	}
	withProfile := func(r *resource.Resource, profile string) *resource.Resource {
		r.Facts.Identity.InstanceProfiles = []string{profile}
		return r
	}
	const (
		readerP = "arn:aws:iam::111111111111:instance-profile/reader"
		escP    = "arn:aws:iam::111111111111:instance-profile/esc"
	)
	rs := []*resource.Resource{
		awsAccount(t, acctA),
		withProfile(awsRole(t, acctA, "reader", trustService("ec2.amazonaws.com"), allow("s3:GetObject", "arn:aws:s3:::*")), readerP),
		withProfile(awsRole(t, acctA, "esc", trustService("ec2.amazonaws.com"), allow("iam:AttachRolePolicy", awsARN(acctA, "role", "esc"))), escP),
		bucket("payroll", map[string]string{"Data-Classification": "Confidential"}),
		bucket("assets", map[string]string{"team": "web"}),
		instance("web", true, readerP),
		instance("batch", false, readerP),
		instance("jump", true, escP),
	}
	a := analyze(t, rs)
	ps, err := a.Paths(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	fs := AttackPaths(a, ps)
	by := map[string]finding.Finding{}
	for _, f := range fs {
		by[f.Resource.Name] = f
		if f.Category != AttackCategory || f.Status != finding.Fail || f.Severity != finding.Critical {
			t.Errorf("finding %+v", f)
		}
	}
	if len(fs) != 2 {
		t.Errorf("%d findings, want web and jump: %+v", len(fs), fs)
	}
	if w := by["web"].Message; !strings.Contains(w, "can read sensitive object_storage arn:aws:s3:::payroll") || strings.Contains(w, "assets") {
		t.Errorf("web: %s", w)
	}
	if j := by["jump"].Message; !strings.Contains(j, "can become admin of aws-account/111111111111") || !strings.Contains(j, "aws-attach-role-policy") {
		t.Errorf("jump: %s", j)
	}
	if _, ok := by["batch"]; ok {
		t.Error("an instance without a public IP is an attack path")
	}
}

func TestSensitiveExposed(t *testing.T) {
	if !Sensitive(&resource.Resource{Tags: map[string]string{"sensitivity": "PII"}}) || Sensitive(&resource.Resource{Tags: map[string]string{"classification": "public"}}) {
		t.Error("Sensitive")
	}
	if !Exposed(&resource.Resource{Facts: resource.Facts{Function: &resource.Function{PublicInvocation: resource.Bool(true)}}}) || Exposed(&resource.Resource{Facts: resource.Facts{Compute: &resource.Compute{}}}) {
		t.Error("Exposed")
	}
	// Reachability's verdict wins over the public IP where it decided.
	pub := resource.Facts{Compute: &resource.Compute{PublicIP: resource.Bool(true)}}
	blocked, undecided, reached := pub, pub, resource.Facts{Compute: &resource.Compute{PublicIP: resource.Bool(false)}}
	blocked.Exposure = &resource.Exposure{Internet: resource.Bool(false)}
	undecided.Exposure = &resource.Exposure{Undecided: []string{"the route table of subnet-1 is not in the inventory"}}
	reached.Exposure = &resource.Exposure{Internet: resource.Bool(true)}
	if Exposed(&resource.Resource{Facts: blocked}) {
		t.Error("a public IP behind a network ACL that denies the internet is exposed")
	}
	if !Exposed(&resource.Resource{Facts: undecided}) || !Exposed(&resource.Resource{Facts: reached}) {
		t.Error("undecided exposure must fall back to the public IP; a decided path must count")
	}
}

// TestAttackPathGCP: a GCE instance with a public IP runs as a service
// account that may read a restricted bucket.
func TestAttackPathGCP(t *testing.T) {
	const bkt = "//storage.googleapis.com/nw-hr"
	vm := &resource.Resource{Provider: resource.GCP, Account: "proj-a", Type: "compute.googleapis.com/Instance", ID: "//compute.googleapis.com/projects/proj-a/zones/z/instances/web", Name: "web",
		Class: resource.ClassCompute, Relationships: []resource.Relationship{{Type: resource.RelRunsAs, TargetID: saEmail}}, Facts: resource.Facts{Compute: &resource.Compute{PublicIP: resource.Bool(true)}}}
	rs := gcpBase(vm,
		&resource.Resource{Provider: resource.GCP, Account: "proj-a", Type: "storage.googleapis.com/Bucket", ID: bkt, Name: "nw-hr", Tags: map[string]string{"classification": "restricted"},
			Class: resource.ClassObjectStorage, Relationships: []resource.Relationship{{Type: "contained_in", TargetID: proj}}, Facts: resource.Facts{Storage: &resource.ObjectStorage{}}})
	rs[3] = bind(bkt, "roles/storage.objectViewer", sa) // the service account reads the bucket, is no owner
	a := analyze(t, rs)
	fs := AttackPaths(a, nil)
	if len(fs) != 1 || fs[0].Resource.Name != "web" || !strings.Contains(fs[0].Message, "can read sensitive object_storage "+bkt) {
		t.Errorf("findings %+v", fs)
	}
	// A service account is not asked about an AWS bucket.
	if _, _, ok := a.readCheck(sa, &resource.Resource{Provider: resource.AWS, Class: resource.ClassObjectStorage, ID: "arn:aws:s3:::x"}); ok {
		t.Error("a GCP identity checked against an AWS bucket")
	}
}
