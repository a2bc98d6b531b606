package awscollect

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/vigil-sec/vigil/internal/collect"
	"github.com/vigil-sec/vigil/internal/resource"
)

// Resources of the Direct Connect and API Gateway outputs in testdata/more.
const (
	dxVIF      = "arn:aws:directconnect:us-east-1:111122223333:dxvif/dxvif-ffabc123"
	dxGateway  = "5f294f92-bafb-4011-916d-9b0bdx000001"
	dxAssocVGW = "arn:aws:directconnect::111122223333:dx-gateway/" + dxGateway + "/association/a1b2c3d4-0000-4000-8000-0000000000a1"
	dxAssocTGW = "arn:aws:directconnect::111122223333:dx-gateway/" + dxGateway + "/association/a1b2c3d4-0000-4000-8000-0000000000a2"
	restOrders = "arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5"
	restAdmin  = "arn:aws:apigateway:us-east-1::/restapis/p9r8i7v6a5"
	httpOrders = "arn:aws:apigateway:us-east-1::/apis/h7k2m9p4q1"
	vpcLink    = "arn:aws:apigateway:us-east-1::/vpclinks/vl0abc"
)

// origins are an API's origins as "target:port via".
func origins(t *testing.T, rs map[string]*resource.Resource, id string) []string {
	t.Helper()
	r := rs[id]
	if r == nil || r.Facts.APIGateway == nil {
		t.Errorf("%s: no API Gateway facts", id)
		return nil
	}
	var out []string
	for _, o := range r.Facts.APIGateway.Origins {
		b, _ := json.Marshal(o.Port)
		out = append(out, o.Target+":"+string(b)+" via "+o.Via)
	}
	return out
}

// checkNetFacts: the Direct Connect and API Gateway outputs the collector
// wrote give the importer's reachability facts: the virtual interface's
// BGP ends, the Direct Connect gateway's associations with their allowed
// prefixes (read over two pages), the APIs' origins (the REST API's
// resources over two pages, the HTTP API's integrations over two pages),
// the VPC link's load balancer, and the APIs' names and exposure from
// their items.
func checkNetFacts(t *testing.T, rs map[string]*resource.Resource) {
	t.Helper()
	checkFacts(t, rs, []factWant{
		{dxVIF, "network_link.kind", "interconnect"}, {dxVIF, "network_link.gateway", dxGateway},
		{dxVIF, "network_link.up", true}, {dxVIF, "network_link.peer_ips", []string{"169.254.10.2"}},
		{dxAssocVGW, "network_link.attached", "vgw-0a1b2c3d4e5f60718"}, {dxAssocVGW, "network_link.prefixes", []string{"10.0.0.0/16"}},
		{dxAssocTGW, "network_link.attached_type", "tgw"}, {dxAssocTGW, "network_link.prefixes", []string{"10.20.0.0/16", "10.21.0.0/16"}},
		{restOrders, "api_gateway.public", true}, {restOrders, "api_gateway.auth_required", false},
		{restAdmin, "api_gateway.public", false}, {restAdmin, "api_gateway.auth_required", true},
		{httpOrders, "api_gateway.public", true},
	})
	if r := rs[restOrders]; r == nil || r.Name != "orders-rest" {
		t.Errorf("%s: not named by its item: %+v", restOrders, r)
	}
	if r := rs[dxAssocTGW]; r == nil || r.Region != "us-west-2" {
		t.Errorf("%s: region not the transit gateway's: %+v", dxAssocTGW, r)
	}
	for id, want := range map[string][]string{
		restOrders: {"legacy.example.com:8080 via legacy.example.com:8080", vpcLink + ":8443 via VPC link vl0abc"},
		restAdmin:  {"arn:aws:lambda:us-east-1:111122223333:function:report-mailer:443 via report-mailer"},
		httpOrders: {fnAPI + ":443 via orders-api",
			"arn:aws:elasticloadbalancing:us-east-1:111122223333:listener/app/prod-web/dd5401c094c2b683/9f1a2b3c4d5e6f70:0 via VPC link vlv2abc",
			"partner.example.net:8443 via partner.example.net:8443"},
	} {
		if got := origins(t, rs, id); mustJSON(got) != mustJSON(want) {
			t.Errorf("%s origins:\n got %v\nwant %v", id, got, want)
		}
	}
	link := rs[vpcLink]
	if link == nil {
		t.Fatalf("%s: not in the inventory", vpcLink)
	}
	nlb := "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/orders-nlb/50dc6c495c0c9188"
	if want := []resource.Relationship{{Type: "vpc_link_target", TargetID: nlb}}; mustJSON(link.Relationships) != mustJSON(want) {
		t.Errorf("%s relationships = %s, want %s", vpcLink, mustJSON(link.Relationships), mustJSON(want))
	}
}

