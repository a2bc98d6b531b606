# METADATA
# title: "Role granted to a personal (consumer) Google account"
# description: "A role is granted to a user of a consumer mail domain (gmail.com, googlemail.com, yahoo.com, hotmail.com, outlook.com, live.com: a personal Google account) or a googlegroups.com group: an account outside the organization's Cloud Identity or Workspace domain, whose password policy, MFA and offboarding the organization does not control."
# scope: package
# custom:
#   id: gcp-consumer-account-binding
#   severity: MEDIUM
#   category: identity
#   class: iam_binding
#   providers: [gcp]
#   requires: [facts.binding.principal]
#   remediation: "Remove the grant and give the person a corporate (Cloud Identity / Workspace) account; enforce the iam.allowedPolicyMemberDomains organization policy."
#   frameworks:
#     cis-gcp-5.0: ["1.2"]
#     soc2: ["CC6.2"]
#     iso27001-2022: ["A.5.16"]
#     pci-dss-4.0: ["8.2.1"]
#     nist-800-53-r5: ["AC-2", "IA-2"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.AA-01"]
package vigil.rules.gcp_consumer_account_binding

consumer_domains := {"gmail.com", "googlemail.com", "googlegroups.com", "yahoo.com", "hotmail.com", "outlook.com", "live.com"}

fail contains r.id if {
	some r in input.resources.iam_binding
	some domain in consumer_domains
	endswith(lower(r.facts.binding.principal), concat("", ["@", domain]))
}

message[r.id] := sprintf("role %s is granted to the personal account %s", [r.facts.binding.role, r.facts.binding.principal]) if {
	some r in input.resources.iam_binding
	r.id in fail
}
