# METADATA
# title: "A member holds both Service Account Admin and Service Account User"
# description: "The same member is granted roles/iam.serviceAccountAdmin and roles/iam.serviceAccountUser on the same project, folder or organization: it can create service accounts, grant them roles and then act as them, with no second person involved. Both bindings fail."
# scope: package
# custom:
#   id: gcp-iam-service-account-duties-not-separated
#   severity: MEDIUM
#   category: identity
#   class: iam_binding
#   providers: [gcp]
#   applies_to:
#     facts.binding.role: [roles/iam.serviceAccountAdmin, roles/iam.serviceAccountUser, null]
#   requires: [facts.binding.role]
#   remediation: "Grant Service Account Admin and Service Account User to different people or groups: remove one of the two roles from the member (gcloud projects remove-iam-policy-binding PROJECT --member=MEMBER --role=ROLE)."
#   frameworks:
#     cis-gcp-5.0: ["1.9"]
#     soc2: ["CC6.3"]
#     iso27001-2022: ["A.5.3"]
#     pci-dss-4.0: ["7.2.2"]
#     nist-800-53-r5: ["AC-5"]
#     nist-csf-2.0: ["PR.AA-05"]
package vigil.rules.gcp_iam_service_account_duties_not_separated

admin := "roles/iam.serviceAccountAdmin"

user := "roles/iam.serviceAccountUser"

# admins, users: the [scope, member] pairs granted each role. A binding of
# one role fails when its pair is granted the other: each set is computed
# once per evaluation (the engine's join through an index) and each binding
# tested with one lookup.
admins contains [b.facts.binding.scope, b.facts.binding.principal] if {
	some b in input.resources.iam_binding
	b.facts.binding.role == admin
}

users contains [b.facts.binding.scope, b.facts.binding.principal] if {
	some b in input.resources.iam_binding
	b.facts.binding.role == user
}

fail contains r.id if {
	some r in input.resources.iam_binding
	r.facts.binding.role == admin
	[r.facts.binding.scope, r.facts.binding.principal] in users
}

fail contains r.id if {
	some r in input.resources.iam_binding
	r.facts.binding.role == user
	[r.facts.binding.scope, r.facts.binding.principal] in admins
}

message[r.id] := sprintf("%s also holds %s on the same scope", [r.facts.binding.principal, other(r)]) if {
	some r in input.resources.iam_binding
	r.id in fail
}

# other(r) is the role a failing binding's member also holds.
other(r) := user if r.facts.binding.role == admin

else := admin
