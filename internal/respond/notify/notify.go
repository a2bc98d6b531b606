package notify

import (
	"cmp"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/vigil-sec/vigil/internal/respond"
	"github.com/vigil-sec/vigil/internal/respond/notify/httpcall"
)

// Options configure the notify actions.
type Options struct {
	// HTTPClient sends the webhook requests (default: 30 s timeout, no
	// redirects followed).
	HTTPClient *http.Client
	// Now is the clock (an email's Date; default time.Now).
	Now func() time.Time
	// MaxAttempts per message, the first included, 429/5xx answers and
	// SMTP 4xx replies retried (default 4); MaxWait the longest
	// Retry-After honoured (default 1 min).
	MaxAttempts int
	MaxWait     time.Duration
	// SMTPTLS is the TLS configuration for STARTTLS and port 465 (nil:
	// the system's roots, the server name from the host input).
	SMTPTLS *tls.Config
}

func (o Options) now() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}

func (o Options) client() *httpcall.Client {
	return &httpcall.Client{HTTP: o.HTTPClient, MaxAttempts: o.MaxAttempts, MaxWait: o.MaxWait, Now: o.Now}
}

// Actions returns notify.webhook, notify.slack, notify.teams and
// notify.email.
func Actions(opts Options) []respond.Action {
	return []respond.Action{
		&hook{opts: opts, kind: webhookKind},
		&hook{opts: opts, kind: slackKind},
		&hook{opts: opts, kind: teamsKind},
		&email{opts: opts},
	}
}

var (
	urlInput   = respond.Input{Name: "url", Required: true, Secret: true, Description: "the webhook URL, a secret reference (env:NAME or file:PATH)"}
	textInput  = respond.Input{Name: "text", Description: "the message (default: the subject's title, message and resource)"}
	titleInput = respond.Input{Name: "title", Description: "the heading (default: the subject's severity and title)"}
)

// hookKind is one kind of webhook: its name, service and body.
type hookKind struct {
	name, service, description string
	inputs                     []respond.Input
	body                       func(title, text string, s *respond.Subject) any
}

var (
	webhookKind = hookKind{
		name: "notify.webhook", service: "webhook",
		description: "POST a JSON message (title, text, the subject) to a URL, signed with HMAC-SHA256 when a secret is given (X-Vigil-Signature-256: sha256=HEX of the body)",
		inputs: []respond.Input{urlInput, textInput, titleInput,
			{Name: "secret", Secret: true, Description: "the HMAC-SHA256 key signing the body, a secret reference"}},
		body: webhookBody,
	}
	slackKind = hookKind{
		name: "notify.slack", service: "slack",
		description: "post a message (text and Block Kit blocks) to a Slack incoming webhook",
		inputs:      []respond.Input{urlInput, textInput, titleInput},
		body:        slackBody,
	}
	teamsKind = hookKind{
		name: "notify.teams", service: "teams",
		description: "post an Adaptive Card (1.4) to a Microsoft Teams workflow webhook",
		inputs:      []respond.Input{urlInput, textInput, titleInput},
		body:        teamsBody,
	}
)

// hook is a webhook action.
type hook struct {
	opts Options
	kind hookKind
}

func (h *hook) Spec() respond.Spec {
	return respond.Spec{Name: h.kind.name, Class: respond.Notify, Description: h.kind.description, Inputs: h.kind.inputs}
}

// hookState is what Apply needs: references, never secret values.
type hookState struct {
	URL    string          `json:"url"`              // a secret reference
	Secret string          `json:"secret,omitempty"` // a secret reference
	Body   json.RawMessage `json:"body"`
}

// Plan makes no call: the URL is a secret resolved only when applied.
func (h *hook) Plan(_ context.Context, _ *respond.Env, req *respond.Request) (*respond.Change, error) {
	name := h.kind.name
	ref, err := SecretRef(req, name, "url", true)
	if err != nil {
		return nil, err
	}
	sig, err := SecretRef(req, name, "secret", false)
	if err != nil {
		return nil, err
	}
	title, text := Message(req)
	body, err := json.Marshal(h.kind.body(title, text, req.Subject))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	st, _ := json.Marshal(hookState{URL: ref, Secret: sig, Body: body})
	params := map[string]any{"method": "POST", "url": ref + " (resolved when applied)", "content_type": "application/json", "body": json.RawMessage(body)}
	if sig != "" {
		params["signature"] = "X-Vigil-Signature-256: HMAC-SHA256 of the body with " + sig
	}
	return &respond.Change{
		Action:   name,
		Resource: h.kind.service + ":" + ref,
		Calls:    []respond.Call{{Service: h.kind.service, Operation: "POST webhook", Target: ref, Params: params}},
		Diff:     []respond.AttrChange{{Attribute: "message", After: text}},
		State:    st,
	}, nil
}

