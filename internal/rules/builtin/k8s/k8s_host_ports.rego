# METADATA
# title: "Container binds a host port"
# description: "Pod Security Standards baseline control \"Host Ports\": a container declares a hostPort, exposing it on the node's address and bypassing network policies and Services."
# scope: package
# custom:
#   id: k8s-host-ports
#   severity: MEDIUM
#   category: network
#   class: kubernetes_workload
#   providers: [kubernetes]
#   requires: [facts.workload.host_ports]
#   remediation: "Remove hostPort from the container ports and expose the pod through a Service."
#   frameworks:
#     pss-baseline: ["Host Ports"]
#     cis-kubernetes-1.10: ["5.2.13"]
#     nist-800-53-r5: ["SC-7", "CM-7"]
package vigil.rules.k8s_host_ports

ports(r) := [sprintf("%s: %d", [p.container, p.port]) | some p in r.facts.workload.host_ports]

fail contains r.id if {
	some r in input.resources.kubernetes_workload
	count(r.facts.workload.host_ports) > 0
}

message[r.id] := sprintf("host ports: %s", [concat(", ", ports(r))]) if {
	some r in input.resources.kubernetes_workload
	r.id in fail
}
