# METADATA
# title: "Network ACL allows remote administration ports from the internet"
# description: "An inbound rule of the network ACL allows TCP port 22 (SSH) or 3389 (RDP), or all traffic, from 0.0.0.0/0 or ::/0, and no deny rule with a lower rule number blocks it first. Network ACLs are evaluated in rule-number order and the first match wins. ACLs associated with no subnet filter nothing and are not judged."
# scope: package
# custom:
#   id: aws-nacl-admin-ports-open-to-internet
#   severity: MEDIUM
#   category: network
#   class: network_acl
#   providers: [aws]
#   applies_to:
#     facts.firewall.in_use: [true, null]
#   requires: [facts.firewall.rules]
#   remediation: "Replace the allow rule with rules admitting SSH and RDP only from your administration ranges, or add deny rules for TCP 22 and 3389 from 0.0.0.0/0 and ::/0 with a lower rule number (aws ec2 create-network-acl-entry --ingress --rule-action deny --protocol tcp --port-range From=22,To=22 --cidr-block 0.0.0.0/0 ...)."
#   frameworks:
#     cis-aws-7.0: ["6.2"]
#     soc2: ["CC6.6"]
#     iso27001-2022: ["A.8.20"]
#     pci-dss-4.0: ["1.3.1"]
#     nist-800-53-r5: ["SC-7"]
#     nist-csf-2.0: ["PR.IR-01"]
package vigil.rules.aws_nacl_admin_ports_open_to_internet

import data.vigil.lib.net

admin_ports := [22, 3389]

# The any-address source of each family, and the spellings that mean both.
any_sources := {"0.0.0.0/0", "::/0"}

both := {"*", "Internet", "internet", "Any", "any"}

matches(rule, src) if src in rule.sources

matches(rule, _) if {
	some s in rule.sources
	s in both
}

# open(acl, src, port): the first matching rule for port from src allows it.
open(acl, src, port) if {
	some a in acl.rules
	net.active_ingress(a)
	a.action == "allow"
	matches(a, src)
	net.covers_port(a, port)
	not denied_before(acl, a, src, port)
}

denied_before(acl, a, src, port) if {
	some d in acl.rules
	net.active_ingress(d)
	d.action == "deny"
	matches(d, src)
	net.covers_port(d, port)
	d.priority < a.priority
}

exposed(r) := {sprintf("%d from %s", [port, src]) |
	some port in admin_ports
	some src in any_sources
	open(r.facts.firewall, src, port)
}

fail contains r.id if {
	some r in input.resources.network_acl
	not r.facts.firewall.in_use == false
	count(exposed(r)) > 0
}

message[r.id] := sprintf("inbound TCP %s allowed", [concat(", ", sort(exposed(r)))]) if {
	some r in input.resources.network_acl
	r.id in fail
}
