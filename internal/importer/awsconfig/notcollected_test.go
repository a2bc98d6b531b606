package awsconfig

import (
	"context"
	"testing"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
)

// TestBucketSettingsNotCollected: a bucket item whose supplementary keys a
// live collection could not read (listed under NotCollectedKey) leaves
// what they decide unknown, where an AWS Config item without them means
// "not configured".
func TestBucketSettingsNotCollected(t *testing.T) {
	item := func(missing ...any) attr.M {
		supp := attr.M{"BucketPolicy": attr.M{"policyText": nil}}
		if len(missing) > 0 {
			supp[NotCollectedKey] = missing
		}
		return attr.M{
			"resourceType": "AWS::S3::Bucket", "resourceId": "b", "resourceName": "b", "ARN": "arn:aws:s3:::b",
			"awsAccountId": "111122223333", "awsRegion": "us-east-1", "configuration": attr.M{"name": "b"},
			"supplementaryConfiguration": supp,
		}
	}
	s := parseItems1(t, item()).Resources[0].Facts.Storage
	if s.Encrypted == nil || *s.Encrypted || s.PublicAccessBlocked == nil || *s.PublicAccessBlocked || s.PublicAccess == nil || *s.PublicAccess {
		t.Fatalf("AWS Config item without the keys: encrypted %s, blocked %s, public %s; want false, false, false",
			fmtB(s.Encrypted), fmtB(s.PublicAccessBlocked), fmtB(s.PublicAccess))
	}
	s = parseItems1(t, item("ServerSideEncryptionConfiguration", "PublicAccessBlockConfiguration", "AccessControlList")).Resources[0].Facts.Storage
	if s.Encrypted != nil || s.PublicAccessBlocked != nil || s.PublicAccess != nil {
		t.Errorf("keys not collected: encrypted %s, blocked %s, public %s; want all unknown",
			fmtB(s.Encrypted), fmtB(s.PublicAccessBlocked), fmtB(s.PublicAccess))
	}
	if s.SecureTransportOnly == nil || *s.SecureTransportOnly {
		t.Errorf("the policy was collected (none): secure transport %s, want false", fmtB(s.SecureTransportOnly))
	}
}

// TestNoPasswordPolicy: {"PasswordPolicy": null} (the account has none)
// reads as AWS's default policy, which the weak-policy rule fails, not as
// an unknown policy.
func TestNoPasswordPolicy(t *testing.T) {
	res := Parse(context.Background(), "111122223333/cli/password-policy.json", attr.M{"PasswordPolicy": nil})
	if len(res.Resources) != 1 || len(res.Problems) > 0 {
		t.Fatalf("resources %d, problems %v", len(res.Resources), res.Problems)
	}
	p := res.Resources[0].Facts.PasswordPolicy
	if p == nil || p.MinLength == nil || *p.MinLength != 8 || p.ReusePrevention == nil || *p.ReusePrevention != 0 || p.RequireSymbols == nil || *p.RequireSymbols {
		t.Errorf("no policy: %+v, want AWS's default (8 characters, no reuse prevention, no requirements)", p)
	}
}