// Apply resolves the URL (and signing key) and posts the planned body. A
// webhook cannot be asked whether a message arrived: the engine's
// checkpoint is what keeps a step from posting twice.
func (h *hook) Apply(ctx context.Context, env *respond.Env, ch *respond.Change) (*respond.Outcome, error) {
	name := h.kind.name
	var st hookState
	if err := json.Unmarshal(ch.State, &st); err != nil || st.URL == "" || len(st.Body) == 0 {
		return nil, fmt.Errorf("%w: %s: the change has no webhook state", respond.ErrInput, name)
	}
	raw, err := env.SecretValue(st.URL)
	if err != nil {
		return nil, fmt.Errorf("%s: url: %w", name, err)
	}
	if _, err := httpcall.CheckURL(raw, false); err != nil {
		return nil, fmt.Errorf("%w: %s: url %s: %s", respond.ErrInput, name, st.URL, httpcall.Scrub(err.Error(), raw))
	}
	secrets := []string{raw}
	hdr := http.Header{"Content-Type": {"application/json"}}
	if st.Secret != "" {
		key, err := env.SecretValue(st.Secret)
		if err != nil {
			return nil, fmt.Errorf("%s: secret: %w", name, err)
		}
		secrets = append(secrets, key)
		m := hmac.New(sha256.New, []byte(key))
		m.Write(st.Body)
		hdr.Set("X-Vigil-Signature-256", "sha256="+hex.EncodeToString(m.Sum(nil)))
	}
	sum := sha256.Sum256(st.Body)
	hdr.Set("Idempotency-Key", hex.EncodeToString(sum[:16]))
	host := httpcall.Host(raw)
	call := respond.Call{Service: h.kind.service, Operation: "POST webhook", Target: host}
	res, err := h.opts.client().Do(ctx, env, call, httpcall.Request{Action: name, Method: http.MethodPost, URL: raw, Header: hdr, Body: st.Body, Secrets: secrets})
	if err != nil {
		return nil, err
	}
	return &respond.Outcome{Note: fmt.Sprintf("posted to %s (HTTP %d)", host, res.Status)}, nil
}

// Rollback: a message sent cannot be unsent.
func (h *hook) Rollback(context.Context, *respond.Env, *respond.Change, *respond.Outcome) (*respond.Outcome, error) {
	return nil, fmt.Errorf("%s: %w: a message sent cannot be unsent", h.kind.name, respond.ErrIrreversible)
}

// SecretRef reads a secret input, which must be a reference; its value is
// never echoed (it may be a secret typed in by mistake).
func SecretRef(req *respond.Request, action, name string, required bool) (string, error) {
	v := strings.TrimSpace(req.Inputs[name])
	if v == "" {
		if required {
			return "", fmt.Errorf("%w: %s: input %s is required (a secret reference: env:NAME or file:PATH)", respond.ErrInput, action, name)
		}
		return "", nil
	}
	if !respond.IsSecretRef(v) {
		return "", fmt.Errorf("%w: %s: input %s must be a secret reference (env:NAME or file:PATH), not a value", respond.ErrInput, action, name)
	}
	return v, nil
}

// Message is a step's title and text inputs, defaulting to the subject's
// severity and title, and its message and resource (the ticket actions
// use it too).
func Message(req *respond.Request) (title, text string) {
	title, text = strings.TrimSpace(req.Inputs["title"]), strings.TrimSpace(req.Inputs["text"])
	s := req.Subject
	if s == nil {
		s = &respond.Subject{}
	}
	if title == "" {
		title = strings.TrimSpace(strings.Join(nonEmpty(s.Severity, cmp.Or(s.Title, s.Rule)), " "))
		title = cmp.Or(title, "vigil")
	}
	if text == "" {
		text = strings.Join(nonEmpty(cmp.Or(s.Message, s.Title), resourceOf(s)), "\n")
		text = cmp.Or(text, title)
	}
	return title, text
}

func resourceOf(s *respond.Subject) string {
	r := cmp.Or(s.Resource.ID, s.Resource.Name)
	if r == "" {
		return ""
	}
	return "Resource: " + r
}

