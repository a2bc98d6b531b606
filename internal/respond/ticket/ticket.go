package ticket

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/vigil-sec/vigil/internal/respond"
	"github.com/vigil-sec/vigil/internal/respond/notify"
	"github.com/vigil-sec/vigil/internal/respond/notify/httpcall"
)

// Options configure the ticket actions.
type Options struct {
	// HTTPClient sends the API requests (default: 30 s timeout, no
	// redirects followed).
	HTTPClient *http.Client
	// Now is the clock (HTTP-date Retry-After values; default time.Now).
	Now func() time.Time
	// MaxAttempts per request, the first included, 429/5xx answers
	// retried (default 4); MaxWait the longest Retry-After honoured
	// (default 1 min).
	MaxAttempts int
	MaxWait     time.Duration
}

// Actions returns ticket.jira, ticket.servicenow and ticket.github.
func Actions(opts Options) []respond.Action {
	c := &httpcall.Client{HTTP: opts.HTTPClient, MaxAttempts: opts.MaxAttempts, MaxWait: opts.MaxWait, Now: opts.Now}
	return []respond.Action{&action{c, jira}, &action{c, serviceNow}, &action{c, gitHub}}
}

var (
	titleInput = respond.Input{Name: "title", Description: "the ticket's title (default: the subject's severity and title)"}
	textInput  = respond.Input{Name: "text", Description: "the ticket's description (default: the subject's message and resource); the subject's fields follow it"}
)

// tracker is one ticketing service.
type tracker struct {
	name, service, description string
	inputs                     []respond.Input
	// plan checks the inputs and builds the state (the create request).
	plan func(req *respond.Request, marker string) (*state, error)
	// search finds the open ticket carrying st's marker; nil if none.
	search func(ctx context.Context, c *conn, st *state) (*found, error)
	// created reads the create request's answer.
	created func(st *state, body []byte) (*found, error)
}

// state is what Apply needs: the planned requests, the credentials as a
// reference.
type state struct {
	Base   string          `json:"base"`           // the API's base URL
	User   string          `json:"user,omitempty"` // basic auth user (Jira's email, ServiceNow's user)
	Token  string          `json:"token"`          // a secret reference
	Marker string          `json:"marker"`         // what marks the subject's ticket (a label, a correlation id)
	Scope  string          `json:"scope"`          // the project, table or repository
	Path   string          `json:"path"`           // the create request's path
	Body   json.RawMessage `json:"body"`           // the create request's body
	// Search describes the search Apply makes first (shown in the plan).
	Search string `json:"search"`
}

// found is a ticket: its key (SEC-12, INC0010001, owner/repo#7), URL and
// service id.
type found struct{ key, url, id string }

func (f *found) outputs() map[string]string {
	return map[string]string{"key": f.key, "url": f.url, "id": f.id}
}

type action struct {
	c *httpcall.Client
	t tracker
}

func (a *action) Spec() respond.Spec {
	return respond.Spec{Name: a.t.name, Class: respond.Ticket, Description: a.t.description, Inputs: a.t.inputs}
}

// Plan checks the inputs and shows the create request. It makes no call:
// the search for an existing ticket needs the token, a secret resolved
// only when applied, so Apply searches first.
func (a *action) Plan(_ context.Context, _ *respond.Env, req *respond.Request) (*respond.Change, error) {
	st, err := a.t.plan(req, marker(req))
	if err != nil {
		return nil, err
	}
	raw, _ := json.Marshal(st)
	title, _ := notify.Message(req)
	return &respond.Change{
		Action:   a.t.name,
		Resource: a.t.service + ":" + st.Scope,
		Calls: []respond.Call{{Service: a.t.service, Operation: "POST " + st.Path, Target: httpcall.Host(st.Base) + st.Path, Params: map[string]any{
			"method": "POST", "url": st.Base + st.Path, "body": st.Body, "auth": a.authText(st), "search_first": st.Search}}},
		Diff:  []respond.AttrChange{{Attribute: "ticket", After: title}},
		State: raw,
	}, nil
}

func (a *action) authText(st *state) string {
	if st.User != "" {
		return "basic " + st.User + ":" + st.Token
	}
	return "bearer " + st.Token
}

// conn is one Apply's access to the service.
type conn struct {
	a      *action
	env    *respond.Env
	st     *state
	header http.Header
	token  string
}

// do sends one request; the answer's body on success.
func (c *conn) do(ctx context.Context, method, path string, body []byte, readOnly bool, before func(context.Context) (bool, error)) ([]byte, error) {
	hdr := c.header.Clone()
	if body != nil {
		hdr.Set("Content-Type", "application/json")
	}
	secrets := []string{c.token}
	if c.st.User != "" {
		secrets = append(secrets, base64.StdEncoding.EncodeToString([]byte(c.st.User+":"+c.token)))
	}
	op, _, _ := strings.Cut(path, "?")
	call := respond.Call{Service: c.a.t.service, Operation: method + " " + op, Target: httpcall.Host(c.st.Base) + op, ReadOnly: readOnly}
	res, err := c.a.c.Do(ctx, c.env, call, httpcall.Request{Action: c.a.t.name, Method: method, URL: c.st.Base + path, Header: hdr, Body: body,
		Secrets: secrets, BeforeRetry: before})
	if err != nil || res == nil {
		return nil, err
	}
	return res.Body, nil
}

