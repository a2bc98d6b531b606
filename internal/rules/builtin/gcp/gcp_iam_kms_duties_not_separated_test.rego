package vigil.rules.gcp_iam_kms_duties_not_separated_test

import data.vigil.rules.gcp_iam_kms_duties_not_separated as rule

binding(id, member, role, scope) := {"id": id, "provider": "gcp", "type": "iam.googleapis.com/Binding", "facts": {"binding": {
	"principal": member, "principal_type": "serviceAccount", "role": role, "scope": scope, "scope_level": "account",
}}}

inp(bs) := {"now": "2026-11-24T00:00:00Z", "resources": {"iam_binding": bs}}

p1 := "//cloudresourcemanager.googleapis.com/projects/p1"

test_fail_admin_and_decrypter if {
	i := inp([
		binding("r1", "serviceAccount:ops@p1.iam.gserviceaccount.com", "roles/cloudkms.admin", p1),
		binding("r2", "serviceAccount:ops@p1.iam.gserviceaccount.com", "roles/cloudkms.cryptoKeyDecrypter", p1),
		binding("r3", "serviceAccount:ops@p1.iam.gserviceaccount.com", "roles/viewer", p1),
	])
	"r1" in rule.fail with input as i
	"r2" in rule.fail with input as i
	not "r3" in rule.fail with input as i
}

test_pass_separated if {
	i := inp([
		binding("r1", "group:kms-admins@example.com", "roles/cloudkms.admin", p1),
		binding("r2", "serviceAccount:app@p1.iam.gserviceaccount.com", "roles/cloudkms.cryptoKeyEncrypterDecrypter", p1),
	])
	not "r1" in rule.fail with input as i
}

test_pass_user_roles_only if {
	i := inp([
		binding("r1", "user:alice@example.com", "roles/cloudkms.cryptoKeyEncrypter", p1),
		binding("r2", "user:alice@example.com", "roles/cloudkms.cryptoKeyDecrypter", p1),
	])
	not "r1" in rule.fail with input as i
	not "r2" in rule.fail with input as i
}

test_unknown_when_role_absent if {
	i := inp([{"id": "r1", "provider": "gcp", "type": "iam.googleapis.com/Binding", "facts": {"binding": {"principal": "user:alice@example.com", "scope": p1}}}])
	not "r1" in rule.fail with input as i
}
