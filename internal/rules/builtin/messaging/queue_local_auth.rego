# METADATA
# title: "Service Bus or Event Hubs namespace allows shared access keys"
# description: "The namespace accepts shared access signature (SAS) keys (disableLocalAuth is false): long-lived shared secrets that are not tied to an identity, cannot be scoped by Azure RBAC and are easily leaked in connection strings."
# scope: package
# custom:
#   id: queue-local-auth
#   severity: MEDIUM
#   category: identity
#   class: queue
#   providers: [azure]
#   requires: [facts.queue.local_auth]
#   remediation: "Move clients to Microsoft Entra ID authentication (managed identities with Azure Service Bus / Event Hubs Data roles) and set disableLocalAuth to true."
#   frameworks:
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.8.5"]
#     pci-dss-4.0: ["8.3.1"]
#     hipaa: ["164.312(d)"]
#     nist-800-53-r5: ["IA-2"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.AA-03"]
package vigil.rules.queue_local_auth

fail contains r.id if {
	some r in input.resources.queue
	r.facts.queue.local_auth == true
}

message[id] := "shared access (SAS) key authentication is enabled" if some id in fail
