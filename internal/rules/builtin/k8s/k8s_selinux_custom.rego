# METADATA
# title: "Custom SELinux options"
# description: "Pod Security Standards baseline control \"SELinux\": the pod or a container sets an SELinux user or role, or a type other than container_t, container_init_t, container_kvm_t or container_engine_t, which can lift its confinement."
# scope: package
# custom:
#   id: k8s-selinux-custom
#   severity: MEDIUM
#   category: exposure
#   class: kubernetes_workload
#   providers: [kubernetes]
#   requires: [facts.workload.selinux_custom]
#   remediation: "Remove seLinuxOptions user and role, and use one of the allowed types or none."
#   frameworks:
#     pss-baseline: ["SELinux"]
#     nist-800-53-r5: ["SC-39", "CM-6"]
package vigil.rules.k8s_selinux_custom

fail contains r.id if {
	some r in input.resources.kubernetes_workload
	count(r.facts.workload.selinux_custom) > 0
}

message[r.id] := sprintf("custom SELinux options on: %s", [concat(", ", r.facts.workload.selinux_custom)]) if {
	some r in input.resources.kubernetes_workload
	r.id in fail
}
