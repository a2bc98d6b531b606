package inventory

import (
	"reflect"
	"testing"

	"github.com/vigil-sec/vigil/internal/resource"
	"github.com/vigil-sec/vigil/internal/source"
)

// TestDanglingRecords derives dns.dangling_records from typed facts only
// (Raw is empty everywhere).
func TestDanglingRecords(t *testing.T) {
	const acct, other = "111122223333", "444455556666"
	zone := func(p resource.Provider, account, id string, recs ...resource.DNSRecord) *resource.Resource {
		if recs == nil {
			recs = []resource.DNSRecord{}
		}
		return &resource.Resource{Provider: p, Account: account, ID: id, Class: resource.ClassDNSZone,
			Facts: resource.Facts{DNS: &resource.DNSZone{Records: recs}}}
	}
	cname := func(name, target string) resource.DNSRecord {
		return resource.DNSRecord{Name: name, Type: "CNAME", Targets: []string{target}}
	}
	alias := func(name, target string) resource.DNSRecord {
		return resource.DNSRecord{Name: name, Type: "A", Alias: true, Targets: []string{target}}
	}
	res := func(p resource.Provider, account, typ, name string, aliases ...string) *resource.Resource {
		return &resource.Resource{Provider: p, Account: account, ID: string(p) + "/" + typ + "/" + name, Type: typ, Name: name, Aliases: aliases}
	}
	const bucket = "AWS::S3::Bucket"
	soa := resource.DNSRecord{Name: "example.com", Type: "SOA", Targets: []string{"ns-1.awsdns-01.org. hostmaster.example.com. 1 7200 900 1209600 86400"}}
	a := resource.DNSRecord{Name: "api.example.com", Type: "A", Targets: []string{"203.0.113.10"}}

	cases := []struct {
		name  string
		zone  *resource.Resource
		other []*resource.Resource
		want  []string // nil: unknown
	}{
		{"deleted S3 website bucket", zone(resource.AWS, acct, "z1", soa, cname("old.example.com", "old.example.com.s3-website-us-east-1.amazonaws.com.")),
			[]*resource.Resource{res(resource.AWS, acct, bucket, "assets")},
			[]string{"old.example.com CNAME old.example.com.s3-website-us-east-1.amazonaws.com"}},
		{"existing bucket, REST endpoint", zone(resource.AWS, acct, "z2", cname("cdn.example.com", "assets.s3.amazonaws.com")),
			[]*resource.Resource{res(resource.AWS, acct, bucket, "assets")}, []string{}},
		{"bucket in another account of the inventory", zone(resource.AWS, acct, "z3", cname("cdn.example.com", "shared.s3.eu-west-1.amazonaws.com")),
			[]*resource.Resource{res(resource.AWS, acct, bucket, "assets"), res(resource.AWS, other, bucket, "shared")}, []string{}},
		{"no bucket exported for the zone's account", zone(resource.AWS, acct, "z4", cname("cdn.example.com", "gone.s3.amazonaws.com")),
			[]*resource.Resource{res(resource.AWS, other, bucket, "assets")}, nil},
		{"alias to an S3 website endpoint: the bucket is the record's name", zone(resource.AWS, acct, "z5",
			alias("www.example.com", "s3-website-us-east-1.amazonaws.com"), alias("app.example.com", "s3-website.eu-west-1.amazonaws.com")),
			[]*resource.Resource{res(resource.AWS, acct, bucket, "www.example.com")},
			[]string{"app.example.com A alias s3-website.eu-west-1.amazonaws.com"}},
		{"wildcard record to a website endpoint: undecidable", zone(resource.AWS, acct, "z6", alias("*.example.com", "s3-website-us-east-1.amazonaws.com")),
			[]*resource.Resource{res(resource.AWS, acct, bucket, "assets")}, nil},
		{"no cloud-hosted target", zone(resource.AWS, acct, "z7", soa, a, cname("www.example.com", "d111111abcdef8.cloudfront.net"),
			alias("lb.example.com", "dualstack.web-1234.us-east-1.elb.amazonaws.com")), nil, []string{}},
		{"records not exported", &resource.Resource{Provider: resource.AWS, Account: acct, ID: "z8", Class: resource.ClassDNSZone,
			Facts: resource.Facts{DNS: &resource.DNSZone{}}}, []*resource.Resource{res(resource.AWS, acct, bucket, "assets")}, nil},
		{"one dangling, one undecided", zone(resource.AWS, acct, "z9", cname("a.example.com", "gone.s3.amazonaws.com"),
			cname("b.example.com", "myapp.azurewebsites.net")),
			[]*resource.Resource{res(resource.AWS, acct, bucket, "assets")}, []string{"a.example.com CNAME gone.s3.amazonaws.com"}},
		{"Azure web app and storage account", zone(resource.Azure, "s1", "/subscriptions/s1/zone",
			cname("www.example.com", "nw-web.azurewebsites.net"), cname("old.example.com", "nw-old.azurewebsites.net"),
			cname("files.example.com", "nwfiles.blob.core.windows.net"), cname("stage.example.com", "nw-web-staging.azurewebsites.net")),
			[]*resource.Resource{res(resource.Azure, "s1", "microsoft.web/sites", "nw-web"), res(resource.Azure, "s1", "Microsoft.Web/sites/slots", "nw-web/staging"),
				res(resource.Azure, "s1", "Microsoft.Storage/storageAccounts", "nwfiles")},
			[]string{"old.example.com CNAME nw-old.azurewebsites.net"}},
		{"Azure public IP label: names need not match, no host-name aliases", zone(resource.Azure, "s1", "/subscriptions/s1/zone2",
			cname("vm.example.com", "nw-vm.eastus.cloudapp.azure.com")),
			[]*resource.Resource{res(resource.Azure, "s1", "Microsoft.Network/publicIPAddresses", "pip-vm")}, nil},
		{"Azure public IP label with host-name aliases", zone(resource.Azure, "s1", "/subscriptions/s1/zone3",
			cname("vm.example.com", "nw-vm.eastus.cloudapp.azure.com"), cname("old.example.com", "nw-old.eastus.cloudapp.azure.com"),
			cname("tm.example.com", "nw-tm.trafficmanager.net")),
			[]*resource.Resource{res(resource.Azure, "s1", "Microsoft.Network/publicIPAddresses", "pip-vm", "nw-vm.eastus.cloudapp.azure.com")},
			[]string{"old.example.com CNAME nw-old.eastus.cloudapp.azure.com"}},
		{"Cloud Storage bucket named by the record", zone(resource.GCP, "p1", "//dns.googleapis.com/zone",
			cname("static.example.com", "c.storage.googleapis.com"), cname("media.example.com", "c.storage.googleapis.com.")),
			[]*resource.Resource{res(resource.GCP, "p1", "storage.googleapis.com/Bucket", "static.example.com")},
			[]string{"media.example.com CNAME c.storage.googleapis.com"}},
		{"a Route 53 zone pointing at Azure: not this account's export", zone(resource.AWS, acct, "z10", cname("x.example.com", "gone.azurewebsites.net")),
			[]*resource.Resource{res(resource.Azure, "s1", "Microsoft.Web/sites", "nw-web")}, nil},
		{"zone without an account", zone(resource.AWS, "", "z11", cname("a.example.com", "gone.s3.amazonaws.com")),
			[]*resource.Resource{res(resource.AWS, acct, bucket, "assets")}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			Derive(append([]*resource.Resource{c.zone}, c.other...))
			got := c.zone.Facts.DNS.DanglingRecords
			if (got == nil) != (c.want == nil) || !reflect.DeepEqual(got, c.want) && len(got)+len(c.want) > 0 {
				t.Errorf("dangling_records = %#v, want %#v", got, c.want)
			}
			for _, r := range append([]*resource.Resource{c.zone}, c.other...) {
				if r.Raw != nil {
					t.Fatalf("%s has Raw", r.ID)
				}
			}
		})
	}
}

