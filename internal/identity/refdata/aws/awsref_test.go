package awsref

import (
	"os"
	"slices"
	"strings"
	"testing"
)

func TestLoad(t *testing.T) {
	d, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if d.ManagedPolicyCount() < 1000 {
		t.Errorf("%d managed policies, want the full set (>1000)", d.ManagedPolicyCount())
	}
	admin := d.ManagedPolicy("arn:aws:iam::aws:policy/AdministratorAccess")
	if admin == nil || admin.Error != "" || len(admin.Statements) != 1 || admin.Statements[0].Actions[0] != "*" {
		t.Fatalf("AdministratorAccess = %+v", admin)
	}
	if d.ManagedPolicy("arn:aws-us-gov:iam::aws:policy/AdministratorAccess") == nil {
		t.Error("a GovCloud managed policy ARN does not resolve")
	}
	if d.ManagedPolicy("arn:aws:iam::aws:policy/aws-service-role/AWS_ConfigRole") == nil {
		t.Error("a managed policy ARN with another path does not resolve by name")
	}
	if d.ManagedPolicy("arn:aws:iam::aws:policy/NoSuchPolicy") != nil {
		t.Error("an unknown managed policy resolved")
	}
	if !d.Known("s3:GetObject") || !d.Known("IAM:createuser") || d.Known("s3:GetObjectt") || d.Known("nosuch:Thing") {
		t.Error("Known disagrees with the catalog")
	}
	a, ok := d.Lookup("iam:PassRole")
	if !ok || a.Name != "iam:PassRole" || a.AccessLevel != "Write" || !slices.Contains(a.ResourceTypes, "role") {
		t.Errorf("iam:PassRole = %+v", a)
	}
	if !d.RCPSupported("s3") || d.RCPSupported("ec2") {
		t.Error("RCP services wrong")
	}
}

func TestExpand(t *testing.T) {
	d, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	iam := d.Expand("iam:*")
	if len(iam) < 100 || !slices.Contains(iam, "iam:CreateUser") || slices.Contains(iam, "s3:GetObject") {
		t.Errorf("iam:* expands to %d actions", len(iam))
	}
	get := d.Expand("S3:get*")
	for _, a := range get {
		if a[:6] != "s3:Get" {
			t.Errorf("s3:Get* gave %s", a)
		}
	}
	if !slices.Contains(get, "s3:GetObject") {
		t.Error("s3:Get* misses s3:GetObject")
	}
	if q := d.Expand("s3:?etObject"); !slices.Equal(q, []string{"s3:GetObject"}) {
		t.Errorf("s3:?etObject = %v", q)
	}
	if len(d.Expand("*")) < 10000 {
		t.Error("* expands to too few actions")
	}
	if d.Expand("GetObject") != nil {
		t.Error("an action without service matched")
	}
}

func TestWildcard(t *testing.T) {
	for _, c := range []struct {
		p, s string
		want bool
	}{
		{"*", "", true}, {"a*c", "abbbc", true}, {"a*c", "abbbd", false}, {"a?c", "abc", true}, {"a?c", "ac", false},
		{"*b*", "abc", true}, {"a**", "a", true}, {"", "", true}, {"", "a", false}, {"a*b*c", "aXbYbZc", true},
	} {
		if got := Wildcard(c.p, c.s); got != c.want {
			t.Errorf("Wildcard(%q, %q) = %v", c.p, c.s, got)
		}
	}
}

// TestNoticeNamesSources keeps NOTICE in step with the data: it names the
// packages and versions the data was built from.
func TestNoticeNamesSources(t *testing.T) {
	d, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	notice, err := os.ReadFile("NOTICE")
	if err != nil {
		t.Fatal(err)
	}
	for _, src := range []string{d.ManagedSource, d.CatalogSource} {
		name, version, ok := strings.Cut(src[1:], "@")
		if !ok {
			t.Fatalf("source %q has no version", src)
		}
		name = src[:1] + name
		if !strings.Contains(string(notice), name+" "+version) {
			t.Errorf("NOTICE does not name %s %s", name, version)
		}
	}
}
