# METADATA
# title: "Public Kubernetes API server endpoint accepts any source address"
# description: "The cluster's API server endpoint is public and its allow-list admits any address (0.0.0.0/0, or no authorized networks / IP ranges), so anyone on the internet can reach the control plane. Private endpoints are not judged."
# scope: package
# custom:
#   id: kubernetes-endpoint-open-to-all
#   severity: HIGH
#   category: exposure
#   class: kubernetes_cluster
#   providers: [aws, azure, gcp]
#   requires: [facts.kubernetes.public_endpoint, facts.kubernetes.endpoint_allowed_cidrs]
#   applies_to:
#     facts.kubernetes.public_endpoint: [true, null]
#   remediation: "Restrict the public endpoint to known ranges (EKS publicAccessCidrs, AKS authorized IP ranges, GKE master authorized networks), or make it private."
#   frameworks:
#     soc2: ["CC6.6"]
#     iso27001-2022: ["A.8.20"]
#     pci-dss-4.0: ["1.3.1"]
#     hipaa: ["164.312(e)(1)"]
#     nist-800-53-r5: ["SC-7"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.IR-01"]
package vigil.rules.kubernetes_endpoint_open_to_all

import data.vigil.lib.net

fail contains r.id if {
	some r in input.resources.kubernetes_cluster
	r.facts.kubernetes.public_endpoint == true
	some c in r.facts.kubernetes.endpoint_allowed_cidrs
	net.internet_source(c)
}

message[id] := "the public API server endpoint accepts connections from any address" if some id in fail
