package notify

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/respond"
	"github.com/vigil-sec/vigil/internal/respond/respondtest"
)

func subject() *respond.Subject {
	return &respond.Subject{
		Kind: "finding", ID: "f-123", Rule: "storage-public-access", Title: "Bucket is public", Severity: "HIGH",
		Provider: "aws", Account: "111122223333", Region: "eu-west-1", Principal: "arn:aws:iam::111122223333:user/<!channel>",
		Resource: respond.Resource{ID: "arn:aws:s3:::logs", Type: "aws_s3_bucket", Name: "logs", Tags: map[string]string{"owner": "ops"}},
		Time:     time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC),
	}
}

// receiver is a webhook server recording what it got and answering with
// the statuses given, in turn (the last one from then on).
type receiver struct {
	*httptest.Server
	mu       sync.Mutex
	reqs     []*http.Request
	bodies   [][]byte
	statuses []int
	headers  []http.Header // extra answer headers, per status
	answer   string
}

func newReceiver(t *testing.T, statuses ...int) *receiver {
	r := &receiver{statuses: statuses, answer: "ok"}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		b, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		n := len(r.reqs)
		r.reqs = append(r.reqs, req)
		r.bodies = append(r.bodies, b)
		st := http.StatusOK
		if len(r.statuses) > 0 {
			st = r.statuses[min(n, len(r.statuses)-1)]
		}
		if n < len(r.headers) {
			for k, v := range r.headers[n] {
				w.Header()[k] = v
			}
		}
		answer := r.answer
		r.mu.Unlock()
		w.WriteHeader(st)
		io.WriteString(w, answer)
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *receiver) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.reqs)
}

func action(t *testing.T, opts Options, name string) respond.Action {
	t.Helper()
	for _, a := range Actions(opts) {
		if a.Spec().Name == name {
			return a
		}
	}
	t.Fatalf("no action %s", name)
	return nil
}

// noSecret fails when any of secrets appears in the JSON of v or in err.
func noSecret(t *testing.T, what string, v any, err error, secrets ...string) {
	t.Helper()
	b, _ := json.Marshal(v)
	for _, s := range secrets {
		if strings.Contains(string(b), s) {
			t.Errorf("%s: the secret %q is in %s", what, s, b)
		}
		if err != nil && strings.Contains(err.Error(), s) {
			t.Errorf("%s: the secret %q is in the error %v", what, s, err)
		}
	}
}

// run plans and applies a step, checking that Plan makes no call and
// Apply exactly the write calls want.
func run(t *testing.T, a respond.Action, inputs map[string]string) (*respond.Change, *respond.Outcome, *respondtest.Recorder, error) {
	t.Helper()
	rec := &respondtest.Recorder{}
	ch, err := a.Plan(context.Background(), rec.Env(), &respond.Request{Subject: subject(), Inputs: inputs})
	if err != nil {
		t.Fatalf("Plan: %v", err)
	}
	if len(rec.Calls) != 0 {
		t.Fatalf("Plan made calls: %+v", rec.Calls)
	}
	if ch.Action != a.Spec().Name || len(ch.Calls) != 1 || ch.Calls[0].ReadOnly || len(ch.Diff) != 1 || ch.Reversible || ch.NoOp {
		t.Fatalf("Plan: change %+v", ch)
	}
	out, err := a.Apply(context.Background(), rec.Env(), ch)
	return ch, out, rec, err
}

