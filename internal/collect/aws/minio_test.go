package awscollect

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/vigil-sec/vigil/internal/collect"
	"github.com/vigil-sec/vigil/internal/collect/aws/awstest"
	"github.com/vigil-sec/vigil/internal/importer"
)

// TestCollectMinIO collects S3 from MinIO, a real S3-compatible server
// (scripts/minio.sh start; VIGIL_MINIO its URL): buckets made here with
// the SDK, with versioning, a policy and tags, are collected with their
// settings, and the calls MinIO does not implement (the bucket and
// account public access blocks) are reported and survived. The other
// services' calls (STS) go to the fake endpoint through a proxy that
// sends the requests signed for S3 to MinIO.
func TestCollectMinIO(t *testing.T) {
	endpoint := os.Getenv("VIGIL_MINIO")
	if endpoint == "" {
		t.Skip("VIGIL_MINIO is not set: start MinIO with scripts/minio.sh start and set VIGIL_MINIO to the URL it prints")
	}
	minio, err := url.Parse(endpoint)
	if err != nil || minio.Host == "" {
		t.Fatalf("VIGIL_MINIO=%q is not a URL", endpoint)
	}
	user, secret := envOr("VIGIL_MINIO_USER", "vigil-test"), envOr("VIGIL_MINIO_PASSWORD", "vigil-test-secret")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	admin := s3.New(s3.Options{Region: "us-east-1", BaseEndpoint: &endpoint, UsePathStyle: true,
		Credentials: credentials.NewStaticCredentialsProvider(user, secret, "")})
	if _, err := admin.ListBuckets(ctx, &s3.ListBucketsInput{}); err != nil {
		t.Fatalf("MinIO at %s does not answer ListBuckets with %s's credentials: %v", endpoint, user, err)
	}
	suffix := fmt.Sprintf("%d", time.Now().UnixNano()%1_000_000_000)
	versioned, public := "vigil-versioned-"+suffix, "vigil-public-"+suffix
	for _, b := range []string{versioned, public} {
		if _, err := admin.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(b)}); err != nil {
			t.Fatalf("creating bucket %s: %v", b, err)
		}
		t.Cleanup(func() { admin.DeleteBucket(context.Background(), &s3.DeleteBucketInput{Bucket: aws.String(b)}) })
	}
	must := func(what string, err error) {
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	_, err = admin.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: &versioned,
		VersioningConfiguration: &s3types.VersioningConfiguration{Status: s3types.BucketVersioningStatusEnabled}})
	must("versioning", err)
	policy := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":["*"]},"Action":["s3:GetObject"],"Resource":["arn:aws:s3:::` + public + `/*"]}]}`
	_, err = admin.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: &public, Policy: &policy})
	must("policy", err)
	_, err = admin.PutBucketTagging(ctx, &s3.PutBucketTaggingInput{Bucket: &public,
		Tagging: &s3types.Tagging{TagSet: []s3types.Tag{{Key: aws.String("Owner"), Value: aws.String("web")}}}})
	must("tagging", err)

	// Requests signed for S3 go to MinIO, the others to the fake endpoint.
	srv := newFakeAWS(t, "testdata")
	srv.DefaultAccount = mgmt
	toMinIO := httputil.NewSingleHostReverseProxy(minio)
	toFake := httputil.NewSingleHostReverseProxy(mustURL(t, srv.URL))
	for _, p := range []*httputil.ReverseProxy{toMinIO, toFake} {
		d := p.Director
		p.Director = func(r *http.Request) {
			host := r.Host // signed: the server checks the signature against it
			d(r)
			r.Host = host
		}
	}
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, _, svc := awstest.Signature(r.Header); svc == "s3" {
			toMinIO.ServeHTTP(w, r)
			return
		}
		toFake.ServeHTTP(w, r)
	}))
	defer proxy.Close()

	opts := testOptions(t, srv, mgmt)
	t.Setenv("AWS_ACCESS_KEY_ID", user)
	t.Setenv("AWS_SECRET_ACCESS_KEY", secret)
	opts.Endpoint = proxy.URL
	opts.HTTPClient = dialOnly(t, proxy.Listener.Addr().String())
	opts.Regions = []string{"us-east-1"}
	opts.services = []Service{{Name: "s3", Global: true, Run: runS3}}
	dir := t.TempDir()
	rec := collect.NewRecorder(nil)
	if err := Collect(ctx, opts, collect.Dir(dir), rec, nil); err != nil {
		t.Fatal(err)
	}
	for _, f := range rec.Failures() {
		t.Logf("reported: %s", f)
	}

	items := readSnapshot(t, dir, mgmt, "us-east-1")
	v := findItem(items, "AWS::S3::Bucket", versioned)
	p := findItem(items, "AWS::S3::Bucket", public)
	if v == nil || p == nil {
		t.Fatalf("buckets %s, %s not collected from MinIO", versioned, public)
	}
	vs := v["supplementaryConfiguration"].(map[string]any)
	if st := vs["BucketVersioningConfiguration"].(map[string]any)["status"]; st != "Enabled" {
		t.Errorf("%s versioning status %v, want Enabled", versioned, st)
	}
	ps := p["supplementaryConfiguration"].(map[string]any)
	text, _ := ps["BucketPolicy"].(map[string]any)["policyText"].(string)
	var doc map[string]any
	if err := json.Unmarshal([]byte(text), &doc); err != nil || !strings.Contains(text, public) {
		t.Errorf("%s policy text %q, want its policy", public, text)
	}
	if tags, _ := p["tags"].(map[string]any); tags["Owner"] != "web" {
		t.Errorf("%s tags %v, want Owner=web", public, p["tags"])
	}
	// What MinIO does not implement is reported and left out.
	for _, b := range []string{versioned, public} {
		item := findItem(items, "AWS::S3::Bucket", b)
		if _, ok := item["supplementaryConfiguration"].(map[string]any)["PublicAccessBlockConfiguration"]; ok {
			t.Errorf("%s has a public access block though MinIO has none to give", b)
		}
		reported := false
		for _, f := range rec.Failures() {
			if f.Call == "s3:GetBucketPublicAccessBlock" && f.Resource == "arn:aws:s3:::"+b {
				reported = true
				if f.Kind != collect.Unsupported {
					t.Errorf("%s public access block reported as %s (%s), want unsupported", b, f.Kind, f.Err)
				}
			}
		}
		if !reported {
			t.Errorf("the public access block MinIO does not implement is not reported for %s", b)
		}
	}
	// The files import: the versioned bucket is versioned.
	inv, err := importer.Load(ctx, []string{dir})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range inv.Resources {
		if r.ID == "arn:aws:s3:::"+versioned && r.Facts.Storage != nil && r.Facts.Storage.Versioning != nil && *r.Facts.Storage.Versioning {
			found = true
		}
	}
	if !found {
		t.Errorf("the imported inventory has no versioned bucket %s", versioned)
	}
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
