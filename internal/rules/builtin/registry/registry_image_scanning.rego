# METADATA
# title: "Container images are not scanned for vulnerabilities"
# description: "The ECR repository does not scan images on push (and the registry has no enhanced scanning), or Artifact Registry vulnerability scanning is off, so images with known vulnerable packages are deployed unnoticed."
# scope: package
# custom:
#   id: registry-image-scanning
#   severity: MEDIUM
#   category: monitoring
#   class: container_registry
#   providers: [aws, gcp]
#   requires: [facts.registry.image_scanning]
#   remediation: "Enable scan on push or Amazon Inspector enhanced scanning for ECR; enable the Container Scanning API / Artifact Analysis for Artifact Registry, and act on the findings."
#   frameworks:
#     soc2: ["CC7.1"]
#     iso27001-2022: ["A.8.8"]
#     pci-dss-4.0: ["6.3.1"]
#     nist-800-53-r5: ["RA-5"]
#     gdpr: ["Art.32(1)(d)"]
#     nist-csf-2.0: ["ID.RA-01"]
package vigil.rules.registry_image_scanning

fail contains r.id if {
	some r in input.resources.container_registry
	r.facts.registry.image_scanning == false
}

message[id] := "images are not scanned for vulnerabilities" if some id in fail
