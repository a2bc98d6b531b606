package ticket

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/respond"
	"github.com/vigil-sec/vigil/internal/respond/respondtest"
)

func subject() *respond.Subject {
	return &respond.Subject{
		Kind: "alert", ID: "a-7f3e", Rule: "vigil_aws_access_key_created", Title: "Access key created for another user", Severity: "HIGH",
		Provider: "aws", Account: "111122223333", Principal: "arn:aws:iam::111122223333:user/mallory", SourceIP: "203.0.113.9",
		Resource: respond.Resource{ID: "arn:aws:iam::111122223333:user/bob"}, Message: "mallory created an access key for bob.\n\nCheck it.",
	}
}

// tracker is a ticketing server keeping its tickets: each request is
// checked for its authentication, and fail lists statuses the next create
// requests answer (after creating, for a 5xx: the answer was lost).
type fakeTracker struct {
	*httptest.Server
	t       *testing.T
	auth    string // the Authorization header every request must carry
	mu      sync.Mutex
	items   []map[string]any
	creates int
	fail    []int
	log     []string
	handle  func(f *fakeTracker, w http.ResponseWriter, r *http.Request, body map[string]any)
}

func newTracker(t *testing.T, auth string, handle func(f *fakeTracker, w http.ResponseWriter, r *http.Request, body map[string]any)) *fakeTracker {
	f := &fakeTracker{t: t, auth: auth, handle: handle}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.log = append(f.log, r.Method+" "+r.URL.RequestURI())
		if got := r.Header.Get("Authorization"); got != f.auth {
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprintf(w, `{"message":"bad credentials %s"}`, got) // echoes the header: must be scrubbed
			return
		}
		var body map[string]any
		if r.Method == http.MethodPost {
			if r.Header.Get("Content-Type") != "application/json" {
				t.Errorf("%s: Content-Type %q", r.URL.Path, r.Header.Get("Content-Type"))
			}
			b, _ := io.ReadAll(r.Body)
			if err := json.Unmarshal(b, &body); err != nil {
				t.Errorf("%s: body %s: %v", r.URL.Path, b, err)
			}
		}
		f.handle(f, w, r, body)
	}))
	t.Cleanup(f.Close)
	return f
}

// created stores a new ticket and answers per f.fail.
func (f *fakeTracker) created(w http.ResponseWriter, item map[string]any, answer any) {
	f.creates++
	status := http.StatusCreated
	if len(f.fail) > 0 {
		status, f.fail = f.fail[0], f.fail[1:]
	}
	if status < 500 && status != http.StatusCreated {
		w.WriteHeader(status)
		return
	}
	f.items = append(f.items, item)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if status == http.StatusCreated {
		json.NewEncoder(w).Encode(answer)
	}
}

func (f *fakeTracker) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.items)
}

func basic(user, pass string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pass))
}

func jiraServer(t *testing.T) *fakeTracker {
	return newTracker(t, basic("sec@acme.test", "jira-tok3n-XYZ"), func(f *fakeTracker, w http.ResponseWriter, r *http.Request, body map[string]any) {
		switch {
		case r.Method == http.MethodPost && r.URL.Path == "/rest/api/3/search/jql":
			jql, _ := body["jql"].(string)
			issues := []any{}
			for _, it := range f.items {
				fields := it["fields"].(map[string]any)
				for _, l := range fields["labels"].([]any) {
					if strings.Contains(jql, fmt.Sprintf("labels = %q", l)) && strings.HasPrefix(l.(string), "vigil-") &&
						strings.Contains(jql, "statusCategory != Done") && strings.Contains(jql, `project = "SEC"`) {
						issues = append(issues, map[string]any{"id": it["id"], "key": it["key"]})
					}
				}
			}
			json.NewEncoder(w).Encode(map[string]any{"issues": issues, "isLast": true})
		case r.Method == http.MethodPost && r.URL.Path == "/rest/api/3/issue":
			n := len(f.items) + 1
			body["id"], body["key"] = strconv.Itoa(10000+n), "SEC-"+strconv.Itoa(n)
			f.created(w, body, map[string]any{"id": body["id"], "key": body["key"], "self": f.URL + "/rest/api/3/issue/" + body["id"].(string)})
		default:
			t.Errorf("jira: unexpected %s %s", r.Method, r.URL)
			w.WriteHeader(http.StatusNotFound)
		}
	})
}

