package server

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/history"
	"github.com/vigil-sec/vigil/internal/history/historytest"
	"github.com/vigil-sec/vigil/internal/resource"
)

var t0 = time.Date(2026, 11, 20, 6, 0, 0, 0, time.UTC)

// Hostile values a cloud can hand us (resource names, accounts, messages).
const (
	xssScript = `<script>alert(1)</script>`
	xssImg    = `"><img src=x onerror=alert(1)>`
)

func fnd(rule, res, name string, st finding.Status, sev finding.Severity) finding.Finding {
	return finding.Finding{RuleID: rule, Title: "title of " + rule, Severity: sev, Status: st, Message: "message of " + name,
		Resource:   resource.Ref{ID: res, Type: "aws_s3_bucket", Provider: resource.AWS, Account: "111122223333", Region: "eu-west-1", Name: name},
		Frameworks: []finding.Reference{{Framework: "soc2", Control: "CC6.1"}}}
}

// env is a server over an SQLite history holding two runs of one source,
// with a viewer, an analyst and an admin.
type env struct {
	t     *testing.T
	s     *Server
	ts    *httptest.Server
	store *history.Store
	mu    sync.Mutex
	clock time.Time
	// latest are the findings of the latest run.
	latest []finding.Finding
}

func (e *env) now() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.clock
}

func (e *env) advance(d time.Duration) {
	e.mu.Lock()
	e.clock = e.clock.Add(d)
	e.mu.Unlock()
}

const password = "a long enough password"

func newEnv(t *testing.T) *env {
	t.Helper()
	return newEnvOn(t, filepath.Join(t.TempDir(), "h.db"))
}

// forEngines runs f on SQLite and, when VIGIL_POSTGRES names a server, on
// PostgreSQL.
func forEngines(t *testing.T, f func(t *testing.T, e *env)) {
	for _, eng := range historytest.Engines() {
		t.Run(eng.Name, func(t *testing.T) { f(t, newEnvOn(t, eng.DSN(t))) })
	}
}

func newEnvOn(t *testing.T, dsn string) *env {
	t.Helper()
	ctx := context.Background()
	store, err := history.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	hostile := fnd("storage-public", "arn:aws:s3:::"+xssScript, xssScript+xssImg, finding.Fail, finding.Critical)
	hostile.Resource.Account = xssImg
	hostile.Message = "bucket " + xssScript + " is public " + xssImg
	run1 := []finding.Finding{
		hostile,
		fnd("storage-public", "arn:aws:s3:::logs", "logs", finding.Fail, finding.High),
		fnd("storage-encryption", "arn:aws:s3:::logs", "logs", finding.Pass, finding.Medium),
	}
	run2 := []finding.Finding{
		hostile,
		fnd("storage-public", "arn:aws:s3:::logs", "logs", finding.Pass, finding.High),
		fnd("storage-encryption", "arn:aws:s3:::logs", "logs", finding.Fail, finding.Medium),
	}
	for i, fs := range [][]finding.Finding{run1, run2} {
		at := t0.Add(time.Duration(i) * 24 * time.Hour)
		if _, err := store.Record(ctx, &history.Scan{Source: "org", Kind: "paths", Inputs: []string{"examples/org"},
			Started: at, Finished: at.Add(2 * time.Second), Findings: fs}); err != nil {
			t.Fatal(err)
		}
	}
	addJobRuns(t, store)
	e := &env{t: t, store: store, clock: t0.Add(72 * time.Hour), latest: run2}
	e.s, err = New(ctx, store, Options{Now: e.now, Argon2: Argon2Params{Memory: 1024, Time: 1, Threads: 1},
		Logger: nil})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range Roles {
		if err := e.s.CreateUser(ctx, string(r), password, r); err != nil {
			t.Fatal(err)
		}
	}
	e.ts = httptest.NewServer(e.s.Handler())
	t.Cleanup(e.ts.Close)
	return e
}

