# METADATA
# title: "Storage account accepts TLS versions below 1.2"
# description: "The storage account's minimum TLS version is 1.0 or 1.1, protocol versions with known weaknesses."
# scope: package
# custom:
#   id: azure-storage-min-tls
#   severity: MEDIUM
#   category: encryption
#   class: object_storage
#   providers: [azure]
#   requires: [facts.storage.min_tls_version]
#   remediation: "Set the storage account's minimumTlsVersion to TLS1_2 (az storage account update --min-tls-version TLS1_2)."
#   frameworks:
#     cis-azure-6.0: ["9.3.6"]
#     soc2: ["CC6.7"]
#     iso27001-2022: ["A.8.24"]
#     pci-dss-4.0: ["4.2.1"]
#     hipaa: ["164.312(e)(1)"]
#     nist-800-53-r5: ["SC-8"]
package vigil.rules.azure_storage_min_tls

# version(r) is the minimum TLS version as a number. Importers normalize the
# export's TLS1_2 to "1.2"; the export's own spellings (TLS1_2, TLSv1.2) are
# read too, so an input that was not normalized is not taken for a pass.
version(r) := to_number(v) if {
	is_string(r.facts.storage.min_tls_version)
	v := replace(trim_prefix(trim_prefix(trim_space(lower(r.facts.storage.min_tls_version)), "tls"), "v"), "_", ".")
	regex.match(`^[0-9]+(\.[0-9]+)?$`, v)
}

fail contains r.id if {
	some r in input.resources.object_storage
	version(r) < 1.2
}

message[r.id] := sprintf("minimum TLS version is %s", [r.facts.storage.min_tls_version]) if {
	some r in input.resources.object_storage
	r.id in fail
}