func TestDanglingRecordsKeepsSourceAnswerAndDoubts(t *testing.T) {
	bucket := &resource.Resource{Provider: resource.AWS, Account: "1", ID: "b", Type: "AWS::S3::Bucket", Name: "assets"}
	said := &resource.Resource{Provider: resource.AWS, Account: "1", ID: "z1", Class: resource.ClassDNSZone, Facts: resource.Facts{DNS: &resource.DNSZone{
		DanglingRecords: []string{"x"}, Records: []resource.DNSRecord{{Name: "a.example.com", Type: "CNAME", Targets: []string{"assets.s3.amazonaws.com"}}}}}}
	Derive([]*resource.Resource{said, bucket})
	if got := said.Facts.DNS.DanglingRecords; !reflect.DeepEqual(got, []string{"x"}) {
		t.Errorf("source's answer replaced: %v", got)
	}
	// A zone an input problem names may have lost records: finding none
	// dangling decides nothing.
	z := &resource.Resource{Provider: resource.AWS, Account: "1", ID: "z2", Class: resource.ClassDNSZone, Facts: resource.Facts{DNS: &resource.DNSZone{
		Records: []resource.DNSRecord{{Name: "a.example.com", Type: "CNAME", Targets: []string{"assets.s3.amazonaws.com"}}}}}}
	derive([]*resource.Resource{z, bucket}, []source.Problem{{Resource: "z2", Field: "ResourceRecordSets[1].Name"}})
	if got := z.Facts.DNS.DanglingRecords; got != nil {
		t.Errorf("doubtful zone: dangling_records = %v, want unknown", got)
	}
	// Idempotent.
	z.Facts.DNS.Records = append(z.Facts.DNS.Records, resource.DNSRecord{Name: "b.example.com", Type: "CNAME", Targets: []string{"gone.s3.amazonaws.com"}})
	rs := []*resource.Resource{z, bucket}
	Derive(rs)
	Derive(rs)
	if got := z.Facts.DNS.DanglingRecords; !reflect.DeepEqual(got, []string{"b.example.com CNAME gone.s3.amazonaws.com"}) {
		t.Errorf("dangling_records = %v", got)
	}
}