var client = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// req makes a request; hdr pairs are header names and values.
func (e *env) req(method, path string, body io.Reader, hdr ...string) (*http.Response, string) {
	e.t.Helper()
	r, err := http.NewRequest(method, e.ts.URL+path, body)
	if err != nil {
		e.t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		r.Header.Add(hdr[i], hdr[i+1])
	}
	resp, err := client.Do(r)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func form(kv ...string) io.Reader {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return strings.NewReader(v.Encode())
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// session is a signed-in browser: its cookie header and CSRF token.
type session struct{ cookie, csrf string }

func (e *env) tryLogin(user, pass string) *http.Response {
	e.t.Helper()
	_, body := e.req("GET", "/login", nil)
	m := csrfRE.FindStringSubmatch(body)
	if m == nil {
		e.t.Fatalf("no CSRF token in the login page:\n%s", body)
	}
	resp, _ := e.req("POST", "/login", form("csrf", m[1], "user", user, "password", pass, "next", "/findings"),
		"Content-Type", "application/x-www-form-urlencoded", "Cookie", loginCookie+"="+m[1])
	return resp
}

func (e *env) login(user string) session {
	e.t.Helper()
	resp := e.tryLogin(user, password)
	if resp.StatusCode != http.StatusSeeOther {
		e.t.Fatalf("login %s: %s", user, resp.Status)
	}
	var s session
	for _, c := range resp.Cookies() {
		if c.Name == sessionCookie {
			s.cookie = c.Name + "=" + c.Value
			if !c.Secure || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Path != "/" {
				e.t.Errorf("session cookie %+v: want Secure, HttpOnly, SameSite=Strict, Path=/", c)
			}
		}
	}
	if s.cookie == "" {
		e.t.Fatal("no session cookie")
	}
	_, body := e.req("GET", "/", nil, "Cookie", s.cookie)
	m := csrfRE.FindStringSubmatch(body)
	if m == nil {
		e.t.Fatalf("no CSRF token in the overview:\n%s", body)
	}
	s.csrf = m[1]
	return s
}

// concrete turns a route pattern into a path that matches it.
func concrete(path string) string {
	path = strings.ReplaceAll(path, "{id}", "2")
	path = strings.ReplaceAll(path, "{$}", "")
	if strings.HasSuffix(path, "/static/") {
		path += "style.css"
	}
	return path
}

func TestUnauthenticatedIsRefused(t *testing.T) {
	e := newEnv(t)
	for _, rt := range e.s.routes {
		method := rt.method
		if method == "" {
			method = "GET"
		}
		path := concrete(rt.path)
		for _, creds := range [][]string{
			nil,
			{"Cookie", sessionCookie + "=forged"},
			{"Authorization", "Bearer vigil_forged"},
			{"Authorization", "Basic YWRtaW46YQ=="},
		} {
			resp, _ := e.req(method, path, form(), append([]string{"Content-Type", "application/x-www-form-urlencoded"}, creds...)...)
			for _, h := range []string{"Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy"} {
				if resp.Header.Get(h) == "" {
					t.Errorf("%s %s: no %s header", method, path, h)
				}
			}
			if rt.public {
				if resp.StatusCode >= 500 {
					t.Errorf("%s %s (public): %s", method, path, resp.Status)
				}
				continue
			}
			switch {
			case resp.StatusCode == http.StatusUnauthorized:
			case resp.StatusCode == http.StatusSeeOther && strings.HasPrefix(resp.Header.Get("Location"), "/login"):
				if rt.api || method != "GET" {
					t.Errorf("%s %s %v: redirected, want 401", method, path, creds)
				}
			default:
				t.Errorf("%s %s %v without valid credentials: %s, want 401 or a redirect to /login", method, path, creds, resp.Status)
			}
		}
	}
	if resp, body := e.req("GET", "/healthz", nil); resp.StatusCode != 200 || body != "ok\n" {
		t.Errorf("healthz: %s %q", resp.Status, body)
	}
	csp := "default-src 'self'"
	if resp, _ := e.req("GET", "/login", nil); !strings.Contains(resp.Header.Get("Content-Security-Policy"), csp) ||
		strings.Contains(resp.Header.Get("Content-Security-Policy"), "unsafe-inline") {
		t.Errorf("CSP %q", resp.Header.Get("Content-Security-Policy"))
	}
}

func TestCSRFOnEveryStateChangingRoute(t *testing.T) {
	forEngines(t, func(t *testing.T, e *env) {
		admin := e.login("admin")
		n := 0
		for _, rt := range e.s.routes {
			if rt.public || rt.method == "" || !unsafe(rt.method) {
				continue
			}
			n++
			body := "csrf=&rule=storage-public&resource=x&reason=r&name=n&role=viewer&expires=2027-01-01"
			for _, c := range []struct{ name, field, header string }{
				{"missing", "", ""},
				{"wrong field", "csrf=" + strings.Repeat("A", 43), ""},
				{"wrong header", "", strings.Repeat("B", 43)},
			} {
				b := strings.Replace(body, "csrf=", c.field+"&x=", 1)
				hdr := []string{"Content-Type", "application/x-www-form-urlencoded", "Cookie", admin.cookie}
				if c.header != "" {
					hdr = append(hdr, "X-CSRF-Token", c.header)
				}
				if resp, _ := e.req(rt.method, concrete(rt.path), strings.NewReader(b), hdr...); resp.StatusCode != http.StatusForbidden {
					t.Errorf("%s %s, CSRF token %s: %s, want 403", rt.method, rt.path, c.name, resp.Status)
				}
			}
		}
		if n < 4 {
			t.Fatalf("%d state-changing routes checked", n)
		}
		// The login form: a double-submit cookie and field that must match.
		_, page := e.req("GET", "/login", nil)
		tok := csrfRE.FindStringSubmatch(page)[1]
		for _, c := range []struct{ name, cookie, field string }{
			{"missing", "", ""}, {"no cookie", "", tok}, {"no field", tok, ""}, {"mismatch", tok, tok + "x"},
		} {
			hdr := []string{"Content-Type", "application/x-www-form-urlencoded"}
			if c.cookie != "" {
				hdr = append(hdr, "Cookie", loginCookie+"="+c.cookie)
			}
			if resp, _ := e.req("POST", "/login", form("csrf", c.field, "user", "admin", "password", password), hdr...); resp.StatusCode != http.StatusForbidden {
				t.Errorf("login, CSRF %s: %s, want 403", c.name, resp.Status)
			}
		}
		// With the right token the same request goes through.
		resp, _ := e.req("POST", "/logout", form("csrf", admin.csrf), "Content-Type", "application/x-www-form-urlencoded", "Cookie", admin.cookie)
		if resp.StatusCode != http.StatusSeeOther {
			t.Errorf("logout with the CSRF token: %s", resp.Status)
		}
		if resp, _ := e.req("GET", "/findings", nil, "Cookie", admin.cookie); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("the session still works after logout: %s", resp.Status)
		}
	})
}

func (e *env) mute(s session, resource string) *http.Response {
	e.t.Helper()
	resp, _ := e.req("POST", "/findings/mute", form("csrf", s.csrf, "source", "org", "rule", "storage-encryption", "resource", resource,
		"reason", "accepted risk", "expires", "2027-01-31", "back", "/findings"), "Content-Type", "application/x-www-form-urlencoded", "Cookie", s.cookie)
	return resp
}

func TestRoles(t *testing.T) {
	forEngines(t, func(t *testing.T, e *env) {
		viewer, analyst, admin := e.login("viewer"), e.login("analyst"), e.login("admin")
		if resp := e.mute(viewer, "arn:aws:s3:::logs"); resp.StatusCode != http.StatusForbidden {
			t.Errorf("viewer mutes: %s, want 403", resp.Status)
		}
		fs, _ := e.store.Findings(context.Background(), history.FindingQuery{Rules: []string{"storage-encryption"}})
		if len(fs) != 1 || fs[0].State != history.StateNew {
			t.Fatalf("before muting: %+v", fs)
		}
		if resp := e.mute(analyst, "arn:aws:s3:::logs"); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("analyst mutes: %s, want 303", resp.Status)
		}
		fs, _ = e.store.Findings(context.Background(), history.FindingQuery{Rules: []string{"storage-encryption"}})
		if len(fs) != 1 || fs[0].State != history.StateSuppressed || fs[0].Suppression.Owner != "analyst" || fs[0].Suppression.Reason != "accepted risk" {
			t.Errorf("after muting: %+v", fs)
		}
		for _, p := range []string{"/admin/audit", "/admin/tokens", "/api/v1/audit"} {
			if resp, _ := e.req("GET", p, nil, "Cookie", analyst.cookie); resp.StatusCode != http.StatusForbidden {
				t.Errorf("analyst GET %s: %s, want 403", p, resp.Status)
			}
		}
		resp, _ := e.req("POST", "/api/v1/tokens", strings.NewReader(`{"name":"ci","role":"admin","expires":"2027-01-01"}`),
			"Cookie", analyst.cookie, "X-CSRF-Token", analyst.csrf)
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("analyst creates a token: %s, want 403", resp.Status)
		}
		// An admin creates a viewer token; the viewer token may not mute.
		resp, body := e.req("POST", "/api/v1/tokens", strings.NewReader(`{"name":"ci","role":"viewer","expires":"2027-01-01"}`),
			"Cookie", admin.cookie, "X-CSRF-Token", admin.csrf)
		var tok struct{ Token string }
		if resp.StatusCode != http.StatusCreated || json.Unmarshal([]byte(body), &tok) != nil || !strings.HasPrefix(tok.Token, tokenPrefix) {
			t.Fatalf("admin creates a token: %s %s", resp.Status, body)
		}
		mute := `{"rule_id":"storage-public","resource_id":"*","reason":"r"}`
		if resp, _ := e.req("POST", "/api/v1/mute", strings.NewReader(mute), "Authorization", "Bearer "+tok.Token); resp.StatusCode != http.StatusForbidden {
			t.Errorf("viewer token mutes: %s, want 403", resp.Status)
		}
		if resp, _ := e.req("GET", "/api/v1/findings", nil, "Authorization", "Bearer "+tok.Token); resp.StatusCode != http.StatusOK {
			t.Errorf("viewer token reads: %s", resp.Status)
		}
		// The audit log shows the actions, to admins.
		_, audit := e.req("GET", "/admin/audit", nil, "Cookie", admin.cookie)
		for _, want := range []string{"login", "mute", "token_create", "user_create"} {
			if !strings.Contains(audit, "<td>"+want+"</td>") {
				t.Errorf("audit log lacks %s", want)
			}
		}
	})
}

