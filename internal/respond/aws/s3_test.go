package awsrespond

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/vigil-sec/vigil/internal/collect/aws/awstest"
	"github.com/vigil-sec/vigil/internal/respond"
	"github.com/vigil-sec/vigil/internal/respond/respondtest"
)

func TestBlockPublicAccessLifecycle(t *testing.T) {
	partial := &awstest.PublicAccessBlock{BlockPublicAcls: true, IgnorePublicAcls: true}
	for _, tc := range []struct {
		name   string
		before *awstest.PublicAccessBlock
		diff   int
	}{
		{"no configuration", nil, 4},
		{"two of four on", partial, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newCloud(t, func(st *awstest.State) {
				st.Buckets["site"] = &awstest.Bucket{Policy: `{"Statement":[]}`}
				if tc.before != nil {
					b := *tc.before
					st.Buckets["site"].PublicAccessBlock = &b
				}
				st.Buckets["other"] = &awstest.Bucket{}
			})
			pab := func() (p *awstest.PublicAccessBlock, other *awstest.PublicAccessBlock) {
				c.st.With(func() {
					if b := c.st.Buckets["site"].PublicAccessBlock; b != nil {
						cp := *b
						p = &cp
					}
					other = c.st.Buckets["other"].PublicAccessBlock
				})
				return p, other
			}
			a := c.action(t, "aws.s3.block-public-access")
			ch := respondtest.Lifecycle{
				Action:  a,
				Request: request(map[string]string{"bucket": "arn:aws:s3:::site"}),
				Before: func(t *testing.T) {
					got, _ := pab()
					if (got == nil) != (tc.before == nil) || (got != nil && *got != *tc.before) {
						t.Errorf("public access block %+v, want the before-state %+v", got, tc.before)
					}
				},
				After: func(t *testing.T) {
					got, _ := pab()
					if got == nil || *got != (awstest.PublicAccessBlock{BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true}) {
						t.Errorf("public access block %+v, want the four settings on", got)
					}
				},
				Unrelated: func(t *testing.T) {
					if _, other := pab(); other != nil {
						t.Errorf("bucket other got a public access block %+v", other)
					}
				},
			}.Run(t)
			if len(ch.Diff) != tc.diff || ch.Resource != "arn:aws:s3:::site" || ch.Account != caller {
				t.Errorf("change %+v: want %d attributes changed on arn:aws:s3:::site in %s", ch, tc.diff, caller)
			}
			c.checkPermissions(t, a)
		})
	}
}

const publicPolicy = `{
  "Version": "2012-10-17",
  "Id": "site-policy",
  "Statement": [
    {"Sid": "PublicRead", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::site/*"},
    {"Sid": "OrgOnly", "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "s3:PutObject", "Resource": "arn:aws:s3:::site/*",
     "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc123def4"}}},
    {"Sid": "AnyoneOverTLS", "Effect": "Allow", "Principal": {"AWS": ["*"]}, "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::site",
     "Condition": {"Bool": {"aws:SecureTransport": "true"}}},
    {"Sid": "Office", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::site/*",
     "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}},
    {"Sid": "Partner", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::site/*"},
    {"Sid": "TLSOnly", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": ["arn:aws:s3:::site", "arn:aws:s3:::site/*"],
     "Condition": {"Bool": {"aws:SecureTransport": "false"}}}
  ]
}`

func sids(t *testing.T, text string) []string {
	t.Helper()
	if text == "" {
		return nil
	}
	p, err := parsePolicy(text)
	if err != nil {
		t.Fatalf("policy %q: %v", text, err)
	}
	var out []string
	for _, s := range p.statements {
		var v struct{ Sid string }
		json.Unmarshal(s, &v)
		out = append(out, v.Sid)
	}
	return out
}

