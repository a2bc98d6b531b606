# METADATA
# title: "Entra ID user has no multifactor authentication method"
# description: "An enabled Microsoft Entra ID user has not registered a multifactor authentication method (userRegistrationDetails isMfaRegistered false), so a stolen or guessed password alone signs in as the user, and the first MFA prompt lets whoever answers it register their own method."
# scope: package
# custom:
#   id: azure-entra-user-without-mfa
#   severity: HIGH
#   category: identity
#   class: identity
#   providers: [azure]
#   applies_to:
#     type: [microsoft.graph.user]
#     facts.identity.disabled: [false, null]
#   requires: [facts.identity.mfa_enabled]
#   remediation: "Have the user register a multifactor method (Microsoft Authenticator, FIDO2 key, passkey), and require MFA for all users with security defaults or a Conditional Access policy; block sign-in of accounts that no longer need it."
#   frameworks:
#     cis-azure-6.0: ["5.1.3"]
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.8.5"]
#     pci-dss-4.0: ["8.4.2"]
#     hipaa: ["164.312(d)"]
#     nist-800-53-r5: ["IA-2(1)", "IA-2(2)"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.AA-03"]
package vigil.rules.azure_entra_user_without_mfa

fail contains r.id if {
	some r in input.resources.identity
	r.type == "microsoft.graph.user"
	r.facts.identity.mfa_enabled == false
	not r.facts.identity.disabled == true
}

message[id] := "no multifactor authentication method registered" if some id in fail
