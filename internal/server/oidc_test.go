package server

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zitadel/oidc/v3/example/server/exampleop"
	"github.com/zitadel/oidc/v3/example/server/storage"
	zoidc "github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
	"golang.org/x/oauth2"

	"github.com/vigil-sec/vigil/internal/history"
	"github.com/vigil-sec/vigil/internal/history/historytest"
)

// groupsStorage is the zitadel example OP's in-memory storage with a
// groups claim in the ID token when the client asks for custom_scope.
type groupsStorage struct {
	*storage.Storage
	groups map[string][]string // by user ID
}

func (g *groupsStorage) SetUserinfoFromRequest(ctx context.Context, ui *zoidc.UserInfo, req op.IDTokenRequest, scopes []string) error {
	if err := g.Storage.SetUserinfoFromRequest(ctx, ui, req, scopes); err != nil {
		return err
	}
	if slices.Contains(scopes, storage.CustomScope) {
		ui.AppendClaims("groups", g.groups[req.GetSubject()])
	}
	return nil
}

// ssoEnv is vigil over HTTPS (its session cookies are Secure) and a real
// OpenID provider (github.com/zitadel/oidc's op package with its example
// storage and login form) on loopback, with three users: alice
// (vigil-admins), bob (staff) and carol (contractors, mapped to no role).
type ssoEnv struct {
	t      *testing.T
	s      *Server
	vigil  *httptest.Server
	op     *httptest.Server
	cfg    OIDCConfig
	mu     sync.Mutex
	offset time.Duration // the server's clock ahead of the real one
}

func (e *ssoEnv) now() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return time.Now().Add(e.offset)
}

func newSSOEnv(t *testing.T, dsn string) *ssoEnv {
	t.Helper()
	ctx := context.Background()
	e := &ssoEnv{t: t}
	var vigilH, opH http.Handler
	e.vigil = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { vigilH.ServeHTTP(w, r) }))
	e.vigil.StartTLS()
	t.Cleanup(e.vigil.Close)
	e.op = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { opH.ServeHTTP(w, r) }))
	t.Cleanup(e.op.Close)
	redirect := e.vigil.URL + "/login/oidc/callback"

	users := map[string]storage.User{
		"id1": {ID: "id1", Username: "alice", Password: "alice-password", Email: "alice@example.com", EmailVerified: true},
		"id2": {ID: "id2", Username: "bob", Password: "bob-password", Email: "bob@example.com", EmailVerified: true},
		"id3": {ID: "id3", Username: "carol", Password: "carol-password", Email: "carol@example.com", EmailVerified: true},
	}
	b, _ := json.Marshal(users)
	path := filepath.Join(t.TempDir(), "users.json")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	us, err := storage.StoreFromFile(path)
	if err != nil {
		t.Fatal(err)
	}
	st := &groupsStorage{
		Storage: storage.NewStorageWithClients(us, map[string]*storage.Client{
			"vigil": storage.WebClient("vigil", "vigil-secret", redirect),
			"other": storage.WebClient("other", "other-secret", redirect),
		}),
		groups: map[string][]string{"id1": {"staff", "vigil-admins"}, "id2": {"staff"}, "id3": {"contractors"}},
	}
	opH = exampleop.SetupServer(e.op.URL, st, nil, false)

	store, err := history.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	e.cfg = OIDCConfig{Issuer: e.op.URL, ClientID: "vigil", ClientSecret: "vigil-secret", RedirectURL: redirect,
		Scopes: []string{storage.CustomScope}, Roles: map[string]Role{"vigil-admins": Admin, "staff": Viewer}}
	e.s, err = New(ctx, store, Options{Now: e.now, Argon2: Argon2Params{Memory: 1024, Time: 1, Threads: 1}, OIDC: &e.cfg})
	if err != nil {
		t.Fatal(err)
	}
	vigilH = e.s.Handler()
	return e
}