func TestLoginRateLimit(t *testing.T) {
	t.Run("per user", func(t *testing.T) {
		e := newEnv(t)
		for i := range 5 {
			if resp := e.tryLogin("analyst", "wrong password"); resp.StatusCode != http.StatusUnauthorized {
				t.Fatalf("wrong password %d: %s, want 401", i+1, resp.Status)
			}
		}
		if resp := e.tryLogin("analyst", password); resp.StatusCode != http.StatusTooManyRequests {
			t.Errorf("right password after 5 failures: %s, want 429", resp.Status)
		}
		if resp := e.tryLogin("viewer", password); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("another user from the same address: %s, want 303", resp.Status)
		}
		e.advance(16 * time.Minute)
		if resp := e.tryLogin("analyst", password); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("after the window: %s, want 303", resp.Status)
		}
	})
	t.Run("per address", func(t *testing.T) {
		e := newEnv(t)
		for i := range 20 {
			if resp := e.tryLogin("nobody"+string(rune('a'+i)), "wrong"); resp.StatusCode != http.StatusUnauthorized {
				t.Fatalf("failure %d: %s, want 401", i+1, resp.Status)
			}
		}
		if resp := e.tryLogin("admin", password); resp.StatusCode != http.StatusTooManyRequests {
			t.Errorf("after 20 failures from one address: %s, want 429", resp.Status)
		}
	})
}

