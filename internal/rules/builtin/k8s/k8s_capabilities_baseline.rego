# METADATA
# title: "Container adds capabilities beyond the baseline set"
# description: "Pod Security Standards baseline control \"Capabilities\": a container adds a Linux capability outside the default set the baseline profile allows (AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT), such as SYS_ADMIN or NET_ADMIN."
# scope: package
# custom:
#   id: k8s-capabilities-baseline
#   severity: HIGH
#   category: exposure
#   class: kubernetes_workload
#   providers: [kubernetes]
#   requires: [facts.workload.capabilities_added]
#   remediation: "Remove the capability from securityContext.capabilities.add."
#   frameworks:
#     pss-baseline: ["Capabilities"]
#     cis-kubernetes-1.10: ["5.2.9"]
#     nist-800-53-r5: ["AC-6", "CM-7"]
package vigil.rules.k8s_capabilities_baseline

allowed := {"AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"}

beyond(r) := [sprintf("%s: %s", [c.container, c.capability]) |
	some c in r.facts.workload.capabilities_added
	not c.capability in allowed
]

fail contains r.id if {
	some r in input.resources.kubernetes_workload
	count(beyond(r)) > 0
}

message[r.id] := sprintf("capabilities beyond the baseline set: %s", [concat(", ", beyond(r))]) if {
	some r in input.resources.kubernetes_workload
	r.id in fail
}
