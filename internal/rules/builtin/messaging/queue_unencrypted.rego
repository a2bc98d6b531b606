# METADATA
# title: "Queue, topic or stream is not encrypted at rest"
# description: "An SQS queue, SNS topic or Kinesis data stream has server-side encryption disabled, so its messages are stored unencrypted. (Service Bus, Event Hubs and Pub/Sub always encrypt at rest.)"
# scope: package
# custom:
#   id: queue-unencrypted
#   severity: MEDIUM
#   category: encryption
#   class: queue
#   providers: [aws]
#   requires: [facts.queue.encrypted]
#   remediation: "Enable server-side encryption: SqsManagedSseEnabled or a KMS key (KmsMasterKeyId) on the queue, a KMS key on the SNS topic, StreamEncryption with EncryptionType KMS on the Kinesis stream (Terraform encryption_type = \"KMS\")."
#   frameworks:
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.8.24"]
#     pci-dss-4.0: ["3.5.1"]
#     hipaa: ["164.312(a)(2)(iv)"]
#     nist-800-53-r5: ["SC-28"]
#     gdpr: ["Art.32(1)(a)"]
#     nist-csf-2.0: ["PR.DS-01"]
package vigil.rules.queue_unencrypted

fail contains r.id if {
	some r in input.resources.queue
	r.facts.queue.encrypted == false
}

message[id] := "messages are not encrypted at rest" if some id in fail