func TestAPITokens(t *testing.T) {
	forEngines(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		secret, info, err := e.s.CreateToken(ctx, "admin", "ci", Analyst, e.now().Add(24*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := e.s.CreateToken(ctx, "admin", "old", Viewer, e.now().Add(-time.Hour)); err == nil {
			t.Error("a token expiring in the past was created")
		}
		var stored string
		if err := e.s.db.queryRow(ctx, "SELECT token_hash FROM api_tokens WHERE id = ?", info.ID).Scan(&stored); err != nil || stored == secret || stored != tokenHash(secret) {
			t.Errorf("stored %q for %q (%v): want its hash only", stored, secret, err)
		}
		if resp, _ := e.req("GET", "/api/v1/runs", nil, "Authorization", "Bearer "+secret); resp.StatusCode != http.StatusOK {
			t.Fatalf("valid token: %s", resp.Status)
		}
		// Bearer requests need no CSRF token (a browser never sends one on its own).
		if resp, body := e.req("POST", "/api/v1/mute", strings.NewReader(`{"rule_id":"storage-public","resource_id":"arn:aws:s3:::logs","reason":"test","expires":"2027-01-01"}`),
			"Authorization", "Bearer "+secret); resp.StatusCode != http.StatusCreated {
			t.Errorf("analyst token mutes: %s %s", resp.Status, body)
		}
		e.advance(25 * time.Hour)
		if resp, _ := e.req("GET", "/api/v1/runs", nil, "Authorization", "Bearer "+secret); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("expired token: %s, want 401", resp.Status)
		}
		if resp, _ := e.req("GET", "/api/v1/runs", nil, "Authorization", "Bearer "+secret+"x"); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("altered token: %s, want 401", resp.Status)
		}
	})
}

func TestCloudDataIsEscaped(t *testing.T) {
	forEngines(t, func(t *testing.T, e *env) {
		admin := e.login("admin")
		for _, p := range []string{"/findings", "/findings?group=resource", "/findings?group=account", "/findings?state=all&sort=resource",
			"/diff?a=1&b=2", "/", "/runs/2", "/admin/audit"} {
			resp, body := e.req("GET", p, nil, "Cookie", admin.cookie)
			if resp.StatusCode != http.StatusOK {
				t.Errorf("%s: %s", p, resp.Status)
				continue
			}
			for _, raw := range []string{xssScript, "<img src=x", "onerror=alert(1)>"} {
				if strings.Contains(body, raw) {
					t.Errorf("%s renders %q unescaped", p, raw)
				}
			}
		}
		_, body := e.req("GET", "/findings", nil, "Cookie", admin.cookie)
		for _, want := range []string{"&lt;script&gt;alert(1)&lt;/script&gt;", "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;"} {
			if !strings.Contains(body, want) {
				t.Errorf("/findings lacks the escaped %q", want)
			}
		}
		// The hostile account is a filter value in a link: escaped in the URL too.
		_, body = e.req("GET", "/", nil, "Cookie", admin.cookie)
		if !strings.Contains(body, "account=%22%3e%3cimg") {
			t.Errorf("overview account link not URL-escaped")
		}
		// A CSV cell cannot start a formula.
		if got := csvSafe("=HYPERLINK(\"x\")"); got[0] != '\'' {
			t.Errorf("csvSafe: %q", got)
		}
	})
}

