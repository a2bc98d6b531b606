package gcpcollect

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/googleapis/gax-go/v2"
	"github.com/googleapis/gax-go/v2/apierror"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	"github.com/vigil-sec/vigil/internal/collect"
)

// calls is the interceptor every RPC of the collector goes through, each
// attempt of a retried call included: it counts the call, bounds how many
// are in flight, gives each attempt its deadline and watches page tokens.
type calls struct {
	rec     *collect.Recorder
	sem     chan struct{}
	timeout time.Duration
}

func (c *calls) unary(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn, invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
	select {
	case c.sem <- struct{}{}:
	case <-ctx.Done():
		return status.FromContextError(ctx.Err()).Err()
	}
	defer func() { <-c.sem }()
	if err := ctx.Err(); err != nil { // cancelled while waiting: no call made
		return status.FromContextError(err).Err()
	}
	done := c.rec.Call()
	defer done()
	actx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	err := invoker(actx, method, req, reply, cc, opts...)
	if err == nil {
		if g, ok := ctx.Value(guardKey{}).(*pageGuard); ok {
			g.check(reply)
		}
	}
	return err
}

// pageGuard watches the page tokens of one listing. A token the service
// returned before would make the SDK's iterator fetch the same pages
// forever (empty pages included, within one Next call), so the response
// that repeats it is cut off there: its items are kept, its next-page
// token is cleared, and looped records it for the collector to report.
type pageGuard struct {
	collect.PageGuard
	looped string
}

type guardKey struct{}

func withGuard(ctx context.Context) (context.Context, *pageGuard) {
	g := &pageGuard{}
	return context.WithValue(ctx, guardKey{}, g), g
}

func (g *pageGuard) check(reply any) {
	m, ok := reply.(proto.Message)
	if !ok {
		return
	}
	r := m.ProtoReflect()
	fd := r.Descriptor().Fields().ByName("next_page_token")
	if fd == nil {
		return
	}
	if tok := r.Get(fd).String(); g.Loop(tok) {
		g.looped = tok
		r.Clear(fd)
	}
}

// retryer retries throttling and unavailability a bounded number of times
// with jittered exponential backoff, honouring the service's RetryInfo
// delay when it gives one. Anything else is not retried.
type retryer struct {
	attempts, max int
	bo            gax.Backoff
}

// callOptions are the collector's options on every SDK call: its retries,
// and, in place of the SDK's default deadline over all attempts (60 s),
// one that leaves every attempt its CallTimeout and every pause its most.
func callOptions(o Options) []gax.CallOption {
	maxPause := 32 * o.RetryBackoff
	return []gax.CallOption{
		gax.WithRetry(func() gax.Retryer {
			return &retryer{max: o.MaxAttempts, bo: gax.Backoff{Initial: o.RetryBackoff, Max: maxPause, Multiplier: 2}}
		}),
		gax.WithTimeout(time.Duration(o.MaxAttempts) * (o.CallTimeout + max(maxPause, time.Minute))),
	}
}

func (r *retryer) Retry(err error) (time.Duration, bool) {
	r.attempts++
	if r.attempts >= r.max {
		return 0, false
	}
	switch status.Code(err) {
	case codes.ResourceExhausted, codes.Unavailable:
	default:
		return 0, false
	}
	pause := r.bo.Pause()
	var ae *apierror.APIError
	if errors.As(err, &ae) && ae.Details().RetryInfo != nil {
		if d := ae.Details().RetryInfo.GetRetryDelay().AsDuration(); d > 0 && d < time.Minute {
			pause = d + time.Duration(rand.Int64N(int64(d)/10+1))
		}
	}
	return pause, true
}

// classify says why a call failed, from its gRPC status.
func classify(err error) collect.Kind {
	if errors.Is(err, context.DeadlineExceeded) {
		return collect.Timeout
	}
	switch status.Code(err) {
	case codes.PermissionDenied:
		if serviceDisabled(err) {
			return collect.Unsupported
		}
		return collect.Denied
	case codes.ResourceExhausted:
		return collect.Throttled
	case codes.Unimplemented, codes.FailedPrecondition:
		return collect.Unsupported
	case codes.Unauthenticated:
		return collect.Credentials
	case codes.DeadlineExceeded:
		return collect.Timeout
	}
	return collect.Failed
}

// serviceDisabled reports whether a PermissionDenied says the API is not
// enabled in the project (ErrorInfo reason SERVICE_DISABLED).
func serviceDisabled(err error) bool {
	var ae *apierror.APIError
	if errors.As(err, &ae) && ae.Reason() == "SERVICE_DISABLED" {
		return true
	}
	return strings.Contains(status.Convert(err).Message(), "has not been used in project")
}

// message is the service's status code and message, without the SDK's
// wrapping.
func message(err error) string {
	if s, ok := status.FromError(err); ok {
		return fmt.Sprintf("%s: %s", s.Code(), s.Message())
	}
	return err.Error()
}
