# METADATA
# title: "Storage account file shares accept SMB channel encryption below AES-256-GCM"
# description: "The account's file service allows AES-128-CCM or AES-128-GCM for SMB channel encryption (protocolSettings.smb.channelEncryption, every algorithm when unset)."
# scope: package
# custom:
#   id: azure-file-share-smb-channel-encryption-weak
#   severity: MEDIUM
#   category: encryption
#   class: object_storage
#   providers: [azure]
#   requires: [facts.storage.files.smb_channel_encryption]
#   remediation: "Allow AES-256-GCM only (az storage account file-service-properties update --channel-encryption AES-256-GCM)."
#   frameworks:
#     cis-azure-6.0: ["9.1.3"]
#     soc2: ["CC6.7"]
#     iso27001-2022: ["A.8.24"]
#     pci-dss-4.0: ["4.2.1"]
#     hipaa: ["164.312(e)(1)"]
#     nist-800-53-r5: ["SC-8"]
#     gdpr: ["Art.32(1)(a)"]
#     nist-csf-2.0: ["PR.DS-02"]
package vigil.rules.azure_file_share_smb_channel_encryption_weak

fail contains r.id if {
	some r in input.resources.object_storage
	some a in r.facts.storage.files.smb_channel_encryption
	upper(a) in {"AES-128-CCM", "AES-128-GCM"}
}

message[r.id] := sprintf("SMB channel encryption allowed: %s", [concat(", ", r.facts.storage.files.smb_channel_encryption)]) if {
	some r in input.resources.object_storage
	r.id in fail
}