func TestSlack(t *testing.T) {
	srv := newReceiver(t)
	const path = "/services/T000/B000/XXXXsecretXXXX"
	t.Setenv("VIGIL_TEST_SLACK", srv.URL+path)
	a := action(t, Options{}, "notify.slack")
	ch, out, rec, err := run(t, a, map[string]string{"url": "env:VIGIL_TEST_SLACK", "text": "Bucket logs is public & <b>open</b>", "title": "Public bucket"})
	if err != nil {
		t.Fatalf("Apply: %v", err)
	}
	if srv.count() != 1 {
		t.Fatalf("the receiver got %d requests, want 1", srv.count())
	}
	req := srv.reqs[0]
	if req.Method != http.MethodPost || req.URL.Path != path || req.Header.Get("Content-Type") != "application/json" {
		t.Errorf("request %s %s %q", req.Method, req.URL.Path, req.Header.Get("Content-Type"))
	}
	var body struct {
		Text   string `json:"text"`
		Blocks []struct {
			Type string `json:"type"`
			Text *struct {
				Type, Text string
			} `json:"text"`
			Elements []struct{ Type, Text string } `json:"elements"`
		} `json:"blocks"`
	}
	if err := json.Unmarshal(srv.bodies[0], &body); err != nil {
		t.Fatal(err)
	}
	if body.Text != "Public bucket: Bucket logs is public &amp; &lt;b&gt;open&lt;/b&gt;" {
		t.Errorf("text = %q", body.Text)
	}
	if len(body.Blocks) != 3 || body.Blocks[0].Type != "header" || body.Blocks[0].Text.Type != "plain_text" || body.Blocks[0].Text.Text != "Public bucket" ||
		body.Blocks[1].Type != "section" || body.Blocks[1].Text.Type != "mrkdwn" || body.Blocks[1].Text.Text != "Bucket logs is public &amp; &lt;b&gt;open&lt;/b&gt;" ||
		body.Blocks[2].Type != "context" || len(body.Blocks[2].Elements) != 1 {
		t.Fatalf("blocks: %s", srv.bodies[0])
	}
	ctxText := body.Blocks[2].Elements[0].Text
	for _, want := range []string{"*Severity:* HIGH", "*Resource:* arn:aws:s3:::logs", "user/&lt;!channel&gt;", "*ID:* f-123"} {
		if !strings.Contains(ctxText, want) {
			t.Errorf("context %q lacks %q", ctxText, want)
		}
	}
	// The plan shows the exact body and the reference, never the URL.
	params, _ := json.Marshal(ch.Calls[0].Params)
	if !strings.Contains(string(params), `"Bucket logs is public \u0026amp; \u0026lt;b\u0026gt;open\u0026lt;/b\u0026gt;"`) || ch.Calls[0].Target != "env:VIGIL_TEST_SLACK" {
		t.Errorf("planned call %s target %s", params, ch.Calls[0].Target)
	}
	if d := ch.Diff[0]; d.Attribute != "message" || d.Before != nil || d.After != "Bucket logs is public & <b>open</b>" {
		t.Errorf("diff %+v", d)
	}
	if w := rec.Writes(); len(w) != 1 || w[0].Service != "slack" || w[0].Target != strings.TrimPrefix(srv.URL, "http://") {
		t.Errorf("recorded writes %+v", w)
	}
	noSecret(t, "slack", []any{ch, out, rec.Calls}, nil, path, "XXXXsecretXXXX")
	if _, err := a.Rollback(context.Background(), rec.Env(), ch, out); !errors.Is(err, respond.ErrIrreversible) {
		t.Errorf("Rollback: %v, want ErrIrreversible", err)
	}
}

func TestTeams(t *testing.T) {
	srv := newReceiver(t, http.StatusAccepted)
	const secretQuery = "api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sig=Zm9vYmFyc2VjcmV0"
	t.Setenv("VIGIL_TEST_TEAMS", srv.URL+"/workflows/abc/triggers/manual/paths/invoke?"+secretQuery)
	a := action(t, Options{}, "notify.teams")
	ch, out, _, err := run(t, a, map[string]string{"url": "env:VIGIL_TEST_TEAMS", "text": "Bucket logs is public", "title": "Public bucket"})
	if err != nil {
		t.Fatalf("Apply: %v", err)
	}
	req := srv.reqs[0]
	if req.Method != http.MethodPost || req.URL.RawQuery != secretQuery || req.Header.Get("Content-Type") != "application/json" {
		t.Errorf("request %s %s", req.Method, req.URL)
	}
	var body struct {
		Type        string `json:"type"`
		Attachments []struct {
			ContentType string `json:"contentType"`
			Content     struct {
				Schema  string `json:"$schema"`
				Type    string `json:"type"`
				Version string `json:"version"`
				Body    []struct {
					Type, Text, Weight string
					Wrap               bool
					Facts              []struct{ Title, Value string }
				} `json:"body"`
			} `json:"content"`
		} `json:"attachments"`
	}
	if err := json.Unmarshal(srv.bodies[0], &body); err != nil {
		t.Fatal(err)
	}
	if body.Type != "message" || len(body.Attachments) != 1 {
		t.Fatalf("body %s", srv.bodies[0])
	}
	att := body.Attachments[0]
	c := att.Content
	if att.ContentType != "application/vnd.microsoft.card.adaptive" || c.Type != "AdaptiveCard" || c.Version != "1.4" ||
		c.Schema != "http://adaptivecards.io/schemas/adaptive-card.json" || len(c.Body) != 3 {
		t.Fatalf("card %s", srv.bodies[0])
	}
	if c.Body[0].Type != "TextBlock" || c.Body[0].Text != "Public bucket" || c.Body[0].Weight != "Bolder" ||
		c.Body[1].Text != "Bucket logs is public" || !c.Body[1].Wrap || c.Body[2].Type != "FactSet" {
		t.Errorf("card body %s", srv.bodies[0])
	}
	got := map[string]string{}
	for _, f := range c.Body[2].Facts {
		got[f.Title] = f.Value
	}
	if got["Severity"] != "HIGH" || got["Account"] != "111122223333" || got["Resource"] != "arn:aws:s3:::logs" {
		t.Errorf("facts %v", got)
	}
	noSecret(t, "teams", []any{ch, out}, nil, "Zm9vYmFyc2VjcmV0", "/workflows/abc")
}