// browser is an HTTP client with a cookie jar that trusts the test
// server's certificate; it stops before following a redirect to vigil's
// callback, so that a test can look at (and tamper with) it.
func (e *ssoEnv) browser() *http.Client {
	jar, _ := cookiejar.New(nil)
	c := e.vigil.Client()
	c.Jar = jar
	c.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if req.URL.Path == "/login/oidc/callback" {
			return http.ErrUseLastResponse
		}
		return nil
	}
	return c
}

var loginID = regexp.MustCompile(`name="id" value="([^"]+)"`)

// signIn starts a sign-in at start (vigil's /login/oidc, or another
// client's authorization URL), fills the provider's login form and
// returns the redirect back to vigil's callback, not yet followed.
func (e *ssoEnv) signIn(c *http.Client, start, user, password string) *url.URL {
	e.t.Helper()
	resp, err := c.Get(start)
	if err != nil {
		e.t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := loginID.FindSubmatch(body)
	if resp.StatusCode != 200 || m == nil || !strings.HasPrefix(resp.Request.URL.String(), e.op.URL+"/login/username") {
		e.t.Fatalf("%s: no login form of the provider at %s (%s):\n%s", start, resp.Request.URL, resp.Status, body)
	}
	resp, err = c.PostForm(e.op.URL+"/login/username", url.Values{"id": {string(m[1])}, "username": {user}, "password": {password}})
	if err != nil {
		e.t.Fatal(err)
	}
	resp.Body.Close()
	loc, err := resp.Location()
	if resp.StatusCode/100 != 3 || err != nil || loc.Path != "/login/oidc/callback" {
		e.t.Fatalf("after the provider's login: %s, %v, %v", resp.Status, loc, err)
	}
	return loc
}

func (e *ssoEnv) get(c *http.Client, u string) (*http.Response, string) {
	e.t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func (e *ssoEnv) audited(action, actor string) string {
	e.t.Helper()
	var detail string
	err := e.s.db.queryRow(context.Background(), "SELECT detail FROM audit_log WHERE action = ? AND actor = ? ORDER BY id DESC LIMIT 1", action, actor).Scan(&detail)
	if err != nil {
		e.t.Errorf("no %s by %q in the audit log: %v", action, actor, err)
	}
	return detail
}

func TestOIDCSignIn(t *testing.T) {
	for _, eng := range historytest.Engines() {
		t.Run(eng.Name, func(t *testing.T) {
			e := newSSOEnv(t, eng.DSN(t))
			ctx := context.Background()

			// The sign-in page offers single sign-on.
			if resp, body := e.get(e.browser(), e.vigil.URL+"/login?next=/findings"); resp.StatusCode != 200 ||
				!strings.Contains(body, `href="/login/oidc?next=%2Ffindings"`) {
				t.Errorf("sign-in page (%s) lacks the single sign-on link:\n%s", resp.Status, body)
			}

			// alice: vigil-admins → admin, sent back to where she was going.
			alice := e.browser()
			cb := e.signIn(alice, e.vigil.URL+"/login/oidc?next=/findings", "alice", "alice-password")
			resp, body := e.get(alice, cb.String())
			if resp.StatusCode != 200 || !strings.Contains(body, `url=/findings`) {
				t.Fatalf("callback: %s\n%s", resp.Status, body)
			}
			if resp, body := e.get(alice, e.vigil.URL+"/admin/users"); resp.StatusCode != 200 || !strings.Contains(body, "alice") {
				t.Errorf("alice (admin) on /admin/users: %s", resp.Status)
			}
			var role string
			var sub *string
			if err := e.s.db.queryRow(ctx, "SELECT role, oidc_subject FROM users WHERE name = ?", "alice").Scan(&role, &sub); err != nil ||
				role != string(Admin) || sub == nil || *sub != e.op.URL+" id1" {
				t.Errorf("alice provisioned as %q, subject %v (%v)", role, sub, err)
			}
			e.audited("login_oidc", "alice")
			e.audited("user_create", "oidc")
			// The callback's state is used once.
			if resp, _ := e.get(alice, cb.String()); resp.StatusCode != http.StatusForbidden {
				t.Errorf("the same callback again: %s, want 403", resp.Status)
			}
			// A provider's user cannot sign in with a password here.
			if u, err := e.s.authenticate(ctx, "alice", ""); u != nil || err != nil {
				t.Errorf("alice signed in with an empty password: %v %v", u, err)
			}

			// bob: staff → viewer; a second sign-in keeps one user.
			for range 2 {
				bob := e.browser()
				if resp, _ := e.get(bob, e.signIn(bob, e.vigil.URL+"/login/oidc", "bob", "bob-password").String()); resp.StatusCode != 200 {
					t.Fatalf("bob's callback: %s", resp.Status)
				}
				if resp, _ := e.get(bob, e.vigil.URL+"/api/v1/findings"); resp.StatusCode != 200 {
					t.Errorf("bob (viewer) on the API: %s", resp.Status)
				}
				if resp, _ := e.get(bob, e.vigil.URL+"/admin/users"); resp.StatusCode != http.StatusForbidden {
					t.Errorf("bob (viewer) on /admin/users: %s, want 403", resp.Status)
				}
			}
			var n int
			if e.s.db.queryRow(ctx, "SELECT COUNT(*) FROM users WHERE name = ? AND role = ?", "bob", "viewer").Scan(&n); n != 1 {
				t.Errorf("%d viewer users named bob, want 1", n)
			}

			// carol: no group maps to a role.
			carol := e.browser()
			if resp, _ := e.get(carol, e.signIn(carol, e.vigil.URL+"/login/oidc", "carol", "carol-password").String()); resp.StatusCode != http.StatusForbidden {
				t.Errorf("carol's callback: %s, want 403", resp.Status)
			}
			if resp, _ := e.get(carol, e.vigil.URL+"/api/v1/findings"); resp.StatusCode != http.StatusUnauthorized {
				t.Errorf("carol on the API: %s, want 401", resp.Status)
			}
			if d := e.audited("login_oidc_refused", "carol"); !strings.Contains(d, "maps to a role") {
				t.Errorf("carol's refusal audited as %q", d)
			}
		})
	}
}

func TestOIDCRefusesBadStateAudienceAndExpiry(t *testing.T) {
	e := newSSOEnv(t, historytest.SQLite(t))
	ctx := context.Background()

	// The authorization request carries state, nonce and a PKCE challenge.
	c := e.browser()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, _ := e.get(c, e.vigil.URL+"/login/oidc")
	loc, _ := resp.Location()
	if q := loc.Query(); resp.StatusCode != http.StatusFound || q.Get("state") == "" || q.Get("nonce") == "" ||
		q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "" || q.Get("client_id") != "vigil" {
		t.Fatalf("authorization request: %s %v", resp.Status, loc)
	}

	// A state that is not the browser's.
	b := e.browser()
	cb := e.signIn(b, e.vigil.URL+"/login/oidc", "alice", "alice-password")
	q := cb.Query()
	q.Set("state", "forged-"+q.Get("state"))
	forged := *cb
	forged.RawQuery = q.Encode()
	if resp, _ := e.get(b, forged.String()); resp.StatusCode != http.StatusForbidden {
		t.Errorf("forged state: %s, want 403", resp.Status)
	}
	// Another browser presenting alice's callback (login CSRF): refused.
	cb = e.signIn(b, e.vigil.URL+"/login/oidc", "alice", "alice-password")
	if resp, _ := e.get(e.browser(), cb.String()); resp.StatusCode != http.StatusForbidden {
		t.Errorf("callback in another browser: %s, want 403", resp.Status)
	}
	if d := e.audited("login_oidc_refused", ""); !strings.Contains(d, "state") {
		t.Errorf("refusal audited as %q", d)
	}

	// An ID token the provider issued to another client: its audience is
	// not vigil, and vigil's verifier refuses it.
	sso, err := e.s.sso(ctx)
	if err != nil {
		t.Fatal(err)
	}
	other := &oauth2.Config{ClientID: "other", ClientSecret: "other-secret", RedirectURL: e.cfg.RedirectURL,
		Endpoint: sso.provider.Endpoint(), Scopes: []string{"openid"}}
	ob := e.browser()
	ocb := e.signIn(ob, other.AuthCodeURL("other-state", oauth2.SetAuthURLParam("nonce", "n")), "alice", "alice-password")
	tok, err := other.Exchange(ctx, ocb.Query().Get("code"))
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := tok.Extra("id_token").(string)
	if _, err := sso.verifier.Verify(ctx, raw); err == nil || !strings.Contains(err.Error(), "audience") {
		t.Errorf("an ID token for another client: %v, want an audience error", err)
	}
	// The same token through the callback's checks: a code vigil did not
	// get cannot be exchanged by vigil either.
	cb = e.signIn(b, e.vigil.URL+"/login/oidc", "alice", "alice-password")
	q = cb.Query()
	q.Set("code", ocb.Query().Get("code"))
	swapped := *cb
	swapped.RawQuery = q.Encode()
	if resp, _ := e.get(b, swapped.String()); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("another client's code: %s, want 401", resp.Status)
	}

	// An expired ID token: vigil's clock is two hours past the token's
	// one-hour lifetime.
	e.mu.Lock()
	e.offset = 2 * time.Hour
	e.mu.Unlock()
	cb = e.signIn(b, e.vigil.URL+"/login/oidc", "bob", "bob-password")
	if resp, _ := e.get(b, cb.String()); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("expired ID token: %s, want 401", resp.Status)
	}
	if d := e.audited("login_oidc_refused", ""); !strings.Contains(d, "expired") {
		t.Errorf("expiry audited as %q", d)
	}
	var n int
	if e.s.db.queryRow(ctx, "SELECT COUNT(*) FROM sessions").Scan(&n); n != 0 {
		t.Errorf("%d sessions after refused sign-ins, want 0", n)
	}
}