// TestNetCISSecretsLeftOut: the BGP authentication key of a virtual
// interface (its own, its peers', and in the router configuration) is
// in no file the collection writes.
func TestNetCISSecretsLeftOut(t *testing.T) {
	dir, _, _ := collectMore(t, nil)
	noFileHolds(t, dir, "VIGILTESTbgpAuthKey", "the BGP authentication key")
}

// noFileHolds fails t for every file under dir holding secret (what names
// it).
func noFileHolds(t *testing.T, dir, secret, what string) {
	t.Helper()
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err == nil && bytes.Contains(b, []byte(secret)) {
			t.Errorf("%s holds %s", p, what)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestNetCISFaults: a denied, throttled or failing Direct Connect, API
// Gateway, Access Analyzer or EFS call names its account, region, action
// and resource, the rest is collected, and what it would have said is
// unknown: a REST API whose second page of resources failed has no
// resources output (its origins unknown, not fewer), a gateway whose
// associations failed part-way has none, and an account whose analyzer
// list failed in one region while every region read has an external
// analyzer does not pass CIS 2.18 (unknown).
func TestNetCISFaults(t *testing.T) {
	dir, fails, _ := collectMore(t, func(r fakeReq) string {
		switch {
		case r.Key() == "directconnect:DescribeVirtualInterfaces" && r.Region == "us-east-1":
			return "denied"
		case r.Key() == "directconnect:DescribeDirectConnectGatewayAssociations" && r.Token == "p2":
			return "500"
		case r.Key() == "apigateway:GetResources" && r.Token == "p2":
			return "throttle"
		case r.Key() == "apigateway:GetVpcLinks" && r.Region == "us-east-1":
			return "denied"
		case r.Key() == "access-analyzer:ListAnalyzers" && r.Region == "us-west-2":
			return "denied"
		case r.Key() == "elasticfilesystem:DescribeFileSystems" && r.Token == "p2":
			return "notimpl"
		}
		return ""
	})
	var got []string
	for _, f := range fails {
		got = append(got, f.Account+" "+f.Region+" "+f.Call+" "+f.Resource+" "+string(f.Kind))
	}
	slices.Sort(got)
	want := []string{
		"111122223333 us-east-1 apigateway:GET arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5/resources " + string(collect.Throttled),
		"111122223333 us-east-1 apigateway:GET arn:aws:apigateway:us-east-1::/vpclinks " + string(collect.Denied),
		"111122223333 us-east-1 directconnect:DescribeDirectConnectGatewayAssociations arn:aws:directconnect::111122223333:dx-gateway/" + dxGateway + " " + string(collect.Failed),
		"111122223333 us-east-1 directconnect:DescribeVirtualInterfaces  " + string(collect.Denied),
		"111122223333 us-east-1 elasticfilesystem:DescribeFileSystems  " + string(collect.Unsupported),
		"111122223333 us-west-2 access-analyzer:ListAnalyzers  " + string(collect.Denied),
	}
	if mustJSON(got) != mustJSON(want) {
		t.Errorf("failures:\n got %v\nwant %v", got, want)
	}
	rs := imported(t, dir)
	for _, id := range []string{dxVIF, dxAssocVGW, dxAssocTGW, vpcLink, efsML} {
		if rs[id] != nil {
			t.Errorf("%s imported although its call failed", id)
		}
	}
	checkFacts(t, rs, []factWant{
		{restOrders, "api_gateway.origins", nil}, {restOrders, "api_gateway.public", true},
		{restAdmin, "api_gateway.auth_required", true}, {efsHome, "disk.encrypted", false},
		{account, "account.cis.access_analyzer_all_regions", nil},
	})
	if got := origins(t, rs, httpOrders); len(got) != 3 {
		t.Errorf("HTTP API origins = %v, want its three integrations", got)
	}
}
