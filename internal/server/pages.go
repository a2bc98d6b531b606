package server

import (
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/history"
	"github.com/vigil-sec/vigil/internal/lazyre"
)

// whenLayout is how the pages show a time.
const whenLayout = "2006-01-02 15:04 UTC"

// funcs are the pages' template functions (a function, not a map variable:
// no initializer at every start of the binary).
func funcs() template.FuncMap {
	return template.FuncMap{
		"pct": func(p *float64) string {
			if p == nil {
				return "n/a"
			}
			return strconv.FormatFloat(*p, 'f', 1, 64) + "%"
		},
		"when": func(t any) string {
			switch x := t.(type) {
			case time.Time:
				if x.IsZero() {
					return ""
				}
				return x.UTC().Format(whenLayout)
			case *time.Time:
				if x == nil || x.IsZero() {
					return ""
				}
				return x.UTC().Format(whenLayout)
			}
			return fmt.Sprint(t)
		},
		"dur":   func(ms int64) string { return (time.Duration(ms) * time.Millisecond).Round(time.Millisecond).String() },
		"lower": func(s any) string { return strings.ToLower(fmt.Sprint(s)) },
		"join":  strings.Join,
		"query": queryString,
		// weblink reports whether s is an http or https link (an attestation's
		// evidence may be a document reference instead: shown as text).
		"weblink": func(s string) bool {
			u, err := url.Parse(s)
			return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
		},
	}
}

// queryString re-encodes a query string for an href after its "?": a
// string there would be escaped whole ("=" and "&" too); the re-encoded
// form is typed as a URL so that the template only normalizes it.
func queryString(s string) template.URL {
	v, err := url.ParseQuery(s)
	if err != nil {
		return ""
	}
	return template.URL(v.Encode())
}

// parsePages parses each page with the layout.
func parsePages() (map[string]*template.Template, error) {
	names, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil {
		return nil, err
	}
	out := map[string]*template.Template{}
	for _, n := range names {
		base := path.Base(n)
		if base == "layout.html" {
			continue
		}
		t, err := template.New(base).Funcs(funcs()).ParseFS(templateFiles, "templates/layout.html", n)
		if err != nil {
			return nil, fmt.Errorf("server: template %s: %w", base, err)
		}
		out[strings.TrimSuffix(base, ".html")] = t
	}
	return out, nil
}

// page is what every page's template receives.
type page struct {
	Title string
	User  string
	Role  Role
	CSRF  string
	Admin bool
	Mute  bool // may mute
	Path  string
	Data  any
}

func (s *Server) render(w http.ResponseWriter, r *http.Request, p *principal, code int, name, title string, data any) {
	pg := page{Title: title, Path: r.URL.Path, Data: data}
	if p != nil {
		pg.User, pg.Role, pg.CSRF = p.Name, p.Role, p.CSRF
		pg.Admin, pg.Mute = p.Role.Allows(Admin), p.Role.Allows(Analyst)
	}
	buf := s.htmlBufs.Get().(*bytes.Buffer)
	defer func() {
		if buf.Cap() <= maxPooled {
			buf.Reset()
			s.htmlBufs.Put(buf)
		}
	}()
	if err := s.pages[name].ExecuteTemplate(buf, "layout", pg); err != nil {
		s.log.ErrorContext(r.Context(), "rendering", slog.String("page", name), slog.Any("err", err))
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(code)
	w.Write(buf.Bytes())
}

func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, p *principal, code int, msg string) {
	s.render(w, r, p, code, "error", http.StatusText(code), msg)
}

// loginTokenRE matches a token randomToken makes.
var loginTokenRE = lazyre.Regexp{Expr: `^[A-Za-z0-9_-]{43}$`}

// loginCookie is the login form's double-submit CSRF cookie.
const loginCookie = "__Host-vigil_login"

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request, _ *principal) {
	s.showLogin(w, r, http.StatusOK, "")
}

