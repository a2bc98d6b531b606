package awsconfig

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

func parseNetFile(t testing.TB, path string) *attr.Result {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc any
	if err := attr.Decode(data, &doc); err != nil {
		t.Fatal(err)
	}
	if Detect(doc) == "" {
		t.Fatalf("%s: not detected", path)
	}
	return Parse(context.Background(), path, doc)
}

// TestTransitGatewayCLI: describe-transit-gateway-attachments,
// search-transit-gateway-routes and describe-virtual-interfaces outputs
// become typed NetworkLink and Routing facts.
func TestTransitGatewayCLI(t *testing.T) {
	dir := filepath.Join("testdata", "tgw", "111111111111", "cli")
	res := parseNetFile(t, filepath.Join(dir, "attachments.us-east-1.json"))
	if len(res.Problems) > 0 || len(res.Resources) != 4 {
		t.Fatalf("%d resources, problems %+v", len(res.Resources), res.Problems)
	}
	got := map[string]resource.NetworkLink{}
	for _, r := range res.Resources {
		got[r.ID] = *r.Facts.NetworkLink
	}
	want := map[string]resource.NetworkLink{
		"arn:aws:ec2:us-east-1:111111111111:transit-gateway-attachment/tgw-attach-0a": {Kind: resource.LinkTransitAttachment, Gateway: "tgw-0hub",
			AttachedType: "vpc", Attached: "vpc-0b", Networks: []string{"vpc-0b"}, RouteTable: "tgw-rtb-0spokes", State: "available", Up: resource.Bool(true)},
		"arn:aws:ec2:us-east-1:111111111111:transit-gateway-attachment/tgw-attach-0vpn": {Kind: resource.LinkTransitAttachment, Gateway: "tgw-0hub",
			AttachedType: "vpn", Attached: "vpn-0tgw", RouteTable: "tgw-rtb-0vpn", State: "available", Up: resource.Bool(true)},
		// No association: it routes nothing. Named after its gateway too (the other side has the same ID).
		"arn:aws:ec2:us-east-1:111111111111:transit-gateway-attachment/tgw-attach-0peer/tgw-0hub": {Kind: resource.LinkTransitAttachment, Gateway: "tgw-0hub",
			AttachedType: "peering", Attached: "tgw-0west", RouteTable: "none", State: "available", Up: resource.Bool(true)},
		// Being disassociated: its table is not taken.
		"arn:aws:ec2:us-east-1:111111111111:transit-gateway-attachment/tgw-attach-0gone": {Kind: resource.LinkTransitAttachment, Gateway: "tgw-0hub",
			AttachedType: "vpc", Attached: "vpc-0gone", Networks: []string{"vpc-0gone"}, State: "deleting", Up: resource.Bool(false)},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("attachments:\n%+v\nwant\n%+v", got, want)
	}
	for _, r := range res.Resources {
		if r.ID == "arn:aws:ec2:us-east-1:111111111111:transit-gateway-attachment/tgw-attach-0a" && (r.Name != "spoke-b" || r.Aliases[0] != "tgw-attach-0a") {
			t.Errorf("name %q aliases %v", r.Name, r.Aliases)
		}
	}

	res = parseNetFile(t, filepath.Join(dir, "tgw-rtb-0spokes.us-east-1.json"))
	if len(res.Problems) > 0 || len(res.Resources) != 1 {
		t.Fatalf("%+v", res)
	}
	rt := res.Resources[0]
	wantRoutes := []resource.Route{
		{Destination: "10.20.0.0/16", NextHop: "transit_attachment", Target: "tgw-attach-0a"},
		{Destination: "10.128.0.0/20", NextHop: "transit_attachment", Target: "tgw-attach-0vpn"},
		{Destination: "10.99.0.0/16", NextHop: "blackhole"},
	}
	if rt.ID != "arn:aws:ec2:us-east-1:111111111111:transit-gateway-route-table/tgw-rtb-0spokes" || rt.Type != TypeTGWRouteTable ||
		rt.Facts.Routing == nil || !reflect.DeepEqual(rt.Facts.Routing.Routes, wantRoutes) {
		t.Errorf("route table %s %s %+v", rt.ID, rt.Type, rt.Facts.Routing)
	}
	// A truncated output (AdditionalRoutesAvailable) could miss the route: unknown.
	res = parseNetFile(t, filepath.Join(dir, "tgw-rtb-0big.us-east-1.json"))
	if len(res.Resources) != 1 || res.Resources[0].Facts.Routing != nil {
		t.Errorf("truncated routes read as complete: %+v", res.Resources[0].Facts.Routing)
	}

	res = parseNetFile(t, filepath.Join(dir, "virtual-interfaces.us-east-1.json"))
	if len(res.Problems) > 0 || len(res.Resources) != 2 {
		t.Fatalf("%+v", res)
	}
	vif := res.Resources[0].Facts.NetworkLink
	if res.Resources[0].ID != "arn:aws:directconnect:us-east-1:111111111111:dxvif/dxvif-0a" || vif.Kind != resource.LinkInterconnect || vif.Gateway != "vgw-0a" ||
		!reflect.DeepEqual(vif.PublicIPs, []string{"169.254.10.1"}) || !reflect.DeepEqual(vif.PeerIPs, []string{"169.254.10.2"}) || vif.Up == nil || !*vif.Up {
		t.Errorf("virtual interface %+v", vif)
	}
	if down := res.Resources[1].Facts.NetworkLink; down.Gateway != "dxgw-0a" || down.Up == nil || *down.Up {
		t.Errorf("down interface %+v", down)
	}
}

// TestTransitGatewayRoutesFileName: a route table output must be named
// after its table.
func TestTransitGatewayRoutesFileName(t *testing.T) {
	res := Parse(context.Background(), "routes.us-east-1.json", attr.M{"Routes": []any{}, "AdditionalRoutesAvailable": false})
	if len(res.Resources) != 0 || len(res.Problems) != 1 {
		t.Errorf("%+v", res)
	}
}

// FuzzTransitGatewayCLI: arbitrary attachments, routes and virtual
// interfaces outputs: no panic, every resource has an ID and a class.
func FuzzTransitGatewayCLI(f *testing.F) {
	for _, n := range []string{"attachments.us-east-1.json", "tgw-rtb-0spokes.us-east-1.json", "tgw-rtb-0big.us-east-1.json", "virtual-interfaces.us-east-1.json"} {
		addSeeds(f, filepath.Join("tgw", "111111111111", "cli", n))
	}
	f.Add([]byte(`{"TransitGatewayAttachments":[{"TransitGatewayAttachmentId":5,"TransitGatewayId":"t","Association":[]},null,{}]}`))
	f.Add([]byte(`{"Routes":[{"DestinationCidrBlock":"x","TransitGatewayAttachments":{"a":1}}],"AdditionalRoutesAvailable":"no"}`))
	f.Add([]byte(`{"virtualInterfaces":[{"virtualInterfaceId":"v","amazonAddress":7}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var doc any
		if attr.Decode(data, &doc) != nil || Detect(doc) == "" {
			return
		}
		res := Parse(context.Background(), "111111111111/tgw-rtb-0f.us-east-1.json", doc)
		checkResources(t, res.Resources)
		for _, r := range res.Resources {
			if l := r.Facts.NetworkLink; l != nil && l.Kind == "" {
				t.Fatalf("%s: a link without a kind", r.ID)
			}
		}
	})
}
