# METADATA
# title: "Container does not drop ALL capabilities or adds more than NET_BIND_SERVICE"
# description: "Pod Security Standards restricted control \"Capabilities\": every container must drop ALL capabilities and may add back only NET_BIND_SERVICE."
# scope: package
# custom:
#   id: k8s-capabilities-restricted
#   severity: MEDIUM
#   category: exposure
#   class: kubernetes_workload
#   providers: [kubernetes]
#   applies_to:
#     facts.workload.os: [linux, null]
#   requires: [facts.workload.capabilities_not_dropping_all, facts.workload.capabilities_added]
#   remediation: "Set securityContext.capabilities.drop: [\"ALL\"] on every container and add only NET_BIND_SERVICE when it binds a low port."
#   frameworks:
#     pss-restricted: ["Capabilities"]
#     cis-kubernetes-1.10: ["5.2.10"]
#     nist-800-53-r5: ["AC-6", "CM-7"]
package vigil.rules.k8s_capabilities_restricted

issues(r) := array.concat(
	[sprintf("%s does not drop ALL", [c]) | some c in r.facts.workload.capabilities_not_dropping_all],
	[sprintf("%s adds %s", [c.container, c.capability]) |
		some c in r.facts.workload.capabilities_added
		c.capability != "NET_BIND_SERVICE"
	],
)

fail contains r.id if {
	some r in input.resources.kubernetes_workload
	count(issues(r)) > 0
}

message[r.id] := concat("; ", issues(r)) if {
	some r in input.resources.kubernetes_workload
	r.id in fail
}
