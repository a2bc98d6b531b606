# METADATA
# title: "Credential hard-coded in a container environment variable"
# description: "A container environment variable whose name or value looks like a credential (password, token, API or access key, private key) is given a literal value in the manifest instead of valueFrom a Secret: it is stored in version control, in the API object and in every copy of the manifest."
# scope: package
# custom:
#   id: k8s-env-hardcoded-secret
#   severity: HIGH
#   category: identity
#   class: kubernetes_workload
#   providers: [kubernetes]
#   requires: [facts.workload.environment_secrets]
#   remediation: "Store the value in a Secret (or an external secret store) and reference it with valueFrom.secretKeyRef, or mount it as a file."
#   frameworks:
#     cis-kubernetes-1.10: ["5.4.1"]
#     soc2: ["CC6.1"]
#     nist-800-53-r5: ["IA-5(7)", "SC-28"]
package vigil.rules.k8s_env_hardcoded_secret

fail contains r.id if {
	some r in input.resources.kubernetes_workload
	count(r.facts.workload.environment_secrets) > 0
}

message[r.id] := sprintf("literal credentials in environment variables: %s", [concat(", ", r.facts.workload.environment_secrets)]) if {
	some r in input.resources.kubernetes_workload
	r.id in fail
}
