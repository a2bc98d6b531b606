package server

import (
	"bytes"
	"context"
	"crypto/subtle"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/vigil-sec/vigil/internal/history"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

// Options configure a Server; the zero value is usable.
type Options struct {
	Logger *slog.Logger
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// Argon2 are the costs of new password hashes (DefaultArgon2 when
	// zero).
	Argon2 Argon2Params
	// SessionTTL is how long a session lasts (12 hours when zero).
	SessionTTL time.Duration
	// LoginFailures failed logins per user name, and four times as many
	// per client address, within LoginWindow block further attempts (5
	// and 15 minutes when zero).
	LoginFailures int
	LoginWindow   time.Duration
	// MaxBody bounds a request body (1 MiB when zero).
	MaxBody int64
	// Workspace names the files behind the inventory, identity, drift,
	// alerts and playbook pages (dashboard.go).
	Workspace Workspace
	// OIDC, when set, enables single sign-on (/login/oidc).
	OIDC *OIDCConfig
	// Steps, when set, turns the steps a responder approves into jobs of
	// the job queue, one per step (vigil serve --schedule).
	Steps StepQueue
}

// Server serves the dashboard and the API over a history store.
type Server struct {
	store   *history.Store
	db      *db
	opts    Options
	log     *slog.Logger
	now     func() time.Time
	pages   map[string]*template.Template
	byUser  *limiter
	byIP    *limiter
	handler http.Handler
	routes  []route
	counts  counts
	ws      *workspace
	oidc    *ssoClient // nil without single sign-on
	alerts  alertSync
	// jsonOuts (*jsonOut) and htmlBufs (*bytes.Buffer) are the answers'
	// buffers, reused across requests.
	jsonOuts, htmlBufs sync.Pool
}

// New prepares a server over store, creating or upgrading its own tables.
func New(ctx context.Context, store *history.Store, opts Options) (*Server, error) {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Argon2 == (Argon2Params{}) {
		opts.Argon2 = DefaultArgon2
	}
	if opts.SessionTTL <= 0 {
		opts.SessionTTL = 12 * time.Hour
	}
	if opts.LoginFailures <= 0 {
		opts.LoginFailures = 5
	}
	if opts.LoginWindow <= 0 {
		opts.LoginWindow = 15 * time.Minute
	}
	if opts.MaxBody <= 0 {
		opts.MaxBody = 1 << 20
	}
	s := &Server{store: store, db: newDB(store), opts: opts, log: opts.Logger, now: opts.Now,
		byUser: newLimiter(opts.LoginFailures, opts.LoginWindow), byIP: newLimiter(4*opts.LoginFailures, opts.LoginWindow)}
	s.jsonOuts.New = newJSONOut
	s.htmlBufs.New = func() any { return new(bytes.Buffer) }
	if err := s.db.migrate(ctx); err != nil {
		return nil, err
	}
	if opts.OIDC != nil {
		if err := opts.OIDC.Validate(); err != nil {
			return nil, err
		}
		s.oidc = &ssoClient{cfg: *opts.OIDC}
	}
	var err error
	if s.pages, err = parsePages(); err != nil {
		return nil, err
	}
	s.routes = append(s.routeTable(), s.dashboardRoutes()...)
	mux := http.NewServeMux()
	for _, rt := range s.routes {
		mux.Handle(rt.pattern(), s.guard(rt))
	}
	s.handler = s.secure(mux)
	return s, nil
}

// Handler is the server's HTTP handler.
func (s *Server) Handler() http.Handler { return s.handler }

// route is one endpoint: what it answers, who may call it, and whether
// it speaks JSON (API) or HTML.
type route struct {
	method, path string
	// role is the least role allowed; public routes have none.
	role   Role
	public bool
	api    bool
	h      func(w http.ResponseWriter, r *http.Request, p *principal)
}

func (rt route) pattern() string {
	if rt.method == "" {
		return rt.path
	}
	return rt.method + " " + rt.path
}

// Routes lists the server's routes as "METHOD PATH" (for documentation
// and tests).
func (s *Server) Routes() []string {
	out := make([]string, 0, len(s.routes))
	for _, rt := range s.routes {
		out = append(out, rt.pattern())
	}
	return out
}

func (s *Server) routeTable() []route {
	static, _ := fs.Sub(staticFiles, "static")
	fileServer := http.StripPrefix("/static/", http.FileServerFS(static))
	return []route{
		{method: "GET", path: "/healthz", public: true, h: func(w http.ResponseWriter, r *http.Request, _ *principal) {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			fmt.Fprintln(w, "ok")
		}},
		// The stylesheet is public: the login page needs it, and it holds
		// nothing but the embedded CSS.
		{method: "GET", path: "/static/", public: true, h: func(w http.ResponseWriter, r *http.Request, _ *principal) {
			if strings.HasSuffix(r.URL.Path, "/") { // no listing
				http.NotFound(w, r)
				return
			}
			fileServer.ServeHTTP(w, r)
		}},
		{method: "GET", path: "/login", public: true, h: s.loginPage},
		{method: "POST", path: "/login", public: true, h: s.login},
		{method: "POST", path: "/logout", role: Viewer, h: s.logout},
		{method: "GET", path: "/login/oidc", public: true, h: s.oidcStart},
		{method: "GET", path: "/login/oidc/callback", public: true, h: s.oidcCallback},

		{method: "GET", path: "/{$}", role: Viewer, h: s.overviewPage},
		{method: "GET", path: "/findings", role: Viewer, h: s.findingsPage},
		{method: "GET", path: "/findings/export", role: Viewer, h: s.exportFindings},
		{method: "POST", path: "/findings/mute", role: Analyst, h: s.mutePage},
		{method: "GET", path: "/findings/{id}", role: Viewer, h: s.findingPage},
		{method: "POST", path: "/findings/{id}/comments", role: Analyst, h: s.commentPage},
		{method: "GET", path: "/runs", role: Viewer, h: s.runsPage},
		{method: "GET", path: "/runs/{id}", role: Viewer, h: s.runPage},
		{method: "GET", path: "/diff", role: Viewer, h: s.diffPage},
		{method: "GET", path: "/admin/audit", role: Admin, h: s.auditPage},
		{method: "GET", path: "/admin/tokens", role: Admin, h: s.tokensPage},
		{method: "POST", path: "/admin/tokens", role: Admin, h: s.createTokenPage},
		{method: "POST", path: "/admin/tokens/{id}/revoke", role: Admin, h: s.revokeTokenPage},
		{method: "GET", path: "/admin/users", role: Admin, h: s.usersPage},
		{method: "POST", path: "/admin/users", role: Admin, h: s.createUserPage},
		{method: "POST", path: "/admin/users/{id}/disable", role: Admin, h: s.disableUserPage},

		{method: "GET", path: "/api/v1/openapi.json", role: Viewer, api: true, h: s.apiOpenAPI},
		{method: "GET", path: "/api/v1/runs", role: Viewer, api: true, h: s.apiRuns},
		{method: "GET", path: "/api/v1/runs/{id}", role: Viewer, api: true, h: s.apiRun},
		{method: "GET", path: "/api/v1/findings", role: Viewer, api: true, h: s.apiFindings},
		{method: "GET", path: "/api/v1/findings/{id}", role: Viewer, api: true, h: s.apiFinding},
		{method: "POST", path: "/api/v1/findings/{id}/comments", role: Analyst, api: true, h: s.apiComment},
		{method: "GET", path: "/api/v1/groups", role: Viewer, api: true, h: s.apiGroups},
		{method: "GET", path: "/api/v1/trend", role: Viewer, api: true, h: s.apiTrend},
		{method: "GET", path: "/api/v1/diff", role: Viewer, api: true, h: s.apiDiff},
		{method: "GET", path: "/api/v1/suppressions", role: Viewer, api: true, h: s.apiSuppressions},
		{method: "POST", path: "/api/v1/mute", role: Analyst, api: true, h: s.apiMute},
		{method: "GET", path: "/api/v1/tokens", role: Admin, api: true, h: s.apiTokens},
		{method: "POST", path: "/api/v1/tokens", role: Admin, api: true, h: s.apiCreateToken},
		{method: "DELETE", path: "/api/v1/tokens/{id}", role: Admin, api: true, h: s.apiRevokeToken},
		{method: "GET", path: "/api/v1/audit", role: Admin, api: true, h: s.apiAudit},
		{method: "GET", path: "/api/v1/jobs", role: Viewer, api: true, h: s.apiJobs},
		{method: "GET", path: "/api/v1/jobs/{id}", role: Viewer, api: true, h: s.apiJob},
		{method: "GET", path: "/api/v1/plans", role: Viewer, api: true, h: s.apiPlans},
		{method: "GET", path: "/api/v1/plans/{id}", role: Viewer, api: true, h: s.apiPlan},
		{method: "GET", path: "/api/v1/playbook-runs", role: Viewer, api: true, h: s.apiPlaybookRuns},
		{method: "GET", path: "/api/v1/alerts", role: Viewer, api: true, h: s.apiAlerts},
		{method: "GET", path: "/api/v1/alerts/{uid}", role: Viewer, api: true, h: s.apiAlert},
		{method: "POST", path: "/api/v1/plans/{id}/approve", role: Responder, api: true, h: s.apiApprove},
		{method: "GET", path: "/api/v1/attestations", role: Viewer, api: true, h: s.apiAttestations},
		{method: "POST", path: "/api/v1/attestations", role: attestRole, api: true, h: s.apiAttest},

		// Anything else needs a login too, then is not found.
		{path: "/api/", role: Viewer, api: true, h: func(w http.ResponseWriter, r *http.Request, _ *principal) {
			s.apiError(w, http.StatusNotFound, errors.New("no such endpoint"))
		}},
		{path: "/", role: Viewer, h: func(w http.ResponseWriter, r *http.Request, p *principal) {
			s.errorPage(w, r, p, http.StatusNotFound, "no such page")
		}},
	}
}

// sessionCookie holds the session token. The __Host- prefix makes the
// browser refuse it unless Secure, for path / and without a domain.
const sessionCookie = "__Host-vigil_session"

// unsafe reports whether a method changes state.
func unsafe(method string) bool {
	return method != http.MethodGet && method != http.MethodHead && method != http.MethodOptions
}

// guard authenticates the request, checks the role and, for a
// state-changing request made with a session, its CSRF token.
func (s *Server) guard(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if rt.public {
			rt.h(w, r, nil)
			return
		}
		p, err := s.principal(r)
		if err != nil {
			s.log.ErrorContext(r.Context(), "authenticating", slog.Any("err", err))
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
		if p == nil {
			if rt.api || unsafe(r.Method) {
				w.Header().Set("WWW-Authenticate", `Bearer realm="vigil"`)
				s.apiError(w, http.StatusUnauthorized, errors.New("authentication required"))
				return
			}
			http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		if p.Session != "" && unsafe(r.Method) && !s.csrfOK(r, p) {
			s.forbidden(w, r, p, rt, "missing or wrong CSRF token")
			return
		}
		if !p.Role.Allows(rt.role) {
			s.forbidden(w, r, p, rt, fmt.Sprintf("the %s role may not do this (%s or above)", p.Role, rt.role))
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		rt.h(w, r, p)
	})
}

func (s *Server) forbidden(w http.ResponseWriter, r *http.Request, p *principal, rt route, msg string) {
	if rt.api {
		s.apiError(w, http.StatusForbidden, errors.New(msg))
		return
	}
	s.errorPage(w, r, p, http.StatusForbidden, msg)
}

// csrfOK checks the session's CSRF token, from the X-CSRF-Token header or
// the csrf form field.
func (s *Server) csrfOK(r *http.Request, p *principal) bool {
	got := r.Header.Get("X-CSRF-Token")
	if got == "" {
		got = r.PostFormValue("csrf")
	}
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(p.CSRF)) == 1
}

// principal authenticates a request: a bearer token when the
// Authorization header is present (a wrong one is not retried as a
// session), else the session cookie.
func (s *Server) principal(r *http.Request) (*principal, error) {
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, secret, ok := strings.Cut(h, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") {
			return nil, nil
		}
		return s.bearer(r.Context(), strings.TrimSpace(secret))
	}
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return nil, nil
	}
	return s.session(r.Context(), c.Value)
}

