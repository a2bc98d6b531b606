# METADATA
# title: "AppArmor profile overridden"
# description: "Pod Security Standards baseline control \"AppArmor\": a container's AppArmor profile is set to something other than the runtime default or a localhost profile (Unconfined, or an unknown value), which removes or weakens its confinement."
# scope: package
# custom:
#   id: k8s-apparmor-not-default
#   severity: MEDIUM
#   category: exposure
#   class: kubernetes_workload
#   providers: [kubernetes]
#   requires: [facts.workload.apparmor]
#   remediation: "Remove the AppArmor override or set appArmorProfile.type to RuntimeDefault or Localhost (annotation runtime/default or localhost/<profile>)."
#   frameworks:
#     pss-baseline: ["AppArmor"]
#     nist-800-53-r5: ["SC-39", "CM-6"]
package vigil.rules.k8s_apparmor_not_default

allowed := {"", "RuntimeDefault", "Localhost"}

bad(r) := [sprintf("%s: %s", [p.container, kind]) |
	some p in r.facts.workload.apparmor
	not p.type in allowed
	kind := object.get({"": "not set"}, p.type, p.type)
]

fail contains r.id if {
	some r in input.resources.kubernetes_workload
	count(bad(r)) > 0
}

message[r.id] := sprintf("AppArmor profiles: %s", [concat(", ", bad(r))]) if {
	some r in input.resources.kubernetes_workload
	r.id in fail
}
