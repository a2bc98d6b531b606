package awscollect

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"

	"github.com/vigil-sec/vigil/internal/collect"
)

// Classify says why an SDK call failed.
func Classify(err error) collect.Kind {
	if err == nil {
		return ""
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return collect.Timeout
	}
	var ae smithy.APIError
	if errors.As(err, &ae) {
		code := ae.ErrorCode()
		switch {
		case code == "AccessDenied" || code == "AccessDeniedException" || code == "UnauthorizedOperation" ||
			code == "AuthorizationError" || code == "AuthorizationErrorException" || code == "UnauthorizedAccess" ||
			strings.HasSuffix(code, "NotAuthorized") || code == "Forbidden":
			return collect.Denied
		case code == "ExpiredToken" || code == "ExpiredTokenException" || code == "InvalidClientTokenId" ||
			code == "UnrecognizedClientException" || code == "InvalidAccessKeyId" || code == "SignatureDoesNotMatch":
			return collect.Credentials
		case code == "NotImplemented" || code == "OptInRequired" || code == "InvalidAction" ||
			code == "SubscriptionRequiredException" || code == "UnsupportedOperation":
			return collect.Unsupported
		}
		if retry.IsErrorThrottles(retry.DefaultThrottles).IsErrorThrottle(err).Bool() {
			return collect.Throttled
		}
	}
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		switch re.HTTPStatusCode() {
		case http.StatusForbidden:
			return collect.Denied
		case http.StatusTooManyRequests:
			return collect.Throttled
		case http.StatusNotImplemented:
			return collect.Unsupported
		case http.StatusNotFound, http.StatusMethodNotAllowed:
			// No error code at all: the endpoint (an S3-compatible
			// server) has no such API. AWS names its 404s.
			if ae == nil || ae.ErrorCode() == "UnknownError" {
				return collect.Unsupported
			}
		}
	}
	var me *retry.MaxAttemptsError
	if errors.As(err, &me) && retry.IsErrorThrottles(retry.DefaultThrottles).IsErrorThrottle(me.Err).Bool() {
		return collect.Throttled
	}
	return collect.Failed
}

// Message is an SDK error without the SDK's operation-and-request-ID
// wrapping: the service's code and message.
func Message(err error) string {
	if errors.Is(err, context.DeadlineExceeded) {
		return "no answer within the per-call timeout"
	}
	var ae smithy.APIError
	if errors.As(err, &ae) {
		var re *awshttp.ResponseError
		if ae.ErrorCode() == "UnknownError" && errors.As(err, &re) {
			return fmt.Sprintf("HTTP %d without an error code the SDK could read", re.HTTPStatusCode())
		}
		if m := ae.ErrorMessage(); m != "" {
			return ae.ErrorCode() + ": " + m
		}
		return ae.ErrorCode()
	}
	var de *smithy.DeserializationError
	if errors.As(err, &de) {
		return "the answer could not be decoded: " + innermost(de.Err)
	}
	// Not an answer from the service (a connection error, no
	// credentials): the cause, without the SDK's wrapping.
	var op *net.OpError
	if errors.As(err, &op) {
		return op.Error()
	}
	return innermost(err)
}

func innermost(err error) string {
	if err == nil {
		return ""
	}
	for u := errors.Unwrap(err); u != nil; u = errors.Unwrap(err) {
		err = u
	}
	return err.Error()
}

// isCode reports whether err is a service error with one of codes
// (NoSuchEntity, NoSuchBucketPolicy...): an answer, not a failure.
func isCode(err error, codes ...string) bool {
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		return false
	}
	for _, c := range codes {
		if ae.ErrorCode() == c {
			return true
		}
	}
	return false
}