func (s *Server) showLogin(w http.ResponseWriter, r *http.Request, code int, msg string) {
	// The browser's login token is kept while it is one of ours: a request
	// the browser makes beside the page (its favicon, redirected here)
	// must not replace the token of the form it shows.
	tok := ""
	if c, err := r.Cookie(loginCookie); err == nil && loginTokenRE.Get().MatchString(c.Value) {
		tok = c.Value
	} else {
		tok = randomToken()
	}
	http.SetCookie(w, &http.Cookie{Name: loginCookie, Value: tok, Path: "/", MaxAge: 3600, Secure: true, HttpOnly: true, SameSite: http.SameSiteStrictMode})
	sso := ""
	if s.oidc != nil {
		sso = "/login/oidc?next=" + url.QueryEscape(localPath(r.FormValue("next")))
	}
	s.render(w, r, nil, code, "login", "Sign in", map[string]string{"CSRF": tok, "Next": localPath(r.FormValue("next")), "Error": msg, "SSO": sso})
}

func (s *Server) login(w http.ResponseWriter, r *http.Request, _ *principal) {
	ctx := r.Context()
	c, err := r.Cookie(loginCookie)
	form := r.PostFormValue("csrf")
	if err != nil || c.Value == "" || form == "" || subtle.ConstantTimeCompare([]byte(c.Value), []byte(form)) != 1 {
		s.errorPage(w, r, nil, http.StatusForbidden, "missing or wrong CSRF token: reload the sign-in page")
		return
	}
	name, password := strings.TrimSpace(r.PostFormValue("user")), r.PostFormValue("password")
	ip, now := clientIP(r), s.now()
	if s.byIP.blocked(ip, now) || s.byUser.blocked(name, now) {
		s.audit(ctx, name, "login_limited", name, "too many failed sign-ins", ip)
		w.Header().Set("Retry-After", strconv.Itoa(int(s.opts.LoginWindow.Seconds())))
		s.showLogin(w, r, http.StatusTooManyRequests, "Too many failed sign-ins: try again later.")
		return
	}
	u, err := s.authenticate(ctx, name, password)
	if err != nil {
		s.internalError(w, r, nil, false, err)
		return
	}
	if u == nil {
		s.byIP.fail(ip, now)
		s.byUser.fail(name, now)
		s.audit(ctx, name, "login_failed", name, "", ip)
		s.showLogin(w, r, http.StatusUnauthorized, "Wrong user name or password.")
		return
	}
	tok, err := s.newSession(ctx, u)
	if err != nil {
		s.internalError(w, r, nil, false, err)
		return
	}
	s.audit(ctx, u.Name, "login", u.Name, "", ip)
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: tok, Path: "/", MaxAge: int(s.opts.SessionTTL.Seconds()),
		Secure: true, HttpOnly: true, SameSite: http.SameSiteStrictMode})
	http.SetCookie(w, &http.Cookie{Name: loginCookie, Value: "", Path: "/", MaxAge: -1, Secure: true, HttpOnly: true, SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, localPath(r.PostFormValue("next")), http.StatusSeeOther)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request, p *principal) {
	if p.Session != "" {
		if err := s.endSession(r.Context(), p.Session); err != nil {
			s.internalError(w, r, p, false, err)
			return
		}
	}
	s.audit(r.Context(), p.Name, "logout", p.Name, "", clientIP(r))
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, Secure: true, HttpOnly: true, SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// sourceView is the latest run of one source with its posture.
type sourceView struct {
	Run      history.Run
	Clouds   []history.PostureRow
	Accounts []history.PostureRow
	Frames   []history.PostureRow
	Trend    []history.TrendPoint
	Chart    *chart
	// TrendRuns are the last runs (oldest first) and CloudTrend each
	// cloud's score in them, worst now first.
	TrendRuns  []int64
	CloudTrend []cloudTrend
	FrameTrend []cloudTrend // per framework, by controls
}

// cloudTrend is one scope's (a cloud's or a framework's) score per run.
type cloudTrend struct {
	Provider string // the cloud or framework
	Scores   []*float64
}

// cloudTrends fills the per-cloud and per-framework trends of the last
// runs.
func (s *Server) cloudTrends(ctx context.Context, v *sourceView) error {
	pts := v.Trend
	if len(pts) > 10 {
		pts = pts[len(pts)-10:]
	}
	for _, p := range pts {
		v.TrendRuns = append(v.TrendRuns, p.RunID)
	}
	for _, c := range v.Clouds {
		ts, err := s.store.Trend(ctx, history.TrendQuery{Source: v.Run.Source, Provider: c.Provider, Last: 10})
		if err != nil {
			return err
		}
		byRun := map[int64]*float64{}
		for _, t := range ts {
			byRun[t.RunID] = t.Score
		}
		ct := cloudTrend{Provider: c.Provider}
		for _, id := range v.TrendRuns {
			ct.Scores = append(ct.Scores, byRun[id])
		}
		v.CloudTrend = append(v.CloudTrend, ct)
	}
	for _, f := range v.Frames {
		ts, err := s.store.Trend(ctx, history.TrendQuery{Source: v.Run.Source, Framework: f.Framework, Last: 10})
		if err != nil {
			return err
		}
		byRun := map[int64]*float64{}
		for _, t := range ts {
			byRun[t.RunID] = t.Score
		}
		ft := cloudTrend{Provider: f.Framework}
		for _, id := range v.TrendRuns {
			ft.Scores = append(ft.Scores, byRun[id])
		}
		v.FrameTrend = append(v.FrameTrend, ft)
	}
	return nil
}

// latestRuns returns the latest run of each source (at most 200 sources),
// worst posture first.
func (s *Server) latestRuns(r *http.Request) ([]history.Run, error) {
	out, err := s.store.LatestRuns(r.Context(), 200)
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(out, func(a, b history.Run) int { return cmpScore(a.PostureScore, b.PostureScore) })
	return out, nil
}

// cmpScore orders scores worst (lowest) first, none last.
func cmpScore(a, b *float64) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return 1
	case b == nil:
		return -1
	case *a < *b:
		return -1
	case *a > *b:
		return 1
	}
	return 0
}

