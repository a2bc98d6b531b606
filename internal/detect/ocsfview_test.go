package detect

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/tidwall/gjson"

	"github.com/vigil-sec/vigil/internal/logs"
)

// The canonical identity and key id are the same whether read from the
// OCSF structs or their JSON, and the same person gets the same identity in
// every cloud.
func TestIdentityAndKeyID(t *testing.T) {
	raw := func(v any) []byte { b, _ := json.Marshal(v); return b }
	gcpKey := gcpSetIamPolicy(t0, "backup@p.iam.gserviceaccount.com")
	gcpKey["protoPayload"].(map[string]any)["authenticationInfo"] = map[string]any{
		"principalEmail":        "backup@p.iam.gserviceaccount.com",
		"serviceAccountKeyName": "//iam.googleapis.com/projects/p/serviceAccounts/backup@p.iam.gserviceaccount.com/keys/abc123"}
	for _, tc := range []struct {
		rec      logs.Record
		identity string
		keyID    string
	}{
		{logs.Record{Source: logs.AWSCloudTrail, Raw: raw(awsPrivChange(t0, "Alice@Example.com", "AttachUserPolicy"))}, "alice@example.com", ""},
		{logs.Record{Source: logs.AzureActivity, Raw: raw(azureRoleAssignment(t0.Add(time.Minute), "alice@example.com"))}, "alice@example.com", ""},
		{logs.Record{Source: logs.GCPAudit, Raw: raw(gcpSetIamPolicy(t0, "ALICE@example.com"))}, "alice@example.com", ""},
		{logs.Record{Source: logs.GCPAudit, Raw: raw(gcpKey)}, "backup@p.iam.gserviceaccount.com", "abc123"},
	} {
		ev, err := OCSFNormalizer(tc.rec)
		if err != nil {
			t.Fatalf("%s: %v", tc.rec.Source, err)
		}
		if got := identityOf(ev); got != tc.identity {
			t.Errorf("%s: identity %q, want %q", tc.rec.Source, got, tc.identity)
		}
		if got := keyIDOf(ev); got != tc.keyID {
			t.Errorf("%s: key id %q, want %q", tc.rec.Source, got, tc.keyID)
		}
		b, _ := json.Marshal(ev)
		if Identity(b) != tc.identity || KeyID(b) != tc.keyID {
			t.Errorf("%s: from JSON: %q %q", tc.rec.Source, Identity(b), KeyID(b))
		}
		o := withVigil(b, tc.identity, tc.keyID)
		if !json.Valid(o) || gjson.GetBytes(o, "vigil.identity").Str != tc.identity {
			t.Errorf("%s: extension: %.200s", tc.rec.Source, o)
		}
	}
}

// withVigilRef is withVigil as first written, through encoding/json: the
// hand-built bytes must be the same.
func withVigilRef(o json.RawMessage, identity, keyID string) json.RawMessage {
	ext := map[string]string{}
	if identity != "" {
		ext["identity"] = identity
	}
	if keyID != "" {
		ext["key_id"] = keyID
	}
	s := strings.TrimLeft(string(o), " \t\r\n")
	if len(ext) == 0 || !strings.HasPrefix(s, "{") {
		return o
	}
	enc, _ := json.Marshal(map[string]map[string]string{"vigil": ext})
	rest := strings.TrimLeft(s[1:], " \t\r\n")
	sep := ""
	if rest != "}" {
		sep = ","
	}
	return json.RawMessage(string(enc[:len(enc)-1]) + sep + rest)
}

func TestWithVigilBytes(t *testing.T) {
	for _, o := range []string{`{"a":1}`, ` {}`, "{\n \"a\":[1]}", `{ }`, `[1]`, ``, `{"x":"<&>"} `} {
		for _, id := range [][2]string{{"", ""}, {"alice@example.com", ""}, {"", "AKIA1"}, {"a<b>&c\u2028\"\\\x01", "k\xff/é"}, {"bob", "key"}} {
			got, want := withVigil(json.RawMessage(o), id[0], id[1]), withVigilRef(json.RawMessage(o), id[0], id[1])
			if string(got) != string(want) {
				t.Errorf("withVigil(%q, %q, %q) = %s, want %s", o, id[0], id[1], got, want)
			}
		}
	}
}
