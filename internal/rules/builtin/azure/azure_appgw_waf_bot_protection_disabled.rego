# METADATA
# title: "Application Gateway WAF has no bot protection"
# description: "The gateway's WAF policy has no Microsoft_BotManagerRuleSet managed rule set (or the gateway uses a WAF configuration, which cannot have one, or the policy is disabled): known bad bots are not blocked."
# scope: package
# custom:
#   id: azure-appgw-waf-bot-protection-disabled
#   severity: LOW
#   category: exposure
#   class: load_balancer
#   providers: [azure]
#   applies_to:
#     type: [Microsoft.Network/applicationGateways]
#   requires: [facts.load_balancer.waf_bot_protection]
#   remediation: "Add the Microsoft_BotManagerRuleSet managed rule set to the WAF policy (az network application-gateway waf-policy managed-rule rule-set add --type Microsoft_BotManagerRuleSet --version 1.0)."
#   frameworks:
#     cis-azure-6.0: ["7.15"]
#     soc2: ["CC6.6"]
#     iso27001-2022: ["A.8.20"]
#     pci-dss-4.0: ["6.4.2"]
#     nist-800-53-r5: ["SC-7", "SI-4"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.IR-01"]
package vigil.rules.azure_appgw_waf_bot_protection_disabled

fail contains r.id if {
	some r in input.resources.load_balancer
	r.type == "Microsoft.Network/applicationGateways"
	not r.facts.load_balancer.waf == false
	r.facts.load_balancer.waf_bot_protection == false
}

# A gateway without a WAF has no WAF policy to judge (lb-waf reports it).
skip contains r.id if {
	some r in input.resources.load_balancer
	r.facts.load_balancer.waf == false
}

message[id] := "no bot protection rule set in the WAF policy" if some id in fail
