# METADATA
# title: "Entra ID security defaults are disabled with no Conditional Access MFA in their place"
# description: "The Microsoft Entra ID tenant has security defaults turned off (identitySecurityDefaultsEnforcementPolicy isEnabled false) and no enabled Conditional Access policy requires multifactor authentication of all users for all applications, so nothing makes users register or use MFA, legacy authentication stays allowed, and administrators sign in with a password alone. A tenant that replaced security defaults with such a policy (security defaults must be off to use Conditional Access) passes."
# scope: package
# custom:
#   id: azure-entra-security-defaults-disabled
#   severity: HIGH
#   category: identity
#   class: org_unit
#   providers: [azure]
#   applies_to:
#     facts.org_unit.kind: [tenant]
#   requires: [facts.org_unit.tenant.security_defaults]
#   remediation: "Enable security defaults (Microsoft Entra admin center > Identity > Overview > Properties > Manage security defaults), or, with Entra ID P1 or P2, require MFA of all users for all resources with a Conditional Access policy (excluding only emergency access accounts)."
#   frameworks:
#     cis-azure-6.0: ["5.1.1"]
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.8.5"]
#     pci-dss-4.0: ["8.4.2"]
#     hipaa: ["164.312(d)"]
#     nist-800-53-r5: ["IA-2(1)", "IA-2(2)"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.AA-03"]
package vigil.rules.azure_entra_security_defaults_disabled

fail contains r.id if {
	some r in input.resources.org_unit
	r.facts.org_unit.kind == "tenant"
	r.facts.org_unit.tenant.security_defaults == false
	not r.facts.org_unit.tenant.conditional_access_mfa == true
}

message[id] := "security defaults are off and no enabled Conditional Access policy found requires MFA of all users" if some id in fail
