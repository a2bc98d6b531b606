# METADATA
# title: "Container image tags are mutable"
# description: "The ECR repository or Artifact Registry Docker repository lets an existing tag be pushed again, so a deployment that pulls a tag (for example a release version) can silently receive a different, possibly malicious image."
# scope: package
# custom:
#   id: registry-tag-mutable
#   severity: LOW
#   category: resilience
#   class: container_registry
#   providers: [aws, gcp]
#   requires: [facts.registry.tag_immutable]
#   remediation: "Set imageTagMutability to IMMUTABLE (ECR) or enable immutable tags on the Docker repository (Artifact Registry), and deploy by digest."
#   frameworks:
#     soc2: ["CC8.1"]
#     iso27001-2022: ["A.8.32"]
#     nist-800-53-r5: ["SI-7", "CM-2"]
#     nist-csf-2.0: ["PR.PS-01"]
package vigil.rules.registry_tag_mutable

fail contains r.id if {
	some r in input.resources.container_registry
	r.facts.registry.tag_immutable == false
}

message[id] := "image tags can be overwritten" if some id in fail
