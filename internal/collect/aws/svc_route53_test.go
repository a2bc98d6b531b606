package awscollect

import (
	"context"
	"slices"
	"testing"

	"github.com/vigil-sec/vigil/internal/collect"
)

const (
	zoneOrders   = "arn:aws:route53:::hostedzone/Z0ORDERS1EXAMPLE"   // public, query logging, a CNAME to a bucket the account lacks
	zoneInternal = "arn:aws:route53:::hostedzone/Z0INTERNAL2EXAMPLE" // private (vpc-0aaa0001), no query logging
)

// collectMgmt runs services (every one when nil) for the management
// account alone in us-east-1 against the fake server over dirs (its
// default ones when none), and returns the output directory and the
// failures of the calls whose service is one of svcs, as
// "call resource kind".
func collectMgmt(t *testing.T, services []Service, fault func(fakeReq) string, svcs []string, dirs ...string) (string, []string) {
	t.Helper()
	f := newFakeAWS(t, dirs...)
	f.Fault = fault
	opts := testOptions(t, f, mgmt)
	opts.Regions = []string{"us-east-1"}
	opts.services = services
	dir := t.TempDir()
	rec := &collect.Recorder{}
	if err := Collect(context.Background(), opts, collect.Dir(dir), rec, nil); err != nil {
		t.Fatal(err)
	}
	var fails []string
	for _, fl := range rec.Failures() {
		if slices.Contains(svcs, fl.Service) {
			fails = append(fails, fl.Call+" "+fl.Resource+" "+string(fl.Kind))
		}
	}
	return dir, fails
}

// TestRoute53Zones: collect (every service, so that the account's S3
// buckets are there too), import, scan: the hosted zones and their
// records (the public zone's over two pages) give the DNS facts; the
// CNAME to a website bucket the account does not have is dangling (the one
// to its own bucket is not) and dns-dangling-record fails the public zone;
// dns-query-logging passes it and does not judge the private one.
func TestRoute53Zones(t *testing.T) {
	dir, fails := collectMgmt(t, nil, nil, []string{"route53"})
	if len(fails) != 0 {
		t.Errorf("failures: %v", fails)
	}
	checkFacts(t, imported(t, dir), []factWant{
		{zoneOrders, "dns.public", true}, {zoneOrders, "dns.query_logging", true},
		{zoneOrders, "dns.dangling_records", []string{"old.orders.example.com CNAME orders-old-site.s3-website-us-east-1.amazonaws.com"}},
		{zoneInternal, "dns.public", false}, {zoneInternal, "dns.query_logging", false},
	})
	for rule, want := range map[string]map[string]string{
		"dns-dangling-record": {zoneOrders: "FAIL"},
		"dns-query-logging":   {zoneOrders: "PASS", zoneInternal: ""}, // a private zone is not judged
	} {
		got := ruleStatuses(t, dir, rule)
		for id, w := range want {
			if got[id] != w {
				t.Errorf("%s on %s = %q, want %s", rule, id, got[id], w)
			}
		}
	}
}

// TestRoute53Faults: when the query logging listing fails no zone item is
// written (a zone without QueryLoggingConfig reads as not logging), the
// records still are and decide the dangling record; a zone whose second
// page of records failed has no records (dangling unknown, not none).
func TestRoute53Faults(t *testing.T) {
	dir, fails := collectMgmt(t, nil, func(r fakeReq) string {
		switch {
		case r.Key() == "route53:ListQueryLoggingConfigs":
			return "denied"
		case r.Key() == "route53:ListResourceRecordSets" && r.Token != "":
			return "500"
		}
		return ""
	}, []string{"route53"})
	want := []string{"route53:ListQueryLoggingConfigs  " + string(collect.Denied),
		"route53:ListResourceRecordSets " + zoneOrders + " " + string(collect.Failed)}
	if len(fails) == 2 && fails[0] > fails[1] {
		fails[0], fails[1] = fails[1], fails[0]
	}
	if mustJSON(fails) != mustJSON(want) {
		t.Errorf("failures:\n got %v\nwant %v", fails, want)
	}
	rs := imported(t, dir)
	checkFacts(t, rs, []factWant{{zoneInternal, "dns.query_logging", nil}, {zoneInternal, "dns.public", nil}})
	if r := rs[zoneInternal]; r == nil || r.Facts.DNS == nil || len(r.Facts.DNS.Records) != 3 {
		t.Errorf("%s: not imported with its three records", zoneInternal)
	}
	if r := rs[zoneOrders]; r != nil {
		t.Errorf("%s imported (%+v) although neither its item nor its records were written", zoneOrders, r.Facts.DNS)
	}
}
