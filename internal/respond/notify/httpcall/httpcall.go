// Package httpcall sends the HTTP requests of vigil respond's notify and
// ticket actions: each attempt through respond.Env.Do (rate-limited and
// recorded), 429 and 5xx answers retried a bounded number of times
// honouring Retry-After, 401/403 reported as respond.ErrDenied, and no
// secret (a webhook URL's path, a token) in any error.
package httpcall

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/vigil-sec/vigil/internal/respond"
)

// Client sends requests. The zero value works: a 30 s timeout client that
// does not follow redirects, 4 attempts, Retry-After honoured up to 1 min.
type Client struct {
	HTTP *http.Client
	// MaxAttempts per request, the first included (default 4).
	MaxAttempts int
	// MaxWait is the longest wait honoured between attempts (a
	// Retry-After, a rate-limit reset); a longer one ends the retries
	// (default 1 min).
	MaxWait time.Duration
	// Backoff is the first wait when the server names none, doubled at
	// each attempt (default 500 ms).
	Backoff time.Duration
	// Now is the clock for HTTP-date Retry-After values (default time.Now).
	Now func() time.Time
}

var defaultHTTP = &http.Client{
	Timeout: 30 * time.Second,
	// A webhook or API answering a POST with a redirect is not followed:
	// the body and credentials would go where nobody planned.
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// Request is one HTTP request of an action.
type Request struct {
	Action string // the action's name, for errors ("notify.slack")
	Method string
	URL    string
	Header http.Header
	Body   []byte
	// Secrets are values that must never appear in an error (tokens,
	// passwords, a secret URL: give it whole, its path and query are
	// scrubbed too).
	Secrets []string
	// BeforeRetry, when set, runs before an attempt that follows a failure
	// the server may have acted on (a 5xx, a transport error; not a 429):
	// it returns true when the request need not be sent again (a search
	// finds the ticket the failed attempt created). Do then returns a nil
	// Response and a nil error.
	BeforeRetry func(ctx context.Context) (done bool, err error)
}

// Response is a successful (2xx) answer.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// StatusError is a non-2xx answer. It has HTTPStatusCode for the trail's
// call status (denied, throttled).
type StatusError struct {
	Code   int
	Status string
	// Detail is the start of the answer's body (secrets scrubbed).
	Detail string
	// Wait is the wait the server asked for (Retry-After), 0 if none.
	Wait time.Duration
}

func (e *StatusError) Error() string {
	s := "HTTP " + e.Status
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	return s
}

// HTTPStatusCode is the answer's status code.
func (e *StatusError) HTTPStatusCode() int { return e.Code }

// Unwrap makes 401 and 403 answers respond.ErrDenied.
func (e *StatusError) Unwrap() error {
	if e.Code == http.StatusUnauthorized || e.Code == http.StatusForbidden {
		return respond.ErrDenied
	}
	return nil
}

// Host is the host of a URL without user info, path or query ("" when it
// does not parse): what errors and notes may name.
func Host(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return u.Host
}

// CheckURL checks that raw is an absolute http(s) URL. A URL sent
// credentials must be https unless its host is a loopback address.
func CheckURL(raw string, credentials bool) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, errors.New("not an absolute http(s) URL")
	}
	if credentials && u.Scheme == "http" && !loopback(u.Hostname()) {
		return nil, fmt.Errorf("http://%s would send credentials in clear text: use https", u.Host)
	}
	return u, nil
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Do sends r, each attempt as call through env.Do, and returns the 2xx
// answer. Errors name the action, the method and the host, never a
// secret; 401/403 wrap respond.ErrDenied.
func (c *Client) Do(ctx context.Context, env *respond.Env, call respond.Call, r Request) (*Response, error) {
	host := Host(r.URL)
	wrap := func(err error) error {
		return fmt.Errorf("%s: %s %s: %w", r.Action, r.Method, host, err)
	}
	attempts := c.MaxAttempts
	if attempts <= 0 {
		attempts = 4
	}
	maxWait := c.MaxWait
	if maxWait <= 0 {
		maxWait = time.Minute
	}
	backoff := c.Backoff
	if backoff <= 0 {
		backoff = 500 * time.Millisecond
	}
	var last error
	for attempt := 1; ; attempt++ {
		var resp *Response
		err := env.Do(ctx, call, func(ctx context.Context) error {
			var err error
			resp, err = c.once(ctx, r)
			return err
		})
		if err == nil {
			return resp, nil
		}
		last = err
		var se *StatusError
		isStatus := errors.As(err, &se)
		if ctx.Err() != nil {
			return nil, wrap(err)
		}
		if isStatus && !retryable(se) {
			return nil, wrap(err)
		}
		if attempt >= attempts {
			return nil, wrap(fmt.Errorf("%w (after %d attempts)", last, attempt))
		}
		wait := backoff << (attempt - 1)
		if isStatus && se.Wait > 0 {
			if se.Wait > maxWait {
				return nil, wrap(fmt.Errorf("%w (the server asks to wait %s, more than the %s allowed)", last, se.Wait, maxWait))
			}
			wait = se.Wait
		}
		wait = min(wait, maxWait)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, wrap(fmt.Errorf("%w (then %w)", last, ctx.Err()))
		case <-t.C:
		}
		if r.BeforeRetry != nil && (!isStatus || se.Code != http.StatusTooManyRequests) {
			done, err := r.BeforeRetry(ctx)
			if err != nil {
				return nil, wrap(fmt.Errorf("%w (then, checking before a retry: %w)", last, err))
			}
			if done {
				return nil, nil
			}
		}
	}
}

