package awscollect

// The fake AWS endpoint of the tests is awstest.Server: see its package
// doc for the routing, the response file names
// (testdata/<service>/<Operation>[~<token>][.<resource>][.<account>][.<region>].<xml|json>,
// testdata/more for the other services) and the faults.

import (
	"context"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	awsmw "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/vigil-sec/vigil/internal/collect/aws/awstest"
)

type (
	fakeReq = awstest.Request
	fakeAWS = awstest.Server
)

// newFakeAWS starts the fake endpoint over dirs (default testdata and
// testdata/more) for the test.
func newFakeAWS(t testing.TB, dirs ...string) *fakeAWS {
	t.Helper()
	if len(dirs) == 0 {
		dirs = []string{"testdata", filepath.Join("testdata", "more")}
	}
	f := awstest.New(dirs...)
	t.Cleanup(f.Close)
	return f
}

func safeName(s string) string { return awstest.SafeName(s) }

// testOptions points a collection at the fake server with the test
// credentials of account caller (awstest.Env), a transport that sends
// every host to the server (S3 Control prefixes the account ID to the
// host), short retry waits and a fixed capture time.
func testOptions(t testing.TB, f *fakeAWS, caller string) Options {
	t.Helper()
	for k, v := range awstest.Env(caller) {
		t.Setenv(k, v)
	}
	return Options{
		Endpoint:    f.URL,
		HTTPClient:  dialOnly(t, f.Listener.Addr().String()),
		MaxBackoff:  20 * time.Millisecond,
		MaxAttempts: 3,
		Now:         func() time.Time { return time.Date(2026, 11, 24, 5, 58, 12, 0, time.UTC) },
		apiOptions:  []func(*middleware.Stack) error{sendOpName},
	}
}

// dialOnly is an HTTP client connecting to addr whatever the host.
func dialOnly(t testing.TB, addr string) *http.Client {
	c := awstest.DialOnly(addr)
	t.Cleanup(c.CloseIdleConnections)
	return c
}

// sendOpName sends the SDK's operation name in X-Vigil-Op: the fake
// server checks its REST route table against it.
func sendOpName(stack *middleware.Stack) error {
	return stack.Build.Add(middleware.BuildMiddlewareFunc("vigilTestOp", func(ctx context.Context, in middleware.BuildInput, next middleware.BuildHandler) (middleware.BuildOutput, middleware.Metadata, error) {
		if req, ok := in.Request.(*smithyhttp.Request); ok {
			req.Header.Set("X-Vigil-Op", awsmw.GetOperationName(ctx))
		}
		return next.HandleBuild(ctx, in)
	}), middleware.After)
}
