# METADATA
# title: "Container registry allows anonymous pulls"
# description: "An ECR repository policy allows Principal \"*\", an Azure Container Registry has anonymous pull enabled, or an Artifact Registry repository grants a reader role to allUsers / allAuthenticatedUsers: anyone can download the images, which often embed code, configuration and credentials. AWS: the repository policy comes from aws ecr get-repository-policy output (vigil collect writes it)."
# scope: package
# custom:
#   id: registry-public
#   severity: HIGH
#   category: exposure
#   class: container_registry
#   providers: [aws, azure, gcp]
#   requires: [facts.registry.public]
#   remediation: "Remove the public statement from the ECR repository policy, disable anonymous pull (az acr update --anonymous-pull-enabled false), or remove allUsers / allAuthenticatedUsers from the Artifact Registry repository; publish intentionally public images from a dedicated public registry."
#   frameworks:
#     cis-aws-7.0: ["2.21"]
#     soc2: ["CC6.1", "CC6.6"]
#     iso27001-2022: ["A.5.15", "A.8.3"]
#     pci-dss-4.0: ["1.4.1", "7.2.1"]
#     hipaa: ["164.312(a)(1)"]
#     nist-800-53-r5: ["AC-3", "SC-7"]
#     gdpr: ["Art.5(1)(f)", "Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.AA-05"]
package vigil.rules.registry_public

fail contains r.id if {
	some r in input.resources.container_registry
	r.facts.registry.public == true
}

message[id] := "anyone can pull images from the registry" if some id in fail
