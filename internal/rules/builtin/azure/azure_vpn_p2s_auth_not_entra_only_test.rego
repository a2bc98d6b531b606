package vigil.rules.azure_vpn_p2s_auth_not_entra_only_test

import data.vigil.rules.azure_vpn_p2s_auth_not_entra_only as rule

one(cis) := {"resources": {"account": [{"id": "r1", "provider": "azure", "type": "microsoft.resources/subscriptions", "facts": {"account": {"cis": cis}}}]}}

test_fail_certificate if {
	inp := one({"vpn_p2s_entra_only": false, "vpn_p2s_other_auth": ["vgw-nw-p2s (AAD, CERTIFICATE)"]})
	"r1" in rule.fail with input as inp
	rule.message.r1 == "point-to-site authentication other than Entra ID only on vgw-nw-p2s (AAD, CERTIFICATE)" with input as inp
}

test_pass_entra_only if {
	not "r1" in rule.fail with input as one({"vpn_p2s_entra_only": true})
}

test_unknown_absent if {
	not "r1" in rule.fail with input as one({"bastion_host": false})
}
