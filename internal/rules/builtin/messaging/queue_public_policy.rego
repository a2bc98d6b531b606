# METADATA
# title: "Queue or topic policy allows anyone to use it"
# description: "The access policy of an SQS queue or SNS topic allows Principal \"*\" without a restricting condition, or a Pub/Sub topic grants a role to allUsers / allAuthenticatedUsers: anyone can send, read or subscribe to its messages. AWS: the policy comes from the Config item or from aws sqs get-queue-attributes --attribute-names All / aws sns get-topic-attributes output (vigil collect writes them)."
# scope: package
# custom:
#   id: queue-public-policy
#   severity: HIGH
#   category: exposure
#   class: queue
#   providers: [aws, gcp]
#   requires: [facts.queue.public_policy]
#   remediation: "Restrict the policy to named accounts or principals, or add aws:SourceArn / aws:SourceAccount / aws:PrincipalOrgID conditions (AWS); remove allUsers and allAuthenticatedUsers from the topic's IAM policy (GCP)."
#   frameworks:
#     cis-aws-7.0: ["2.21"]
#     soc2: ["CC6.1", "CC6.6"]
#     iso27001-2022: ["A.5.15", "A.8.3"]
#     pci-dss-4.0: ["1.4.1", "7.2.1"]
#     hipaa: ["164.312(a)(1)"]
#     nist-800-53-r5: ["AC-3", "SC-7"]
#     gdpr: ["Art.5(1)(f)", "Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.AA-05"]
package vigil.rules.queue_public_policy

fail contains r.id if {
	some r in input.resources.queue
	r.facts.queue.public_policy == true
}

message[id] := "the access policy lets anyone use the queue or topic" if some id in fail
