package tfmap_test

import "testing"

// TestNetworkACL: the inline entries of an aws_network_acl and the
// aws_network_acl_rule resources joined onto it, in rule-number order
// with AWS's deny-all entries last; in use only when associated in the
// configuration, unknown otherwise (it may be associated elsewhere).
func TestNetworkACL(t *testing.T) {
	got, unsupported, probs := mapped(t,
		res("aws_network_acl", "a", obj{"vpc_id": "vpc-1", "subnet_ids": []any{"subnet-1"},
			"ingress": blk(obj{"protocol": "tcp", "rule_no": 100.0, "action": "deny", "cidr_block": "0.0.0.0/0", "from_port": 22.0, "to_port": 22.0}),
			"egress":  blk(obj{"protocol": "-1", "rule_no": 100.0, "action": "allow", "cidr_block": "0.0.0.0/0", "from_port": 0.0, "to_port": 0.0})}),
		res("aws_network_acl_rule", "r", obj{"network_acl_id": ref("aws_network_acl.a"), "rule_number": 200.0, "protocol": "6",
			"rule_action": "allow", "cidr_block": "0.0.0.0/0", "from_port": 0.0, "to_port": 65535.0}),
		res("aws_network_acl", "b", obj{"vpc_id": "vpc-1"}),
	)
	if len(probs) > 0 || len(unsupported) > 0 {
		t.Errorf("problems %v, unsupported %v", probs, unsupported)
	}
	const want = `{"firewall":{"rules":[{"direction":"ingress","action":"deny","protocol":"tcp","from_port":22,"to_port":22,"sources":["0.0.0.0/0"],"priority":100},` +
		`{"direction":"egress","action":"allow","protocol":"all","from_port":0,"to_port":65535,"sources":["0.0.0.0/0"],"priority":100},` +
		`{"direction":"ingress","action":"allow","protocol":"tcp","from_port":0,"to_port":65535,"sources":["0.0.0.0/0"],"priority":200},` +
		`{"direction":"ingress","action":"deny","protocol":"all","from_port":0,"to_port":65535,"sources":["0.0.0.0/0","::/0"],"priority":32767},` +
		`{"direction":"egress","action":"deny","protocol":"all","from_port":0,"to_port":65535,"sources":["0.0.0.0/0","::/0"],"priority":32767}],` +
		`"default":false,"in_use":true,"stateless":true}}`
	if g := factsJSON(t, got["aws_network_acl.a"]); g != want {
		t.Errorf("aws_network_acl.a:\n got %s\nwant %s", g, want)
	}
	if g := factsJSON(t, got["aws_network_acl.b"]); g != `{"firewall":{"rules":[{"direction":"ingress","action":"deny","protocol":"all","from_port":0,"to_port":65535,"sources":["0.0.0.0/0","::/0"],"priority":32767},{"direction":"egress","action":"deny","protocol":"all","from_port":0,"to_port":65535,"sources":["0.0.0.0/0","::/0"],"priority":32767}],"default":false,"stateless":true}}` {
		t.Errorf("aws_network_acl.b: %s", g)
	}
	if _, found := got["aws_network_acl_rule.r"]; found {
		t.Error("the rule of an ACL of the configuration is a resource of its own")
	}
}
