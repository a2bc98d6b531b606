package gcp

import "testing"

// A cloudfunctions.googleapis.com/Function asset (Cloud Functions API v2)
// lists 1st gen functions too (environment GEN_1), whose URL accepts HTTP
// unless serviceConfig.securityLevel is SECURE_ALWAYS (unset is
// SECURE_OPTIONAL); 2nd gen functions are served over HTTPS only.
func TestFunctionV2HTTPSByGeneration(t *testing.T) {
	const fn = "//cloudfunctions.googleapis.com/projects/p/locations/us-central1/functions/f"
	const sc = `"serviceConfig":{"ingressSettings":"ALLOW_ALL","uri":"https://us-central1-p.cloudfunctions.net/f"`
	for _, tc := range []struct{ data, want string }{
		{`{"environment":"GEN_2",` + sc + `}}`, "true"},
		{`{"environment":"GEN_1",` + sc + `,"securityLevel":"SECURE_ALWAYS"}}`, "true"},
		{`{"environment":"GEN_1",` + sc + `,"securityLevel":"SECURE_OPTIONAL"}}`, "false"},
		{`{"environment":"GEN_1",` + sc + `}}`, "false"},
		{`{"environment":"GEN_1",` + sc + `,"securityLevel":"SECURITY_LEVEL_UNSPECIFIED"}}`, "false"},
		{`{"environment":"GEN_1",` + sc + `},"eventTrigger":{"eventType":"google.cloud.pubsub.topic.v1.messagePublished"}}`, "unknown"},
		{`{"environment":"GEN_1",` + sc + `,"securityLevel":"SECURE_SOMETIMES"}}`, "unknown"},
		{`{"environment":"GEN_3",` + sc + `}}`, "unknown"},
		{`{` + sc + `}}`, "true"},
		{`{` + sc + `,"securityLevel":"SECURE_OPTIONAL"}}`, "false"},
	} {
		m := parse(t, line(fn, TypeCloudFunctionV2, tc.data))
		got := "unknown"
		if b := m[fn].Facts.Function.HTTPSOnly; b != nil && *b {
			got = "true"
		} else if b != nil {
			got = "false"
		}
		if got != tc.want {
			t.Errorf("%s: https only %s, want %s", tc.data, got, tc.want)
		}
	}
}
