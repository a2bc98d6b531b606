# METADATA
# title: "Serverless function keeps secrets in environment variables"
# description: "An environment variable of a Lambda function, Azure Function App or Cloud Function looks like a credential (a password, key or token by name or by value). Environment variables are readable by anyone who can read the function's configuration and end up in deployment tooling; keep secrets in a secrets manager."
# scope: package
# custom:
#   id: function-env-secrets
#   severity: HIGH
#   category: identity
#   class: function
#   providers: [aws, azure, gcp]
#   requires: [facts.function.environment_secrets]
#   remediation: "Move the secret to AWS Secrets Manager / Parameter Store, Key Vault (Key Vault references in app settings) or Secret Manager (secret environment variables or volumes), rotate it, and remove it from the function's environment."
#   frameworks:
#     cis-gcp-5.0: ["1.18"]
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.5.17"]
#     pci-dss-4.0: ["8.6.2"]
#     nist-800-53-r5: ["IA-5(7)"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.AA-01"]
package vigil.rules.function_env_secrets

fail contains r.id if {
	some r in input.resources.function
	r.facts.function.environment_secrets == true
}

message[r.id] := msg if {
	some r in input.resources.function
	r.id in fail
	msg := secret_message(r.facts.function)
}

secret_message(f) := sprintf("environment variables hold secrets: %s", [concat(", ", f.secret_variables)]) if count(f.secret_variables) > 0

else := "an environment variable holds a secret"