// lifecycle plans, applies, applies again and rolls back a ticket step:
// Plan makes no call; Apply searches then creates; applying again finds
// the ticket and writes nothing; Rollback is ErrIrreversible. Secrets are
// in no change, outcome or recorded call.
func lifecycle(t *testing.T, a respond.Action, inputs map[string]string, secret string) (*respond.Change, *respond.Outcome) {
	t.Helper()
	ctx := context.Background()
	rec := &respondtest.Recorder{}
	req := &respond.Request{Subject: subject(), Inputs: inputs}
	ch, err := a.Plan(ctx, rec.Env(), req)
	if err != nil {
		t.Fatalf("Plan: %v", err)
	}
	if len(rec.Calls) != 0 || len(ch.Calls) != 1 || len(ch.Diff) != 1 || ch.NoOp || ch.Reversible || ch.Action != a.Spec().Name {
		t.Fatalf("Plan: calls made %v, change %+v", rec.Calls, ch)
	}
	out, err := a.Apply(ctx, rec.Env(), ch)
	if err != nil {
		t.Fatalf("Apply: %v", err)
	}
	if len(rec.Calls) != 2 || !rec.Calls[0].ReadOnly || rec.Calls[1].ReadOnly {
		t.Errorf("Apply: want a search then a create, got %+v", rec.Calls)
	}
	if out.Outputs["key"] == "" || out.Outputs["url"] == "" {
		t.Errorf("Apply: outputs %v", out.Outputs)
	}
	rec.Reset()
	again, err := a.Apply(ctx, rec.Env(), ch)
	if err != nil {
		t.Fatalf("second Apply: %v", err)
	}
	if w := rec.Writes(); len(w) != 0 {
		t.Errorf("second Apply wrote: %+v", w)
	}
	if again.Outputs["key"] != out.Outputs["key"] || again.Outputs["url"] != out.Outputs["url"] || !strings.Contains(again.Note, "already open") {
		t.Errorf("second Apply: %+v, first %+v", again, out)
	}
	if _, err := a.Rollback(ctx, rec.Env(), ch, out); !errors.Is(err, respond.ErrIrreversible) {
		t.Errorf("Rollback: %v, want ErrIrreversible", err)
	}
	noSecret(t, a.Spec().Name, []any{ch, out, again, rec.Calls}, nil, secret)
	return ch, out
}

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

func get(t *testing.T, name string, opts Options) respond.Action {
	t.Helper()
	for _, a := range Actions(opts) {
		if a.Spec().Name == name {
			return a
		}
	}
	t.Fatalf("no action %s", name)
	return nil
}

func TestJira(t *testing.T) {
	srv := jiraServer(t)
	t.Setenv("VIGIL_TEST_JIRA", "jira-tok3n-XYZ")
	inputs := map[string]string{"url": srv.URL, "email": "sec@acme.test", "token": "env:VIGIL_TEST_JIRA", "project": "SEC",
		"issue_type": "Bug", "labels": "security, cloud"}
	ch, out := lifecycle(t, get(t, "ticket.jira", Options{}), inputs, "jira-tok3n-XYZ")
	if srv.count() != 1 || out.Outputs["key"] != "SEC-1" || out.Outputs["url"] != srv.URL+"/browse/SEC-1" || out.Outputs["id"] != "10001" {
		t.Fatalf("%d issues, outputs %v", srv.count(), out.Outputs)
	}
	fields := srv.items[0]["fields"].(map[string]any)
	if fields["project"].(map[string]any)["key"] != "SEC" || fields["issuetype"].(map[string]any)["name"] != "Bug" ||
		fields["summary"] != "HIGH Access key created for another user" {
		t.Errorf("fields %v", fields)
	}
	labels := fmt.Sprint(fields["labels"])
	if !strings.HasPrefix(labels, "[vigil-") || !strings.HasSuffix(labels, " security cloud]") {
		t.Errorf("labels %s", labels)
	}
	desc, _ := json.Marshal(fields["description"])
	for _, want := range []string{`"type":"doc"`, `"version":1`, `{"content":[{"text":"mallory created an access key for bob.","type":"text"}],"type":"paragraph"}`,
		`{"text":"Check it.","type":"text"}`, `"type":"bulletList"`, `{"marks":[{"type":"strong"}],"text":"Principal: ","type":"text"},{"text":"arn:aws:iam::111122223333:user/mallory","type":"text"}`} {
		if !strings.Contains(string(desc), want) {
			t.Errorf("description lacks %s:\n%s", want, desc)
		}
	}
	if ch.Calls[0].Target != strings.TrimPrefix(srv.URL, "http://")+"/rest/api/3/issue" || !strings.Contains(ch.Calls[0].Params["search_first"].(string), "statusCategory != Done") {
		t.Errorf("planned call %+v", ch.Calls[0])
	}
	if want := []string{"POST /rest/api/3/search/jql", "POST /rest/api/3/issue", "POST /rest/api/3/search/jql"}; strings.Join(srv.log, ",") != strings.Join(want, ",") {
		t.Errorf("requests %v, want %v", srv.log, want)
	}
	// Another subject gets its own issue.
	other := subject()
	other.ID = "a-other"
	ch2, err := get(t, "ticket.jira", Options{}).Plan(context.Background(), nil, &respond.Request{Subject: other, Inputs: inputs})
	if err != nil {
		t.Fatal(err)
	}
	if out2, err := get(t, "ticket.jira", Options{}).Apply(context.Background(), nil, ch2); err != nil || out2.Outputs["key"] != "SEC-2" {
		t.Errorf("other subject: %v %v", out2, err)
	}
}

