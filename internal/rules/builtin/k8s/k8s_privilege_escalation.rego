# METADATA
# title: "Container allows privilege escalation"
# description: "Pod Security Standards restricted control \"Privilege Escalation\": a container does not set allowPrivilegeEscalation to false, so a setuid binary or file capability can give its processes more privileges than they started with."
# scope: package
# custom:
#   id: k8s-privilege-escalation
#   severity: MEDIUM
#   category: exposure
#   class: kubernetes_workload
#   providers: [kubernetes]
#   applies_to:
#     facts.workload.os: [linux, null]
#   requires: [facts.workload.privilege_escalation]
#   remediation: "Set securityContext.allowPrivilegeEscalation: false on every container."
#   frameworks:
#     pss-restricted: ["Privilege Escalation"]
#     cis-kubernetes-1.10: ["5.2.6"]
#     nist-800-53-r5: ["AC-6", "CM-7"]
package vigil.rules.k8s_privilege_escalation

fail contains r.id if {
	some r in input.resources.kubernetes_workload
	count(r.facts.workload.privilege_escalation) > 0
}

message[r.id] := sprintf("containers that may escalate privileges: %s", [concat(", ", r.facts.workload.privilege_escalation)]) if {
	some r in input.resources.kubernetes_workload
	r.id in fail
}