func nonEmpty(vs ...string) []string {
	var out []string
	for _, v := range vs {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// Fact is one labelled field of a subject shown in a message.
type Fact struct{ Name, Value string }

// Facts are the subject's fields a message or ticket shows, in order:
// severity, rule, provider, account, region, resource, principal, source
// IP, techniques, id (the empty ones left out).
func Facts(s *respond.Subject) []Fact {
	if s == nil {
		return nil
	}
	var out []Fact
	add := func(name, v string) {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, Fact{name, v})
		}
	}
	add("Severity", s.Severity)
	add("Rule", s.Rule)
	add("Provider", s.Provider)
	add("Account", s.Account)
	add("Region", s.Region)
	add("Resource", cmp.Or(s.Resource.ID, s.Resource.Name))
	add("Principal", s.Principal)
	add("Source IP", s.SourceIP)
	add("Techniques", strings.Join(s.Techniques, ", "))
	add("ID", s.ID)
	return out
}

// subjectJSON is the subject as a webhook receives it (without the raw
// finding or alert).
type subjectJSON struct {
	Kind       string            `json:"kind,omitempty"`
	ID         string            `json:"id,omitempty"`
	Rule       string            `json:"rule,omitempty"`
	Title      string            `json:"title,omitempty"`
	Category   string            `json:"category,omitempty"`
	Severity   string            `json:"severity,omitempty"`
	Status     string            `json:"status,omitempty"`
	Techniques []string          `json:"techniques,omitempty"`
	Message    string            `json:"message,omitempty"`
	Provider   string            `json:"provider,omitempty"`
	Account    string            `json:"account,omitempty"`
	Region     string            `json:"region,omitempty"`
	Resource   *respond.Resource `json:"resource,omitempty"`
	Principal  string            `json:"principal,omitempty"`
	SourceIP   string            `json:"source_ip,omitempty"`
	Time       *time.Time        `json:"time,omitempty"`
}

func webhookBody(title, text string, s *respond.Subject) any {
	body := map[string]any{"source": "vigil", "title": title, "text": text}
	if s != nil {
		sj := subjectJSON{Kind: s.Kind, ID: s.ID, Rule: s.Rule, Title: s.Title, Category: s.Category, Severity: s.Severity,
			Status: s.Status, Techniques: s.Techniques, Message: s.Message, Provider: s.Provider, Account: s.Account,
			Region: s.Region, Principal: s.Principal, SourceIP: s.SourceIP}
		if s.Resource.ID != "" || s.Resource.Name != "" || s.Resource.Type != "" {
			r := s.Resource
			sj.Resource = &r
		}
		if !s.Time.IsZero() {
			t := s.Time.UTC()
			sj.Time = &t
		}
		body["subject"] = sj
	}
	return body
}

// Slack Block Kit limits: a header's text 150 characters, a section's and
// a context element's 3000.
func slackBody(title, text string, s *respond.Subject) any {
	blocks := []any{
		map[string]any{"type": "header", "text": map[string]any{"type": "plain_text", "text": clip(title, 150), "emoji": true}},
		map[string]any{"type": "section", "text": map[string]any{"type": "mrkdwn", "text": clip(slackEscape(text), 3000)}},
	}
	if fs := Facts(s); len(fs) > 0 {
		parts := make([]string, len(fs))
		for i, f := range fs {
			parts[i] = "*" + f.Name + ":* " + slackEscape(f.Value)
		}
		blocks = append(blocks, map[string]any{"type": "context", "elements": []any{
			map[string]any{"type": "mrkdwn", "text": clip(strings.Join(parts, " | "), 3000)}}})
	}
	return map[string]any{"text": clip(slackEscape(title+": "+text), 3000), "blocks": blocks}
}

// slackEscape escapes the three characters Slack's mrkdwn gives meaning
// to, so that text from a finding cannot mention @channel or fake a link.
func slackEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

func teamsBody(title, text string, s *respond.Subject) any {
	body := []any{
		map[string]any{"type": "TextBlock", "text": title, "weight": "Bolder", "size": "Medium", "wrap": true},
		map[string]any{"type": "TextBlock", "text": text, "wrap": true},
	}
	if fs := Facts(s); len(fs) > 0 {
		list := make([]any, len(fs))
		for i, f := range fs {
			list[i] = map[string]any{"title": f.Name, "value": f.Value}
		}
		body = append(body, map[string]any{"type": "FactSet", "facts": list})
	}
	card := map[string]any{
		"$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
		"type":    "AdaptiveCard",
		"version": "1.4",
		"body":    body,
	}
	return map[string]any{
		"type": "message",
		"attachments": []any{map[string]any{
			"contentType": "application/vnd.microsoft.card.adaptive",
			"contentUrl":  nil,
			"content":     card,
		}},
	}
}

// clip cuts s to n runes.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