func TestOpenAPIMatchesRoutes(t *testing.T) {
	forEngines(t, func(t *testing.T, e *env) {
		var doc struct {
			OpenAPI string                                `json:"openapi"`
			Paths   map[string]map[string]json.RawMessage `json:"paths"`
		}
		if err := json.Unmarshal(openapiDoc, &doc); err != nil || !strings.HasPrefix(doc.OpenAPI, "3.") {
			t.Fatalf("openapi.json: %v (version %q)", err, doc.OpenAPI)
		}
		var documented, registered []string
		for p, ops := range doc.Paths {
			for m := range ops {
				documented = append(documented, strings.ToUpper(m)+" "+p)
			}
		}
		for _, rt := range e.s.routes {
			if rt.api && rt.method != "" {
				registered = append(registered, rt.method+" "+rt.path)
			}
		}
		slices.Sort(documented)
		slices.Sort(registered)
		for _, r := range registered {
			if !slices.Contains(documented, r) {
				t.Errorf("route %s is not in openapi.json", r)
			}
		}
		admin, _, err := e.s.CreateToken(context.Background(), "test", "test", Admin, e.now().Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		// A spare token (ID 2) for DELETE /api/v1/tokens/{id}.
		if _, _, err := e.s.CreateToken(context.Background(), "test", "spare", Viewer, e.now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		fs, err := e.store.Findings(context.Background(), history.FindingQuery{Limit: 1})
		if err != nil || len(fs) == 0 {
			t.Fatal(err)
		}
		fid := strconv.FormatInt(fs[0].ID, 10)
		dir, pid := respondDir(t)
		e.withWorkspace(Workspace{Respond: dir, Alerts: []string{alertsFile(t)}})
		bodies := map[string]string{
			"/api/v1/plans/{id}/approve":     `{"reason":"test"}`,
			"/api/v1/findings/{id}/comments": `{"body":"seen"}`,
			"/api/v1/mute":                   `{"rule_id":"storage-public","resource_id":"*","reason":"test"}`,
			"/api/v1/tokens":                 `{"name":"x","role":"viewer","expires":"2027-01-01"}`,
			"/api/v1/attestations":           `{"framework":"soc2","control":"CC1.1","status":"attested"}`,
		}
		for _, d := range documented {
			if !slices.Contains(registered, d) {
				t.Errorf("openapi.json documents %s, which is not a route", d)
			}
			method, path, _ := strings.Cut(d, " ")
			resp, body := e.req(method, concrete(strings.NewReplacer("findings/{id}", "findings/"+fid, "plans/{id}", "plans/"+pid, "alerts/{uid}", "alerts/a1").Replace(path))+"?group=rule", strings.NewReader(bodies[path]), "Authorization", "Bearer "+admin)
			if resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusMethodNotAllowed || resp.StatusCode >= 500 {
				t.Errorf("%s: %s %s", d, resp.Status, body)
			}
		}
	})
}

func TestPasswordHash(t *testing.T) {
	p := Argon2Params{Memory: 1024, Time: 1, Threads: 1}
	h1, _ := hashPassword("secret password", p)
	h2, _ := hashPassword("secret password", p)
	if !strings.HasPrefix(h1, "$argon2id$v=19$m=1024,t=1,p=1$") || h1 == h2 {
		t.Errorf("hashes %q %q: want argon2id PHC strings with their own salts", h1, h2)
	}
	if !checkPassword("secret password", h1) || checkPassword("secret passwore", h1) || checkPassword("secret password", "$argon2i$v=19$m=1024,t=1,p=1$AA$AA") {
		t.Error("checkPassword")
	}
}

func TestLoginRedirectStaysLocal(t *testing.T) {
	e := newEnv(t)
	for _, next := range []string{"//evil.example/", "https://evil.example/", "/\\evil.example"} {
		_, page := e.req("GET", "/login", nil)
		tok := csrfRE.FindStringSubmatch(page)[1]
		resp, _ := e.req("POST", "/login", form("csrf", tok, "user", "viewer", "password", password, "next", next),
			"Content-Type", "application/x-www-form-urlencoded", "Cookie", loginCookie+"="+tok)
		if loc := resp.Header.Get("Location"); loc != "/" {
			t.Errorf("next=%s: redirected to %q", next, loc)
		}
	}
}

func TestFilterValidation(t *testing.T) {
	e := newEnv(t)
	admin := e.login("admin")
	for _, q := range []string{"severity=urgent", "state=lost", "sort=f.id%3BDROP", "group=x", "limit=100000", "cloud=oci", "page=-1"} {
		if resp, _ := e.req("GET", "/api/v1/findings?"+q, nil, "Cookie", admin.cookie); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: %s, want 400", q, resp.Status)
		}
	}
	resp, body := e.req("GET", "/api/v1/findings?severity=critical&state=new,open", nil, "Cookie", admin.cookie)
	var page struct {
		Total    int
		Findings []history.Finding
	}
	if resp.StatusCode != 200 || json.Unmarshal([]byte(body), &page) != nil || page.Total != 1 || page.Findings[0].Severity != finding.Critical {
		t.Errorf("filtered findings: %s %s", resp.Status, body)
	}
	big := strings.NewReader(`{"name":"` + strings.Repeat("x", 2<<20) + `"}`)
	if resp, _ := e.req("POST", "/api/v1/tokens", big, "Cookie", admin.cookie, "X-CSRF-Token", admin.csrf); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("oversized body: %s, want 400", resp.Status)
	}
}

