# METADATA
# title: "Data store is not classified (database)"
# description: "No classification rule of the governance policy matches the database's tags or labels, so nobody has said how sensitive its data is, and residency and tagging rules for sensitive data cannot apply to it. Evaluated only when a governance policy is given (vigil scan --governance FILE)."
# scope: package
# custom:
#   id: governance-unclassified-data-store-database
#   severity: MEDIUM
#   category: governance
#   opt_in: governance
#   class: database
#   providers: [aws, azure, gcp]
#   requires: [facts.data.classified]
#   remediation: "Tag or label the data store with the classification key of the governance policy (for example data-classification: internal)."
#   frameworks:
#     gdpr: ["Art.30"]
#     iso27001-2022: ["A.5.12"]
#     soc2: ["C1.1"]
#     nist-800-53-r5: ["RA-2", "CM-8"]
#     nist-csf-2.0: ["ID.AM-05", "ID.AM-07"]
#     hipaa: ["164.308(a)(1)(ii)(A)"]
package vigil.rules.governance_unclassified_data_store_database

fail contains r.id if {
	some r in input.resources.database
	r.facts.data.classified == false
}

message[id] := "no tag or label of the data store matches a classification rule of the governance policy" if some id in fail
