# METADATA
# title: "Subscription does not have between 2 and 3 Owners"
# description: "The number of active Owner role assignments at subscription scope is below 2 (no backup administrator) or above 3 (too many people with full control of the subscription)."
# scope: package
# custom:
#   id: azure-subscription-owner-count
#   severity: MEDIUM
#   category: identity
#   class: account
#   providers: [azure]
#   requires: [facts.account.owners]
#   remediation: "Keep two or three Owner role assignments at the subscription scope: add a second owner, or remove owners beyond three (grant narrower roles instead)."
#   frameworks:
#     cis-azure-6.0: ["5.7"]
#     soc2: ["CC6.3"]
#     iso27001-2022: ["A.8.2"]
#     pci-dss-4.0: ["7.2.2"]
#     hipaa: ["164.308(a)(4)"]
#     nist-800-53-r5: ["AC-6", "AC-5"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.AA-05"]
package vigil.rules.azure_subscription_owner_count

fail contains r.id if {
	some r in input.resources.account
	r.facts.account.owners < 2
}

fail contains r.id if {
	some r in input.resources.account
	r.facts.account.owners > 3
}

message[r.id] := sprintf("%d Owner role assignments at subscription scope (want 2 to 3)", [r.facts.account.owners]) if {
	some r in input.resources.account
	r.id in fail
}
