# METADATA
# title: "Custom role can change who has access"
# description: "A custom Azure role allows Microsoft.Authorization/roleAssignments/write (not removed by a notActions entry), or a custom GCP role includes setIamPolicy on an organization, folder or project: whoever holds it can grant any role, including Owner, to anyone."
# scope: package
# custom:
#   id: role-custom-iam-admin
#   severity: HIGH
#   category: identity
#   class: role
#   providers: [azure, gcp]
#   requires:
#     - facts.role.custom
#     - [facts.role.permissions, facts.role.actions, facts.role.included_permissions]
#   remediation: "Remove the access-management permission from the custom role; leave role assignment to the built-in Owner / User Access Administrator (Azure) or Project IAM Admin (GCP) roles, granted to few reviewed administrators through PIM or just-in-time access."
#   frameworks:
#     soc2: ["CC6.3"]
#     iso27001-2022: ["A.8.2"]
#     pci-dss-4.0: ["7.2.2"]
#     hipaa: ["164.308(a)(4)"]
#     nist-800-53-r5: ["AC-6"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.AA-05"]
package vigil.rules.role_custom_iam_admin

# The Azure operation that creates role assignments.
azure_grant := "microsoft.authorization/roleassignments/write"

# GCP permissions that rewrite a node's IAM policy.
gcp_grant := {
	"resourcemanager.organizations.setiampolicy",
	"resourcemanager.folders.setiampolicy",
	"resourcemanager.projects.setiampolicy",
}

fail contains r.id if {
	some r in input.resources.role
	r.facts.role.custom == true
	grants_access(r)
}

# Azure: a permission block allows the operation and does not take it away.
grants_access(r) if {
	r.provider == "azure"
	some b in r.facts.role.permissions
	some a in b.actions
	grants(a)
	not excluded(b)
}

# Azure rows without permission blocks: the flat actions list.
grants_access(r) if {
	r.provider == "azure"
	not has_blocks(r)
	some a in r.facts.role.actions
	grants(a)
}

grants_access(r) if {
	r.provider == "gcp"
	some p in r.facts.role.included_permissions
	lower(p) in gcp_grant
}

has_blocks(r) if count(r.facts.role.permissions) > 0

excluded(b) if {
	some n in b.not_actions
	grants(n)
}

# grants(p): the Azure operation pattern p (* wildcards, case-insensitive)
# matches azure_grant. The engine computes it in Go (native.go: its text is
# fingerprinted there).
grants(p) if lower(p) == azure_grant

grants(p) if {
	contains(p, "*")
	regex.match(sprintf("^%s$", [replace(replace(lower(p), ".", "\\."), "*", ".*")]), azure_grant)
}

message[id] := "custom role can create role assignments / set IAM policies" if some id in fail
