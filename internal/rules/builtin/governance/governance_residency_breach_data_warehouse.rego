# METADATA
# title: "Data is stored or replicated outside the places the governance policy allows (data warehouse)"
# description: "The governance policy's residency rule for this resource's data class or regulated category does not allow one of the places its data is stored: its own region, or a place a replication path (S3 replication, global tables, read replicas, backup and snapshot copies, geo-redundant storage, geo-replicas, dual- and multi-regions) copies it to. UNKNOWN when a place the data is copied to cannot be told (a replica whose region is not known before deploy). Evaluated only when a governance policy is given (vigil scan --governance FILE)."
# scope: package
# custom:
#   id: governance-residency-breach-data-warehouse
#   severity: HIGH
#   category: governance
#   opt_in: governance
#   class: data_warehouse
#   providers: [aws, azure, gcp]
#   requires: [facts.data.residency]
#   remediation: "Move the data, or remove the replication path that copies it, to a region the residency rule allows; or correct the resource's classification tags if the data is not of this class."
#   frameworks:
#     gdpr: ["Art.44", "Art.46"]
#     iso27001-2022: ["A.5.12"]
#     soc2: ["C1.1"]
package vigil.rules.governance_residency_breach_data_warehouse

fail contains r.id if {
	some r in input.resources.data_warehouse
	r.facts.data.residency == "breach"
}

message[r.id] := msg if {
	some r in input.resources.data_warehouse
	r.id in fail
	places := [place(l) | some l in r.facts.data.locations; l.allowed == false]
	msg := sprintf("%s data is in a place the residency policy does not allow: %s", [data_class(r.facts.data), concat("; ", places)])
}

data_class(d) := sprintf("%s (%s)", [object.get(d, "sensitivity", "unclassified"), concat(", ", d.categories)]) if count(object.get(d, "categories", [])) > 0

else := object.get(d, "sensitivity", "unclassified")

place(l) := sprintf("%s (country %s, jurisdiction %s) via %s", [l.region, object.get(l, "country", "unknown"), object.get(l, "jurisdiction", "unknown"), path(l)])

path(l) := "its primary location" if l.path == "primary"

else := sprintf("%s to %s", [l.path, l.target]) if l.target

else := l.path
