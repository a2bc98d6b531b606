# METADATA
# title: "Queue or topic is not encrypted with a customer-managed key"
# description: "An SQS queue, SNS topic, Service Bus or Event Hubs namespace, or Pub/Sub topic is encrypted with the provider-managed key rather than a customer-managed key, so access to its messages cannot be cut off by disabling the key and key use is not auditable."
# scope: package
# custom:
#   id: queue-not-customer-key
#   severity: LOW
#   category: encryption
#   class: queue
#   providers: [aws, azure, gcp]
#   requires: [facts.queue.key_manager]
#   remediation: "Encrypt with a customer-managed key: a KMS customer managed key (SQS/SNS), customer-managed key encryption on the Premium namespace (Service Bus / Event Hubs), a Cloud KMS key on the Pub/Sub topic."
#   frameworks:
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.8.24"]
#     pci-dss-4.0: ["3.6.1"]
#     nist-800-53-r5: ["SC-12", "SC-28"]
#     gdpr: ["Art.32(1)(a)"]
#     nist-csf-2.0: ["PR.DS-01"]
package vigil.rules.queue_not_customer_key

fail contains r.id if {
	some r in input.resources.queue
	r.facts.queue.key_manager == "provider"
}

message[id] := "messages are encrypted with the provider-managed key" if some id in fail
