package inventory

import (
	"fmt"
	"testing"

	"github.com/vigil-sec/vigil/internal/resource"
)

// TestManagementWorkloads: CIS AWS 7.0 2.1.3's workloads on the management
// account: its instances, functions and buckets are listed, not a trail's
// destination bucket nor another account's resources; a member account
// gets nothing; a management account whose own resources the inventory
// does not hold stays unknown.
func TestManagementWorkloads(t *testing.T) {
	account := func(id string, mgmt bool) *resource.Resource {
		return &resource.Resource{Provider: resource.AWS, Account: id, Type: "AWS::::Account", ID: "aws-account/" + id,
			Class: resource.ClassAccount, Facts: resource.Facts{Account: &resource.Account{CIS: &resource.AccountCIS{ManagementAccount: resource.Bool(mgmt)}}}}
	}
	res := func(acct string, class resource.Class, typ, id, name string) *resource.Resource {
		return &resource.Resource{Provider: resource.AWS, Account: acct, Type: typ, ID: id, Name: name, Class: class}
	}
	trail := res("111111111111", resource.ClassAuditLog, "AWS::CloudTrail::Trail", "arn:aws:cloudtrail:us-east-1:111111111111:trail/org", "org")
	trail.Facts.AuditLog = &resource.AuditLog{Destination: "org-trail-logs"}
	show := func(c *resource.AccountCIS) string {
		if c.ManagementWorkloadCount == nil {
			return "unknown"
		}
		return fmt.Sprint(*c.ManagementWorkloadCount, c.ManagementWorkloads)
	}
	t.Run("workloads", func(t *testing.T) {
		mg, member := account("111111111111", true), account("222222222222", false)
		rs := []*resource.Resource{mg, member, trail,
			res("111111111111", resource.ClassCompute, "AWS::EC2::Instance", "i-0abc", "web"),
			res("111111111111", resource.ClassFunction, "AWS::Lambda::Function", "arn:aws:lambda:us-east-1:111111111111:function:etl", "etl"),
			res("111111111111", resource.ClassObjectStorage, "AWS::S3::Bucket", "arn:aws:s3:::org-trail-logs", "org-trail-logs"),
			res("111111111111", resource.ClassObjectStorage, "AWS::S3::Bucket", "arn:aws:s3:::customer-data", "customer-data"),
			res("111111111111", resource.ClassKey, "AWS::KMS::Key", "arn:aws:kms:us-east-1:111111111111:key/k", "k"),
			res("222222222222", resource.ClassCompute, "AWS::EC2::Instance", "i-0def", "app"),
		}
		derive(rs, nil)
		if got, want := show(mg.Facts.Account.CIS), "3 [arn:aws:lambda:us-east-1:111111111111:function:etl arn:aws:s3:::customer-data i-0abc]"; got != want {
			t.Errorf("management account: %s, want %s", got, want)
		}
		if got := show(member.Facts.Account.CIS); got != "unknown" {
			t.Errorf("member account: %s, want unknown (not judged)", got)
		}
	})
	t.Run("clean", func(t *testing.T) {
		mg := account("111111111111", true)
		rs := []*resource.Resource{mg, trail, res("111111111111", resource.ClassObjectStorage, "AWS::S3::Bucket", "arn:aws:s3:::org-trail-logs", "org-trail-logs")}
		derive(rs, nil)
		if got := show(mg.Facts.Account.CIS); got != "0 []" {
			t.Errorf("management account with its trail only: %s, want 0 []", got)
		}
	})
	t.Run("governance plumbing", func(t *testing.T) {
		// AWS Config's delivery channel (its bucket through RelLogsTo), a
		// bucket whose policy lets CloudTrail or Config write, Control
		// Tower's functions and stack-set resources, IAM roles (the
		// recorder's, service-linked ones): none is a workload.
		mg := account("111111111111", true)
		channel := res("111111111111", resource.ClassOther, "AWS::Config::DeliveryChannel", "aws-config-delivery-channel:default", "default")
		channel.Relationships = []resource.Relationship{{Type: resource.RelLogsTo, TargetID: "arn:aws:s3:::config-bucket-111111111111"}}
		orgTrailBucket := res("111111111111", resource.ClassObjectStorage, "AWS::S3::Bucket", "arn:aws:s3:::org-trail-other-account", "org-trail-other-account")
		orgTrailBucket.Facts.ResourcePolicy = &resource.PolicyDocument{Statements: []resource.Statement{
			{Effect: "Allow", Principals: []resource.Principal{{Type: "Service", ID: "cloudtrail.amazonaws.com"}}, Actions: []string{"s3:GetBucketAcl"}},
			{Effect: "Allow", Principals: []resource.Principal{{Type: "Service", ID: "cloudtrail.amazonaws.com"}}, Actions: []string{"s3:PutObject"}}}}
		accessLogs := res("111111111111", resource.ClassObjectStorage, "AWS::S3::Bucket", "arn:aws:s3:::access-logs", "access-logs")
		accessLogs.Facts.ResourcePolicy = &resource.PolicyDocument{Statements: []resource.Statement{
			{Effect: "Allow", Principals: []resource.Principal{{Type: "Service", ID: "logging.s3.amazonaws.com"}}, Actions: []string{"s3:PutObject"}}}}
		readOnly := res("111111111111", resource.ClassObjectStorage, "AWS::S3::Bucket", "arn:aws:s3:::reports", "reports")
		readOnly.Facts.ResourcePolicy = &resource.PolicyDocument{Statements: []resource.Statement{
			{Effect: "Allow", Principals: []resource.Principal{{Type: "Service", ID: "config.amazonaws.com"}}, Actions: []string{"s3:GetBucketAcl"}}}}
		stackFn := res("111111111111", resource.ClassFunction, "AWS::Lambda::Function", "arn:aws:lambda:us-east-1:111111111111:function:lifecycle", "lifecycle")
		stackFn.Tags = map[string]string{"aws:cloudformation:stack-name": "StackSet-AWSControlTowerBP-BASELINE-CONFIG-abc"}
		rs := []*resource.Resource{mg, channel, orgTrailBucket, accessLogs, readOnly, stackFn,
			res("111111111111", resource.ClassObjectStorage, "AWS::S3::Bucket", "arn:aws:s3:::config-bucket-111111111111", "config-bucket-111111111111"),
			res("111111111111", resource.ClassFunction, "AWS::Lambda::Function", "arn:aws:lambda:us-east-1:111111111111:function:aws-controltower-NotificationForwarder", "aws-controltower-NotificationForwarder"),
			res("111111111111", resource.ClassIdentity, "AWS::IAM::Role", "arn:aws:iam::111111111111:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig", "AWSServiceRoleForConfig"),
			res("111111111111", resource.ClassIdentity, "AWS::IAM::Role", "arn:aws:iam::111111111111:role/config-recorder", "config-recorder"),
		}
		derive(rs, nil)
		if got, want := show(mg.Facts.Account.CIS), "1 [arn:aws:s3:::reports]"; got != want {
			t.Errorf("management account with governance plumbing: %s, want %s (a bucket Config may only read the ACL of is a workload)", got, want)
		}
	})
	t.Run("only the organization's document", func(t *testing.T) {
		mg := account("111111111111", true)
		rs := []*resource.Resource{mg, res("111111111111", resource.ClassOther, "AWS::Organizations::Policy", "arn:aws:organizations::111111111111:policy/o-x/tag_policy/p-1", "tags")}
		derive(rs, nil)
		if got := show(mg.Facts.Account.CIS); got != "unknown" {
			t.Errorf("management account not in the inventory: %s, want unknown", got)
		}
	})
}