func TestAdminManagesUsersAndTokens(t *testing.T) {
	e := newEnv(t)
	admin, analyst := e.login("admin"), e.login("analyst")
	post := func(s session, path string, kv ...string) *http.Response {
		resp, _ := e.req("POST", path, form(append([]string{"csrf", s.csrf}, kv...)...), "Content-Type", "application/x-www-form-urlencoded", "Cookie", s.cookie)
		return resp
	}
	if resp := post(analyst, "/admin/users", "name", "mallory", "role", "admin", "password", password); resp.StatusCode != http.StatusForbidden {
		t.Errorf("analyst creates an admin: %s, want 403", resp.Status)
	}
	if resp := post(admin, "/admin/users", "name", "carol", "role", "analyst", "password", "short"); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("short password: %s, want 400", resp.Status)
	}
	if resp := post(admin, "/admin/users", "name", "carol", "role", "analyst", "password", password); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("admin creates carol: %s", resp.Status)
	}
	carol := e.login("carol")
	us, _ := e.s.users(context.Background())
	var id string
	for _, u := range us {
		if u.Name == "carol" {
			id = strconv.FormatInt(u.ID, 10)
		}
	}
	if resp := post(admin, "/admin/users/"+id+"/disable"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("disable carol: %s", resp.Status)
	}
	if resp, _ := e.req("GET", "/findings", nil, "Cookie", carol.cookie); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("a disabled user's session still works: %s", resp.Status)
	}
	if resp := e.tryLogin("carol", password); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("a disabled user signs in: %s", resp.Status)
	}
	secret, info, err := e.s.CreateToken(context.Background(), "admin", "ci", Viewer, e.now().Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if resp := post(admin, "/admin/tokens/"+strconv.FormatInt(info.ID, 10)+"/revoke"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("revoke: %s", resp.Status)
	}
	if resp, _ := e.req("GET", "/api/v1/runs", nil, "Authorization", "Bearer "+secret); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("revoked token: %s, want 401", resp.Status)
	}
	_, audit := e.req("GET", "/api/v1/audit", nil, "Cookie", admin.cookie)
	for _, want := range []string{`"user_create"`, `"user_disable"`, `"token_revoke"`, `"login_failed"`} {
		if !strings.Contains(audit, want) {
			t.Errorf("audit log lacks %s", want)
		}
	}
}

func TestSessionExpiresAndPathsStayInside(t *testing.T) {
	e := newEnv(t)
	viewer := e.login("viewer")
	for _, p := range []string{"/static/../server.go", "/static/..%2fserver.go", "/static/%2e%2e/openapi.json", "/static/style.css/..%2f..%2fdoc.go"} {
		resp, body := e.req("GET", p, nil, "Cookie", viewer.cookie)
		if resp.StatusCode == http.StatusOK && (strings.Contains(body, "package server") || strings.Contains(body, "openapi")) {
			t.Errorf("%s served a file outside /static/", p)
		}
	}
	if resp, body := e.req("GET", "/static/", nil); resp.StatusCode != http.StatusNotFound || strings.Contains(body, "style.css") {
		t.Errorf("/static/ lists its folder: %s", resp.Status)
	}
	if resp, body := e.req("GET", "/static/style.css", nil); resp.StatusCode != 200 || !strings.Contains(body, "body {") {
		t.Errorf("stylesheet: %s", resp.Status)
	}
	e.advance(11 * time.Hour)
	if resp, _ := e.req("GET", "/findings", nil, "Cookie", viewer.cookie); resp.StatusCode != http.StatusOK {
		t.Errorf("session after 11 hours: %s", resp.Status)
	}
	e.advance(2 * time.Hour)
	if resp, _ := e.req("GET", "/findings", nil, "Cookie", viewer.cookie); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("session after 13 hours: %s, want a redirect to sign in", resp.Status)
	}
}

