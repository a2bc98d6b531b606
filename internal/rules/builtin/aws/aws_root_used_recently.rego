# METADATA
# title: "Root user used in the last 7 days"
# description: "The credential report shows the account root user's password or an access key of it used within 7 days of the scan: the root user, which no policy can restrict, is in use for administrative or daily tasks. Known when the input holds the account's credential report; a root user whose password and keys were never used (no_information, N/A) passes."
# scope: package
# custom:
#   id: aws-root-used-recently
#   severity: MEDIUM
#   category: identity
#   class: identity
#   providers: [aws]
#   applies_to:
#     facts.identity.kind: [root]
#   requires: [facts.identity.access_keys_known]
#   remediation: "Use IAM Identity Center or IAM roles for administration, keep the root user for the few tasks that need it (with MFA, its password in a vault), delete its access keys, and watch its use (CIS AWS 5.3)."
#   frameworks:
#     cis-aws-7.0: ["2.7"]
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.8.2"]
#     pci-dss-4.0: ["8.2.2"]
#     nist-800-53-r5: ["AC-6(2)"]
#     nist-csf-2.0: ["PR.AA-05"]
package vigil.rules.aws_root_used_recently

import data.vigil.lib.time as t

max_days := 7

recent(r) if t.within(r.facts.identity.password_last_used, max_days)

recent(r) if {
	some k in r.facts.identity.access_keys
	t.within(k.last_used, max_days)
}

fail contains r.id if {
	some r in input.resources.identity
	r.facts.identity.kind == "root"
	recent(r)
}

message[r.id] := sprintf("the root user signed in or used an access key within the last %d days (password last used %s)", [max_days, object.get(r.facts.identity, "password_last_used", "never")]) if {
	some r in input.resources.identity
	r.id in fail
}
