# METADATA
# title: "Default security group does not restrict all traffic"
# description: "A VPC's default security group has inbound or outbound rules; resources launched without an explicit group land in it and get that access."
# scope: package
# custom:
#   id: aws-default-security-group-not-restricted
#   severity: MEDIUM
#   category: network
#   class: firewall
#   providers: [aws]
#   applies_to:
#     facts.firewall.default: [true, null]
#   requires: [facts.firewall.default, facts.firewall.rules]
#   remediation: "Remove every inbound and outbound rule from the default security group and attach purpose-built security groups instead."
#   frameworks:
#     cis-aws-7.0: ["6.5"]
#     soc2: ["CC6.6"]
#     iso27001-2022: ["A.8.20"]
#     pci-dss-4.0: ["1.3.1"]
#     nist-800-53-r5: ["SC-7"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.IR-01"]
package vigil.rules.aws_default_security_group_not_restricted

enabled_rules(fw) := [x | some x in fw.rules; not x.disabled == true]

# One enabled rule: count(enabled_rules(r.facts.firewall)) > 0, in the
# engine's direct form.
fail contains r.id if {
	some r in input.resources.firewall
	r.facts.firewall.default == true
	some x in r.facts.firewall.rules
	not x.disabled == true
}

message[r.id] := sprintf("the default security group has %d rule(s)", [count(enabled_rules(r.facts.firewall))]) if {
	some r in input.resources.firewall
	r.id in fail
}