func (s *Server) overviewPage(w http.ResponseWriter, r *http.Request, p *principal) {
	ctx := r.Context()
	latest, err := s.latestRuns(r)
	if err != nil {
		s.internalError(w, r, p, false, err)
		return
	}
	var views []sourceView
	for _, run := range latest {
		v := sourceView{Run: run}
		if v.Clouds, err = s.store.Posture(ctx, run.ID, history.ScopeCloud); err == nil {
			if v.Accounts, err = s.store.Posture(ctx, run.ID, history.ScopeAccount); err == nil {
				if v.Frames, err = s.store.Posture(ctx, run.ID, history.ScopeFramework); err == nil {
					if v.Trend, err = s.store.Trend(ctx, history.TrendQuery{Source: run.Source, Last: 30}); err == nil {
						err = s.cloudTrends(ctx, &v)
					}
				}
			}
		}
		if err != nil {
			s.internalError(w, r, p, false, err)
			return
		}
		v.Chart = newChart(v.Trend)
		views = append(views, v)
	}
	groups, err := s.store.Group(ctx, "rule", history.FindingQuery{States: []history.State{history.StateNew, history.StateOpen, history.StateReopened}, Limit: 10})
	if err != nil {
		s.internalError(w, r, p, false, err)
		return
	}
	slices.SortStableFunc(groups, func(a, b history.GroupCount) int { return b.Worst.Rank() - a.Worst.Rank() })
	s.render(w, r, p, http.StatusOK, "overview", "Overview", map[string]any{"Sources": views, "TopRules": groups})
}

// chart is a posture trend drawn as SVG on the server: numbers only.
type chart struct {
	W, H   int
	Points string
	Dots   []dot
}

type dot struct {
	X, Y  float64
	Label string
}

func newChart(ts []history.TrendPoint) *chart {
	c := &chart{W: 600, H: 120}
	var pts []string
	n := len(ts)
	for i, t := range ts {
		if t.Score == nil {
			continue
		}
		x := 10.0
		if n > 1 {
			x = 10 + float64(i)*float64(c.W-20)/float64(n-1)
		}
		y := 10 + (100-*t.Score)*float64(c.H-20)/100
		pts = append(pts, strconv.FormatFloat(x, 'f', 1, 64)+","+strconv.FormatFloat(y, 'f', 1, 64))
		c.Dots = append(c.Dots, dot{X: x, Y: y, Label: fmt.Sprintf("run %d: %.1f%%", t.RunID, *t.Score)})
	}
	if len(pts) == 0 {
		return nil
	}
	c.Points = strings.Join(pts, " ")
	return c
}