func TestServiceNow(t *testing.T) {
	srv := newTracker(t, basic("vigil.api", "sn-pa55-QQ"), func(f *fakeTracker, w http.ResponseWriter, r *http.Request, body map[string]any) {
		if r.URL.Path != "/api/now/table/incident" {
			t.Errorf("servicenow: unexpected %s %s", r.Method, r.URL)
			w.WriteHeader(http.StatusNotFound)
			return
		}
		if r.Header.Get("Accept") != "application/json" {
			t.Errorf("Accept %q", r.Header.Get("Accept"))
		}
		switch r.Method {
		case http.MethodGet:
			q := r.URL.Query()
			res := []any{}
			for _, it := range f.items {
				if q.Get("sysparm_query") == "correlation_id="+it["correlation_id"].(string)+"^active=true" {
					res = append(res, map[string]any{"sys_id": it["sys_id"], "number": it["number"]})
				}
			}
			if q.Get("sysparm_fields") != "sys_id,number" || q.Get("sysparm_limit") != "1" {
				t.Errorf("query %v", q)
			}
			json.NewEncoder(w).Encode(map[string]any{"result": res})
		case http.MethodPost:
			n := len(f.items) + 1
			body["sys_id"], body["number"] = fmt.Sprintf("9d385017c611228701d22104cc95c37%d", n), fmt.Sprintf("INC001000%d", n)
			f.created(w, body, map[string]any{"result": body})
		}
	})
	t.Setenv("VIGIL_TEST_SNOW", "sn-pa55-QQ")
	inputs := map[string]string{"url": srv.URL + "/", "username": "vigil.api", "password": "env:VIGIL_TEST_SNOW", "urgency": "1", "assignment_group": "Cloud Security"}
	_, out := lifecycle(t, get(t, "ticket.servicenow", Options{}), inputs, "sn-pa55-QQ")
	if srv.count() != 1 || out.Outputs["key"] != "INC0010001" || out.Outputs["url"] != srv.URL+"/incident.do?sys_id=9d385017c611228701d22104cc95c371" {
		t.Fatalf("%d incidents, outputs %v", srv.count(), out.Outputs)
	}
	it := srv.items[0]
	if it["correlation_id"] != "a-7f3e" || it["correlation_display"] != "vigil" || it["urgency"] != "1" || it["assignment_group"] != "Cloud Security" ||
		it["short_description"] != "HIGH Access key created for another user" || !strings.Contains(it["description"].(string), "\nSource IP: 203.0.113.9") {
		t.Errorf("incident %v", it)
	}
}

