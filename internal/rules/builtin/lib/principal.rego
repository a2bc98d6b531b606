# METADATA
# title: Principal helpers
# description: Shared helpers over grants (facts.binding) and members - the kind of principal a grant names, people, service accounts and the public.
# scope: package
package vigil.lib.principal

# Members that mean "anyone": GCP allUsers / allAuthenticatedUsers, and "*"
# (an AWS policy principal, an Azure or custom input's wildcard).
public_members := {"allUsers", "allAuthenticatedUsers", "*"}

# Principal kinds (lower-cased) that are people rather than workloads: GCP
# user:, group: and domain: members, Azure User and Group principals.
people := {"user", "group", "domain"}

# kind(b) is the lower-cased principal type of grant b, from its
# principal_type fact or else from the member prefix ("user:", "group:",
# "serviceAccount:", "domain:"); undefined when neither says.
kind(b) := lower(b.principal_type) if type_known(b)

kind(b) := lower(split(b.principal, ":")[0]) if {
	not type_known(b)
	is_string(b.principal)
	contains(b.principal, ":")
}

type_known(b) if {
	is_string(b.principal_type)
	b.principal_type != ""
}

# person(b) is true when grant b names a user, a group or a domain: kind(b)
# in people, written in the engine's direct form (its member prefix, the
# text before the first ":", is one of people's in any case exactly when
# the lower-cased member starts with it and ":").
person(b) if {
	type_known(b)
	lower(b.principal_type) in people
}

person(b) if {
	not type_known(b)
	some p in person_prefixes
	startswith(lower(b.principal), p)
}

person_prefixes := {"user:", "group:", "domain:"}

# service_account(b) is true when grant b names a GCP service account.
service_account(b) if kind(b) == "serviceaccount"

# public_member(m) is true when member or principal m means anyone.
public_member(m) if m in public_members

# public(b) is true when grant b names the public, by the importer's
# public fact or by its member.
public(b) if b.public == true

public(b) if public_member(b.principal)