// findingsView is the explorer's data.
type findingsView struct {
	F        *filter
	Findings []history.Finding
	// Rows is the findings' table body (findingRows).
	Rows    template.HTML
	Groups  []history.GroupCount
	Total   int
	Pages   int
	Prev    string
	Next    string
	Back    string
	Export  string
	Sort    []string
	GroupBy []string
	States  []history.State
	Sevs    []finding.Severity
	Error   string
	Form    map[string]string
	// Checked are the states, severities and clouds the filter selects.
	Checked map[string]bool
	Clouds  []string
}

func (s *Server) findingsPage(w http.ResponseWriter, r *http.Request, p *principal) {
	f, err := parseFilter(r.URL.Query())
	if err != nil {
		s.errorPage(w, r, p, http.StatusBadRequest, err.Error())
		return
	}
	ctx := r.Context()
	v := findingsView{F: f, Sort: history.SortKeys, GroupBy: history.GroupKeys, States: history.States,
		Sevs: []finding.Severity{finding.Critical, finding.High, finding.Medium, finding.Low, finding.Info},
		Back: r.URL.RequestURI(), Export: f.with("page", "", "group", ""),
		Form: map[string]string{"state": strings.Join(f.Values["state"], ","), "severity": strings.Join(f.Values["severity"], ","),
			"cloud": f.Values.Get("cloud"), "account": f.Values.Get("account"), "rule": f.Values.Get("rule"),
			"resource": f.Values.Get("resource"), "source": f.Values.Get("source")}}
	v.Clouds, v.Checked = []string{"aws", "azure", "gcp"}, map[string]bool{}
	for _, st := range f.Q.States {
		v.Checked["state:"+string(st)] = true
	}
	if len(f.Q.States) == 0 {
		v.Checked["state:all"] = true
	}
	for _, sev := range f.Q.Severities {
		v.Checked["sev:"+string(sev)] = true
	}
	for _, c := range f.Q.Providers {
		v.Checked["cloud:"+c] = true
	}
	if f.GroupBy != "" {
		if v.Groups, err = s.store.Group(ctx, f.GroupBy, f.Q); err != nil {
			s.internalError(w, r, p, false, err)
			return
		}
	} else {
		if v.Total, err = s.countFindings(ctx, f.Q); err == nil {
			v.Findings, err = s.store.Findings(ctx, f.Q)
		}
		if errors.Is(err, history.ErrNotFound) { // after names no finding
			s.errorPage(w, r, p, http.StatusBadRequest, err.Error())
			return
		}
		if err != nil {
			s.internalError(w, r, p, false, err)
			return
		}
		v.Pages = (v.Total + f.Q.Limit - 1) / f.Q.Limit
		if f.Page > 1 {
			v.Prev = f.with("page", strconv.Itoa(f.Page-1), "after", "")
		}
		if f.Page < v.Pages && len(v.Findings) > 0 { // keyset: after the page's last finding
			v.Next = f.with("page", strconv.Itoa(f.Page+1), "after", strconv.FormatInt(v.Findings[len(v.Findings)-1].ID, 10))
		}
	}
	if f.GroupBy == "" {
		v.Rows = findingRows(v.Findings, p.Role.Allows(Analyst), p.CSRF, v.Back)
	}
	s.render(w, r, p, http.StatusOK, "findings", "Findings", v)
}

// exportCap bounds an export (the API pages beyond it).
const exportCap = 200_000