func TestFindingDetailAndComments(t *testing.T) {
	forEngines(t, func(t *testing.T, e *env) {
		viewer, analyst := e.login("viewer"), e.login("analyst")
		fs, err := e.store.Findings(context.Background(), history.FindingQuery{Rules: []string{"storage-public"}, Severities: []finding.Severity{finding.Critical}})
		if err != nil || len(fs) != 1 {
			t.Fatalf("%v %v", fs, err)
		}
		id := strconv.FormatInt(fs[0].ID, 10)
		comment := "owner asked: " + xssScript
		post := func(s session) *http.Response {
			resp, _ := e.req("POST", "/findings/"+id+"/comments", form("csrf", s.csrf, "body", comment),
				"Content-Type", "application/x-www-form-urlencoded", "Cookie", s.cookie)
			return resp
		}
		if resp := post(viewer); resp.StatusCode != http.StatusForbidden {
			t.Errorf("viewer comments: %s, want 403", resp.Status)
		}
		if resp := post(analyst); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("analyst comments: %s, want 303", resp.Status)
		}
		resp, body := e.req("GET", "/findings/"+id, nil, "Cookie", viewer.cookie)
		if resp.StatusCode != 200 || strings.Contains(body, xssScript) || strings.Contains(body, "<img src=x") ||
			!strings.Contains(body, "owner asked: &lt;script&gt;") || !strings.Contains(body, `href="/runs/2"`) {
			t.Errorf("finding page (%s) lacks the escaped comment or its runs:\n%s", resp.Status, body)
		}
		resp, body = e.req("GET", "/api/v1/findings/"+id, nil, "Cookie", viewer.cookie)
		var d struct {
			Runs     []runState
			Comments []Comment
		}
		if resp.StatusCode != 200 || json.Unmarshal([]byte(body), &d) != nil || len(d.Runs) != 2 || len(d.Comments) != 1 || d.Comments[0].Author != "analyst" {
			t.Errorf("API finding: %s %s", resp.Status, body)
		}
		for _, p := range []string{"/findings/1", "/findings/x", "/api/v1/findings/-4"} {
			if resp, _ := e.req("GET", p, nil, "Cookie", viewer.cookie); resp.StatusCode != http.StatusNotFound {
				t.Errorf("%s: %s, want 404", p, resp.Status)
			}
		}
	})
}

func TestCountsFollowMutesAndRuns(t *testing.T) {
	e := newEnv(t)
	analyst := e.login("analyst")
	total := func(q string) int {
		t.Helper()
		_, body := e.req("GET", "/api/v1/findings?"+q, nil, "Cookie", analyst.cookie)
		var page struct{ Total int }
		if err := json.Unmarshal([]byte(body), &page); err != nil {
			t.Fatal(err, body)
		}
		return page.Total
	}
	if n := total("state=suppressed"); n != 0 {
		t.Fatalf("suppressed before muting: %d", n)
	}
	active := total("")
	if resp := e.mute(analyst, "arn:aws:s3:::logs"); resp.StatusCode != http.StatusSeeOther {
		t.Fatal(resp.Status)
	}
	if n := total("state=suppressed"); n != 1 {
		t.Errorf("suppressed after muting: %d, want 1", n)
	}
	// A run recorded by another process (vigil history record) shows at once.
	at := t0.Add(48 * time.Hour)
	if _, err := e.store.Record(context.Background(), &history.Scan{Source: "org", Kind: "paths", Started: at, Finished: at,
		Findings: []finding.Finding{fnd("storage-encryption", "arn:aws:s3:::logs", "logs", finding.Pass, finding.Medium)}}); err != nil {
		t.Fatal(err)
	}
	if n := total(""); n >= active {
		t.Errorf("active findings after a run resolving them: %d, was %d", n, active)
	}
}

