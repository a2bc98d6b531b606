package tfmap

import "github.com/vigil-sec/vigil/internal/resource"

// A split resource whose parent (the security group, NSG or storage
// account it configures) is not in the configuration is judged on what it
// says itself: a rule opening SSH to the internet does so whatever the
// rest of its group holds. One whose parent is in the configuration is
// joined onto it (and maps to nothing of its own).
func standalone(attrs []string, parents []string, fill func(m *mapper, r *inst, out *resource.Resource)) func(m *mapper, r *inst, out *resource.Resource) {
	return func(m *mapper, r *inst, out *resource.Resource) {
		for _, a := range attrs {
			if len(m.targets(r.a[a], parents...)) > 0 {
				out.Class = ""
				return
			}
		}
		fill(m, r, out)
	}
}

// sgRuleAlone: an AWS security group rule resource of a group outside the
// configuration.
func sgRuleAlone(m *mapper, r *inst, out *resource.Resource) {
	fw := &resource.Firewall{}
	out.Facts.Firewall = fw
	dir, key := "", "ip_protocol"
	switch r.typ() {
	case "aws_security_group_rule":
		d, st := m.str(r.a, "type")
		if st != ok || (d != "ingress" && d != "egress") {
			return
		}
		dir, key = d, "protocol"
	case "aws_vpc_security_group_ingress_rule":
		dir = "ingress"
	default:
		dir = "egress"
	}
	if rule, good := m.sgRule(dir, r.a, key); good {
		fw.Rules = []resource.FirewallRule{rule}
	}
}

// nsgRuleAlone: an azurerm_network_security_rule of an NSG outside the
// configuration.
func nsgRuleAlone(m *mapper, r *inst, out *resource.Resource) {
	fw := &resource.Firewall{}
	out.Facts.Firewall = fw
	if rules, good := m.nsgRule(r.a); good {
		fw.Rules = rules
	}
}

// containerAlone: an azurerm_storage_container of an account outside the
// configuration: public when its access type says so.
func containerAlone(m *mapper, r *inst, out *resource.Resource) {
	s := &resource.ObjectStorage{}
	out.Facts.Storage = s
	switch t, st := m.str(r.a, "container_access_type"); st {
	case ok:
		s.PublicAccess = boolp(t == "blob" || t == "container")
	case absent:
		s.PublicAccess = boolp(false)
	}
}

// networkRulesAlone: azurerm_storage_account_network_rules of an account
// outside the configuration.
func networkRulesAlone(m *mapper, r *inst, out *resource.Resource) {
	s := &resource.ObjectStorage{}
	out.Facts.Storage = s
	if da, st := m.str(r.a, "default_action"); st == ok {
		s.NetworkDefaultDeny = boolp(da == "Deny")
	}
}
