# METADATA
# title: "Storage account allows cross-tenant object replication"
# description: "allowCrossTenantReplication is true: object replication policies may copy the account's blobs to storage accounts in other Microsoft Entra tenants."
# scope: package
# custom:
#   id: azure-storage-cross-tenant-replication
#   severity: MEDIUM
#   category: exposure
#   class: object_storage
#   providers: [azure]
#   requires: [facts.storage.cross_tenant_replication]
#   remediation: "Set allowCrossTenantReplication to false (az storage account update --allow-cross-tenant-replication false)."
#   frameworks:
#     cis-azure-6.0: ["9.3.7"]
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.5.14"]
#     pci-dss-4.0: ["7.2.1"]
#     hipaa: ["164.312(a)(1)"]
#     nist-800-53-r5: ["AC-21", "AC-4"]
#     gdpr: ["Art.5(1)(f)", "Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.DS-01"]
package vigil.rules.azure_storage_cross_tenant_replication

fail contains r.id if {
	some r in input.resources.object_storage
	r.facts.storage.cross_tenant_replication == true
}

message[id] := "allowCrossTenantReplication is true" if some id in fail