// csp allows the server's own stylesheet and nothing inline.
const csp = "default-src 'self'; script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// secure sets the security headers on every answer and bounds the body.
func (s *Server) secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		if r.TLS != nil {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		r.Body = http.MaxBytesReader(w, r.Body, s.opts.MaxBody)
		next.ServeHTTP(w, r)
	})
}

// clientIP is the connection's address (forwarding headers are not
// trusted).
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func (s *Server) apiError(w http.ResponseWriter, code int, err error) {
	s.writeJSON(w, code, map[string]string{"error": err.Error()})
}

// jsonOut is an answer's buffer and its encoder, reused across requests
// (the encoder keeps its indentation buffer): a page of findings is tens
// of kilobytes, grown afresh twice per request without it.
type jsonOut struct {
	buf bytes.Buffer
	enc *json.Encoder
}

func newJSONOut() any {
	o := &jsonOut{}
	o.enc = json.NewEncoder(&o.buf)
	o.enc.SetIndent("", "  ")
	return o
}

// maxPooled bounds the buffers kept for reuse (an export is larger).
const maxPooled = 1 << 20

func (s *Server) writeJSON(w http.ResponseWriter, code int, v any) {
	o := s.jsonOuts.Get().(*jsonOut)
	defer func() {
		if o.buf.Cap() <= maxPooled {
			o.buf.Reset()
			s.jsonOuts.Put(o)
		}
	}()
	if err := o.enc.Encode(v); err != nil {
		s.log.Error("encoding JSON", slog.Any("err", err))
		http.Error(w, `{"error":"internal error"}`, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	w.Write(o.buf.Bytes())
}

// internalError logs err and answers 500 without its details.
func (s *Server) internalError(w http.ResponseWriter, r *http.Request, p *principal, api bool, err error) {
	s.log.ErrorContext(r.Context(), "request failed", slog.String("path", r.URL.Path), slog.Any("err", err))
	if api {
		s.apiError(w, http.StatusInternalServerError, errors.New("internal error"))
		return
	}
	s.errorPage(w, r, p, http.StatusInternalServerError, "internal error")
}
