# METADATA
# title: "Seccomp profile not set to RuntimeDefault or Localhost"
# description: "Pod Security Standards restricted control \"Seccomp\": every container must run with the RuntimeDefault or a Localhost seccomp profile, set explicitly on the pod or the container; without one, containerd and CRI-O run it Unconfined."
# scope: package
# custom:
#   id: k8s-seccomp-not-restricted
#   severity: MEDIUM
#   category: exposure
#   class: kubernetes_workload
#   providers: [kubernetes]
#   applies_to:
#     facts.workload.os: [linux, null]
#   requires: [facts.workload.seccomp]
#   remediation: "Set spec.securityContext.seccompProfile.type: RuntimeDefault on the pod (or Localhost with a profile)."
#   frameworks:
#     pss-restricted: ["Seccomp"]
#     cis-kubernetes-1.10: ["5.7.2"]
#     nist-800-53-r5: ["SC-39", "CM-6"]
package vigil.rules.k8s_seccomp_not_restricted

allowed := {"RuntimeDefault", "Localhost"}

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