func (s *Server) exportFindings(w http.ResponseWriter, r *http.Request, p *principal) {
	f, err := parseFilter(r.URL.Query())
	if err != nil {
		s.errorPage(w, r, p, http.StatusBadRequest, err.Error())
		return
	}
	format := r.URL.Query().Get("format")
	if format != "csv" && format != "json" {
		s.errorPage(w, r, p, http.StatusBadRequest, "format is csv or json")
		return
	}
	q := f.Q
	q.Offset, q.Limit, q.After = 0, 1000, 0
	var all []history.Finding
	for len(all) < exportCap {
		page, err := s.store.Findings(r.Context(), q)
		if err != nil {
			s.internalError(w, r, p, false, err)
			return
		}
		all = append(all, page...)
		if len(page) < q.Limit {
			break
		}
		q.After = page[len(page)-1].ID // keyset: no growing OFFSET
	}
	name := "vigil-findings-" + s.now().UTC().Format("20060102-150405")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+"."+format+`"`)
	if format == "json" {
		s.writeJSON(w, http.StatusOK, all)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	cw := csv.NewWriter(w)
	cw.Write([]string{"id", "source", "state", "status", "severity", "rule_id", "title", "provider", "account", "region",
		"resource_type", "resource_id", "resource_name", "first_seen", "last_seen", "message", "suppress_reason", "suppress_owner"})
	for _, x := range all {
		var reason, owner string
		if x.Suppression != nil {
			reason, owner = x.Suppression.Reason, x.Suppression.Owner
		}
		row := []string{strconv.FormatInt(x.ID, 10), x.Source, string(x.State), string(x.Status), string(x.Severity), x.RuleID, x.Title,
			x.Provider, x.Account, x.Region, x.ResourceType, x.ResourceID, x.ResourceName, rfc(x.FirstSeen), rfc(x.LastSeen), x.Message, reason, owner}
		for i := range row {
			row[i] = csvSafe(row[i])
		}
		cw.Write(row)
	}
	cw.Flush()
}

