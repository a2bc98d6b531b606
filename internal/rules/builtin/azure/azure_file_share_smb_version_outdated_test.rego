package vigil.rules.azure_file_share_smb_version_outdated_test

import data.vigil.rules.azure_file_share_smb_version_outdated as rule

one(facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"object_storage": [{"id": "r1", "provider": "azure", "type": "T", "facts": facts}]}}

test_fail_all_versions if {
	"r1" in rule.fail with input as one({"storage": {"files": {"smb_versions": ["SMB2.1", "SMB3.0", "SMB3.1.1"]}}})
}

test_fail_3_0 if {
	"r1" in rule.fail with input as one({"storage": {"files": {"smb_versions": ["smb3.0"]}}})
}

test_pass_3_1_1 if {
	not "r1" in rule.fail with input as one({"storage": {"files": {"smb_versions": ["SMB3.1.1"]}}})
}

test_unknown_absent if {
	not "r1" in rule.fail with input as one({"storage": {"files": {"soft_delete": true}}})
}
