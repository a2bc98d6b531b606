package tfmap_test

import "testing"

// TestAppEngineStandardVersion: CIS GCP 5.0 4.10 from the handlers blocks
// of google_app_engine_standard_app_version: every one SECURE_ALWAYS
// enforces HTTPS; one SECURE_OPTIONAL or without a level does not; no
// handlers block (App Engine's default handler) is unknown.
func TestAppEngineStandardVersion(t *testing.T) {
	handler := func(level string) obj {
		h := obj{"url_regex": ".*", "script": []any{obj{"script_path": "auto"}}}
		if level != "" {
			h["security_level"] = level
		}
		return h
	}
	got, _, probs := mapped(t,
		res("google_app_engine_standard_app_version", "secure", obj{"version_id": "v1", "service": "default", "runtime": "python312",
			"handlers": []any{handler("SECURE_ALWAYS"), handler("SECURE_ALWAYS")}}),
		res("google_app_engine_standard_app_version", "optional", obj{"version_id": "v2", "service": "default", "runtime": "python312",
			"handlers": []any{handler("SECURE_ALWAYS"), handler("SECURE_OPTIONAL")}}),
		res("google_app_engine_standard_app_version", "unset", obj{"version_id": "v3", "service": "default", "runtime": "go122",
			"handlers": []any{handler("")}}),
		res("google_app_engine_standard_app_version", "default", obj{"version_id": "v4", "service": "default", "runtime": "go122"}),
	)
	if len(probs) > 0 {
		t.Errorf("problems: %v", probs)
	}
	for addr, want := range map[string]string{
		"google_app_engine_standard_app_version.secure":   `{"function":{"runtime":"python312","https_only":true}}`,
		"google_app_engine_standard_app_version.optional": `{"function":{"runtime":"python312","https_only":false}}`,
		"google_app_engine_standard_app_version.unset":    `{"function":{"runtime":"go122","https_only":false}}`,
		"google_app_engine_standard_app_version.default":  `{"function":{"runtime":"go122"}}`,
	} {
		if g := factsJSON(t, got[addr]); g != want {
			t.Errorf("%s: %s, want %s", addr, g, want)
		}
	}
}

// TestAccessApprovalSettings: google_project_access_approval_settings
// enrolling all services is a project with Access Approval (CIS GCP 5.0
// 2.16).
func TestAccessApprovalSettings(t *testing.T) {
	got, _, probs := mapped(t, res("google_project_access_approval_settings", "all", obj{"project_id": "p",
		"enrolled_services": []any{obj{"cloud_product": "all", "enrollment_level": "BLOCK_ALL"}}, "notification_emails": []any{"secops@example.com"}}))
	if len(probs) > 0 {
		t.Errorf("problems: %v", probs)
	}
	if g := factsJSON(t, got["google_project_access_approval_settings.all"]); g != `{"account":{"cis":{"access_approval":true}}}` {
		t.Errorf("facts %s", g)
	}
}
