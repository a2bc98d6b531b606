package gcp

import (
	"context"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/resource"
)

// TestAppEngineVersions: CIS GCP 5.0 4.10 from the versions' URL handlers
// (the App Engine Admin API's Version, as Cloud Asset Inventory exports
// it): every handler SECURE_ALWAYS enforces HTTPS; one SECURE_OPTIONAL,
// or one without a level, does not; a flexible version, a version without
// handlers and a level of the wrong type are unknown.
func TestAppEngineVersions(t *testing.T) {
	version := func(id, data string) string {
		return `{"name":"//appengine.googleapis.com/apps/p/services/default/versions/` + id + `","asset_type":"appengine.googleapis.com/Version",` +
			`"resource":{"version":"v1","discovery_name":"Version","data":` + data + `},"ancestors":["projects/1"]}`
	}
	always := `{"urlRegex":"/static","securityLevel":"SECURE_ALWAYS","staticFiles":{"path":"static"}}`
	lines := []string{
		version("secure", `{"name":"apps/p/services/default/versions/secure","id":"secure","env":"standard","runtime":"python312","servingStatus":"SERVING",`+
			`"serviceAccount":"p@appspot.gserviceaccount.com","handlers":[`+always+`,{"urlRegex":".*","securityLevel":"SECURE_ALWAYS","script":{"scriptPath":"auto"}}]}`),
		version("optional", `{"id":"optional","env":"standard","runtime":"go122","handlers":[`+always+`,{"urlRegex":".*","securityLevel":"SECURE_OPTIONAL","script":{"scriptPath":"auto"}}]}`),
		version("nolevel", `{"id":"nolevel","runtime":"nodejs20","handlers":[{"urlRegex":".*","script":{"scriptPath":"auto"}}]}`),
		version("flex", `{"id":"flex","env":"flexible","runtime":"custom","handlers":[{"urlRegex":".*","securityLevel":"SECURE_OPTIONAL"}]}`),
		version("nohandlers", `{"id":"nohandlers","env":"standard","runtime":"java21"}`),
		version("bad", `{"id":"bad","env":"standard","handlers":[{"urlRegex":".*","securityLevel":true}]}`),
	}
	res := ParseNDJSON(context.Background(), "appengine.ndjson", []byte(strings.Join(lines, "\n")))
	if len(res.Problems) != 1 || !strings.Contains(res.Problems[0].Error(), "securityLevel") {
		t.Errorf("problems: %+v", res.Problems)
	}
	got := map[string]string{}
	for _, r := range res.Resources {
		if r.Class != resource.ClassFunction || r.Facts.Function == nil {
			t.Fatalf("%s: class %s, facts %+v", r.ID, r.Class, r.Facts)
		}
		got[r.Name] = show(r.Facts.Function.HTTPSOnly)
	}
	for id, want := range map[string]string{"secure": "true", "optional": "false", "nolevel": "false", "flex": "unknown",
		"nohandlers": "unknown", "bad": "unknown"} {
		if got[id] != want {
			t.Errorf("version %s: https_only %s, want %s", id, got[id], want)
		}
	}
	for _, r := range res.Resources {
		if r.Name == "secure" && (r.Facts.Function.Runtime != "python312" || r.Facts.Function.Identity != "p@appspot.gserviceaccount.com" || r.Account != "1") {
			t.Errorf("secure: %+v account %q", r.Facts.Function, r.Account)
		}
	}
}
