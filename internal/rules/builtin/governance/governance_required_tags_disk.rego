# METADATA
# title: "Required tags are missing or invalid (disk)"
# description: "The disk lacks a tag or label the governance policy's tagging standard requires for it, or carries one with a value the standard does not allow. Tags and labels are compared the same way in every cloud (keys by letters and digits, case-insensitively). Evaluated only when a governance policy is given (vigil scan --governance FILE, vigil iac --governance FILE)."
# scope: package
# custom:
#   id: governance-required-tags-disk
#   severity: LOW
#   category: governance
#   opt_in: governance
#   class: disk
#   providers: [aws, azure, gcp]
#   requires: [facts.tagging]
#   remediation: "Add the missing tags or labels, with values the tagging standard allows (see the governance policy file)."
#   frameworks:
#     iso27001-2022: ["A.5.9", "A.5.13"]
#     soc2: ["C1.1"]
#     nist-800-53-r5: ["CM-8"]
#     nist-csf-2.0: ["ID.AM-07"]
package vigil.rules.governance_required_tags_disk

fail contains r.id if {
	some r in input.resources.disk
	count(r.facts.tagging.missing) > 0
}

fail contains r.id if {
	some r in input.resources.disk
	count(r.facts.tagging.invalid) > 0
}

# Resources no tagging rule of the policy selects are not judged.
skip contains r.id if {
	some r in input.resources.disk
	r.facts.tagging.selected == false
}

message[r.id] := concat("; ", parts) if {
	some r in input.resources.disk
	r.id in fail
	t := r.facts.tagging
	parts := [p |
		some k in ["missing", "invalid"]
		count(object.get(t, k, [])) > 0
		p := sprintf("%s required tags: %s", [k, concat(", ", t[k])])
	]
}
