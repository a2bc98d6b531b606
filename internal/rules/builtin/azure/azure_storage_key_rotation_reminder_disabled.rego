# METADATA
# title: "Storage account has no key rotation reminder"
# description: "The storage account has no key expiration policy (keyPolicy.keyExpirationPeriodInDays), so nobody is reminded to rotate its access keys."
# scope: package
# custom:
#   id: azure-storage-key-rotation-reminder-disabled
#   severity: LOW
#   category: identity
#   class: object_storage
#   providers: [azure]
#   requires: [facts.storage.key_expiration_policy]
#   remediation: "Set a key expiration period on the storage account, for example 90 days (az storage account update --key-exp-days 90)."
#   frameworks:
#     cis-azure-6.0: ["9.3.1.1"]
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.5.17"]
#     pci-dss-4.0: ["8.6.3"]
#     nist-800-53-r5: ["IA-5"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.AA-01"]
package vigil.rules.azure_storage_key_rotation_reminder_disabled

fail contains r.id if {
	some r in input.resources.object_storage
	r.facts.storage.key_expiration_policy == false
}

message[id] := "no key expiration policy: no key rotation reminders" if some id in fail