// TestEveryRouteChecksItsRole calls every route below its role, with a
// valid session and CSRF token and with a bearer token of the lower role.
func TestEveryRouteChecksItsRole(t *testing.T) {
	e := newEnv(t)
	n := 0
	for _, lower := range []Role{Viewer, Analyst, Responder} {
		s := e.login(string(lower))
		tok, _, err := e.s.CreateToken(context.Background(), "test", "t-"+string(lower), lower, e.now().Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		for _, rt := range e.s.routes {
			if rt.public || rt.method == "" || lower.Allows(rt.role) {
				continue
			}
			n++
			path := concrete(rt.path)
			for _, hdr := range [][]string{
				{"Cookie", s.cookie, "X-CSRF-Token", s.csrf, "Content-Type", "application/x-www-form-urlencoded"},
				{"Authorization", "Bearer " + tok, "Content-Type", "application/json"},
			} {
				if resp, _ := e.req(rt.method, path, strings.NewReader(`{}`), hdr...); resp.StatusCode != http.StatusForbidden {
					t.Errorf("%s %s as %s (%s): %s, want 403", rt.method, path, lower, hdr[0], resp.Status)
				}
			}
		}
	}
	if n < 10 {
		t.Errorf("only %d route and role pairs checked", n)
	}
}

// TestRouteRoles pins the least role of every route that changes state or
// is an admin's: loosening one fails here.
func TestRouteRoles(t *testing.T) {
	want := map[string]Role{
		"POST /logout":                        Viewer,
		"POST /findings/mute":                 Analyst,
		"POST /findings/{id}/comments":        Analyst,
		"POST /playbooks/{id}/approve":        Responder,
		"POST /api/v1/plans/{id}/approve":     Responder,
		"POST /api/v1/mute":                   Analyst,
		"POST /api/v1/attestations":           Responder,
		"POST /compliance/{framework}/attest": Responder,
		"POST /api/v1/findings/{id}/comments": Analyst,
		"GET /admin/audit":                    Admin,
		"GET /admin/tokens":                   Admin,
		"POST /admin/tokens":                  Admin,
		"POST /admin/tokens/{id}/revoke":      Admin,
		"GET /admin/users":                    Admin,
		"POST /admin/users":                   Admin,
		"POST /admin/users/{id}/disable":      Admin,
		"GET /api/v1/tokens":                  Admin,
		"POST /api/v1/tokens":                 Admin,
		"DELETE /api/v1/tokens/{id}":          Admin,
		"GET /api/v1/audit":                   Admin,
	}
	e := newEnv(t)
	for _, rt := range e.s.routes {
		k := rt.pattern()
		if rt.public {
			if !slices.Contains([]string{"GET /healthz", "GET /static/", "GET /login", "POST /login", "GET /login/oidc", "GET /login/oidc/callback"}, k) {
				t.Errorf("%s is public", k)
			}
			continue
		}
		r, ok := want[k]
		switch {
		case ok && rt.role != r:
			t.Errorf("%s needs %s, want %s", k, rt.role, r)
		case !ok && rt.method != "" && (unsafe(rt.method) || strings.Contains(k, "admin")):
			t.Errorf("%s (%s) is not in this table: add it", k, rt.role)
		case !ok && rt.role != Viewer:
			t.Errorf("%s needs %s", k, rt.role)
		}
		delete(want, k)
	}
	for k := range want {
		t.Errorf("%s is not a route", k)
	}
}

func TestOverviewShowsStoredPosture(t *testing.T) {
	e := newEnv(t)
	admin := e.login("admin")
	_, body := e.req("GET", "/", nil, "Cookie", admin.cookie)
	run, err := e.store.LatestRun(context.Background(), "org")
	if err != nil {
		t.Fatal(err)
	}
	// The store's score, shown as recorded; and the per-cloud trend over both runs.
	for _, want := range []string{
		"posture <strong>33.3%</strong>; " + strconv.Itoa(run.Fail) + " failing",
		"<td>aws</td><td>33.3%</td><td>33.3%</td></tr>",
		"<td>soc2</td><td>0.0%</td><td>0.0%</td></tr>",
		`<th><a href="/runs/1">#1</a></th><th><a href="/runs/2">#2</a></th>`,
		`<polyline fill="none"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("overview lacks %q:\n%s", want, body)
		}
	}
	if run.PostureScore == nil || *run.PostureScore != 33.3 {
		t.Errorf("the store's score is %v", run.PostureScore)
	}
	// A second source, worse and older: listed first, with its own latest run.
	at := t0.Add(-48 * time.Hour)
	for i := range 2 {
		if _, err := e.store.Record(context.Background(), &history.Scan{Source: "worse", Kind: "paths", Started: at.Add(time.Duration(i) * time.Hour),
			Findings: []finding.Finding{fnd("storage-public", "arn:aws:s3:::w", "w", finding.Fail, finding.High)}}); err != nil {
			t.Fatal(err)
		}
	}
	_, body = e.req("GET", "/", nil, "Cookie", admin.cookie)
	w, o := strings.Index(body, "<h2>worse</h2>"), strings.Index(body, "<h2>org</h2>")
	if w < 0 || o < 0 || w > o || !strings.Contains(body[w:o], `Latest run <a href="/runs/4">#4</a>`) {
		t.Errorf("sources worst first, each with its latest run:\n%s", body)
	}
}
