package tfmap

import (
	"strings"

	"github.com/vigil-sec/vigil/internal/iac/awsnorm"
	"github.com/vigil-sec/vigil/internal/resource"
)

var sgTypes = []string{"aws_security_group", "aws_default_security_group"}

// securityGroup: the inline ingress and egress blocks, and the rules of
// aws_security_group_rule and aws_vpc_security_group_ingress_rule /
// _egress_rule joined. Terraform removes the allow-all egress rule AWS
// creates, so a group without egress rules allows no outbound traffic;
// aws_default_security_group likewise keeps only the rules it declares.
func securityGroup(m *mapper, r *inst, out *resource.Resource) {
	fw := &resource.Firewall{Default: boolp(r.typ() == "aws_default_security_group")}
	out.Facts.Firewall = fw
	rules, known := m.inlineRules(r, func(dir string, b map[string]any) ([]resource.FirewallRule, bool) {
		rule, good := m.sgRule(dir, b, "protocol")
		return []resource.FirewallRule{rule}, good
	})
	for _, a := range m.attachedTo(r, "aws_security_group_rule", "aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule") {
		m.cur = a
		var dir, protoKey string
		switch a.typ() {
		case "aws_security_group_rule":
			d, st := m.str(a.a, "type")
			if st != ok || (d != "ingress" && d != "egress") {
				if st == ok {
					m.problem("type", "type is %q, not ingress or egress", d)
				}
				known = false
				continue
			}
			dir, protoKey = d, "protocol"
		case "aws_vpc_security_group_ingress_rule":
			dir, protoKey = "ingress", "ip_protocol"
		default:
			dir, protoKey = "egress", "ip_protocol"
		}
		rule, good := m.sgRule(dir, a.a, protoKey)
		known = known && good
		rules = append(rules, rule)
	}
	m.cur = r
	if known {
		fw.Rules = rules
	}
	m.relate(out, resource.RelInNetwork, r.a["vpc_id"], "aws_vpc")
}

// inlineRules reads the inline ingress and egress blocks of a security
// group or network ACL with read; known is false when a block or a rule
// cannot be known before apply.
func (m *mapper) inlineRules(r *inst, read func(dir string, b map[string]any) ([]resource.FirewallRule, bool)) (rules []resource.FirewallRule, known bool) {
	rules, known = []resource.FirewallRule{}, true
	for _, dir := range []string{"ingress", "egress"} {
		blocks, st := m.blocks(r.a, dir)
		if st == unknownSt || st == bad {
			known = false
		}
		for _, b := range blocks {
			rs, good := read(dir, b)
			known = known && good
			rules = append(rules, rs...)
		}
	}
	return rules, known
}

// sgRule reads one rule (an inline block or a rule resource); false when
// it cannot be known before apply.
func (m *mapper) sgRule(dir string, o map[string]any, protoKey string) (resource.FirewallRule, bool) {
	ps, pst := m.str(o, protoKey)
	if pst != ok {
		return resource.FirewallRule{}, false
	}
	proto := resource.NormProtocol(ps)
	from, to := 0, 65535
	if proto != "all" && proto != "icmp" && proto != "icmpv6" {
		f := m.integer(o, resource.Int(-1), "from_port")
		t := m.integer(o, resource.Int(-1), "to_port")
		if f == nil || t == nil {
			return resource.FirewallRule{}, false
		}
		if *f >= 0 {
			from = *f
		}
		if *t >= 0 {
			to = *t
		}
	}
	var srcs []string
	good, openSrc := true, false
	for _, k := range []string{"cidr_blocks", "ipv6_cidr_blocks", "security_groups", "prefix_list_ids"} {
		vals, unk, st := m.strs(o, k)
		if st == unknownSt {
			// A whole list known only after apply: addresses of resources
			// of the configuration (a VPC's CIDR), unless a variable.
			v, _ := look1(o, k)
			if u, _ := unknownOf(v); !open(u) {
				unk, st = []Unknown{u}, ok
			}
		}
		if st == bad || st == unknownSt {
			return resource.FirewallRule{}, false
		}
		for _, u := range unk {
			if open(u) && (k == "cidr_blocks" || k == "ipv6_cidr_blocks") {
				openSrc = true // a variable: may be 0.0.0.0/0
			}
			srcs = append(srcs, "${"+strings.Join(u.Refs, ",")+"}")
		}
		for _, v := range vals {
			srcs = append(srcs, strings.TrimSpace(v))
		}
	}
	for _, k := range []string{"cidr_ipv4", "cidr_ipv6", "source_security_group_id", "referenced_security_group_id", "prefix_list_id"} {
		v, st := look(o, k)
		switch st {
		case ok:
			s, _ := text(v)
			srcs = append(srcs, strings.TrimSpace(s))
		case unknownSt:
			u, _ := unknownOf(v)
			if open(u) && (k == "cidr_ipv4" || k == "cidr_ipv6") {
				openSrc = true
			}
			srcs = append(srcs, "${"+strings.Join(u.Refs, ",")+"}")
		}
	}
	if b := m.boolean(o, boolp(false), "self"); b == nil {
		good = false
	} else if *b {
		srcs = append(srcs, "self")
	}
	// A source known only after apply may be the internet, unless the
	// rule already admits the internet anyway.
	if openSrc && !anyInternet(srcs) {
		good = false
	}
	return resource.FirewallRule{Direction: dir, Action: "allow", Protocol: proto, FromPort: from, ToPort: to, Sources: srcs}, good
}

