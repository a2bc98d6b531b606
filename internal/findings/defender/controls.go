package defender

import "strings"

// vigilRules maps Defender for Cloud recommendations (by their display
// name, lower case, as Resource Graph and the continuous export give it)
// to the vigil rule that checks the same thing on the same resource (the
// assessed resource's ARM id), for merging the two findings into one.
var vigilRules = map[string]string{
	"storage account public access should be disallowed":                                                "storage-public-access",
	"storage accounts should restrict network access using virtual network rules":                       "azure-storage-network-not-restricted",
	"storage accounts should restrict network access":                                                   "azure-storage-network-not-restricted",
	"secure transfer to storage accounts should be enabled":                                             "storage-insecure-transport",
	"storage accounts should have the specified minimum tls version":                                    "azure-storage-min-tls",
	"management ports should be closed on your virtual machines":                                        "compute-remote-admin-reachable-from-internet",
	"management ports of virtual machines should be protected with just-in-time network access control": "compute-remote-admin-reachable-from-internet",
	"key vaults should have deletion protection enabled":                                                "azure-keyvault-purge-protection-disabled",
	"azure key vault should disable public network access":                                              "azure-keyvault-public-network",
	"auditing on sql server should be enabled":                                                          "azure-sql-auditing-disabled",
	"container registries should not allow unrestricted network access":                                 "registry-public-network",
	"subscriptions should have a contact email address for security issues":                             "azure-security-contact-missing",
}

// vigilRule is the vigil rule of a recommendation's display name, "" for
// none.
func vigilRule(displayName string) string {
	return vigilRules[strings.ToLower(strings.TrimSpace(displayName))]
}
