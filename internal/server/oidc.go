package server

import (
	"bytes"
	"context"
	"crypto/subtle"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/vigil-sec/vigil/internal/lazy"
)

// OIDCConfig configures single sign-on with an OpenID Connect provider
// (the authorization code flow with PKCE, state and nonce).
type OIDCConfig struct {
	// Issuer is the provider's issuer URL (its discovery document is at
	// Issuer/.well-known/openid-configuration).
	Issuer       string `json:"issuer"`
	ClientID     string `json:"client_id"`
	ClientSecret string `json:"client_secret"`
	// RedirectURL is this server's /login/oidc/callback as the provider
	// knows it (https://vigil.example.com/login/oidc/callback).
	RedirectURL string `json:"redirect_url"`
	// Scopes are asked for beside openid, profile and email (e.g.
	// groups).
	Scopes []string `json:"scopes,omitempty"`
	// RoleClaim names the claim, a string or a list of strings, whose
	// values map to roles (default groups); it is read from the ID token,
	// else from the user info endpoint.
	RoleClaim string `json:"role_claim,omitempty"`
	// Roles maps claim values to roles; a user gets the highest role any
	// of its values maps to.
	Roles map[string]Role `json:"roles"`
	// DefaultRole is the role of a user none of whose values map; when
	// empty such a user is refused.
	DefaultRole Role `json:"default_role,omitempty"`
}

// Validate checks the configuration.
func (c *OIDCConfig) Validate() error {
	switch {
	case c.Issuer == "" || c.ClientID == "" || c.RedirectURL == "":
		return errors.New("oidc: issuer, client_id and redirect_url are required")
	case len(c.Roles) == 0 && c.DefaultRole == "":
		return errors.New("oidc: map at least one claim value to a role (roles), or give a default_role")
	}
	for v, r := range c.Roles {
		if r.rank() == 0 {
			return fmt.Errorf("oidc: claim value %q maps to unknown role %q", v, r)
		}
	}
	if c.DefaultRole != "" && c.DefaultRole.rank() == 0 {
		return fmt.Errorf("oidc: unknown default_role %q", c.DefaultRole)
	}
	return nil
}

// ssoClient is the relying party, set up on first use from the provider's
// discovery document (so that the server starts while the provider is
// down).
type ssoClient struct {
	cfg OIDCConfig
	// httpClient talks to the provider (nil: http.DefaultClient).
	httpClient *http.Client

	mu       sync.Mutex
	provider *oidc.Provider
	oauth    *oauth2.Config
	verifier *oidc.IDTokenVerifier
}

func (c *ssoClient) ctx(ctx context.Context) context.Context {
	if c.httpClient != nil {
		return oidc.ClientContext(ctx, c.httpClient)
	}
	return ctx
}

func (s *Server) sso(ctx context.Context) (*ssoClient, error) {
	c := s.oidc
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.provider != nil {
		return c, nil
	}
	p, err := oidc.NewProvider(c.ctx(ctx), c.cfg.Issuer)
	if err != nil {
		return nil, fmt.Errorf("oidc: discovering %s: %w", c.cfg.Issuer, err)
	}
	scopes := append([]string{oidc.ScopeOpenID, "profile", "email"}, c.cfg.Scopes...)
	c.provider = p
	c.oauth = &oauth2.Config{ClientID: c.cfg.ClientID, ClientSecret: c.cfg.ClientSecret, RedirectURL: c.cfg.RedirectURL,
		Endpoint: p.Endpoint(), Scopes: slices.Compact(scopes)}
	c.verifier = p.Verifier(&oidc.Config{ClientID: c.cfg.ClientID, Now: s.now})
	return c, nil
}

// oidcCookie binds a sign-in's state to the browser that began it. Lax:
// the provider's redirect back is a top-level navigation from its site.
const oidcCookie = "__Secure-vigil_oidc"

// oidcTTL bounds the time between starting a sign-in and its callback.
const oidcTTL = 10 * time.Minute

