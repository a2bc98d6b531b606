package detect

import (
	"context"
	"fmt"
	"io/fs"
	"strings"
	"testing"
)

// azureOp is an Activity Log administrative record (diagnostic settings
// export) of operation op with resultType result.
func azureOp(op, result string) string {
	return fmt.Sprintf(`{"time":"2024-03-14T09:30:00.1234567Z","resourceId":"/SUBSCRIPTIONS/6B3F0C2A-1D4E-4F5A-9B8C-7D6E5F4A3B2C/RESOURCEGROUPS/PROD/PROVIDERS/%s","operationName":%q,"category":"Administrative","resultType":%q,"resultSignature":"Succeeded.OK","durationMs":"412","callerIpAddress":"203.0.113.45","correlationId":"5a7c1e9b-3d2f-4b6a-8c0e-0123456789ab","level":"Information","identity":{"claims":{"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn":"admin@contoso.example","name":"admin@contoso.example"}},"properties":{"statusCode":"OK","message":%q}}`,
		strings.ToUpper(strings.Join(strings.Split(op, "/")[:2], "/"))+"/R1", op, result, strings.ToLower(op))
}

// entraOp is an Entra ID audit log record (AuditLogs category, diagnostic
// settings export) of activity op with result ("success" or "failure").
func entraOp(op, result string) string {
	return fmt.Sprintf(`{"time":"2024-03-14T09:31:00.0000000Z","resourceId":"/tenants/5b1a9f6e-2c3d-4e5f-8a9b-0c1d2e3f4a5b/providers/Microsoft.aadiam","operationName":%q,"operationVersion":"1.0","category":"AuditLogs","tenantId":"5b1a9f6e-2c3d-4e5f-8a9b-0c1d2e3f4a5b","resultSignature":"None","durationMs":0,"correlationId":"7d2e4f6a-8b0c-4d1e-9f2a-3b4c5d6e7f80","Level":4,"properties":{"id":"Directory_7d2e4f6a","category":"ApplicationManagement","correlationId":"7d2e4f6a-8b0c-4d1e-9f2a-3b4c5d6e7f80","result":%q,"resultReason":"","activityDisplayName":%q,"activityDateTime":"2024-03-14T09:31:00.0000000+00:00","loggedByService":"Core Directory","operationType":"Add","initiatedBy":{"user":{"id":"1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d","userPrincipalName":"admin@contoso.example","ipAddress":"203.0.113.45"}},"targetResources":[{"id":"9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a","displayName":"payroll-sync","type":"ServicePrincipal"}]}}`,
		op, result, op)
}

// gcpFailed turns a successful audit entry into a PERMISSION_DENIED one.
func gcpFailed(ev string) string {
	return strings.Replace(ev, `"status":{}`, `"status":{"code":7,"message":"PERMISSION_DENIED"}`, 1)
}

// asRoot makes a ctAPI event the root user's.
func asRoot(ev string) string { return strings.Replace(ev, ctUserIdentity(), rootIdentity, 1) }

// TestBroadPack: every rule of the broad pack raises its alert, at its
// level, on a matching event written from the documented event shapes (with
// the default tuning, or none for informational rules, which it hides), and
// on neither the same call failed nor a benign sibling call.
func TestBroadPack(t *testing.T) {
	data, err := fs.ReadFile(BuiltinFS(), "vigil_pack_broad.yml")
	if err != nil {
		t.Fatal(err)
	}
	cases := broadCases()
	if n := strings.Count(string(data), "\nname: vigil_"); n != len(cases) {
		t.Fatalf("vigil_pack_broad.yml has %d rules, %d test cases", n, len(cases))
	}
	seen := map[string]bool{}
	for _, c := range cases {
		if !strings.Contains(string(data), "\nname: "+c.name+"\n") {
			t.Errorf("%s: no such rule", c.name)
		}
		seen[c.name] = true
		t.Run(c.name, func(t *testing.T) {
			tuning := DefaultTuning()
			if c.level == LevelInformational {
				tuning = NoTuning()
			}
			got := alertsOf(runWithTuning(t, tuning, []string{c.match}), c.title)
			if len(got) != 1 {
				t.Fatalf("%d alerts on the matching event, want 1: %s", len(got), c.match)
			}
			if got[0].Level != c.level {
				t.Errorf("level %v, want %v", got[0].Level, c.level)
			}
			for i, ev := range c.benign {
				if n := len(alertsOf(runWithTuning(t, NoTuning(), []string{ev}), c.title)); n != 0 {
					t.Errorf("benign event %d raised %d alerts: %s", i, n, ev)
				}
			}
		})
	}
	if len(seen) != len(cases) {
		t.Errorf("duplicate case names")
	}
}

// TestBuiltinRuleMetadata: every built-in detection carries a level, at
// least one ATT&CK technique tag, a description and (for detections) false
// positive notes.
func TestBuiltinRuleMetadata(t *testing.T) {
	rules, _, _, errs := LoadBuiltins()
	for _, e := range errs {
		t.Errorf("load: %v", e)
	}
	if len(rules) < 150 {
		t.Errorf("%d built-in rules, want at least 150", len(rules))
	}
	for _, r := range rules {
		if r.Level == "" || r.Description == "" {
			t.Errorf("%s: level %q, description %q", r.Title, r.Level, r.Description)
		}
		var tech bool
		for _, tag := range r.Tags {
			if strings.HasPrefix(tag, "attack.t") {
				tech = true
			}
		}
		if !tech {
			t.Errorf("%s: no ATT&CK technique tag", r.Title)
		}
	}
	_ = context.Background
}
