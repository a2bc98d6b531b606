# METADATA
# title: "VPN gateway point-to-site clients authenticate otherwise than with Entra ID"
# description: "A virtual network gateway of the subscription has a point-to-site configuration whose authentication types (vpnClientConfiguration.vpnAuthenticationTypes, or in an older configuration its root certificates, RADIUS server or Entra tenant) are not Microsoft Entra ID alone: certificate or RADIUS clients connect without Conditional Access, MFA or central revocation. Known when the input holds the subscription's resources table; a subscription whose gateways have no point-to-site configuration passes."
# scope: package
# custom:
#   id: azure-vpn-p2s-auth-not-entra-only
#   severity: MEDIUM
#   category: identity
#   class: account
#   providers: [azure]
#   requires: [facts.account.cis.vpn_p2s_entra_only]
#   remediation: "Set the gateway's point-to-site authentication type to Azure Active Directory only (az network vnet-gateway update --vpn-auth-type AAD --aad-tenant ... --aad-audience ... --aad-issuer ...), distribute the Azure VPN Client profile, and remove the root certificates and RADIUS servers."
#   frameworks:
#     cis-azure-6.0: ["7.9"]
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.8.5"]
#     pci-dss-4.0: ["8.4.2"]
#     nist-800-53-r5: ["AC-17", "IA-2(1)"]
#     nist-csf-2.0: ["PR.AA-03"]
package vigil.rules.azure_vpn_p2s_auth_not_entra_only

fail contains r.id if {
	some r in input.resources.account
	r.facts.account.cis.vpn_p2s_entra_only == false
}

message[r.id] := sprintf("point-to-site authentication other than Entra ID only on %s", [concat(", ", r.facts.account.cis.vpn_p2s_other_auth)]) if {
	some r in input.resources.account
	r.id in fail
}