func TestGitHub(t *testing.T) {
	srv := newTracker(t, "Bearer ghp_t0kenVALUE", func(f *fakeTracker, w http.ResponseWriter, r *http.Request, body map[string]any) {
		if r.Header.Get("Accept") != "application/vnd.github+json" || r.Header.Get("X-GitHub-Api-Version") != "2022-11-28" || r.Header.Get("User-Agent") == "" {
			t.Errorf("headers %v", r.Header)
		}
		if r.URL.Path != "/repos/acme/infra/issues" {
			t.Errorf("github: unexpected %s %s", r.Method, r.URL)
			w.WriteHeader(http.StatusNotFound)
			return
		}
		switch r.Method {
		case http.MethodGet:
			q := r.URL.Query()
			// A pull request with the label comes first: it is not an issue.
			res := []any{map[string]any{"number": 99, "id": 1, "html_url": "https://github.test/acme/infra/pull/99", "pull_request": map[string]any{}}}
			for _, it := range f.items {
				if q.Get("state") == "open" && strings.Contains(fmt.Sprint(it["labels"]), q.Get("labels")) {
					res = append(res, it)
				}
			}
			json.NewEncoder(w).Encode(res)
		case http.MethodPost:
			n := len(f.items) + 1
			body["number"], body["id"], body["html_url"] = n, 5000+n, fmt.Sprintf("https://github.test/acme/infra/issues/%d", n)
			f.created(w, body, body)
		}
	})
	t.Setenv("VIGIL_TEST_GH", "ghp_t0kenVALUE")
	inputs := map[string]string{"api_url": srv.URL, "repo": "acme/infra", "token": "env:VIGIL_TEST_GH", "labels": "security", "assignees": "alice"}
	_, out := lifecycle(t, get(t, "ticket.github", Options{}), inputs, "ghp_t0kenVALUE")
	if srv.count() != 1 || out.Outputs["key"] != "acme/infra#1" || out.Outputs["url"] != "https://github.test/acme/infra/issues/1" || out.Outputs["id"] != "5001" {
		t.Fatalf("%d issues, outputs %v", srv.count(), out.Outputs)
	}
	it := srv.items[0]
	if labels := fmt.Sprint(it["labels"]); !strings.HasPrefix(labels, "[vigil:") || !strings.HasSuffix(labels, " security]") || fmt.Sprint(it["assignees"]) != "[alice]" {
		t.Errorf("labels %s assignees %v", labels, it["assignees"])
	}
	if b := it["body"].(string); !strings.Contains(b, "mallory created an access key for bob.") || !strings.HasSuffix(b, "\n\n<!-- vigil-subject: a-7f3e -->") {
		t.Errorf("body %q", b)
	}
}

// A create answered with a 500 after the issue was made: the retry
// searches first, finds it and creates no second one.
func TestCreateNotDuplicatedByRetry(t *testing.T) {
	srv := jiraServer(t)
	srv.fail = []int{500}
	t.Setenv("VIGIL_TEST_JIRA", "jira-tok3n-XYZ")
	a := get(t, "ticket.jira", Options{})
	rec := &respondtest.Recorder{}
	ch, err := a.Plan(context.Background(), nil, &respond.Request{Subject: subject(), Inputs: map[string]string{"url": srv.URL, "email": "sec@acme.test", "token": "env:VIGIL_TEST_JIRA", "project": "SEC"}})
	if err != nil {
		t.Fatal(err)
	}
	out, err := a.Apply(context.Background(), rec.Env(), ch)
	if err != nil {
		t.Fatalf("Apply: %v", err)
	}
	if srv.count() != 1 || srv.creates != 1 || out.Outputs["key"] != "SEC-1" || !strings.Contains(out.Note, "not created again") {
		t.Errorf("%d issues after %d creates, outcome %+v", srv.count(), srv.creates, out)
	}
	if want := "POST /rest/api/3/search/jql,POST /rest/api/3/issue,POST /rest/api/3/search/jql"; strings.Join(srv.log, ",") != want {
		t.Errorf("requests %v", srv.log)
	}
	if len(rec.Calls) != 3 || rec.Errs[1] == nil {
		t.Errorf("recorded %+v %v", rec.Calls, rec.Errs)
	}
}