// retryable: 429, 5xx, and a 403 that is a rate limit (GitHub's
// Retry-After or x-ratelimit-remaining: 0).
func retryable(se *StatusError) bool {
	return se.Code == http.StatusTooManyRequests || se.Code >= 500 || (se.Code == http.StatusForbidden && se.Wait > 0)
}

func (c *Client) once(ctx context.Context, r Request) (*Response, error) {
	req, err := http.NewRequestWithContext(ctx, r.Method, r.URL, bytes.NewReader(r.Body))
	if err != nil {
		// url.Parse errors quote the URL: never shown.
		return nil, errors.New("the request could not be built (check the URL)")
	}
	for k, vs := range r.Header {
		req.Header[k] = vs
	}
	if req.Header.Get("User-Agent") == "" {
		req.Header.Set("User-Agent", "vigil-respond")
	}
	hc := c.HTTP
	if hc == nil {
		hc = defaultHTTP
	}
	res, err := hc.Do(req)
	if err != nil {
		// *url.Error quotes the whole URL (a webhook's secret path):
		// keep only the cause.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, errors.New(scrub(err.Error(), r.Secrets))
	}
	defer res.Body.Close()
	body, err := io.ReadAll(io.LimitReader(res.Body, 4<<20))
	if err != nil {
		return nil, errors.New(scrub("reading the answer: "+err.Error(), r.Secrets))
	}
	if res.StatusCode >= 200 && res.StatusCode < 300 {
		return &Response{Status: res.StatusCode, Header: res.Header, Body: body}, nil
	}
	return nil, &StatusError{Code: res.StatusCode, Status: res.Status, Detail: detail(body, r.Secrets), Wait: c.serverWait(res)}
}

// serverWait is the wait a throttling answer asks for: Retry-After
// (seconds or an HTTP date), else a rate-limit reset time
// (x-ratelimit-remaining: 0 with x-ratelimit-reset in Unix seconds).
func (c *Client) serverWait(res *http.Response) time.Duration {
	now := time.Now
	if c.Now != nil {
		now = c.Now
	}
	if ra := strings.TrimSpace(res.Header.Get("Retry-After")); ra != "" {
		if s, err := strconv.ParseInt(ra, 10, 64); err == nil && s >= 0 {
			// Capped: a huge value must stay huge, not overflow.
			return max(time.Duration(min(s, 1<<32))*time.Second, time.Millisecond)
		}
		if t, err := http.ParseTime(ra); err == nil {
			return max(t.Sub(now()), time.Millisecond)
		}
	}
	if res.Header.Get("X-Ratelimit-Remaining") == "0" {
		if s, err := strconv.ParseInt(res.Header.Get("X-Ratelimit-Reset"), 10, 64); err == nil {
			return max(time.Unix(s, 0).Sub(now()), time.Millisecond)
		}
	}
	return 0
}

// detail is the start of an error answer's body on one line.
func detail(body []byte, secrets []string) string {
	s := strings.Join(strings.Fields(string(body)), " ")
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return scrub(s, secrets)
}

// scrub replaces each secret in s (and a secret URL's path, query and
// password) with "***".
func scrub(s string, secrets []string) string {
	var all []string
	for _, sec := range secrets {
		all = append(all, sec)
		if u, err := url.Parse(sec); err == nil && u.Host != "" {
			all = append(all, u.Path, u.RawPath, u.RawQuery, u.EscapedPath())
			if p, ok := u.User.Password(); ok {
				all = append(all, p)
			}
		}
	}
	for _, sec := range all {
		if len(sec) >= 4 {
			s = strings.ReplaceAll(s, sec, "***")
		}
	}
	return s
}

// Scrub is scrub for the actions' own errors.
func Scrub(s string, secrets ...string) string { return scrub(s, secrets) }
