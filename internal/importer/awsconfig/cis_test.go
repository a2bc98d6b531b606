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

// TestRegionCoverageUnread: a region whose input was not read whole counts
// as in use; a service not seen there leaves the "every region" fact
// unknown rather than true, unless a region that was read lacks it too.
func TestRegionCoverageUnread(t *testing.T) {
	const a = "111122223333"
	c := regionCoverage{}
	c.set(a, "us-east-1", true)
	accounts := map[string]bool{a: true}
	unread := unreadRegions([]string{
		"org/aws/" + a + "/AWSLogs/" + a + "/Config/eu-west-1/2026/11/24/ConfigSnapshot/x.json.gz",
		"org/aws/" + a + "/cli/iam-list-roles.json", // no region
		"org/aws/999999999999/cli/x.us-west-2.json", // an account not in the input
	}, accounts)
	if want := map[string]map[string]bool{a: {"eu-west-1": true}}; !reflect.DeepEqual(unread, want) {
		t.Fatalf("unreadRegions = %v, want %v", unread, want)
	}
	if all, missing := c.judge(a, map[string]bool{"us-east-1": true, "eu-west-1": true}, unread[a]); all != nil {
		t.Errorf("service off only in an unread region: %v %v, want unknown", *all, missing)
	}
	all, missing := c.judge(a, map[string]bool{"us-east-1": true, "eu-west-1": true, "eu-central-1": true}, unread[a])
	if all == nil || *all || !reflect.DeepEqual(missing, []string{"eu-central-1"}) {
		t.Errorf("service off in a read region = %v %v, want false [eu-central-1]", all, missing)
	}
	c.set(a, "eu-west-1", true)
	if all, _ := c.judge(a, map[string]bool{"us-east-1": true, "eu-west-1": true}, unread[a]); all == nil || !*all {
		t.Errorf("service seen on in the unread region = %v, want true", all)
	}
	// The single account of the input is the one of a path naming none.
	if got := unreadRegions([]string{"exports/x.eu-west-1.json"}, accounts); !got[a]["eu-west-1"] {
		t.Errorf("unreadRegions without an account in the path = %v", got)
	}
}