func TestTicketFailures(t *testing.T) {
	t.Run("denied", func(t *testing.T) {
		srv := jiraServer(t)
		t.Setenv("VIGIL_TEST_JIRA", "wrong-t0ken-ABC")
		a := get(t, "ticket.jira", Options{})
		ch, _ := a.Plan(context.Background(), nil, &respond.Request{Subject: subject(), Inputs: map[string]string{"url": srv.URL, "email": "sec@acme.test", "token": "env:VIGIL_TEST_JIRA", "project": "SEC"}})
		_, err := a.Apply(context.Background(), nil, ch)
		host := strings.TrimPrefix(srv.URL, "http://")
		if !errors.Is(err, respond.ErrDenied) || !strings.Contains(err.Error(), "ticket.jira: POST "+host+": HTTP 401") || srv.count() != 0 {
			t.Errorf("err = %v", err)
		}
		noSecret(t, "denied", nil, err, "wrong-t0ken-ABC", strings.TrimPrefix(basic("sec@acme.test", "wrong-t0ken-ABC"), "Basic "))
	})
	t.Run("github-rate-limit", func(t *testing.T) {
		n := 0
		srv := newTracker(t, "Bearer ghp_t0kenVALUE", func(f *fakeTracker, w http.ResponseWriter, r *http.Request, body map[string]any) {
			if r.Method == http.MethodGet && n == 0 {
				n++
				w.Header().Set("X-Ratelimit-Remaining", "0")
				w.Header().Set("X-Ratelimit-Reset", strconv.FormatInt(time.Now().Add(time.Second).Unix(), 10))
				w.WriteHeader(http.StatusForbidden)
				io.WriteString(w, `{"message":"API rate limit exceeded"}`)
				return
			}
			if r.Method == http.MethodGet {
				io.WriteString(w, "[]")
				return
			}
			body["number"], body["html_url"] = 1, "https://github.test/acme/infra/issues/1"
			f.created(w, body, body)
		})
		t.Setenv("VIGIL_TEST_GH", "ghp_t0kenVALUE")
		a := get(t, "ticket.github", Options{})
		ch, _ := a.Plan(context.Background(), nil, &respond.Request{Subject: subject(), Inputs: map[string]string{"api_url": srv.URL, "repo": "acme/infra", "token": "env:VIGIL_TEST_GH"}})
		out, err := a.Apply(context.Background(), nil, ch)
		if err != nil || out.Outputs["key"] != "acme/infra#1" || len(srv.log) != 3 {
			t.Errorf("out %+v err %v requests %v", out, err, srv.log)
		}
	})
	t.Run("servicenow-5xx-exhausted", func(t *testing.T) {
		srv := newTracker(t, basic("u", "p4ssword"), func(f *fakeTracker, w http.ResponseWriter, r *http.Request, body map[string]any) {
			w.WriteHeader(http.StatusServiceUnavailable)
		})
		t.Setenv("VIGIL_TEST_SNOW", "p4ssword")
		a := get(t, "ticket.servicenow", Options{MaxAttempts: 2})
		ch, _ := a.Plan(context.Background(), nil, &respond.Request{Subject: subject(), Inputs: map[string]string{"url": srv.URL, "username": "u", "password": "env:VIGIL_TEST_SNOW"}})
		_, err := a.Apply(context.Background(), nil, ch)
		if err == nil || !strings.Contains(err.Error(), "ticket.servicenow: GET "+strings.TrimPrefix(srv.URL, "http://")+": HTTP 503") ||
			!strings.Contains(err.Error(), "after 2 attempts") || len(srv.log) != 2 {
			t.Errorf("err = %v, requests %v", err, srv.log)
		}
	})
}

func TestTicketBadInputs(t *testing.T) {
	for _, tc := range []struct {
		action string
		inputs map[string]string
		want   string
	}{
		{"ticket.jira", map[string]string{"url": "https://acme.atlassian.net", "email": "a@b", "token": "env:T"}, "input project is required"},
		{"ticket.jira", map[string]string{"url": "https://acme.atlassian.net", "email": "a@b", "token": "env:T", "project": "sec"}, "not a project key"},
		{"ticket.jira", map[string]string{"url": "https://acme.atlassian.net", "email": "a@b", "token": "plaintok3n", "project": "SEC"}, "must be a secret reference"},
		{"ticket.jira", map[string]string{"url": "http://jira.example.com", "email": "a@b", "token": "env:T", "project": "SEC"}, "clear text"},
		{"ticket.jira", map[string]string{"url": "https://acme.atlassian.net", "email": "a@b", "token": "env:T", "project": "SEC", "labels": "two words"}, "no spaces"},
		{"ticket.servicenow", map[string]string{"url": "https://u:plaintok3n@acme.service-now.com", "username": "u", "password": "env:P"}, "without credentials"},
		{"ticket.servicenow", map[string]string{"url": "https://acme.service-now.com", "username": "u", "password": "env:P", "urgency": "5"}, "input urgency"},
		{"ticket.github", map[string]string{"repo": "acme", "token": "env:T"}, "not OWNER/NAME"},
		{"ticket.github", map[string]string{"repo": "acme/infra"}, "input token is required"},
	} {
		_, err := get(t, tc.action, Options{}).Plan(context.Background(), nil, &respond.Request{Subject: subject(), Inputs: tc.inputs})
		if !errors.Is(err, respond.ErrInput) || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), tc.action) {
			t.Errorf("%s %v: err = %v, want ErrInput with %q", tc.action, tc.inputs, err, tc.want)
		}
		noSecret(t, tc.action, nil, err, "plaintok3n")
	}
}
