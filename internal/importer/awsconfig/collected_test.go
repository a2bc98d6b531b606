package awsconfig

import (
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
