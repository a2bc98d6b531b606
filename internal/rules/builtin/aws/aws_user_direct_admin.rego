# METADATA
# title: "IAM user holds full administrative privileges"
# description: "An IAM user has a policy allowing Action \"*\" on Resource \"*\" (such as AdministratorAccess) attached directly; long-lived user credentials with full admin rights are a prime target."
# scope: package
# custom:
#   id: aws-user-direct-admin
#   severity: HIGH
#   category: identity
#   class: identity
#   providers: [aws]
#   applies_to:
#     facts.identity.kind: [user]
#   requires: [facts.identity.admin]
#   remediation: "Detach the administrative policy from the user; grant least-privilege permissions through groups or roles, and use federated roles for administration."
#   frameworks:
#     cis-aws-7.0: ["2.13", "2.14"]
#     soc2: ["CC6.3"]
#     iso27001-2022: ["A.8.2"]
#     pci-dss-4.0: ["7.2.2"]
#     nist-800-53-r5: ["AC-6"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.AA-05"]
package vigil.rules.aws_user_direct_admin

fail contains r.id if {
	some r in input.resources.identity
	r.facts.identity.kind == "user"
	r.facts.identity.admin == true
}

message[id] := "the user has a full-admin (*:*) policy attached" if some id in fail
