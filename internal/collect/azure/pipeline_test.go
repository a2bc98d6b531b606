package azurecollect

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"

	"github.com/vigil-sec/vigil/internal/collect"
)

func responseError(status int, code, body string) error {
	resp := &http.Response{StatusCode: status, Status: fmt.Sprint(status), Header: http.Header{"X-Ms-Error-Code": {code}},
		Body: io.NopCloser(strings.NewReader(body)), Request: &http.Request{Method: "GET", URL: &url.URL{Scheme: "https", Host: "management.azure.com", Path: "/x"}}}
	return runtime.NewResponseError(resp)
}

// TestClassify: every way a call fails has its kind and a one-line message.
func TestClassify(t *testing.T) {
	live := context.Background()
	done, cancel := context.WithCancel(context.Background())
	cancel()
	for _, c := range []struct {
		name string
		ctx  context.Context
		err  error
		kind collect.Kind
		msg  string
	}{
		{"403", live, responseError(403, "AuthorizationFailed", `{"error":{"code":"AuthorizationFailed","message":"no access\nsecond line"}}`), collect.Denied, "403 AuthorizationFailed: no access"},
		{"graph 403", live, responseError(403, "", `{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges to complete the operation."}}`), collect.Denied,
			"403 Authorization_RequestDenied: Insufficient privileges to complete the operation."},
		{"429", live, responseError(429, "TooManyRequests", ``), collect.Throttled, "429 TooManyRequests"},
		{"501", live, responseError(501, "NotImplemented", `{"error":{"code":"NotImplemented","message":"The requested operation is not supported."}}`), collect.Unsupported,
			"501 NotImplemented: The requested operation is not supported."},
		{"unregistered provider", live, responseError(404, "MissingSubscriptionRegistration", `{"error":{"code":"MissingSubscriptionRegistration","message":"The subscription is not registered to use namespace 'Microsoft.Security'."}}`),
			collect.Unsupported, "404 MissingSubscriptionRegistration: The subscription is not registered to use namespace 'Microsoft.Security'."},
		{"404", live, responseError(404, "ResourceNotFound", `not json`), collect.Failed, "404 ResourceNotFound"},
		{"500", live, responseError(500, "", `{"error":{"code":"InternalServerError","message":"boom"}}`), collect.Failed, "500 InternalServerError: boom"},
		{"401", live, responseError(401, "ExpiredAuthenticationToken", ``), collect.Credentials, "401 ExpiredAuthenticationToken"},
		{"token", live, fmt.Errorf("get token: %w", &credError{errors.New("AADSTS700024: Client assertion is not within its valid time range.\nTrace ID: x")}), collect.Credentials,
			"AADSTS700024: Client assertion is not within its valid time range."},
		{"call timeout", live, fmt.Errorf(`Get "https://x": %w`, errCallTimeout), collect.Timeout, "the per-call timeout passed"},
		{"deadline", live, fmt.Errorf("read: %w", context.DeadlineExceeded), collect.Timeout, "the per-call timeout passed"},
		{"cancelled run", done, context.Canceled, collect.Failed, "context canceled"},
		{"network", live, errors.New("dial tcp 10.0.0.1:443: connect: connection refused"), collect.Failed, "dial tcp 10.0.0.1:443: connect: connection refused"},
	} {
		kind, msg := classify(c.ctx, c.err)
		if kind != c.kind || msg != c.msg {
			t.Errorf("%s: classify = %s %q, want %s %q", c.name, kind, msg, c.kind, c.msg)
		}
	}
}

// TestResourceGraphQuota: a 429 of Resource Graph is retried after the
// quota window its x-ms-user-quota-resets-after header gives, then
// answers: no failure.
func TestResourceGraphQuota(t *testing.T) {
	routes := loadRoutes(t)
	key := "RG authorizationresources " + subA + "," + subB
	r := routes[key]
	r.Header = map[string]string{"x-ms-user-quota-remaining": "0", "x-ms-user-quota-resets-after": "00:00:01"}
	routes[key] = r
	f := newFakeAzure(t, filepath.Join("testdata", "server"), routes)
	o := f.options()
	o.RetryDelay = time.Millisecond
	start := time.Now()
	mem, rec, err := run(t, f, o)
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < time.Second {
		t.Errorf("the retry came after %s, before the quota window's end", d)
	}
	for _, fl := range rec.Failures() {
		if strings.Contains(fl.Err, "authorizationresources") {
			t.Errorf("failure: %s", fl)
		}
	}
	if mem.File("azure/"+subB+"/authorizationresources.json") == nil {
		t.Error("authorizationresources.json of the throttled query not written")
	}
	for _, c := range []struct {
		in   string
		want time.Duration
		ok   bool
	}{{"00:00:03", 3 * time.Second, true}, {"00:01:00", time.Minute, true}, {"x", 0, false}, {"99:00:00", 0, false}, {"-1:00:00", 0, false}} {
		if d, ok := parseClock(c.in); d != c.want || ok != c.ok {
			t.Errorf("parseClock(%q) = %s %v", c.in, d, ok)
		}
	}
}
