package awsconfig_test

import (
	"strings"
	"testing"
)

// TestPeeringRoutesLeastAccess: CIS AWS 7.0 6.6 from Config's route table
// and VPC peering connection items (the EC2 shapes): a route to a peering
// connection for all addresses or a whole CIDR block of the peer VPC (as
// the connection records it, else as the peer VPC's item does) fails its
// VPC; narrower routes pass; a route whose peer ranges are unknown leaves
// the VPC unknown unless a broad route fails it; a VPC without route
// tables is unknown.
func TestPeeringRoutesLeastAccess(t *testing.T) {
	const acct = "111122223333"
	arn := func(kind, id string) string { return "arn:aws:ec2:us-east-1:" + acct + ":" + kind + "/" + id }
	vpc := func(id, cidr string) map[string]any {
		return map[string]any{"resourceType": "AWS::EC2::VPC", "resourceId": id, "ARN": arn("vpc", id),
			"configuration": map[string]any{"vpcId": id, "cidrBlock": cidr,
				"cidrBlockAssociationSet": []any{map[string]any{"cidrBlock": cidr}}}}
	}
	side := func(vpcID string, cidrs ...string) map[string]any {
		set := []any{}
		for _, c := range cidrs {
			set = append(set, map[string]any{"cidrBlock": c})
		}
		m := map[string]any{"vpcId": vpcID, "ownerId": "444455556666", "region": "us-east-1", "cidrBlockSet": set}
		if len(cidrs) > 0 {
			m["cidrBlock"] = cidrs[0]
		}
		return m
	}
	peering := func(id string, req, acc map[string]any) map[string]any {
		return map[string]any{"resourceType": "AWS::EC2::VPCPeeringConnection", "resourceId": id, "ARN": arn("vpc-peering-connection", id),
			"configuration": map[string]any{"vpcPeeringConnectionId": id, "status": map[string]any{"code": "active"},
				"requesterVpcInfo": req, "accepterVpcInfo": acc}}
	}
	table := func(id, vpcID string, routes ...any) map[string]any {
		return map[string]any{"resourceType": "AWS::EC2::RouteTable", "resourceId": id, "ARN": arn("route-table", id),
			"configuration": map[string]any{"routeTableId": id, "vpcId": vpcID, "routes": routes,
				"associations": []any{map[string]any{"main": true, "routeTableId": id}}}}
	}
	local := func(cidr string) any {
		return map[string]any{"destinationCidrBlock": cidr, "gatewayId": "local", "origin": "CreateRouteTable", "state": "active"}
	}
	toPcx := func(cidr, pcx string) any {
		return map[string]any{"destinationCidrBlock": cidr, "vpcPeeringConnectionId": pcx, "origin": "CreateRoute", "state": "active"}
	}
	items := []map[string]any{
		// vpc-a peers with vpc-b (another account, 10.20.0.0/16 and 10.21.0.0/16): one route narrows to
		// a /24, one sends the whole second block.
		vpc("vpc-a", "10.10.0.0/16"),
		peering("pcx-ab", side("vpc-a", "10.10.0.0/16"), side("vpc-b", "10.20.0.0/16", "10.21.0.0/16")),
		table("rtb-a1", "vpc-a", local("10.10.0.0/16"), toPcx("10.20.5.0/24", "pcx-ab")),
		table("rtb-a2", "vpc-a", local("10.10.0.0/16"), toPcx("10.21.0.0/16", "pcx-ab")),
		// vpc-c: narrow routes only, to the accepter side of a connection whose peer is vpc-d, in the
		// inventory, recording no CIDR blocks on the connection (the peer VPC's own item tells).
		vpc("vpc-c", "10.30.0.0/16"), vpc("vpc-d", "10.40.0.0/16"),
		peering("pcx-cd", side("vpc-d"), side("vpc-c")),
		table("rtb-c", "vpc-c", local("10.30.0.0/16"), toPcx("10.40.1.0/24", "pcx-cd"), toPcx("10.40.2.0/24", "pcx-cd")),
		// vpc-d: every address to the peering
		table("rtb-d", "vpc-d", local("10.40.0.0/16"), toPcx("0.0.0.0/0", "pcx-cd")),
		// vpc-e: a route to a peering connection not in the inventory: unknown
		vpc("vpc-e", "10.50.0.0/16"),
		table("rtb-e", "vpc-e", local("10.50.0.0/16"), toPcx("10.60.0.0/24", "pcx-gone")),
		// vpc-f: no peering route: least access
		vpc("vpc-f", "10.70.0.0/16"),
		table("rtb-f", "vpc-f", local("10.70.0.0/16"), map[string]any{"destinationCidrBlock": "0.0.0.0/0", "gatewayId": "igw-1", "state": "active"}),
		// vpc-g: no route table in the inventory
		vpc("vpc-g", "10.80.0.0/16"),
	}
	_, m := loadFiles(t, map[string]any{"aws/" + acct + "/config/snapshot.json": configSnapshot(items...)})
	for _, c := range []struct{ vpc, want, broad string }{
		{"vpc-a", "false", "rtb-a2: 10.21.0.0/16 -> pcx-ab"},
		{"vpc-c", "true", ""},
		{"vpc-d", "false", "rtb-d: 0.0.0.0/0 -> pcx-cd"},
		{"vpc-e", "nil", ""},
		{"vpc-f", "true", ""},
		{"vpc-g", "nil", ""},
	} {
		r := m[arn("vpc", c.vpc)]
		if r == nil || r.Facts.Network == nil {
			t.Fatalf("%s: %+v", c.vpc, r)
		}
		n := r.Facts.Network
		if got := bp(n.PeeringRoutesLeastAccess); got != c.want || strings.Join(n.PeeringBroadRoutes, "; ") != c.broad {
			t.Errorf("%s: least access %s %q, want %s %q", c.vpc, got, n.PeeringBroadRoutes, c.want, c.broad)
		}
	}
}
