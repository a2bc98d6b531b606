# METADATA
# title: "Application Gateway WAF does not inspect request bodies"
# description: "The gateway's WAF policy (or WAF configuration) has requestBodyCheck false, or the policy is disabled: attacks carried in POST, PUT and PATCH bodies are not evaluated by the managed rules."
# scope: package
# custom:
#   id: azure-appgw-waf-request-body-inspection-disabled
#   severity: MEDIUM
#   category: exposure
#   class: load_balancer
#   providers: [azure]
#   applies_to:
#     type: [Microsoft.Network/applicationGateways]
#   requires: [facts.load_balancer.waf_request_body_check]
#   remediation: "Enable request body inspection in the WAF policy's policy settings (az network application-gateway waf-policy policy-setting update --request-body-check true)."
#   frameworks:
#     cis-azure-6.0: ["7.14"]
#     soc2: ["CC6.6"]
#     iso27001-2022: ["A.8.20"]
#     pci-dss-4.0: ["6.4.2"]
#     nist-800-53-r5: ["SC-7", "SI-4"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.IR-01"]
package vigil.rules.azure_appgw_waf_request_body_inspection_disabled

fail contains r.id if {
	some r in input.resources.load_balancer
	r.type == "Microsoft.Network/applicationGateways"
	not r.facts.load_balancer.waf == false
	r.facts.load_balancer.waf_request_body_check == false
}

# A gateway without a WAF has no WAF policy to judge (lb-waf reports it).
skip contains r.id if {
	some r in input.resources.load_balancer
	r.facts.load_balancer.waf == false
}

message[id] := "the WAF does not inspect request bodies" if some id in fail
