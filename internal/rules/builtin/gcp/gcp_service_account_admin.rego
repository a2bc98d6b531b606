# METADATA
# title: "Service account has administrative privileges"
# description: "A service account is granted roles/owner, roles/editor or an *Admin role at project, folder or organization level; a leaked key or compromised workload then controls the project."
# scope: package
# custom:
#   id: gcp-service-account-admin
#   severity: HIGH
#   category: identity
#   class: iam_binding
#   providers: [gcp]
#   remediation: "Replace the grant with the narrowest predefined or custom role the workload needs, on the specific resources it uses."
#   frameworks:
#     cis-gcp-5.0: ["1.6"]
#     soc2: ["CC6.3"]
#     iso27001-2022: ["A.8.2"]
#     pci-dss-4.0: ["7.2.2"]
#     nist-800-53-r5: ["AC-6"]
package vigil.rules.gcp_service_account_admin

# principal_type(b) is the lower-cased principal type, from the fact or
# from the member prefix ("user:", "group:", "serviceAccount:", "domain:").
principal_type(b) := ptype(object.get(b, "principal_type", ""), object.get(b, "principal", ""))

ptype(t, _) := lower(t) if {
	is_string(t)
	t != ""
}

ptype(t, p) := lower(split(p, ":")[0]) if {
	t == ""
	is_string(p)
	contains(p, ":")
}

broad_scopes := {"account", "organization", "folder"}

admin_role(role) if role in {"roles/owner", "roles/editor"}

admin_role(role) if endswith(lower(role), "admin")

applicable contains r.id if {
	some r in input.resources.iam_binding
	r.provider == "gcp"
	principal_type(r.facts.binding) == "serviceaccount"
}

fail contains r.id if {
	some r in input.resources.iam_binding
	r.provider == "gcp"
	principal_type(r.facts.binding) == "serviceaccount"
	admin_role(r.facts.binding.role)
	r.facts.binding.scope_level in broad_scopes
}

pass contains r.id if {
	some r in input.resources.iam_binding
	r.provider == "gcp"
	principal_type(r.facts.binding) == "serviceaccount"
	is_string(r.facts.binding.role)
	not admin_role(r.facts.binding.role)
}

pass contains r.id if {
	some r in input.resources.iam_binding
	r.provider == "gcp"
	principal_type(r.facts.binding) == "serviceaccount"
	is_string(r.facts.binding.scope_level)
	not r.facts.binding.scope_level in broad_scopes
}

message[r.id] := sprintf("%s holds %s at %s scope", [r.facts.binding.principal, r.facts.binding.role, r.facts.binding.scope_level]) if {
	some r in input.resources.iam_binding
	r.provider == "gcp"
	principal_type(r.facts.binding) == "serviceaccount"
	admin_role(r.facts.binding.role)
	r.facts.binding.scope_level in broad_scopes
}
