# METADATA
# title: "Serverless function can be invoked by anyone"
# description: "A Lambda function's resource policy allows Principal \"*\" (or its function URL has auth type NONE), a Cloud Function grants roles/cloudfunctions.invoker or run.invoker to allUsers / allAuthenticatedUsers, or an Azure Function App takes anonymous HTTP requests from the internet: anyone can run the code with the function's identity. AWS: the function policy comes from the Config item (supplementaryConfiguration.Policy) or aws lambda get-policy output, and function URLs from aws lambda list-function-url-configs (vigil collect writes them)."
# scope: package
# custom:
#   id: function-public-invocation
#   severity: HIGH
#   category: exposure
#   class: function
#   providers: [aws, azure, gcp]
#   requires: [facts.function.public_invocation]
#   remediation: "Remove the public grant: restrict the Lambda resource policy to specific principals with aws:SourceArn / aws:SourceAccount conditions and use AWS_IAM auth for function URLs; remove allUsers / allAuthenticatedUsers invokers (GCP); require function keys or Entra ID authentication and restrict network access (Azure)."
#   frameworks:
#     cis-aws-7.0: ["2.21"]
#     soc2: ["CC6.1", "CC6.6"]
#     iso27001-2022: ["A.5.15", "A.8.3"]
#     pci-dss-4.0: ["1.4.1", "7.2.1"]
#     hipaa: ["164.312(a)(1)"]
#     nist-800-53-r5: ["AC-3", "SC-7"]
#     gdpr: ["Art.5(1)(f)", "Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.AA-05"]
package vigil.rules.function_public_invocation

fail contains r.id if {
	some r in input.resources.function
	r.facts.function.public_invocation == true
}

message[id] := "anyone can invoke the function" if some id in fail
