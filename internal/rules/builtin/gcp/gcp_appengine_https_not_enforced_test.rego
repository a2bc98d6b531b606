package vigil.rules.gcp_appengine_https_not_enforced_test

import data.vigil.rules.gcp_appengine_https_not_enforced as rule

one(fn) := {"resources": {"function": [{"id": "v1", "provider": "gcp", "type": "appengine.googleapis.com/Version", "facts": {"function": fn}}]}}

test_fail_optional_handler if {
	"v1" in rule.fail with input as one({"https_only": false, "runtime": "python312"})
}

test_pass_secure_always if {
	not "v1" in rule.fail with input as one({"https_only": true, "runtime": "python312"})
}

test_unknown_flexible_or_no_handlers if {
	not "v1" in rule.fail with input as one({"runtime": "custom"})
}
