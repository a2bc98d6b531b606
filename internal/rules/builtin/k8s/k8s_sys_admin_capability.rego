# METADATA
# title: "Container adds the SYS_ADMIN capability"
# description: "A container adds CAP_SYS_ADMIN, which allows mounting filesystems, using namespaces and much of what root can do on the node: close to a privileged container."
# scope: package
# custom:
#   id: k8s-sys-admin-capability
#   severity: HIGH
#   category: exposure
#   class: kubernetes_workload
#   providers: [kubernetes]
#   requires: [facts.workload.capabilities_added]
#   remediation: "Remove SYS_ADMIN from securityContext.capabilities.add."
#   frameworks:
#     pss-baseline: ["Capabilities"]
#     cis-kubernetes-1.10: ["5.2.9"]
#     nist-800-53-r5: ["AC-6", "CM-7"]
package vigil.rules.k8s_sys_admin_capability

fail contains r.id if {
	some r in input.resources.kubernetes_workload
	some c in r.facts.workload.capabilities_added
	c.capability in {"SYS_ADMIN", "ALL"}
}

message[id] := "a container adds SYS_ADMIN" if some id in fail
