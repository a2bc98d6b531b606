# METADATA
# title: "Storage account file shares accept SMB versions below 3.1.1"
# description: "The account's file service allows SMB 2.1 or 3.0 (protocolSettings.smb.versions, every version when unset), which lack SMB 3.1.1's pre-authentication integrity and AES-GCM encryption."
# scope: package
# custom:
#   id: azure-file-share-smb-version-outdated
#   severity: MEDIUM
#   category: encryption
#   class: object_storage
#   providers: [azure]
#   requires: [facts.storage.files.smb_versions]
#   remediation: "Allow SMB 3.1.1 only (az storage account file-service-properties update --versions SMB3.1.1)."
#   frameworks:
#     cis-azure-6.0: ["9.1.2"]
#     soc2: ["CC6.7"]
#     iso27001-2022: ["A.8.24"]
#     pci-dss-4.0: ["4.2.1"]
#     hipaa: ["164.312(e)(1)"]
#     nist-800-53-r5: ["SC-8"]
#     gdpr: ["Art.32(1)(a)"]
#     nist-csf-2.0: ["PR.DS-02"]
package vigil.rules.azure_file_share_smb_version_outdated

# Anything allowed that is not SMB 3.1.1 (or a later version) is older.
fail contains r.id if {
	some r in input.resources.object_storage
	some v in r.facts.storage.files.smb_versions
	upper(v) in {"SMB2.1", "SMB3.0", "SMB2", "SMB3", "SMB2.0"}
}

message[r.id] := sprintf("SMB versions allowed: %s", [concat(", ", r.facts.storage.files.smb_versions)]) if {
	some r in input.resources.object_storage
	r.id in fail
}
