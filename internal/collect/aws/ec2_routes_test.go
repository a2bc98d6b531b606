package awscollect

import (
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/collect"
)

const instWeb = "arn:aws:ec2:us-east-1:111122223333:instance/i-0aaa1111bbbb2222c" // public IP, subnet-0aaa0001, SSH open to the world

// TestRouteTables: the route tables (over two pages: the VPC's main table,
// and the public subnet's own with a default route to an internet
// gateway) let the imported inventory decide the instance's exposure: SSH
// reachable from the internet through the subnet's route. A listing whose
// second page failed writes no table, and the exposure is undecided again
// (the subnet's table missing), not judged on the main table alone.
func TestRouteTables(t *testing.T) {
	for _, c := range []struct {
		name, fault string
		tables      int
		internet    any
	}{
		{"two pages", "", 2, true},
		{"second page fails", "500", 0, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir, fails := collectMgmt(t, []Service{{Name: "ec2", Run: runEC2}}, func(r fakeReq) string {
				if r.Key() == "ec2:DescribeRouteTables" && r.Token == "rtb-page-2" {
					return c.fault
				}
				return ""
			}, []string{"ec2"}, "testdata")
			var want []string
			if c.fault != "" {
				want = []string{"ec2:DescribeRouteTables  " + string(collect.Failed)}
			}
			if mustJSON(fails) != mustJSON(want) {
				t.Errorf("failures = %v, want %v", fails, want)
			}
			rs := imported(t, dir)
			tables := 0
			for _, r := range rs {
				if r.Type == "AWS::EC2::RouteTable" {
					tables++
				}
			}
			if tables != c.tables {
				t.Errorf("%d route tables imported, want %d", tables, c.tables)
			}
			checkFacts(t, rs, []factWant{{instWeb, "exposure.internet", c.internet}})
			e := rs[instWeb].Facts.Exposure
			if e == nil {
				t.Fatal("no exposure")
			}
			got := mustJSON(e)
			if c.internet == true && !strings.Contains(got, "route 0.0.0.0/0 -\\u003e igw-0aaa0001") {
				t.Errorf("exposure %s: no path through the subnet's route to the internet gateway", got)
			}
			if c.internet == nil && !strings.Contains(got, "route table of subnet subnet-0aaa0001 is not in the inventory") {
				t.Errorf("exposure %s: not undecided for the missing route table", got)
			}
		})
	}
}
