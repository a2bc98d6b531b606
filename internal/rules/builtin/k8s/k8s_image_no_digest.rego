# METADATA
# title: "Container image not pinned by digest"
# description: "A container image is referenced by tag without a digest; tags can be moved, so the image that runs is not necessarily the one that was reviewed."
# scope: package
# custom:
#   id: k8s-image-no-digest
#   severity: LOW
#   category: resilience
#   class: kubernetes_workload
#   providers: [kubernetes]
#   requires: [facts.workload.containers]
#   remediation: "Reference images by digest (registry/repo@sha256:...), for instance through your CD tooling."
#   frameworks:
#     nist-800-53-r5: ["CM-14", "SI-7"]
package vigil.rules.k8s_image_no_digest

bad(r) := [sprintf("%s (%s)", [c.name, c.image]) |
	some c in r.facts.workload.containers
	object.get(c, "image", "") != ""
	object.get(c, "digest", "") == ""
]

fail contains r.id if {
	some r in input.resources.kubernetes_workload
	count(bad(r)) > 0
}

message[r.id] := sprintf("images without a digest: %s", [concat(", ", bad(r))]) if {
	some r in input.resources.kubernetes_workload
	r.id in fail
}
