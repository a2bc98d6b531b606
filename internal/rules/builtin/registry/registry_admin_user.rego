# METADATA
# title: "Container registry admin user is enabled"
# description: "The Azure Container Registry's admin user is enabled: a single shared username and password with push and pull rights on the whole registry, not tied to any identity and not auditable per user."
# scope: package
# custom:
#   id: registry-admin-user
#   severity: MEDIUM
#   category: identity
#   class: container_registry
#   providers: [azure]
#   requires: [facts.registry.admin_user]
#   remediation: "Disable the admin user (az acr update --admin-enabled false) and use Microsoft Entra identities, managed identities or scoped repository tokens."
#   frameworks:
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.8.5"]
#     pci-dss-4.0: ["8.3.1"]
#     hipaa: ["164.312(d)"]
#     nist-800-53-r5: ["IA-2"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.AA-01"]
package vigil.rules.registry_admin_user

fail contains r.id if {
	some r in input.resources.container_registry
	r.facts.registry.admin_user == true
}

message[id] := "the registry admin user is enabled" if some id in fail
