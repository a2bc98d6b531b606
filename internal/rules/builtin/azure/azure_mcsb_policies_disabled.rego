# METADATA
# title: "Microsoft Cloud Security Benchmark policies disabled or not assigned"
# description: "The subscription's assignment of the Microsoft Cloud Security Benchmark initiative (policy set 1f3afdf9-d0c9-4c3d-847f-89da613e70a8, which Defender for Cloud assigns as SecurityCenterBuiltIn) sets policy effects to Disabled, through an effect parameter or a policyEffect override, or no such assignment covers the subscription (at it or a management group above it): Defender for Cloud then raises no recommendation for those controls (CIS Azure 6.0 8.1.11, Manual). Read from the policy assignments of Resource Graph's PolicyResources table (policyresources.json, which vigil collect writes); UNKNOWN when the input holds no assignment of the subscription. CIS asks this of the non-deprecated policies only: an effect parameter or override of a policy the initiative has deprecated (its parameter's metadata says deprecated: from the initiative's definition when the input holds it, a PolicyResources row of type microsoft.authorization/policysetdefinitions or az policy set-definition show, else vigil's list from the initiative's version 57.30.0) is not counted, and the message names it apart."
# scope: package
# custom:
#   id: azure-mcsb-policies-disabled
#   severity: MEDIUM
#   category: monitoring
#   class: account
#   providers: [azure]
#   requires: [facts.account.cis.mcsb_policies_enabled]
#   remediation: "Defender for Cloud > Environment settings > the subscription > Security policies: set each disabled Microsoft Cloud Security Benchmark policy back to its default effect (AuditIfNotExists / Audit), or az policy assignment update --name SecurityCenterBuiltIn --scope /subscriptions/<id> --params with the effect parameters removed; assign the initiative where it is missing."
#   frameworks:
#     cis-azure-6.0: ["8.1.11"]
#     soc2: ["CC7.1"]
#     iso27001-2022: ["A.5.36", "A.8.9"]
#     nist-800-53-r5: ["CA-7", "CM-6"]
#     nist-csf-2.0: ["ID.RA-01", "DE.CM-09"]
package vigil.rules.azure_mcsb_policies_disabled

fail contains r.id if {
	some r in input.resources.account
	r.provider == "azure"
	r.facts.account.cis.mcsb_policies_enabled == false
}

message[r.id] := "no assignment of the Microsoft Cloud Security Benchmark initiative covers the subscription" if {
	some r in input.resources.account
	r.id in fail
	r.facts.account.cis.mcsb_assigned == false
}

message[r.id] := sprintf("Microsoft Cloud Security Benchmark policies set to Disabled: %s%s", [concat(", ", r.facts.account.cis.mcsb_disabled_policies), deprecated_note(r)]) if {
	some r in input.resources.account
	r.id in fail
	r.facts.account.cis.mcsb_assigned == true
}

deprecated_note(r) := sprintf(" (deprecated, not counted: %s)", [concat(", ", r.facts.account.cis.mcsb_disabled_deprecated)]) if {
	count(r.facts.account.cis.mcsb_disabled_deprecated) > 0
} else := ""
