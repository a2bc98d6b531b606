# METADATA
# title: "Seccomp profile set to Unconfined"
# description: "Pod Security Standards baseline control \"Seccomp\": a container's seccomp profile is explicitly set to Unconfined (or a value other than RuntimeDefault and Localhost), so every system call is allowed."
# scope: package
# custom:
#   id: k8s-seccomp-baseline
#   severity: MEDIUM
#   category: exposure
#   class: kubernetes_workload
#   providers: [kubernetes]
#   requires: [facts.workload.seccomp]
#   remediation: "Set securityContext.seccompProfile.type to RuntimeDefault (or a Localhost profile), on the pod or the container."
#   frameworks:
#     pss-baseline: ["Seccomp"]
#     nist-800-53-r5: ["SC-39", "CM-6"]
package vigil.rules.k8s_seccomp_baseline

allowed := {"", "RuntimeDefault", "Localhost"}

bad(r) := [sprintf("%s: %s", [p.container, kind]) |
	some p in r.facts.workload.seccomp
	not p.type in allowed
	kind := object.get({"": "not set"}, p.type, p.type)
]

fail contains r.id if {
	some r in input.resources.kubernetes_workload
	count(bad(r)) > 0
}

message[r.id] := sprintf("seccomp profiles: %s", [concat(", ", bad(r))]) if {
	some r in input.resources.kubernetes_workload
	r.id in fail
}
