package azurecollect

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"

	"github.com/vigil-sec/vigil/internal/collect"
)

// callPolicy is the per-retry policy every Azure client of the collector
// has: each attempt (retries included) takes one of the concurrency slots,
// is counted by the recorder, and is bounded by the call timeout from the
// moment it has its slot (time queued for a slot is not the service's).
type callPolicy struct {
	rec     *collect.Recorder
	slots   chan struct{}
	timeout time.Duration
}

func (p *callPolicy) Do(req *policy.Request) (*http.Response, error) {
	select {
	case p.slots <- struct{}{}:
	case <-req.Raw().Context().Done():
		return nil, req.Raw().Context().Err()
	}
	defer func() { <-p.slots }()
	done := p.rec.Call()
	defer done()
	ctx, cancel := context.WithTimeoutCause(req.Raw().Context(), p.timeout, errCallTimeout)
	defer cancel() // the body is read by then: the body download policy runs after this one
	return req.WithContext(ctx).Next()
}

// errCallTimeout is the cause of an attempt's context when the call
// timeout passed.
var errCallTimeout = errors.New("the per-call timeout passed")

// quotaPolicy turns Resource Graph's throttling answer (429 with
// x-ms-user-quota-resets-after: hh:mm:ss, its per-user quota window) into
// the Retry-After the SDK's retry policy honours. Resource Graph clients
// only; it runs inside the retry policy.
type quotaPolicy struct{}

func (quotaPolicy) Do(req *policy.Request) (*http.Response, error) {
	resp, err := req.Next()
	if err != nil || resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") != "" {
		return resp, err
	}
	if d, ok := parseClock(resp.Header.Get("x-ms-user-quota-resets-after")); ok {
		resp.Header.Set("Retry-After", strconv.Itoa(int((d+time.Second-1)/time.Second)))
	}
	return resp, err
}

// parseClock reads hh:mm:ss (at most an hour).
func parseClock(s string) (time.Duration, bool) {
	var h, m, sec int
	if n, err := fmt.Sscanf(s, "%d:%d:%d", &h, &m, &sec); err != nil || n != 3 || h < 0 || m < 0 || sec < 0 || h > 1 || m > 59 || sec > 59 {
		return 0, false
	}
	return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(sec)*time.Second, true
}

// credential marks every error of the token credential, so that a call
// failing for want of a token is told apart from one the service refused.
type credential struct{ azcore.TokenCredential }

func (c credential) GetToken(ctx context.Context, o policy.TokenRequestOptions) (azcore.AccessToken, error) {
	t, err := c.TokenCredential.GetToken(ctx, o)
	if err != nil {
		return t, &credError{err}
	}
	return t, nil
}

type credError struct{ err error }

func (e *credError) Error() string { return e.err.Error() }
func (e *credError) Unwrap() error { return e.err }

// classify says why a call did not give its data, with a one-line message
// (azcore's ResponseError text spans many lines of headers).
func classify(ctx context.Context, err error) (collect.Kind, string) {
	var ce *credError
	var re *azcore.ResponseError
	switch {
	case errors.As(err, &ce):
		return collect.Credentials, firstLine(ce.err.Error())
	case errors.As(err, &re):
		msg := responseMessage(re)
		switch {
		case re.StatusCode == http.StatusUnauthorized:
			return collect.Credentials, msg
		case re.StatusCode == http.StatusForbidden:
			return collect.Denied, msg
		case re.StatusCode == http.StatusTooManyRequests:
			return collect.Throttled, msg
		case re.StatusCode == http.StatusNotImplemented:
			return collect.Unsupported, msg
		case re.StatusCode == http.StatusNotFound && re.ErrorCode == "MissingSubscriptionRegistration":
			return collect.Unsupported, msg // the resource provider is not registered
		}
		return collect.Failed, msg
	case errors.Is(err, errCallTimeout), errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil:
		return collect.Timeout, errCallTimeout.Error()
	case errors.Is(err, context.DeadlineExceeded):
		return collect.Timeout, err.Error()
	}
	return collect.Failed, firstLine(err.Error())
}

// responseMessage is "403 AuthorizationFailed: message" from an ARM or
// Microsoft Graph error body ({"error":{"code":...,"message":...}}).
func responseMessage(re *azcore.ResponseError) string {
	code, msg := re.ErrorCode, ""
	if re.RawResponse != nil {
		if body, err := runtime.Payload(re.RawResponse); err == nil {
			var e struct {
				Error struct{ Code, Message string } `json:"error"`
			}
			if json.Unmarshal(body, &e) == nil {
				if code == "" {
					code = e.Error.Code
				}
				msg = e.Error.Message
			}
		}
	}
	s := fmt.Sprint(re.StatusCode)
	if code != "" {
		s += " " + code
	}
	if msg != "" {
		s += ": " + firstLine(msg)
	}
	return s
}

// oneLine joins the lines of a multi-line message (azidentity's chained
// credential errors: one block per credential tried), at most max bytes.
func oneLine(s string, max int) string {
	var parts []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "---") {
			parts = append(parts, l)
		}
	}
	s = strings.Join(parts, " ")
	if len(s) > max {
		s = s[:max] + "…"
	}
	return s
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = strings.TrimSpace(s[:i])
	}
	return s
}

// Operation returns the Azure RBAC operation an ARM request needs
// (Microsoft.Storage/storageAccounts/blobServices/read for a GET of
// /subscriptions/…/providers/Microsoft.Storage/storageAccounts/a/blobServices),
// as the role definition in deploy/permissions lists them.
func Operation(method, path string) string {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	last := -1
	for i, s := range segs {
		if strings.EqualFold(s, "providers") && i+1 < len(segs) {
			last = i
		}
	}
	var typ []string
	if last < 0 {
		// /subscriptions, /subscriptions/{id}/resourceGroups/{rg}
		typ = []string{"Microsoft.Resources"}
		for i := 0; i < len(segs); i += 2 {
			typ = append(typ, segs[i])
		}
	} else {
		typ = []string{segs[last+1]}
		for i := last + 2; i < len(segs); i += 2 {
			typ = append(typ, segs[i])
		}
	}
	verb := "read"
	switch {
	case method == http.MethodPost && strings.EqualFold(strings.Join(typ, "/"), "Microsoft.ResourceGraph/resources"):
		// a Resource Graph query is a POST that needs the read permission
	case method == http.MethodPost:
		verb = "action"
	case method != http.MethodGet:
		verb = "write"
	}
	return strings.Join(typ, "/") + "/" + verb
}
