# METADATA
# title: "Load balancer access logging is disabled"
# description: "The load balancer does not write access logs (ELB access logs to S3, GCP backend service logging), so the requests it served, their sources and their responses cannot be investigated."
# scope: package
# custom:
#   id: lb-access-logs
#   severity: LOW
#   category: logging
#   class: load_balancer
#   providers: [aws, gcp]
#   requires: [facts.load_balancer.access_logs]
#   remediation: "Enable access logging: the ELB attribute access_logs.s3.enabled with a log bucket; logConfig.enable on the GCP backend services behind the load balancer."
#   frameworks:
#     cis-aws-7.0: ["4.10"]
#     cis-gcp-5.0: ["2.17"]
#     soc2: ["CC7.2"]
#     iso27001-2022: ["A.8.15"]
#     pci-dss-4.0: ["10.2.1"]
#     hipaa: ["164.312(b)"]
#     nist-800-53-r5: ["AU-2", "AU-12"]
#     gdpr: ["Art.33"]
#     nist-csf-2.0: ["PR.PS-04", "DE.CM-09"]
package vigil.rules.lb_access_logs

fail contains r.id if {
	some r in input.resources.load_balancer
	r.facts.load_balancer.access_logs == false
}

# Access logging is a setting of the load balancer, not of its listener
# resources.
skip contains r.id if {
	some r in input.resources.load_balancer
	listener_item(r)
}

listener_type := "listener_of"

# GCP backend services are load_balancer resources without frontends: their
# listeners are the forwarding rules that reach them.
backend_types := {"compute.googleapis.com/BackendService", "compute.googleapis.com/RegionBackendService"}

# IDs of load balancers whose listeners are resources of their own.
parents contains rel.target_id if {
	some r in input.resources.load_balancer
	some rel in r.relationships
	rel.type == listener_type
}

listener_item(r) if {
	some rel in r.relationships
	rel.type == listener_type
}

message[id] := "access logging is disabled" if some id in fail
