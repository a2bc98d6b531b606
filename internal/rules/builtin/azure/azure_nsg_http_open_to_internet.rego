# METADATA
# title: "Network security group admits HTTP(S) from the internet"
# description: "An enabled inbound allow rule of the NSG admits TCP port 80 or 443 from any address (Internet, *, 0.0.0.0/0), not shadowed by a deny rule of higher priority: web servers behind it are reachable directly, bypassing an Application Gateway, Front Door or a WAF. CIS asks that such access be evaluated and restricted; suppress the finding with the reason where it is intended."
# scope: package
# custom:
#   id: azure-nsg-http-open-to-internet
#   severity: MEDIUM
#   category: exposure
#   class: firewall
#   providers: [azure]
#   applies_to:
#     type: [Microsoft.Network/networkSecurityGroups]
#   requires: [facts.firewall.rules]
#   remediation: "Restrict the rule's source to the ranges that need it (the Application Gateway's or Front Door's service tag, AzureFrontDoor.Backend), or publish the web servers through an Application Gateway with WAF or Front Door and remove the rule."
#   frameworks:
#     cis-azure-6.0: ["7.4"]
#     soc2: ["CC6.6"]
#     iso27001-2022: ["A.8.20"]
#     pci-dss-4.0: ["1.3.1"]
#     hipaa: ["164.312(e)(1)"]
#     nist-800-53-r5: ["SC-7"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.IR-01"]
package vigil.rules.azure_nsg_http_open_to_internet

import data.vigil.lib.net

# One definition per port (rather than net.exposes_any_port with the set):
# the engine evaluates this form itself, without OPA (docs/rule-contract.md).
fail contains r.id if {
	some r in input.resources.firewall
	r.type == "Microsoft.Network/networkSecurityGroups"
	net.exposes_port(r.facts.firewall, 80)
}

fail contains r.id if {
	some r in input.resources.firewall
	r.type == "Microsoft.Network/networkSecurityGroups"
	net.exposes_port(r.facts.firewall, 443)
}

message[r.id] := concat("", [
	sprintf("ingress from the internet is allowed to TCP port %s (HTTP/HTTPS)", [concat(" and ", [sprintf("%d", [p]) | some p in sort(net.exposed_ports(r.facts.firewall, {80, 443}))])]),
	net.exposure_note(r, {80, 443}),
]) if {
	some r in input.resources.firewall
	r.id in fail
}
