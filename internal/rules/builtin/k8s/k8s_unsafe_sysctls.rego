# METADATA
# title: "Pod sets unsafe sysctls"
# description: "Pod Security Standards baseline control \"Sysctls\": the pod sets a sysctl outside the safe set, which can affect other pods on the node or the node itself."
# scope: package
# custom:
#   id: k8s-unsafe-sysctls
#   severity: MEDIUM
#   category: exposure
#   class: kubernetes_workload
#   providers: [kubernetes]
#   requires: [facts.workload.sysctls]
#   remediation: "Set only the safe sysctls (kernel.shm_rmid_forced, net.ipv4.ip_local_port_range, net.ipv4.ip_unprivileged_port_start, net.ipv4.tcp_syncookies, net.ipv4.ping_group_range, net.ipv4.ip_local_reserved_ports, net.ipv4.tcp_keepalive_*, net.ipv4.tcp_fin_timeout)."
#   frameworks:
#     pss-baseline: ["Sysctls"]
#     nist-800-53-r5: ["SC-39", "CM-6"]
package vigil.rules.k8s_unsafe_sysctls

safe := {
	"kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.ip_unprivileged_port_start",
	"net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range", "net.ipv4.ip_local_reserved_ports",
	"net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl",
	"net.ipv4.tcp_keepalive_probes",
}

unsafe(r) := [s | some s in r.facts.workload.sysctls; not s in safe]

fail contains r.id if {
	some r in input.resources.kubernetes_workload
	count(unsafe(r)) > 0
}

message[r.id] := sprintf("unsafe sysctls: %s", [concat(", ", unsafe(r))]) if {
	some r in input.resources.kubernetes_workload
	r.id in fail
}
