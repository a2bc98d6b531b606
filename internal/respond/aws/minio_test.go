package awsrespond

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/vigil-sec/vigil/internal/collect/aws/awstest"
	"github.com/vigil-sec/vigil/internal/respond"
	"github.com/vigil-sec/vigil/internal/respond/respondtest"
)

// TestDeletePublicStatementMinIO runs the bucket-policy action against
// MinIO, a real S3-compatible server (scripts/minio.sh start; VIGIL_MINIO
// its URL): the public statement is removed and the restricted ones kept
// as MinIO stores them, rollback puts the policy back, and a bucket with
// only a public statement loses its policy. STS goes to the local endpoint
// through a proxy sending the requests signed for S3 to MinIO.
func TestDeletePublicStatementMinIO(t *testing.T) {
	endpoint := os.Getenv("VIGIL_MINIO")
	if endpoint == "" {
		t.Skip("VIGIL_MINIO is not set: start MinIO with scripts/minio.sh start and set VIGIL_MINIO to the URL it prints")
	}
	minio, err := url.Parse(endpoint)
	if err != nil || minio.Host == "" {
		t.Fatalf("VIGIL_MINIO=%q is not a URL", endpoint)
	}
	user, secret := envOr("VIGIL_MINIO_USER", "vigil-test"), envOr("VIGIL_MINIO_PASSWORD", "vigil-test-secret")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	admin := s3.New(s3.Options{Region: "us-east-1", BaseEndpoint: &endpoint, UsePathStyle: true,
		Credentials: credentials.NewStaticCredentialsProvider(user, secret, "")})
	suffix := fmt.Sprintf("%d", time.Now().UnixNano()%1_000_000_000)
	mixed, public := "vigil-respond-mixed-"+suffix, "vigil-respond-public-"+suffix
	policies := map[string]string{
		mixed: `{"Version":"2012-10-17","Statement":[
			{"Sid":"PublicRead","Effect":"Allow","Principal":{"AWS":["*"]},"Action":["s3:GetObject"],"Resource":["arn:aws:s3:::` + mixed + `/*"]},
			{"Sid":"Office","Effect":"Allow","Principal":{"AWS":["*"]},"Action":["s3:ListBucket"],"Resource":["arn:aws:s3:::` + mixed + `"],
			 "Condition":{"IpAddress":{"aws:SourceIp":["203.0.113.0/24"]}}},
			{"Sid":"TLSOnly","Effect":"Deny","Principal":{"AWS":["*"]},"Action":["s3:GetObject"],"Resource":["arn:aws:s3:::` + mixed + `/*"],
			 "Condition":{"Bool":{"aws:SecureTransport":["false"]}}}]}`,
		public: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":["s3:GetObject"],"Resource":["arn:aws:s3:::` + public + `/*"]}]}`,
	}
	for b, p := range policies {
		if _, err := admin.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(b)}); err != nil {
			t.Fatalf("creating bucket %s on MinIO at %s: %v", b, endpoint, err)
		}
		t.Cleanup(func() {
			admin.DeleteBucketPolicy(context.Background(), &s3.DeleteBucketPolicyInput{Bucket: aws.String(b)})
			admin.DeleteBucket(context.Background(), &s3.DeleteBucketInput{Bucket: aws.String(b)})
		})
		if _, err := admin.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String(b), Policy: aws.String(p)}); err != nil {
			t.Fatalf("MinIO refused the policy of %s: %v", b, err)
		}
	}
	policyOf := func(t *testing.T, b string) string {
		out, err := admin.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: aws.String(b)})
		if isCode(err, "NoSuchBucketPolicy") {
			return ""
		}
		if err != nil {
			t.Fatalf("reading %s's policy: %v", b, err)
		}
		return aws.ToString(out.Policy)
	}
	stored := map[string]string{mixed: policyOf(t, mixed), public: policyOf(t, public)}

	// Requests signed for S3 go to MinIO, the others (STS) to the local
	// endpoint, which takes MinIO's key as the caller's account.
	srv := awstest.New()
	t.Cleanup(srv.Close)
	srv.DefaultAccount = caller
	proxy := awstest.SplitS3(minio, mustURL(t, srv.URL))
	t.Cleanup(proxy.Close)
	for k, v := range awstest.Env(caller) {
		t.Setenv(k, v)
	}
	t.Setenv("AWS_ACCESS_KEY_ID", user)
	t.Setenv("AWS_SECRET_ACCESS_KEY", secret)
	client := awstest.DialOnly(proxy.Listener.Addr().String())
	t.Cleanup(client.CloseIdleConnections)
	opts := Options{Endpoint: proxy.URL, HTTPClient: client, MaxAttempts: 2, MaxBackoff: 10 * time.Millisecond}
	a := actionNamed(t, Actions(opts), "aws.s3.delete-public-policy-statement")

	for _, tc := range []struct {
		bucket string
		kept   []string // nil: no policy left
	}{
		{mixed, []string{"Office", "TLSOnly"}},
		{public, nil},
	} {
		t.Run(tc.bucket, func(t *testing.T) {
			respondtest.Lifecycle{
				Action:  a,
				Request: &respond.Request{Subject: &respond.Subject{Provider: "aws"}, Inputs: map[string]string{"bucket": tc.bucket}},
				Before: func(t *testing.T) {
					if got := policyOf(t, tc.bucket); canonical([]byte(got)) != canonical([]byte(stored[tc.bucket])) {
						t.Errorf("policy\n%s\nwant the one before\n%s", got, stored[tc.bucket])
					}
				},
				After: func(t *testing.T) {
					got := policyOf(t, tc.bucket)
					if tc.kept == nil {
						if got != "" {
							t.Errorf("policy %s, want none", got)
						}
						return
					}
					if s := sids(t, got); !equal(s, tc.kept) {
						t.Errorf("MinIO keeps statements %v, want %v:\n%s", s, tc.kept, got)
					}
				},
			}.Run(t)
		})
	}
	_, err = a.Plan(ctx, nil, &respond.Request{Inputs: map[string]string{"bucket": "vigil-respond-missing-" + suffix}})
	mustErr(t, "a bucket MinIO does not have", err, respond.ErrGone)
	// MinIO has no public access block: the action says so, it does not
	// take the bucket for gone.
	pab := actionNamed(t, Actions(opts), "aws.s3.block-public-access")
	_, err = pab.Plan(ctx, nil, &respond.Request{Inputs: map[string]string{"bucket": mixed}})
	if err == nil || errors.Is(err, respond.ErrGone) || errors.Is(err, respond.ErrDenied) || !strings.Contains(err.Error(), "GetPublicAccessBlock") {
		t.Errorf("block-public-access on MinIO: err = %v, want the unsupported call reported", err)
	}
	t.Logf("block-public-access on MinIO: %v", err)
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
