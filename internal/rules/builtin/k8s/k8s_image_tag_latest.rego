# METADATA
# title: "Container image uses the latest tag or no tag"
# description: "A container image is referenced by the tag latest or by no tag (which means latest) and no digest, so what runs changes with every push and cannot be traced to a reviewed build."
# scope: package
# custom:
#   id: k8s-image-tag-latest
#   severity: MEDIUM
#   category: resilience
#   class: kubernetes_workload
#   providers: [kubernetes]
#   requires: [facts.workload.containers]
#   remediation: "Reference the image by a version tag, or better by digest (image@sha256:...)."
#   frameworks:
#     nist-800-53-r5: ["CM-2", "CM-14"]
package vigil.rules.k8s_image_tag_latest

bad(r) := [sprintf("%s (%s)", [c.name, c.image]) |
	some c in r.facts.workload.containers
	object.get(c, "image", "") != ""
	object.get(c, "digest", "") == ""
	object.get(c, "tag", "") in {"", "latest"}
]

fail contains r.id if {
	some r in input.resources.kubernetes_workload
	count(bad(r)) > 0
}

message[r.id] := sprintf("images with the latest tag or no tag: %s", [concat(", ", bad(r))]) if {
	some r in input.resources.kubernetes_workload
	r.id in fail
}
