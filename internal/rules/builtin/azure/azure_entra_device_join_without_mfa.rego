# METADATA
# title: "Entra ID lets users register or join devices without MFA"
# description: "The tenant's device registration policy does not require multifactor authentication to register or join devices (multiFactorAuthConfiguration notRequired) and no enabled Conditional Access policy requires MFA of all users for the user action Register or join devices, so a stolen password is enough to enrol an attacker's device, which then passes device-based access checks."
# scope: package
# custom:
#   id: azure-entra-device-join-without-mfa
#   severity: MEDIUM
#   category: identity
#   class: org_unit
#   providers: [azure]
#   applies_to:
#     facts.org_unit.kind: [tenant]
#   requires: [facts.org_unit.tenant.device_join_mfa]
#   remediation: "Set Devices > Device settings > Require Multifactor Authentication to register or join devices with Microsoft Entra to Yes, or (recommended with Entra ID P1) leave it No and require MFA for the user action Register or join devices with a Conditional Access policy."
#   frameworks:
#     cis-azure-6.0: ["5.1.2"]
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.8.5"]
#     nist-800-53-r5: ["IA-2(2)", "IA-3"]
#     nist-csf-2.0: ["PR.AA-03"]
package vigil.rules.azure_entra_device_join_without_mfa

fail contains r.id if {
	some r in input.resources.org_unit
	r.facts.org_unit.kind == "tenant"
	r.facts.org_unit.tenant.device_join_mfa == false
	not r.facts.org_unit.tenant.conditional_access_device_mfa == true
}

message[id] := "devices can be registered or joined without MFA (device settings and Conditional Access)" if some id in fail