// oidcStart sends the browser to the provider: a fresh state (also in a
// cookie), nonce and PKCE verifier, kept server-side by the state's hash.
func (s *Server) oidcStart(w http.ResponseWriter, r *http.Request, _ *principal) {
	if s.oidc == nil {
		s.errorPage(w, r, nil, http.StatusNotFound, "single sign-on is not configured")
		return
	}
	c, err := s.sso(r.Context())
	if err != nil {
		s.log.ErrorContext(r.Context(), "oidc", "err", err)
		s.errorPage(w, r, nil, http.StatusBadGateway, "the single sign-on provider does not answer")
		return
	}
	state, nonce, verifier := randomToken(), randomToken(), oauth2.GenerateVerifier()
	now := s.now()
	if _, err := s.db.exec(r.Context(), "INSERT INTO oidc_logins (state_hash, nonce, verifier, next, expires_ms) VALUES (?, ?, ?, ?, ?)",
		tokenHash(state), nonce, verifier, localPath(r.FormValue("next")), now.Add(oidcTTL).UnixMilli()); err != nil {
		s.internalError(w, r, nil, false, err)
		return
	}
	s.db.exec(r.Context(), "DELETE FROM oidc_logins WHERE expires_ms < ?", now.UnixMilli())
	http.SetCookie(w, &http.Cookie{Name: oidcCookie, Value: state, Path: "/login/oidc", MaxAge: int(oidcTTL.Seconds()),
		Secure: true, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, c.oauth.AuthCodeURL(state, oidc.Nonce(nonce), oauth2.S256ChallengeOption(verifier)), http.StatusFound)
}

// oidcRefused answers a refused sign-in and audit-logs why.
func (s *Server) oidcRefused(w http.ResponseWriter, r *http.Request, code int, actor, why string) {
	s.audit(r.Context(), actor, "login_oidc_refused", actor, why, clientIP(r))
	s.errorPage(w, r, nil, code, "single sign-on refused: "+why)
}

// oidcCallback completes a sign-in: the state matches the cookie and a
// sign-in begun here, the code is exchanged with the PKCE verifier, the ID
// token is verified (signature, issuer, audience, expiry) and carries the
// nonce; then the user is provisioned with the mapped role and a session
// starts.
func (s *Server) oidcCallback(w http.ResponseWriter, r *http.Request, _ *principal) {
	if s.oidc == nil {
		s.errorPage(w, r, nil, http.StatusNotFound, "single sign-on is not configured")
		return
	}
	ctx := r.Context()
	q := r.URL.Query()
	state := q.Get("state")
	http.SetCookie(w, &http.Cookie{Name: oidcCookie, Value: "", Path: "/login/oidc", MaxAge: -1, Secure: true, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	ck, err := r.Cookie(oidcCookie)
	if state == "" || err != nil || subtle.ConstantTimeCompare([]byte(ck.Value), []byte(state)) != 1 {
		s.oidcRefused(w, r, http.StatusForbidden, "", "the state does not match this browser's sign-in")
		return
	}
	var nonce, verifier, next string
	var expires int64
	err = s.db.queryRow(ctx, "DELETE FROM oidc_logins WHERE state_hash = ? RETURNING nonce, verifier, next, expires_ms", tokenHash(state)).
		Scan(&nonce, &verifier, &next, &expires)
	if errors.Is(err, sql.ErrNoRows) || err == nil && expires < s.now().UnixMilli() {
		s.oidcRefused(w, r, http.StatusForbidden, "", "unknown, used or expired sign-in state")
		return
	}
	if err != nil {
		s.internalError(w, r, nil, false, err)
		return
	}
	if e := q.Get("error"); e != "" {
		s.oidcRefused(w, r, http.StatusUnauthorized, "", "the provider answered "+e+": "+q.Get("error_description"))
		return
	}
	c, err := s.sso(ctx)
	if err != nil {
		s.log.ErrorContext(ctx, "oidc", "err", err)
		s.errorPage(w, r, nil, http.StatusBadGateway, "the single sign-on provider does not answer")
		return
	}
	tok, err := c.oauth.Exchange(c.ctx(ctx), q.Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		s.oidcRefused(w, r, http.StatusUnauthorized, "", "exchanging the code: "+err.Error())
		return
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		s.oidcRefused(w, r, http.StatusUnauthorized, "", "the provider sent no ID token")
		return
	}
	idt, err := c.verifier.Verify(c.ctx(ctx), raw)
	if err != nil {
		s.oidcRefused(w, r, http.StatusUnauthorized, "", "the ID token: "+err.Error())
		return
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(nonce)) != 1 {
		s.oidcRefused(w, r, http.StatusUnauthorized, idt.Subject, "the ID token's nonce is not this sign-in's")
		return
	}
	claims := map[string]any{}
	if err := idt.Claims(&claims); err != nil {
		s.oidcRefused(w, r, http.StatusUnauthorized, idt.Subject, "the ID token's claims: "+err.Error())
		return
	}
	roleClaim := c.cfg.RoleClaim
	if roleClaim == "" {
		roleClaim = "groups"
	}
	_, hasRole := claims[roleClaim]
	_, hasName := claims["preferred_username"]
	_, hasEmail := claims["email"]
	if !hasRole || !hasName && !hasEmail { // not all in the ID token: ask the user info endpoint
		if ui, err := c.provider.UserInfo(c.ctx(ctx), oauth2.StaticTokenSource(tok)); err == nil && ui.Subject == idt.Subject {
			extra := map[string]any{}
			if ui.Claims(&extra) == nil {
				for k, v := range extra {
					if _, ok := claims[k]; !ok {
						claims[k] = v
					}
				}
			}
		}
	}
	name := userNameOf(claims, idt.Subject)
	role := mapRole(c.cfg, claims[roleClaim])
	if role == "" {
		s.oidcRefused(w, r, http.StatusForbidden, name, fmt.Sprintf("no %s value of the user maps to a role", roleClaim))
		return
	}
	u, why, err := s.provision(ctx, idt.Issuer+" "+idt.Subject, name, role, clientIP(r))
	if err != nil {
		s.internalError(w, r, nil, false, err)
		return
	}
	if u == nil {
		s.oidcRefused(w, r, http.StatusForbidden, name, why)
		return
	}
	session, err := s.newSession(ctx, u)
	if err != nil {
		s.internalError(w, r, nil, false, err)
		return
	}
	s.audit(ctx, u.Name, "login_oidc", u.Name, "role "+string(u.Role)+" from "+idt.Issuer, clientIP(r))
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: session, Path: "/", MaxAge: int(s.opts.SessionTTL.Seconds()),
		Secure: true, HttpOnly: true, SameSite: http.SameSiteStrictMode})
	// A page that moves on by itself rather than a redirect: the browser
	// does not send a SameSite=Strict cookie on a redirect chain that
	// began on the provider's site.
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	t, _ := continueTmpl.Get(func() (*template.Template, error) { return template.New("continue").Parse(continuePage) })
	t.Execute(w, localPath(next))
}

// continueTmpl is continuePage parsed on first use (lazy: no initializer
// at every start of the binary).
var continueTmpl lazy.Value[*template.Template]

const continuePage = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="0;url={{.}}"><title>Signed in</title></head>
<body><p>Signed in. <a href="{{.}}">Continue</a></p></body></html>
`

// userNameOf names an SSO user: preferred_username, else email, else the
// subject.
func userNameOf(claims map[string]any, sub string) string {
	for _, k := range []string{"preferred_username", "email"} {
		if v, ok := claims[k].(string); ok && validUserName(v) == nil {
			return v
		}
	}
	return sub
}

// mapRole returns the highest role v's values map to (v is a string or a
// list of strings), the default role when none does.
func mapRole(cfg OIDCConfig, v any) Role {
	var vals []string
	switch x := v.(type) {
	case string:
		vals = []string{x}
	case []any:
		for _, e := range x {
			if s, ok := e.(string); ok {
				vals = append(vals, s)
			}
		}
	}
	best := Role("")
	for _, val := range vals {
		if r, ok := cfg.Roles[val]; ok && r.rank() > best.rank() {
			best = r
		}
	}
	if best == "" {
		best = cfg.DefaultRole
	}
	return best
}

// provision finds or creates the user of an SSO subject and gives it role
// (the provider's groups decide the role at every sign-in). It returns nil
// and why when the user may not sign in: disabled, or its name taken by
// another user (a local user is never taken over by a provider's).
func (s *Server) provision(ctx context.Context, subject, name string, role Role, ip string) (*User, string, error) {
	if err := validUserName(name); err != nil {
		return nil, "the provider's user name: " + err.Error(), nil
	}
	u := &User{Role: role}
	var disabled int
	var oldRole Role
	err := s.db.queryRow(ctx, "SELECT id, name, role, disabled FROM users WHERE oidc_subject = ?", subject).Scan(&u.ID, &u.Name, &oldRole, &disabled)
	switch {
	case err == nil:
		if disabled != 0 {
			return nil, "the user " + u.Name + " is disabled", nil
		}
		if oldRole != role {
			if _, err := s.db.exec(ctx, "UPDATE users SET role = ? WHERE id = ?", string(role), u.ID); err != nil {
				return nil, "", err
			}
			s.audit(ctx, "oidc", "user_update", u.Name, "role "+string(role), ip)
		}
		return u, "", nil
	case !errors.Is(err, sql.ErrNoRows):
		return nil, "", err
	}
	var taken int
	if err := s.db.queryRow(ctx, "SELECT COUNT(*) FROM users WHERE name = ?", name).Scan(&taken); err != nil {
		return nil, "", err
	}
	if taken > 0 {
		return nil, "a user named " + name + " exists already (not from this provider)", nil
	}
	// "!" is no argon2id hash: an SSO user has no password here.
	err = s.db.queryRow(ctx, "INSERT INTO users (name, role, password_hash, created_ms, oidc_subject) VALUES (?, ?, '!', ?, ?) RETURNING id",
		name, string(role), s.now().UnixMilli(), subject).Scan(&u.ID)
	if err != nil {
		return nil, "", fmt.Errorf("server: provisioning %s: %w", name, err)
	}
	u.Name = name
	s.audit(ctx, "oidc", "user_create", name, "role "+string(role)+" for "+subject, ip)
	return u, "", nil
}

// OIDCEnabled reports whether single sign-on is configured.
func (s *Server) OIDCEnabled() bool { return s.oidc != nil }

// OIDCSecretEnv names the environment variable that gives the client
// secret when the configuration file has none (keep secrets out of files).
const OIDCSecretEnv = "VIGIL_OIDC_CLIENT_SECRET"

// LoadOIDCConfig reads a JSON OIDCConfig from path, the client secret from
// $VIGIL_OIDC_CLIENT_SECRET when the file has none, and validates it.
func LoadOIDCConfig(path string) (*OIDCConfig, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var c OIDCConfig
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("oidc: %s: %w", path, err)
	}
	if c.ClientSecret == "" {
		c.ClientSecret = os.Getenv(OIDCSecretEnv)
	}
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &c, nil
}