func TestOIDCConfigValidate(t *testing.T) {
	ok := OIDCConfig{Issuer: "https://idp", ClientID: "c", RedirectURL: "https://v/login/oidc/callback", Roles: map[string]Role{"g": Analyst}}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []OIDCConfig{
		{ClientID: "c", RedirectURL: "r", Roles: ok.Roles},
		{Issuer: "i", ClientID: "c", RedirectURL: "r"},
		{Issuer: "i", ClientID: "c", RedirectURL: "r", Roles: map[string]Role{"g": "root"}},
		{Issuer: "i", ClientID: "c", RedirectURL: "r", DefaultRole: "root"},
	} {
		if err := bad.Validate(); err == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
	if r := mapRole(ok, []any{"x", "g"}); r != Analyst {
		t.Errorf("mapRole: %q", r)
	}
	if r := mapRole(OIDCConfig{DefaultRole: Viewer}, "nothing"); r != Viewer {
		t.Errorf("default role: %q", r)
	}
}

func TestLoadOIDCConfig(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	t.Setenv(OIDCSecretEnv, "from-env")
	c, err := LoadOIDCConfig(write("ok.json", `{"issuer": "https://idp.example.com", "client_id": "vigil",
		"redirect_url": "https://vigil.example.com/login/oidc/callback", "scopes": ["groups"], "roles": {"sec-team": "analyst"}}`))
	if err != nil || c.ClientSecret != "from-env" || c.Roles["sec-team"] != Analyst {
		t.Errorf("%+v, %v", c, err)
	}
	for name, body := range map[string]string{
		"typo.json":    `{"issuer": "i", "client_id": "c", "redirect_url": "r", "role": {"g": "admin"}}`,
		"norole.json":  `{"issuer": "i", "client_id": "c", "redirect_url": "r"}`,
		"badrole.json": `{"issuer": "i", "client_id": "c", "redirect_url": "r", "roles": {"g": "root"}}`,
	} {
		if _, err := LoadOIDCConfig(write(name, body)); err == nil {
			t.Errorf("%s accepted", name)
		}
	}
}
