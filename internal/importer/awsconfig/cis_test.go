package awsconfig

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"reflect"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

func cisItem(acct, region, typ, id string, cfg attr.M) attr.M {
	return attr.M{"resourceType": typ, "resourceId": id, "resourceName": id, "awsAccountId": acct,
		"awsRegion": region, "configuration": cfg}
}

func pemCert(t *testing.T, notAfter time.Time) string {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "example.com"},
		NotBefore: notAfter.Add(-24 * time.Hour), NotAfter: notAfter}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
}

// TestAccountCIS: account A has a recording recorder, a hub and an
// analyzer in us-east-1 only, while it holds resources in us-east-1 and
// eu-west-1 (its eu-west-1 recorder stopped); a support role; two server
// certificates. Account B shows none of them: every fact unknown.
func TestAccountCIS(t *testing.T) {
	a, b := "111122223333", "444455556666"
	vpc := func(acct, region, id string) attr.M {
		return cisItem(acct, region, "AWS::EC2::VPC", id, attr.M{"vpcId": id, "isDefault": false})
	}
	expiry := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	res := parseItems1(t,
		vpc(a, "us-east-1", "vpc-1"), vpc(a, "eu-west-1", "vpc-2"), vpc(b, "us-east-1", "vpc-3"),
		cisItem(a, "us-east-1", TypeConfigRecorder, "default", attr.M{"Name": "default", "Recording": true}),
		cisItem(a, "eu-west-1", TypeConfigRecorder, "default", attr.M{"Name": "default", "Recording": false}),
		cisItem(a, "us-east-1", TypeSecurityHub, "hub", attr.M{}),
		cisItem(a, "us-east-1", TypeAccessAnalyzer, "default", attr.M{"AnalyzerName": "default", "Type": "ACCOUNT"}),
		cisItem(a, "eu-west-1", TypeAccessAnalyzer, "off", attr.M{"AnalyzerName": "off", "Status": "DISABLED"}),
		cisItem(a, "global", "AWS::IAM::Role", "support", attr.M{"roleName": "support",
			"attachedManagedPolicies": []any{attr.M{"policyArn": supportPolicyARN, "policyName": "AWSSupportAccess"}}}),
		cisItem(a, "global", "AWS::IAM::Role", "app", attr.M{"roleName": "app", "attachedManagedPolicies": []any{}}),
		cisItem(b, "global", "AWS::IAM::Role", "app", attr.M{"roleName": "app", "attachedManagedPolicies": []any{}}),
		cisItem(a, "global", TypeServerCertificate, "old", attr.M{"ServerCertificateName": "old", "CertificateBody": pemCert(t, expiry)}),
		cisItem(a, "global", TypeServerCertificate, "meta", attr.M{"ServerCertificateName": "meta", "Expiration": "2027-01-02T00:00:00Z"}),
		cisItem(a, "global", TypeServerCertificate, "junk", attr.M{"ServerCertificateName": "junk", "CertificateBody": "not a certificate"}),
	)
	added, problems := Finalize(res.Resources)
	if len(problems) > 0 {
		t.Fatalf("problems: %+v", problems)
	}
	got := map[string]*resource.AccountCIS{}
	for _, r := range added {
		got[r.Account] = r.Facts.Account.CIS
	}
	ca := got[a]
	if ca == nil {
		t.Fatalf("account %s: no CIS facts", a)
	}
	check := func(name string, gotB *bool, want string, gotL, wantL []string) {
		t.Helper()
		if fmtB(gotB) != want || !reflect.DeepEqual(gotL, wantL) {
			t.Errorf("%s: %s %v, want %s %v", name, fmtB(gotB), gotL, want, wantL)
		}
	}
	check("config", ca.ConfigAllRegions, "false", ca.ConfigMissingRegions, []string{"eu-west-1"})
	check("hub", ca.SecurityHubAllRegions, "false", ca.SecurityHubMissingRegions, []string{"eu-west-1"})
	check("analyzer", ca.AccessAnalyzerAllRegions, "false", ca.AccessAnalyzerMissingRegions, []string{"eu-west-1"})
	check("support", ca.SupportRole, "true", nil, nil)
	wantCerts := []resource.ServerCertificate{{Name: "junk"}, {Name: "meta", Expiration: "2027-01-02T00:00:00Z"},
		{Name: "old", Expiration: "2025-03-01T12:00:00Z"}}
	if !reflect.DeepEqual(ca.ServerCertificates, wantCerts) {
		t.Errorf("certificates %+v, want %+v", ca.ServerCertificates, wantCerts)
	}
	cb := got[b]
	if cb == nil {
		t.Fatalf("account %s: no CIS facts (its roles were read)", b)
	}
	check("b config", cb.ConfigAllRegions, "nil", cb.ConfigMissingRegions, nil)
	check("b hub", cb.SecurityHubAllRegions, "nil", nil, nil)
	check("b support", cb.SupportRole, "false", nil, nil)
	if cb.ServerCertificates != nil {
		t.Errorf("b certificates %+v, want none known", cb.ServerCertificates)
	}
}

// TestAccountCISEveryRegion: a recorder in each region in use.
func TestAccountCISEveryRegion(t *testing.T) {
	a := "111122223333"
	res := parseItems1(t,
		cisItem(a, "us-east-1", "AWS::EC2::VPC", "vpc-1", attr.M{"vpcId": "vpc-1"}),
		cisItem(a, "us-east-1", TypeConfigRecorder, "default", attr.M{"Name": "default"}),
	)
	added, _ := Finalize(res.Resources)
	if len(added) != 1 || added[0].Facts.Account.CIS == nil || fmtB(added[0].Facts.Account.CIS.ConfigAllRegions) != "true" {
		t.Fatalf("want config in every region, got %+v", added)
	}
}

// TestEFSAndNetworkACLClasses: an EFS file system is a disk with its
// encryption; a network ACL is of class network_acl.
func TestEFSAndNetworkACLClasses(t *testing.T) {
	a := "111122223333"
	res := parseItems1(t,
		cisItem(a, "us-east-1", TypeEFS, "fs-1", attr.M{"FileSystemId": "fs-1", "Encrypted": false}),
		cisItem(a, "us-east-1", TypeEFS, "fs-2", attr.M{"FileSystemId": "fs-2", "Encrypted": true, "KmsKeyId": "arn:aws:kms:us-east-1:111122223333:key/k"}),
		cisItem(a, "us-east-1", TypeEFS, "fs-3", attr.M{"FileSystemId": "fs-3"}),
		cisItem(a, "us-east-1", "AWS::EC2::NetworkAcl", "acl-1", attr.M{"networkAclId": "acl-1", "entries": []any{}}),
	)
	want := map[string]string{"fs-1": "false", "fs-2": "true", "fs-3": "nil"}
	for _, r := range res.Resources {
		if r.Type == "AWS::EC2::NetworkAcl" {
			if r.Class != resource.ClassNetworkACL || r.Facts.Firewall == nil {
				t.Errorf("network ACL: class %s, facts %+v", r.Class, r.Facts.Firewall)
			}
			continue
		}
		if r.Class != resource.ClassDisk || r.Facts.Disk == nil {
			t.Fatalf("%s: class %s", r.Name, r.Class)
		}
		if g := fmtB(r.Facts.Disk.Encrypted); g != want[r.Name] {
			t.Errorf("%s: encrypted %s, want %s", r.Name, g, want[r.Name])
		}
	}
}
