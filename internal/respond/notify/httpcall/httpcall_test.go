package httpcall

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/respond"
)

func TestServerWait(t *testing.T) {
	now := time.Date(2026, 12, 5, 1, 0, 0, 0, time.UTC)
	c := &Client{Now: func() time.Time { return now }}
	for _, tc := range []struct {
		header http.Header
		want   time.Duration
	}{
		{http.Header{"Retry-After": {"7"}}, 7 * time.Second},
		{http.Header{"Retry-After": {"0"}}, time.Millisecond},
		{http.Header{"Retry-After": {now.Add(90 * time.Second).Format(http.TimeFormat)}}, 90 * time.Second},
		{http.Header{"Retry-After": {"soon"}}, 0},
		{http.Header{"Retry-After": {"99999999999999"}}, (1 << 32) * time.Second},
		{http.Header{"X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Reset": {strconv.FormatInt(now.Add(42*time.Second).Unix(), 10)}}, 42 * time.Second},
		{http.Header{"X-Ratelimit-Remaining": {"10"}, "X-Ratelimit-Reset": {strconv.FormatInt(now.Add(42*time.Second).Unix(), 10)}}, 0},
		{http.Header{}, 0},
	} {
		if got := c.serverWait(&http.Response{Header: tc.header}); got != tc.want {
			t.Errorf("%v: wait %s, want %s", tc.header, got, tc.want)
		}
	}
}

func TestScrub(t *testing.T) {
	u := "https://hooks.example.com/services/T1/B1/abcd1234?sig=q-secret-9&x=1"
	got := scrub("no route /services/T1/B1/abcd1234 (sig=q-secret-9&x=1); token tok-42xx", []string{u, "tok-42xx", "ab"})
	if strings.Contains(got, "abcd1234") || strings.Contains(got, "q-secret-9") || strings.Contains(got, "tok-42xx") {
		t.Errorf("scrub left a secret: %q", got)
	}
}

func TestCheckURL(t *testing.T) {
	for raw, want := range map[string]string{
		"https://example.com/x":    "",
		"http://127.0.0.1:8080/x":  "",
		"http://localhost/x":       "",
		"http://[::1]:80/x":        "",
		"http://example.com/x":     "clear text",
		"ftp://example.com/x":      "not an absolute",
		"/relative":                "not an absolute",
		"https://exa mple.com/%zz": "not an absolute",
	} {
		_, err := CheckURL(raw, true)
		if (want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), want)) {
			t.Errorf("%s: %v, want %q", raw, err, want)
		}
	}
	if _, err := CheckURL("http://example.com/x", false); err != nil {
		t.Errorf("no credentials: %v", err)
	}
}

// A redirect is not followed: the body would go where nobody planned.
func TestNoRedirect(t *testing.T) {
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { t.Error("the redirect was followed") }))
	defer other.Close()
	srv := httptest.NewServer(http.RedirectHandler(other.URL, http.StatusTemporaryRedirect))
	defer srv.Close()
	_, err := (&Client{}).Do(context.Background(), nil, respond.Call{}, Request{Action: "x", Method: http.MethodPost, URL: srv.URL})
	var se *StatusError
	if !errors.As(err, &se) || se.Code != http.StatusTemporaryRedirect {
		t.Errorf("err = %v", err)
	}
}

func TestContextCancelDuringWait(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "30")
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := (&Client{}).Do(ctx, nil, respond.Call{}, Request{Action: "x", Method: http.MethodPost, URL: srv.URL})
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 5*time.Second {
		t.Errorf("err = %v after %s", err, time.Since(start))
	}
}

func FuzzServerWait(f *testing.F) {
	for _, s := range []string{"7", "0", "-1", "Fri, 05 Dec 2026 01:01:30 GMT", "99999999999999999999", ""} {
		f.Add(s, "0", "1796000000")
	}
	now := time.Date(2026, 12, 5, 1, 0, 0, 0, time.UTC)
	c := &Client{Now: func() time.Time { return now }}
	f.Fuzz(func(t *testing.T, retryAfter, remaining, reset string) {
		h := http.Header{}
		h.Set("Retry-After", retryAfter)
		h.Set("X-Ratelimit-Remaining", remaining)
		h.Set("X-Ratelimit-Reset", reset)
		if w := c.serverWait(&http.Response{Header: h}); w < 0 {
			t.Errorf("negative wait %s", w)
		}
	})
}
