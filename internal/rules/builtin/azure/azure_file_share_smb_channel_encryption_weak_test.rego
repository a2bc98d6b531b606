package vigil.rules.azure_file_share_smb_channel_encryption_weak_test

import data.vigil.rules.azure_file_share_smb_channel_encryption_weak as rule

one(facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"object_storage": [{"id": "r1", "provider": "azure", "type": "T", "facts": facts}]}}

test_fail_default if {
	"r1" in rule.fail with input as one({"storage": {"files": {"smb_channel_encryption": ["AES-128-CCM", "AES-128-GCM", "AES-256-GCM"]}}})
}

test_fail_gcm_128 if {
	"r1" in rule.fail with input as one({"storage": {"files": {"smb_channel_encryption": ["aes-128-gcm", "AES-256-GCM"]}}})
}

test_pass_aes_256_gcm if {
	not "r1" in rule.fail with input as one({"storage": {"files": {"smb_channel_encryption": ["AES-256-GCM"]}}})
}

test_unknown_absent if {
	not "r1" in rule.fail with input as one({"storage": {"files": {"smb_versions": ["SMB3.1.1"]}}})
}