func TestWebhookSignature(t *testing.T) {
	srv := newReceiver(t)
	t.Setenv("VIGIL_TEST_HOOK", srv.URL+"/hooks/vigil?token=tok-secret-1")
	t.Setenv("VIGIL_TEST_HMAC", "hmac-key-s3cret")
	a := action(t, Options{}, "notify.webhook")
	ch, out, _, err := run(t, a, map[string]string{"url": "env:VIGIL_TEST_HOOK", "secret": "env:VIGIL_TEST_HMAC", "text": "look"})
	if err != nil {
		t.Fatalf("Apply: %v", err)
	}
	b := srv.bodies[0]
	m := hmac.New(sha256.New, []byte("hmac-key-s3cret"))
	m.Write(b)
	if got, want := srv.reqs[0].Header.Get("X-Vigil-Signature-256"), "sha256="+hex.EncodeToString(m.Sum(nil)); got != want {
		t.Errorf("signature %q, want %q", got, want)
	}
	if srv.reqs[0].Header.Get("Idempotency-Key") == "" {
		t.Error("no Idempotency-Key")
	}
	var body struct {
		Source, Title, Text string
		Subject             struct {
			ID       string `json:"id"`
			Severity string `json:"severity"`
			Resource struct {
				ID   string            `json:"id"`
				Tags map[string]string `json:"tags"`
			} `json:"resource"`
			Raw any `json:"raw"`
		} `json:"subject"`
	}
	if err := json.Unmarshal(b, &body); err != nil {
		t.Fatal(err)
	}
	if body.Source != "vigil" || body.Text != "look" || body.Title != "HIGH Bucket is public" || body.Subject.ID != "f-123" ||
		body.Subject.Resource.ID != "arn:aws:s3:::logs" || body.Subject.Resource.Tags["owner"] != "ops" {
		t.Errorf("body %s", b)
	}
	noSecret(t, "webhook", []any{ch, out}, nil, "tok-secret-1", "hmac-key-s3cret")
	// Unsigned: no signature header.
	srv2 := newReceiver(t)
	t.Setenv("VIGIL_TEST_HOOK", srv2.URL+"/h")
	if _, _, _, err := run(t, a, map[string]string{"url": "env:VIGIL_TEST_HOOK"}); err != nil {
		t.Fatal(err)
	}
	if h := srv2.reqs[0].Header.Get("X-Vigil-Signature-256"); h != "" {
		t.Errorf("unsigned webhook has signature %q", h)
	}
}

func TestRetryAfter(t *testing.T) {
	srv := newReceiver(t, 503, 429, 200)
	srv.headers = []http.Header{nil, {"Retry-After": {"1"}}}
	t.Setenv("VIGIL_TEST_SLACK", srv.URL+"/services/x")
	a := action(t, Options{}, "notify.slack")
	start := time.Now()
	_, _, rec, err := run(t, a, map[string]string{"url": "env:VIGIL_TEST_SLACK"})
	if err != nil {
		t.Fatalf("Apply: %v", err)
	}
	if srv.count() != 3 {
		t.Errorf("%d requests, want 3", srv.count())
	}
	// 0.5 s backoff after the 503, then the 1 s the 429 asked for.
	if took := time.Since(start); took < 1400*time.Millisecond {
		t.Errorf("took %s: Retry-After not honoured", took)
	}
	if len(rec.Calls) != 3 || rec.Errs[0] == nil || rec.Errs[1] == nil || rec.Errs[2] != nil {
		t.Errorf("each attempt is a recorded call: %+v %v", rec.Calls, rec.Errs)
	}
	var hs interface{ HTTPStatusCode() int }
	if !errors.As(rec.Errs[1], &hs) || hs.HTTPStatusCode() != 429 {
		t.Errorf("the throttled attempt's error %v has no status 429", rec.Errs[1])
	}
}