func TestDeletePublicStatementLifecycle(t *testing.T) {
	onlyPublic := `{"Version":"2012-10-17","Statement":{"Sid":"All","Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::site/*"}}`
	for _, tc := range []struct {
		name, policy, sid string
		after             []string // the Sids kept; nil: the policy deleted
		removed           int
	}{
		{"some public", publicPolicy, "", []string{"OrgOnly", "Office", "Partner", "TLSOnly"}, 2},
		{"all public", onlyPublic, "", nil, 1},
		{"one sid", publicPolicy, "AnyoneOverTLS", []string{"PublicRead", "OrgOnly", "Office", "Partner", "TLSOnly"}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newCloud(t, func(st *awstest.State) {
				st.Buckets["site"] = &awstest.Bucket{Policy: tc.policy}
				st.Buckets["other"] = &awstest.Bucket{Policy: onlyPublic}
			})
			policy := func(b string) (p string) {
				c.st.With(func() { p = c.st.Buckets[b].Policy })
				return p
			}
			a := c.action(t, "aws.s3.delete-public-policy-statement")
			ch := respondtest.Lifecycle{
				Action:  a,
				Request: request(map[string]string{"bucket": "site", "sid": tc.sid}),
				Before: func(t *testing.T) {
					if got := policy("site"); canonical([]byte(got)) != canonical([]byte(tc.policy)) {
						t.Errorf("policy\n%s\nwant the one before\n%s", got, tc.policy)
					}
				},
				After: func(t *testing.T) {
					got := policy("site")
					if tc.after == nil {
						if got != "" {
							t.Errorf("policy %s, want none (no statement left)", got)
						}
						return
					}
					if s := sids(t, got); !equal(s, tc.after) {
						t.Errorf("statements %v kept, want %v", s, tc.after)
					}
					var doc map[string]any
					if err := json.Unmarshal([]byte(got), &doc); err != nil || doc["Version"] != "2012-10-17" || doc["Id"] != "site-policy" {
						t.Errorf("policy written %s lost its Version or Id (%v)", got, err)
					}
				},
				Unrelated: func(t *testing.T) {
					if policy("other") != onlyPublic {
						t.Errorf("bucket other's policy changed")
					}
				},
			}.Run(t)
			if len(ch.Diff) != tc.removed+1 {
				t.Errorf("diff %+v: want %d statements removed and the count", ch.Diff, tc.removed)
			}
			wantOp := "PutBucketPolicy"
			if tc.after == nil {
				wantOp = "DeleteBucketPolicy"
			}
			if len(ch.Calls) != 1 || ch.Calls[0].Operation != wantOp {
				t.Errorf("calls %+v, want one %s", ch.Calls, wantOp)
			}
			c.checkPermissions(t, a)
		})
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestPublicStatement(t *testing.T) {
	for _, tc := range []struct {
		stmt   string
		public bool
	}{
		{`{"Effect":"Allow","Principal":"*","Action":"s3:GetObject"}`, true},
		{`{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject"}`, true},
		{`{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::1:root","*"]},"Action":"s3:GetObject"}`, true},
		{`{"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::1:root"},"Action":"s3:GetObject"}`, true},
		{`{"Effect":"Deny","Principal":"*","Action":"s3:*"}`, false},
		{`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"s3:GetObject"}`, false},
		{`{"Effect":"Allow","Principal":{"Service":"cloudfront.amazonaws.com"},"Action":"s3:GetObject"}`, false},
		{`{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Condition":{"StringEquals":{"aws:SourceVpc":"vpc-1a2b3c4d"}}}`, false},
		{`{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Condition":{"StringEquals":{"aws:sourcevpce":"vpce-1a2b3c4d"}}}`, false},
		{`{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Condition":{"StringEquals":{"aws:PrincipalOrgID":["o-1"]}}}`, false},
		{`{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:cloudfront::1:distribution/E1"}}}`, false},
		{`{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}`, false},
		// Conditions that do not narrow who or from where.
		{`{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Condition":{"IpAddress":{"aws:SourceIp":"0.0.0.0/0"}}}`, true},
		{`{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Condition":{"IpAddress":{"aws:SourceIp":["10.0.0.0/8","::/0"]}}}`, true},
		{`{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Condition":{"StringLike":{"aws:PrincipalOrgID":"*"}}}`, true},
		{`{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Condition":{"StringNotEquals":{"aws:SourceVpc":"vpc-1"}}}`, true},
		{`{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Condition":{"StringEqualsIfExists":{"aws:SourceVpc":"vpc-1"}}}`, true},
		{`{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Condition":{"Bool":{"aws:SecureTransport":"true"}}}`, true},
		{`{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Condition":{"StringLike":{"aws:Referer":"https://example.com/*"}}}`, true},
		{`not json`, false},
	} {
		if got := publicStatement(json.RawMessage(tc.stmt)); got != tc.public {
			t.Errorf("publicStatement(%s) = %v, want %v", tc.stmt, got, tc.public)
		}
	}
}

func TestS3Gone(t *testing.T) {
	c := newCloud(t, nil)
	for _, name := range []string{"aws.s3.block-public-access", "aws.s3.delete-public-policy-statement"} {
		_, err := plan(t, c.action(t, name), map[string]string{"bucket": "missing"})
		mustErr(t, name+" on a missing bucket", err, respond.ErrGone)
	}
	_, err := plan(t, c.action(t, "aws.s3.block-public-access"), map[string]string{"bucket": "arn:aws:s3:::a/b"})
	mustErr(t, "a key ARN as bucket", err, respond.ErrInput)
	_, err = plan(t, c.action(t, "aws.s3.block-public-access"), nil)
	mustErr(t, "no bucket", err, respond.ErrInput)
	c.st.With(func() { c.st.Buckets["site"] = &awstest.Bucket{Policy: publicPolicy} })
	_, err = plan(t, c.action(t, "aws.s3.delete-public-policy-statement"), map[string]string{"bucket": "site", "sid": "OrgOnly"})
	mustErr(t, "a sid naming a restricted statement", err, respond.ErrInput)
}

// TestBucketInAnotherRegion: a bucket asked for in the wrong region (S3's
// 301 PermanentRedirect naming the bucket's region) is planned and
// applied in its own region.
func TestBucketInAnotherRegion(t *testing.T) {
	c := newCloud(t, func(st *awstest.State) {
		st.Buckets["eu-site"] = &awstest.Bucket{Region: "eu-west-1", Policy: publicPolicy}
	})
	for _, name := range []string{"aws.s3.block-public-access", "aws.s3.delete-public-policy-statement"} {
		a := c.action(t, name)
		ch, err := plan(t, a, map[string]string{"bucket": "eu-site"}) // the subject says us-east-1
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if ch.Region != "eu-west-1" {
			t.Errorf("%s: change in %s, want the bucket's eu-west-1", name, ch.Region)
		}
		if _, err := a.Apply(context.Background(), nil, ch); err != nil {
			t.Errorf("%s: Apply: %v", name, err)
		}
	}
	c.st.With(func() {
		b := c.st.Buckets["eu-site"]
		if b.PublicAccessBlock == nil || sids(t, b.Policy)[0] != "OrgOnly" {
			t.Errorf("eu-site not changed: %+v", b)
		}
	})
}