// Apply searches for the subject's open ticket and creates one only if
// there is none. A create that fails in a way the service may have acted
// on (5xx, a lost answer) is searched for again before it is retried.
func (a *action) Apply(ctx context.Context, env *respond.Env, ch *respond.Change) (*respond.Outcome, error) {
	var st state
	if err := json.Unmarshal(ch.State, &st); err != nil || st.Base == "" || st.Token == "" || len(st.Body) == 0 {
		return nil, fmt.Errorf("%w: %s: the change has no ticket state", respond.ErrInput, a.t.name)
	}
	token, err := env.SecretValue(st.Token)
	if err != nil {
		return nil, fmt.Errorf("%s: token: %w", a.t.name, err)
	}
	if _, err := httpcall.CheckURL(st.Base, true); err != nil {
		return nil, fmt.Errorf("%w: %s: url: %v", respond.ErrInput, a.t.name, err)
	}
	hdr := http.Header{"Accept": {"application/json"}}
	if st.User != "" {
		hdr.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(st.User+":"+token)))
	} else {
		hdr.Set("Authorization", "Bearer "+token)
	}
	c := &conn{a: a, env: env, st: &st, header: hdr, token: token}
	if a.t.service == "github" {
		hdr.Set("Accept", "application/vnd.github+json")
		hdr.Set("X-GitHub-Api-Version", "2022-11-28")
	}
	f, err := a.t.search(ctx, c, &st)
	if err != nil {
		return nil, err
	}
	if f != nil {
		return &respond.Outcome{Outputs: f.outputs(), Note: fmt.Sprintf("%s is already open for this subject: none created", f.key)}, nil
	}
	var again *found
	body, err := c.do(ctx, http.MethodPost, st.Path, st.Body, false, func(ctx context.Context) (bool, error) {
		var err error
		again, err = a.t.search(ctx, c, &st)
		return again != nil, err
	})
	if err != nil {
		return nil, err
	}
	if again != nil {
		return &respond.Outcome{Outputs: again.outputs(), Note: fmt.Sprintf("%s was created by a failed attempt: not created again", again.key)}, nil
	}
	f, err = a.t.created(&st, body)
	if err != nil {
		return nil, fmt.Errorf("%s: POST %s: reading the answer: %w", a.t.name, httpcall.Host(st.Base), err)
	}
	return &respond.Outcome{Outputs: f.outputs(), Note: "created " + f.key}, nil
}

// Rollback: a ticket is not deleted (its history is the record); close it
// in the tracker.
func (a *action) Rollback(context.Context, *respond.Env, *respond.Change, *respond.Outcome) (*respond.Outcome, error) {
	return nil, fmt.Errorf("%s: %w: a ticket is not deleted; close it in the tracker", a.t.name, respond.ErrIrreversible)
}

// marker is the subject's mark: a short hash of its id (of the title and
// text when there is no subject), usable as a Jira or GitHub label.
func marker(req *respond.Request) string {
	key := ""
	if req.Subject != nil {
		key = req.Subject.ID
	}
	if key == "" {
		title, text := notify.Message(req)
		key = title + "\x00" + text
	}
	h := sha256.Sum256([]byte(key))
	return hex.EncodeToString(h[:8])
}

// in is a step input without surrounding white space.
func in(req *respond.Request, name string) string { return strings.TrimSpace(req.Inputs[name]) }

// required reads a required input.
func required(req *respond.Request, action, name string) (string, error) {
	v := in(req, name)
	if v == "" {
		return "", fmt.Errorf("%w: %s: input %s is required", respond.ErrInput, action, name)
	}
	return v, nil
}

// baseURL reads a service's base URL input (no path beyond the root, no
// query).
func baseURL(req *respond.Request, action, name, def string) (string, error) {
	v := in(req, name)
	if v == "" {
		if def == "" {
			return "", fmt.Errorf("%w: %s: input %s is required", respond.ErrInput, action, name)
		}
		v = def
	}
	u, err := httpcall.CheckURL(v, true)
	if err != nil {
		return "", fmt.Errorf("%w: %s: input %s: %v", respond.ErrInput, action, name, err)
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("%w: %s: input %s: want the service's base URL, without credentials or query", respond.ErrInput, action, name)
	}
	return strings.TrimRight(u.Scheme+"://"+u.Host+u.EscapedPath(), "/"), nil
}

// list splits a comma-separated input.
func list(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// body is a ticket's description as plain text: the text, then the
// subject's fields one a line.
func plainBody(req *respond.Request) string {
	_, text := notify.Message(req)
	var b strings.Builder
	b.WriteString(text)
	if fs := notify.Facts(req.Subject); len(fs) > 0 {
		b.WriteString("\n")
		for _, f := range fs {
			b.WriteString("\n" + f.Name + ": " + f.Value)
		}
	}
	return b.String()
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
