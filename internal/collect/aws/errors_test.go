package awscollect

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/vigil-sec/vigil/internal/collect"
)

// apiErr is a service error as the SDK returns it: the API error inside
// the HTTP response error, inside the operation error.
func apiErr(status int, code, msg string) error {
	resp := &smithyhttp.Response{Response: &http.Response{StatusCode: status}}
	re := &awshttp.ResponseError{ResponseError: &smithyhttp.ResponseError{Response: resp, Err: &smithy.GenericAPIError{Code: code, Message: msg}}}
	return &smithy.OperationError{ServiceID: "S3", OperationName: "GetBucketEncryption", Err: re}
}

func TestClassify(t *testing.T) {
	for _, c := range []struct {
		err  error
		kind collect.Kind
		msg  string
	}{
		{apiErr(403, "AccessDenied", "no"), collect.Denied, "AccessDenied: no"},
		{apiErr(400, "AccessDeniedException", ""), collect.Denied, "AccessDeniedException"},
		{apiErr(403, "UnauthorizedOperation", "x"), collect.Denied, "UnauthorizedOperation: x"},
		{apiErr(400, "ExpiredToken", "expired"), collect.Credentials, "ExpiredToken: expired"},
		{apiErr(501, "NotImplemented", "n"), collect.Unsupported, "NotImplemented: n"},
		{apiErr(403, "OptInRequired", "o"), collect.Unsupported, "OptInRequired: o"},
		{apiErr(400, "Throttling", "Rate exceeded"), collect.Throttled, "Throttling: Rate exceeded"},
		{apiErr(503, "SlowDown", "s"), collect.Throttled, "SlowDown: s"},
		{&retry.MaxAttemptsError{Attempt: 3, Err: apiErr(400, "ThrottlingException", "t")}, collect.Throttled, "ThrottlingException: t"},
		{&retry.MaxAttemptsError{Attempt: 3, Err: apiErr(500, "InternalError", "i")}, collect.Failed, "InternalError: i"},
		{apiErr(429, "Whatever", "w"), collect.Throttled, "Whatever: w"},
		{apiErr(404, "UnknownError", "UnknownError"), collect.Unsupported, "HTTP 404 without an error code the SDK could read"},
		{apiErr(404, "NoSuchBucket", "b"), collect.Failed, "NoSuchBucket: b"},
		{fmt.Errorf("op: %w", context.DeadlineExceeded), collect.Timeout, "no answer within the per-call timeout"},
		{fmt.Errorf("op: %w", errors.New("boom")), collect.Failed, "boom"},
	} {
		if k := Classify(c.err); k != c.kind {
			t.Errorf("Classify(%v) = %s, want %s", c.err, k, c.kind)
		}
		if m := Message(c.err); m != c.msg {
			t.Errorf("Message(%v) = %q, want %q", c.err, m, c.msg)
		}
	}
	if Classify(nil) != "" {
		t.Error("Classify(nil) is not empty")
	}
}
