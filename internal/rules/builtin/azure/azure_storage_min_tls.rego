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
#     gdpr: ["Art.32(1)(a)"]
#     nist-csf-2.0: ["PR.DS-02"]
package vigil.rules.azure_storage_min_tls

# Importers normalize the export's TLS1_2 to "1.2"; the export's own
# spellings of the versions below 1.2 (TLS1_0, TLSv1.1...) fail too, so an
# input that was not normalized is not taken for a pass. The fail set
# compares the fact with constants only, so the engine evaluates it in Go:
# the normalized versions ("1.0" ... "1.3") compare as strings as they do
# as numbers.
fail contains r.id if {
	some r in input.resources.object_storage
	r.facts.storage.min_tls_version < "1.2"
}

fail contains r.id if {
	some r in input.resources.object_storage
	r.facts.storage.min_tls_version in {
		"TLS1_0", "TLS1_1", "tls1_0", "tls1_1", "Tls1_0", "Tls1_1",
		"TLS1.0", "TLS1.1", "tls1.0", "tls1.1",
		"TLSv1.0", "TLSv1.1", "tlsv1.0", "tlsv1.1", "TLSv1_0", "TLSv1_1", "tlsv1_0", "tlsv1_1",
		"TLS10", "TLS11", "tls10", "tls11", "v1.0", "v1.1",
	}
}

message[r.id] := sprintf("minimum TLS version is %s", [r.facts.storage.min_tls_version]) if {
	some r in input.resources.object_storage
	r.id in fail
}
