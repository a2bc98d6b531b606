package server

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"
)

func TestAlertsAPI(t *testing.T) {
	forEngines(t, func(t *testing.T, e *env) {
		file := alertsFile(t)
		e.withWorkspace(Workspace{Alerts: []string{file}})
		tok, _, err := e.s.CreateToken(context.Background(), "admin", "v", Viewer, e.now().Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		type answer struct {
			Alerts []struct {
				UID, Rule, Severity, Title, Account string
				Rank                                int `json:"severity_id"`
				Data                                json.RawMessage
			}
			Total int
		}
		get := func(q string) (int, answer, string) {
			t.Helper()
			resp, body := e.req("GET", "/api/v1/alerts"+q, nil, "Authorization", "Bearer "+tok)
			var a answer
			if resp.StatusCode == http.StatusOK {
				if err := json.Unmarshal([]byte(body), &a); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			return resp.StatusCode, a, body
		}
		// The server's alert file is recorded in the history: newest first.
		code, a, body := get("")
		if code != http.StatusOK || a.Total != 3 || len(a.Alerts) != 3 || a.Alerts[0].Rule != "aws-leave-organization" ||
			a.Alerts[2].Rule != xssScript || a.Alerts[0].UID != "a1" || !strings.Contains(string(a.Alerts[0].Data), `"class_uid"`) {
			t.Fatalf("GET /api/v1/alerts: %d %s", code, body)
		}
		// Hostile values stay data: JSON escapes them for HTML too.
		if strings.Contains(body, "<script>") {
			t.Errorf("the answer holds a raw <script>:\n%s", body)
		}
		for q, want := range map[string][]string{
			"?min=high":                              {"a1"},
			"?min=Medium":                            {"a1", "a0"},
			"?rule=aws-console-login-no-mfa":         {"a0"},
			"?account=111122223333&limit=1&offset=1": {"a0"},
			"?since=2026-11-20":                      {"a1", "a0"},
			"?until=2026-11-20":                      {"a2"},
			"?cloud=GCP":                             {},
		} {
			code, a, body := get(q)
			var got []string
			for _, x := range a.Alerts {
				got = append(got, x.UID)
			}
			if code != http.StatusOK || strings.Join(got, ",") != strings.Join(want, ",") {
				t.Errorf("%s: %d %v, want %v\n%s", q, code, got, want, body)
			}
		}
		for _, bad := range []string{"?min=bogus", "?since=yesterday", "?limit=5000", "?offset=-2"} {
			if code, _, _ := get(bad); code != http.StatusBadRequest {
				t.Errorf("%s: %d, want 400", bad, code)
			}
		}
		if resp, body := e.req("GET", "/api/v1/alerts/a1", nil, "Authorization", "Bearer "+tok); resp.StatusCode != http.StatusOK || !strings.Contains(body, `"rule": "aws-leave-organization"`) {
			t.Errorf("GET /api/v1/alerts/a1: %s %s", resp.Status, body)
		}
		if resp, _ := e.req("GET", "/api/v1/alerts/nope", nil, "Authorization", "Bearer "+tok); resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET /api/v1/alerts/nope: %s", resp.Status)
		}
		// Another server on the same database, without the file, shares
		// them; the file read again (changed) adds only what is new.
		e.withWorkspace(Workspace{})
		if _, a, _ := get(""); a.Total != 3 {
			t.Errorf("a server without the file: %d alerts, want the 3 recorded", a.Total)
		}
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, append(data, data...), 0o644); err != nil {
			t.Fatal(err)
		}
		e.withWorkspace(Workspace{Alerts: []string{file}})
		if _, a, _ := get(""); a.Total != 3 {
			t.Errorf("the same alerts read twice: %d alerts, want 3", a.Total)
		}
	})
}

func TestPlansAPI(t *testing.T) {
	e := newEnv(t)
	dir, pid := respondDir(t)
	e.withWorkspace(Workspace{Respond: dir})
	tok, _, err := e.s.CreateToken(context.Background(), "admin", "v", Viewer, e.now().Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	get := func(path string) (int, string) {
		resp, body := e.req("GET", path, nil, "Authorization", "Bearer "+tok)
		return resp.StatusCode, body
	}
	code, body := get("/api/v1/plans")
	if code != http.StatusOK || !strings.Contains(body, `"id": "`+pid+`"`) || !strings.Contains(body, `"status": "awaiting approval"`) || !strings.Contains(body, `"total": 1`) {
		t.Fatalf("plans: %d %s", code, body)
	}
	if code, body := get("/api/v1/plans?status=applied"); code != http.StatusOK || !strings.Contains(body, `"total": 0`) {
		t.Errorf("plans?status=applied: %d %s", code, body)
	}
	if code, body := get("/api/v1/plans?offset=1"); code != http.StatusOK || !strings.Contains(body, `"plans": []`) || !strings.Contains(body, `"total": 1`) {
		t.Errorf("plans?offset=1: %d %s", code, body)
	}
	for _, bad := range []string{"/api/v1/plans?status=done", "/api/v1/plans?limit=0", "/api/v1/playbook-runs?limit=x"} {
		if code, _ := get(bad); code != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", bad, code)
		}
	}
	code, body = get("/api/v1/plans/" + pid)
	if code != http.StatusOK || !strings.Contains(body, `"items"`) || !strings.Contains(body, `"runs": []`) {
		t.Errorf("plan %s: %d %s", pid, code, body)
	}
	if code, _ := get("/api/v1/plans/nope"); code != http.StatusNotFound {
		t.Errorf("plans/nope: %d", code)
	}
	// The state's run (of another plan), with its results; none of this plan.
	if code, body := get("/api/v1/playbook-runs"); code != http.StatusOK || !strings.Contains(body, `"total": 1`) || !strings.Contains(body, `"action": "notify.slack"`) {
		t.Errorf("playbook-runs: %d %s", code, body)
	}
	if code, body := get("/api/v1/playbook-runs?plan=" + pid); code != http.StatusOK || !strings.Contains(body, `"runs": []`) {
		t.Errorf("playbook-runs?plan=%s: %d %s", pid, code, body)
	}
	if code, body := get("/api/v1/playbook-runs?kind=rollback"); code != http.StatusOK || !strings.Contains(body, `"total": 0`) {
		t.Errorf("playbook-runs?kind=rollback: %d %s", code, body)
	}
}
