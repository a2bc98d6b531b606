package awsconfig

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

// TestDXGatewayAssociations: describe-direct-connect-gateway-associations
// output becomes one link per association (the expected facts written
// before the code).
func TestDXGatewayAssociations(t *testing.T) {
	const out = `{"directConnectGatewayAssociations":[
	 {"directConnectGatewayId":"dxgw-a","directConnectGatewayOwnerAccount":"111111111111","associationState":"associated",
	  "associatedGateway":{"id":"vgw-0a","type":"virtualPrivateGateway","ownerAccount":"222222222222","region":"eu-west-1"},
	  "associationId":"assoc-1","allowedPrefixesToDirectConnectGateway":[{"cidr":"10.1.0.0/16"},{"cidr":"10.2.0.0/15"}],
	  "virtualGatewayId":"vgw-0a","virtualGatewayRegion":"eu-west-1","virtualGatewayOwnerAccount":"222222222222"},
	 {"directConnectGatewayId":"dxgw-a","directConnectGatewayOwnerAccount":"111111111111","associationState":"disassociated",
	  "associatedGateway":{"id":"tgw-0b","type":"transitGateway","ownerAccount":"111111111111","region":"us-east-1"},
	  "associationId":"assoc-2"},
	 {"directConnectGatewayId":"dxgw-a","associationState":"associated","associatedGateway":{"id":"vgw-0c"},
	  "associationId":"assoc-3","allowedPrefixesToDirectConnectGateway":"10.3.0.0/16"},
	 {"associationState":"associated"}
	]}`
	var doc any
	if err := attr.Decode([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if f := Detect(doc); f != FormatDXAssociations {
		t.Fatalf("detected %q", f)
	}
	res := Parse(context.Background(), "111111111111/cli/dx/associations.us-east-1.json", doc)
	got := map[string]resource.NetworkLink{}
	for _, r := range res.Resources {
		got[r.ID] = *r.Facts.NetworkLink
		if r.Class != resource.ClassOther || r.Type != TypeDXAssociation {
			t.Errorf("%s: class %s type %s", r.ID, r.Class, r.Type)
		}
	}
	want := map[string]resource.NetworkLink{
		"arn:aws:directconnect::111111111111:dx-gateway/dxgw-a/association/assoc-1": {Kind: resource.LinkDXAssociation, Gateway: "dxgw-a", Attached: "vgw-0a",
			AttachedType: "vgw", State: "associated", Up: resource.Bool(true), Prefixes: []string{"10.1.0.0/16", "10.2.0.0/15"}},
		"arn:aws:directconnect::111111111111:dx-gateway/dxgw-a/association/assoc-2": {Kind: resource.LinkDXAssociation, Gateway: "dxgw-a", Attached: "tgw-0b",
			AttachedType: "tgw", State: "disassociated", Up: resource.Bool(false)},
		// A wrong shape could hide an allowed prefix: whether it carries traffic is unknown.
		"arn:aws:directconnect::111111111111:dx-gateway/dxgw-a/association/assoc-3": {Kind: resource.LinkDXAssociation, Gateway: "dxgw-a", Attached: "vgw-0c",
			AttachedType: "vgw", State: "associated"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("associations:\n%+v\nwant\n%+v", got, want)
	}
	var probs []string
	for _, p := range res.Problems {
		probs = append(probs, p.Field+": "+p.Err)
	}
	if len(probs) != 2 || !strings.Contains(strings.Join(probs, "\n"), "names no directConnectGatewayId") {
		t.Errorf("problems: %q", probs)
	}
	for _, r := range res.Resources {
		if strings.HasSuffix(r.ID, "assoc-1") && (r.Region != "eu-west-1" || r.Account != "111111111111") {
			t.Errorf("assoc-1 region %q account %q", r.Region, r.Account)
		}
	}
}
