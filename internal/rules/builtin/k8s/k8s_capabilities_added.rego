# METADATA
# title: "Container adds Linux capabilities"
# description: "A container adds Linux capabilities to the runtime's default set (securityContext.capabilities.add); CIS Kubernetes 5.2.9 asks that containers do not add capabilities beyond the default set."
# scope: package
# custom:
#   id: k8s-capabilities-added
#   severity: MEDIUM
#   category: exposure
#   class: kubernetes_workload
#   providers: [kubernetes]
#   requires: [facts.workload.capabilities_added]
#   remediation: "Remove securityContext.capabilities.add, or keep only a capability the container cannot run without and document it."
#   frameworks:
#     cis-kubernetes-1.10: ["5.2.9"]
#     nist-800-53-r5: ["AC-6", "CM-7"]
package vigil.rules.k8s_capabilities_added

added(r) := [sprintf("%s: %s", [c.container, c.capability]) | some c in r.facts.workload.capabilities_added]

fail contains r.id if {
	some r in input.resources.kubernetes_workload
	count(r.facts.workload.capabilities_added) > 0
}

message[r.id] := sprintf("added capabilities: %s", [concat(", ", added(r))]) if {
	some r in input.resources.kubernetes_workload
	r.id in fail
}