// anyInternet reports whether a source list admits any address.
func anyInternet(srcs []string) bool {
	for _, s := range resource.NormSources(srcs) {
		if s == "0.0.0.0/0" || s == "::/0" {
			return true
		}
	}
	return false
}

// instanceIPv6: whether an aws_instance gets an IPv6 address (every AWS
// IPv6 address is globally routable; compute.public_ipv6): ipv6_addresses
// listed or ipv6_address_count above 0; when neither is set, its subnet's
// assign_ipv6_address_on_creation (false by default) when the subnet is
// the configuration's. Values known only after apply, network_interface
// blocks or a launch template (their own settings) and a subnet outside
// the configuration leave it unknown.
func (m *mapper) instanceIPv6(r *inst) *bool {
	addrs, unk, ast := m.strs(r.a, "ipv6_addresses")
	n := m.integer(r.a, nil, "ipv6_address_count")
	_, cst := look(r.a, "ipv6_address_count")
	switch {
	case len(addrs) > 0 || (n != nil && *n > 0):
		return boolp(true)
	case len(unk) > 0 || ast == unknownSt || ast == bad || cst == unknownSt || cst == bad:
		return nil
	case ast == ok || cst == ok:
		return boolp(false) // set, to none
	}
	for _, k := range []string{"network_interface", "launch_template"} {
		if _, st := look(r.a, k); st != absent {
			return nil
		}
	}
	ts := m.targets(r.a["subnet_id"], "aws_subnet", "aws_default_subnet")
	if len(ts) != 1 {
		return nil
	}
	return m.boolean(ts[0].a, boolp(false), "assign_ipv6_address_on_creation")
}

var naclTypes = []string{"aws_network_acl", "aws_default_network_acl"}

// networkACL: aws_network_acl (aws_default_network_acl: the VPC's
// default) with its inline ingress and egress blocks and the
// aws_network_acl_rule resources joined, as the AWS Config importer reads
// AWS::EC2::NetworkAcl entries; every ACL ends with AWS's deny-all rules.
func networkACL(m *mapper, r *inst, out *resource.Resource) {
	fw := &resource.Firewall{Stateless: boolp(true), Default: boolp(r.typ() == "aws_default_network_acl")}
	out.Facts.Firewall = fw
	rules, known := m.inlineRules(r, func(dir string, b map[string]any) ([]resource.FirewallRule, bool) {
		return m.naclRule(dir == "egress", b, "action", "rule_no", nil)
	})
	for _, a := range m.attachedTo(r, "aws_network_acl_rule") {
		m.cur = a
		rule, good := m.naclRuleResource(a.a, nil)
		known = known && good
		rules = append(rules, rule...)
	}
	m.cur = r
	if known {
		fw.Rules = append(rules, awsnorm.NACLDefaultDeny()...)
	}
	// In use when associated with a subnet (subnet_ids, an
	// aws_network_acl_association, or the VPC's default ACL); otherwise
	// perhaps outside the configuration: unknown.
	subnets, unk, _ := m.strs(r.a, "subnet_ids")
	if len(subnets)+len(unk) > 0 || r.typ() == "aws_default_network_acl" || len(m.attachedTo(r, "aws_network_acl_association")) > 0 {
		fw.InUse = boolp(true)
	}
	m.relate(out, resource.RelInNetwork, r.a["vpc_id"], "aws_vpc")
}

// naclRuleResource reads an aws_network_acl_rule (egress false by
// default); num is its number when it has none (required: nil unless the
// rule is judged alone, where the order does not matter).
func (m *mapper) naclRuleResource(o map[string]any, num *int) ([]resource.FirewallRule, bool) {
	eg := m.boolean(o, boolp(false), "egress")
	if eg == nil {
		return nil, false
	}
	return m.naclRule(*eg, o, "rule_action", "rule_number", num)
}

// naclRule reads one network ACL entry (an inline block or a rule
// resource); false when it cannot be known before apply.
func (m *mapper) naclRule(egress bool, o map[string]any, actionKey, numberKey string, num *int) ([]resource.FirewallRule, bool) {
	ps, pst := m.str(o, "protocol")
	act, ast := m.str(o, actionKey)
	n := m.integer(o, num, numberKey)
	if pst != ok || ast != ok || n == nil {
		return nil, false
	}
	from, to := 0, 65535
	if awsnorm.TCPorUDP(ps) {
		f := m.integer(o, resource.Int(0), "from_port")
		t := m.integer(o, resource.Int(65535), "to_port")
		if f == nil || t == nil {
			return nil, false
		}
		from, to = *f, *t
	}
	var cidrs []string
	for _, k := range []string{"cidr_block", "ipv6_cidr_block"} {
		switch v, st := m.str(o, k); st {
		case ok:
			cidrs = append(cidrs, v)
		case unknownSt, bad:
			return nil, false
		}
	}
	return []resource.FirewallRule{awsnorm.NACLEntry(egress, ps, act, *n, from, to, cidrs)}, true
}

// naclRuleAlone: an aws_network_acl_rule of an ACL outside the
// configuration, judged on its own entry.
func naclRuleAlone(m *mapper, r *inst, out *resource.Resource) {
	fw := &resource.Firewall{Stateless: boolp(true)}
	out.Facts.Firewall = fw
	if rules, good := m.naclRuleResource(r.a, resource.Int(1)); good {
		fw.Rules = rules
	}
}
