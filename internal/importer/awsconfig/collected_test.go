package awsconfig

import (
	"context"
	"testing"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

// trailItem is an AWS::CloudTrail::Trail configuration item of account
// 111122223333; status nil leaves the supplementary configuration empty,
// as AWS Config records trails and as the collector writes a trail whose
// GetTrailStatus failed.
func trailItem(name string, multiRegion, org bool, status *bool) attr.M {
	supp := attr.M{}
	if status != nil {
		supp["TrailStatus"] = attr.M{"isLogging": *status}
	}
	return attr.M{
		"resourceType": "AWS::CloudTrail::Trail", "resourceId": name, "resourceName": name,
		"ARN": "arn:aws:cloudtrail:us-east-1:111122223333:trail/" + name, "awsAccountId": "111122223333", "awsRegion": "us-east-1",
		"configuration": attr.M{"name": name, "isMultiRegionTrail": multiRegion, "isOrganizationTrail": org,
			"s3BucketName": "logs-" + name},
		"supplementaryConfiguration": supp,
	}
}

// accountFacts parses items and returns the facts of the account Finalize
// synthesizes for 111122223333.
func accountFacts(t *testing.T, items ...attr.M) *resource.Account {
	t.Helper()
	res := parseItems1(t, items...)
	added, _ := Finalize(res.Resources)
	for _, r := range added {
		if r.ID == AccountID("111122223333") {
			return r.Facts.Account
		}
	}
	t.Fatalf("no account resource among %d added", len(added))
	return nil
}

// The account's audit_logging is true only when a multi-region trail is
// known to be logging; a trail whose status is unknown (AWS Config's own
// items, a denied GetTrailStatus) leaves it unknown, not logging; false
// only when every trail is known not to log every region.
func TestAuditLoggingNeedsAKnownLoggingTrail(t *testing.T) {
	on, off := boolp(true), boolp(false)
	cases := []struct {
		name   string
		trails []attr.M
		want   string
	}{
		{"multi-region, logging", []attr.M{trailItem("a", true, false, on)}, "true"},
		{"multi-region, status unknown", []attr.M{trailItem("a", true, false, nil)}, "nil"},
		{"multi-region, stopped", []attr.M{trailItem("a", true, false, off)}, "false"},
		{"single-region, logging", []attr.M{trailItem("a", false, false, on)}, "false"},
		{"single-region, status unknown", []attr.M{trailItem("a", false, false, nil)}, "false"},
		{"unknown and stopped", []attr.M{trailItem("a", true, false, nil), trailItem("b", true, false, off)}, "nil"},
		{"unknown and logging", []attr.M{trailItem("a", true, false, nil), trailItem("b", true, false, on)}, "true"},
		{"organization trail, status unknown", []attr.M{trailItem("org", true, true, nil), trailItem("b", false, false, on)}, "nil"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := fmtB(accountFacts(t, c.trails...).AuditLogging); got != c.want {
				t.Errorf("audit_logging = %s, want %s", got, c.want)
			}
		})
	}
}

// `aws secretsmanager get-resource-policy` as current API versions print
// it carries PolicyName besides ARN, Name and ResourcePolicy: the output is
// still the secret's resource policy. A document with a field that output
// does not have is not taken for it (without ResourcePolicy it would say
// "no policy").
func TestSecretResourcePolicyWithPolicyName(t *testing.T) {
	const arn = "arn:aws:secretsmanager:us-east-1:111122223333:secret:partner/api-key-Ab1cD2"
	public := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"secretsmanager:GetSecretValue","Resource":"*"}]}`
	cases := []struct {
		name       string
		doc        attr.M
		format     string
		publicWant string
	}{
		{"three keys", attr.M{"ARN": arn, "Name": "partner/api-key", "ResourcePolicy": public}, FormatSecretPolicy, "true"},
		{"with PolicyName", attr.M{"ARN": arn, "Name": "partner/api-key", "ResourcePolicy": public, "PolicyName": "default"}, FormatSecretPolicy, "true"},
		{"no policy", attr.M{"ARN": arn, "Name": "partner/api-key"}, FormatSecretPolicy, "false"},
		{"no policy, with PolicyName", attr.M{"ARN": arn, "Name": "partner/api-key", "PolicyName": "default"}, FormatSecretPolicy, "false"},
		{"an unknown field", attr.M{"ARN": arn, "Name": "partner/api-key", "Policies": []any{}}, "", ""},
		{"describe-secret", attr.M{"ARN": arn, "Name": "partner/api-key", "LastChangedDate": "2026-01-01T00:00:00Z"}, FormatSecretDescribe, "nil"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if f := Detect(c.doc); f != c.format {
				t.Fatalf("Detect = %q, want %q", f, c.format)
			}
			if c.format == "" {
				return
			}
			res := Parse(context.Background(), "111122223333/cli/secretsmanager-get-resource-policy/partner_api-key.us-east-1.json", c.doc)
			if len(res.Resources) != 1 || len(res.Problems) != 0 {
				t.Fatalf("resources %d, problems %v", len(res.Resources), res.Problems)
			}
			r := res.Resources[0]
			if r.ID != arn || r.Facts.Secret == nil || fmtB(r.Facts.Secret.PublicAccess) != c.publicWant {
				t.Errorf("%s: secret %+v, public %s, want %s", r.ID, r.Facts.Secret, fmtB(r.Facts.Secret.PublicAccess), c.publicWant)
			}
		})
	}
}
