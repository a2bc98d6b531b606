# METADATA
# title: "Databricks workspace cluster nodes have public IPs ('No Public IP' disabled)"
# description: "parameters.enableNoPublicIp is false: the workspace's cluster nodes get public IP addresses and open inbound ports instead of using secure cluster connectivity."
# scope: package
# custom:
#   id: azure-databricks-public-ip
#   severity: HIGH
#   category: network
#   class: data_warehouse
#   providers: [azure]
#   applies_to:
#     type: [Microsoft.Databricks/workspaces]
#   requires: [facts.database.databricks.no_public_ip]
#   remediation: "Enable secure cluster connectivity (az databricks workspace update --enable-no-public-ip true)."
#   frameworks:
#     cis-azure-6.0: ["2.1.9"]
#     soc2: ["CC6.6"]
#     iso27001-2022: ["A.8.20"]
#     pci-dss-4.0: ["1.3.1"]
#     nist-800-53-r5: ["SC-7"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.IR-01"]
package vigil.rules.azure_databricks_public_ip

fail contains r.id if {
	some r in input.resources.data_warehouse
	r.type == "Microsoft.Databricks/workspaces"
	r.facts.database.databricks.no_public_ip == false
}
