# METADATA
# title: "Virtual machine has no managed identity"
# description: "The VM has no system- or user-assigned managed identity, so workloads on it tend to carry stored secrets or connection strings to reach Azure services."
# scope: package
# custom:
#   id: azure-vm-no-managed-identity
#   severity: LOW
#   category: identity
#   class: compute
#   providers: [azure]
#   requires: [facts.compute.identity]
#   remediation: "Assign a system- or user-assigned managed identity to the VM and grant it the roles the workload needs instead of embedding credentials."
#   frameworks:
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.5.17"]
#     nist-800-53-r5: ["IA-5"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.AA-01"]
package vigil.rules.azure_vm_no_managed_identity

# A VM whose compute facts were exported but name no identity fails; one
# without compute facts is UNKNOWN (custom.requires: facts.compute.identity).
# The importer leaves identity absent for an identity type of None; other
# sources may write None themselves. (Comparisons only: the engine
# evaluates the rule in Go.)
fail contains r.id if {
	some r in input.resources.compute
	r.facts.compute
	not r.facts.compute.identity
}

fail contains r.id if {
	some r in input.resources.compute
	r.facts.compute.identity in {"None", "none", "NONE"}
}

message[id] := "no managed identity is assigned" if some id in fail