func rfc(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// csvSafe keeps a spreadsheet from reading a cloud-supplied cell as a
// formula.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// mute suppresses a rule on a resource for the principal.
func (s *Server) mute(r *http.Request, p *principal, source, rule, res, reason, expires string) (history.Suppression, int, error) {
	exp, err := parseExpiry(expires)
	if err != nil {
		return history.Suppression{}, 0, err
	}
	if len(reason) > 2000 {
		return history.Suppression{}, 0, errors.New("a reason has at most 2000 characters")
	}
	sp, n, err := s.store.Suppress(r.Context(), history.Suppression{Source: source, RuleID: rule, ResourceID: res, Reason: reason, Owner: p.Name, Expires: exp}, s.now())
	if err != nil {
		return sp, 0, err
	}
	detail, _ := json.Marshal(map[string]any{"source": source, "reason": sp.Reason, "expires": sp.Expires, "muted": n})
	s.audit(r.Context(), p.Name, "mute", rule+" "+res, string(detail), clientIP(r))
	return sp, n, nil
}

func (s *Server) mutePage(w http.ResponseWriter, r *http.Request, p *principal) {
	_, _, err := s.mute(r, p, r.PostFormValue("source"), r.PostFormValue("rule"), r.PostFormValue("resource"),
		r.PostFormValue("reason"), r.PostFormValue("expires"))
	if err != nil {
		s.errorPage(w, r, p, http.StatusBadRequest, "not muted: "+err.Error())
		return
	}
	http.Redirect(w, r, localPath(r.PostFormValue("back")), http.StatusSeeOther)
}

func (s *Server) runsPage(w http.ResponseWriter, r *http.Request, p *principal) {
	runs, err := s.store.Runs(r.Context(), history.RunQuery{Source: r.URL.Query().Get("source"), Limit: 200})
	if err != nil {
		s.internalError(w, r, p, false, err)
		return
	}
	s.render(w, r, p, http.StatusOK, "runs", "Runs", runs)
}

func (s *Server) runID(w http.ResponseWriter, r *http.Request, p *principal, api bool, raw string) (*history.Run, bool) {
	id, err := strconv.ParseInt(raw, 10, 64)
	var run *history.Run
	if err == nil {
		run, err = s.store.Run(r.Context(), id)
	}
	switch {
	case err == nil:
		return run, true
	case errors.Is(err, history.ErrNotFound), errors.Is(err, strconv.ErrSyntax), errors.Is(err, strconv.ErrRange):
		if api {
			s.apiError(w, http.StatusNotFound, fmt.Errorf("no run %q", raw))
		} else {
			s.errorPage(w, r, p, http.StatusNotFound, fmt.Sprintf("no run %q", raw))
		}
	default:
		s.internalError(w, r, p, api, err)
	}
	return nil, false
}

func (s *Server) runPage(w http.ResponseWriter, r *http.Request, p *principal) {
	run, ok := s.runID(w, r, p, false, r.PathValue("id"))
	if !ok {
		return
	}
	ctx := r.Context()
	v := sourceView{Run: *run}
	var err error
	if v.Clouds, err = s.store.Posture(ctx, run.ID, history.ScopeCloud); err == nil {
		if v.Accounts, err = s.store.Posture(ctx, run.ID, history.ScopeAccount); err == nil {
			v.Frames, err = s.store.Posture(ctx, run.ID, history.ScopeFramework)
		}
	}
	if err != nil {
		s.internalError(w, r, p, false, err)
		return
	}
	s.render(w, r, p, http.StatusOK, "run", fmt.Sprintf("Run %d", run.ID), v)
}

// diffRuns resolves the a and b parameters: b defaults to the latest run,
// a to the run before b of the same source.
func (s *Server) diffRuns(r *http.Request) (int64, int64, error) {
	ctx := r.Context()
	q := r.URL.Query()
	parse := func(k string) (int64, error) {
		v := q.Get(k)
		if v == "" {
			return 0, nil
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return 0, paramError{fmt.Errorf("%s: want a run ID", k)}
		}
		return n, nil
	}
	a, err := parse("a")
	if err != nil {
		return 0, 0, err
	}
	b, err := parse("b")
	if err != nil {
		return 0, 0, err
	}
	if b == 0 {
		run, err := s.store.LatestRun(ctx, "")
		if err != nil {
			return 0, 0, err
		}
		b = run.ID
	}
	if a == 0 {
		rb, err := s.store.Run(ctx, b)
		if err != nil {
			return 0, 0, err
		}
		runs, err := s.store.Runs(ctx, history.RunQuery{Source: rb.Source, Limit: 1000})
		if err != nil {
			return 0, 0, err
		}
		for i, x := range runs {
			if x.ID == b && i+1 < len(runs) {
				a = runs[i+1].ID
			}
		}
		if a == 0 {
			return 0, 0, fmt.Errorf("run %d has no earlier run of its source: %w", b, history.ErrNotFound)
		}
	}
	return a, b, nil
}

// paramError is a request parameter that is wrong (400).
type paramError struct{ error }

// diffLimit bounds each list of a diff page.
const diffLimit = 200

func (s *Server) diffPage(w http.ResponseWriter, r *http.Request, p *principal) {
	runs, err := s.store.Runs(r.Context(), history.RunQuery{Limit: 200})
	if err != nil {
		s.internalError(w, r, p, false, err)
		return
	}
	v := map[string]any{"Runs": runs}
	a, b, err := s.diffRuns(r)
	if err == nil {
		var d *history.Diff
		if d, err = s.store.Diff(r.Context(), a, b); err == nil {
			cut := func(l []history.DiffFinding) []history.DiffFinding { return l[:min(len(l), diffLimit)] }
			v["Diff"], v["A"], v["B"] = d, a, b
			v["New"], v["Reopened"], v["Resolved"] = cut(d.New), cut(d.Reopened), cut(d.Resolved)
		}
	}
	code := http.StatusOK
	var pe paramError
	switch {
	case errors.As(err, &pe):
		code = http.StatusBadRequest
	case errors.Is(err, history.ErrNotFound):
		if r.URL.Query().Get("a")+r.URL.Query().Get("b") != "" {
			code = http.StatusNotFound
		}
	case err != nil:
		s.internalError(w, r, p, false, err)
		return
	}
	if err != nil {
		v["Error"] = err.Error()
	}
	s.render(w, r, p, code, "diff", "Diff", v)
}

func (s *Server) auditPage(w http.ResponseWriter, r *http.Request, p *principal) {
	entries, err := s.auditLog(r.Context(), 500, 0)
	if err != nil {
		s.internalError(w, r, p, false, err)
		return
	}
	s.render(w, r, p, http.StatusOK, "audit", "Audit log", entries)
}

func (s *Server) tokensPage(w http.ResponseWriter, r *http.Request, p *principal) {
	s.showTokens(w, r, p, http.StatusOK, "", "")
}

func (s *Server) showTokens(w http.ResponseWriter, r *http.Request, p *principal, code int, secret, msg string) {
	ts, err := s.tokens(r.Context())
	if err != nil {
		s.internalError(w, r, p, false, err)
		return
	}
	s.render(w, r, p, code, "tokens", "API tokens", map[string]any{"Tokens": ts, "Secret": secret, "Error": msg, "Roles": Roles, "Now": s.now()})
}

func (s *Server) createToken(r *http.Request, p *principal, name, role, expires string) (string, APIToken, error) {
	rl, err := ParseRole(role)
	if err != nil {
		return "", APIToken{}, err
	}
	exp, err := parseExpiry(expires)
	if err != nil {
		return "", APIToken{}, err
	}
	if exp.IsZero() {
		return "", APIToken{}, errors.New("a token needs an expiry")
	}
	secret, t, err := s.CreateToken(r.Context(), p.Name, name, rl, exp)
	if err != nil {
		return "", t, err
	}
	s.audit(r.Context(), p.Name, "token_create", t.Name, fmt.Sprintf("id %d, role %s, expires %s", t.ID, t.Role, t.Expires.Format(time.RFC3339)), clientIP(r))
	return secret, t, nil
}

func (s *Server) createTokenPage(w http.ResponseWriter, r *http.Request, p *principal) {
	secret, _, err := s.createToken(r, p, r.PostFormValue("name"), r.PostFormValue("role"), r.PostFormValue("expires"))
	if err != nil {
		s.showTokens(w, r, p, http.StatusBadRequest, "", err.Error())
		return
	}
	s.showTokens(w, r, p, http.StatusOK, secret, "")
}

func pathID(r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id, err == nil && id > 0
}

// revoke deletes a token and audits it; found is false when there is none.
func (s *Server) revoke(r *http.Request, p *principal) (found bool, err error) {
	id, ok := pathID(r)
	if !ok {
		return false, nil
	}
	if found, err = s.revokeToken(r.Context(), id); found && err == nil {
		s.audit(r.Context(), p.Name, "token_revoke", strconv.FormatInt(id, 10), "", clientIP(r))
	}
	return found, err
}

func (s *Server) revokeTokenPage(w http.ResponseWriter, r *http.Request, p *principal) {
	found, err := s.revoke(r, p)
	switch {
	case err != nil:
		s.internalError(w, r, p, false, err)
	case !found:
		s.errorPage(w, r, p, http.StatusNotFound, "no such token")
	default:
		http.Redirect(w, r, "/admin/tokens", http.StatusSeeOther)
	}
}

func (s *Server) usersPage(w http.ResponseWriter, r *http.Request, p *principal) {
	s.showUsers(w, r, p, http.StatusOK, "")
}

func (s *Server) showUsers(w http.ResponseWriter, r *http.Request, p *principal, code int, msg string) {
	us, err := s.users(r.Context())
	if err != nil {
		s.internalError(w, r, p, false, err)
		return
	}
	s.render(w, r, p, code, "users", "Users", map[string]any{"Users": us, "Roles": Roles, "Error": msg, "Me": p.Name})
}

func (s *Server) createUserPage(w http.ResponseWriter, r *http.Request, p *principal) {
	role, err := ParseRole(r.PostFormValue("role"))
	if err == nil {
		err = s.createUser(r.Context(), p.Name, clientIP(r), strings.TrimSpace(r.PostFormValue("name")), r.PostFormValue("password"), role)
	}
	if err != nil {
		s.showUsers(w, r, p, http.StatusBadRequest, err.Error())
		return
	}
	http.Redirect(w, r, "/admin/users", http.StatusSeeOther)
}

func (s *Server) disableUserPage(w http.ResponseWriter, r *http.Request, p *principal) {
	id, ok := pathID(r)
	if !ok {
		s.errorPage(w, r, p, http.StatusNotFound, "no such user")
		return
	}
	us, err := s.users(r.Context())
	if err != nil {
		s.internalError(w, r, p, false, err)
		return
	}
	for _, u := range us {
		if u.ID == id && u.Name == p.Name {
			s.showUsers(w, r, p, http.StatusBadRequest, "you cannot disable yourself")
			return
		}
	}
	name, found, err := s.disableUser(r.Context(), id)
	switch {
	case err != nil:
		s.internalError(w, r, p, false, err)
	case !found:
		s.errorPage(w, r, p, http.StatusNotFound, "no such user")
	default:
		s.audit(r.Context(), p.Name, "user_disable", name, "", clientIP(r))
		http.Redirect(w, r, "/admin/users", http.StatusSeeOther)
	}
}