func TestFailures(t *testing.T) {
	const secretPath = "/services/T1/B1/s3cr3tpath"
	for _, tc := range []struct {
		name     string
		statuses []int
		header   http.Header
		answer   string
		requests int
		denied   bool
		want     string
	}{
		{name: "denied", statuses: []int{403}, answer: "invalid_token", requests: 1, denied: true, want: "HTTP 403 Forbidden: invalid_token"},
		{name: "unauthorized", statuses: []int{401}, requests: 1, denied: true, want: "HTTP 401"},
		{name: "5xx-exhausted", statuses: []int{500}, requests: 3, want: "HTTP 500 Internal Server Error: ok (after 3 attempts)"},
		{name: "retry-after-too-long", statuses: []int{429}, header: http.Header{"Retry-After": {"3600"}}, requests: 1, want: "asks to wait 1h0m0s, more than the 1m0s allowed"},
		{name: "bad-request-echoing-the-path", statuses: []int{400}, answer: "no route for " + secretPath, requests: 1, want: "HTTP 400 Bad Request: no route for ***"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newReceiver(t, tc.statuses...)
			srv.answer = cmpOr(tc.answer, "ok")
			srv.headers = []http.Header{tc.header}
			t.Setenv("VIGIL_TEST_SLACK", srv.URL+secretPath)
			a := action(t, Options{MaxAttempts: 3}, "notify.slack")
			_, _, _, err := run(t, a, map[string]string{"url": "env:VIGIL_TEST_SLACK"})
			if err == nil {
				t.Fatal("no error")
			}
			host := strings.TrimPrefix(srv.URL, "http://")
			if !strings.Contains(err.Error(), "notify.slack: POST "+host+": ") || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not name the action and host or lacks %q", err, tc.want)
			}
			if errors.Is(err, respond.ErrDenied) != tc.denied {
				t.Errorf("errors.Is(ErrDenied) = %v", !tc.denied)
			}
			if srv.count() != tc.requests {
				t.Errorf("%d requests, want %d", srv.count(), tc.requests)
			}
			noSecret(t, tc.name, nil, err, secretPath, "s3cr3tpath")
		})
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func TestUnreachable(t *testing.T) {
	srv := newReceiver(t)
	srv.Close()
	t.Setenv("VIGIL_TEST_SLACK", srv.URL+"/services/T1/B1/s3cr3tpath")
	_, _, _, err := run(t, action(t, Options{MaxAttempts: 2}, "notify.slack"), map[string]string{"url": "env:VIGIL_TEST_SLACK"})
	if err == nil || !strings.Contains(err.Error(), "connect") {
		t.Fatalf("err = %v", err)
	}
	noSecret(t, "unreachable", nil, err, "s3cr3tpath")
}

func TestBadInputs(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		action string
		inputs map[string]string
		want   string
	}{
		{"notify.slack", map[string]string{}, "input url is required"},
		{"notify.slack", map[string]string{"url": "https://hooks.slack.com/services/T/B/plainsecret"}, "must be a secret reference"},
		{"notify.webhook", map[string]string{"url": "env:X", "secret": "plainsecret"}, "input secret must be a secret reference"},
		{"notify.email", map[string]string{"host": "mail", "from": "a@example.com", "to": "not an address"}, "input to"},
		{"notify.email", map[string]string{"host": "mail", "port": "99999", "from": "a@example.com", "to": "b@example.com"}, "input port"},
		{"notify.email", map[string]string{"host": "mail", "from": "a@example.com", "to": "b@example.com", "username": "u"}, "input password is required"},
		{"notify.email", map[string]string{"host": "mail", "from": "a@example.com", "to": "b@example.com", "subject": "x\r\nBcc: evil@example.com"}, "input subject"},
	} {
		_, err := action(t, Options{}, tc.action).Plan(ctx, nil, &respond.Request{Subject: subject(), Inputs: tc.inputs})
		if !errors.Is(err, respond.ErrInput) || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), tc.action) {
			t.Errorf("%s %v: err = %v, want ErrInput with %q", tc.action, tc.inputs, err, tc.want)
		}
		noSecret(t, tc.action, nil, err, "plainsecret")
	}
	// A URL that does not resolve at Apply: named by its reference.
	ch, err := action(t, Options{}, "notify.slack").Plan(ctx, nil, &respond.Request{Inputs: map[string]string{"url": "env:VIGIL_TEST_UNSET_HOOK"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := action(t, Options{}, "notify.slack").Apply(ctx, nil, ch); !errors.Is(err, respond.ErrInput) || !strings.Contains(err.Error(), "VIGIL_TEST_UNSET_HOOK") {
		t.Errorf("unset secret: %v", err)
	}
	t.Setenv("VIGIL_TEST_BADURL", "ftp://files.example.com/s3cr3t")
	ch, _ = action(t, Options{}, "notify.slack").Plan(ctx, nil, &respond.Request{Inputs: map[string]string{"url": "env:VIGIL_TEST_BADURL"}})
	_, err = action(t, Options{}, "notify.slack").Apply(ctx, nil, ch)
	if !errors.Is(err, respond.ErrInput) {
		t.Errorf("ftp URL: %v", err)
	}
	noSecret(t, "bad url", nil, err, "s3cr3t")
}
