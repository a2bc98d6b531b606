package awsconfig

import (
	"testing"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
)

func ec2Item(id string, profile any, set bool) attr.M {
	cfg := attr.M{"instanceId": id, "state": attr.M{"name": "running"}}
	if set {
		cfg["iamInstanceProfile"] = profile
	}
	return attr.M{"resourceType": "AWS::EC2::Instance", "resourceId": id, "resourceName": id,
		"ARN": "arn:aws:ec2:us-east-1:111122223333:instance/" + id, "awsAccountId": "111122223333",
		"awsRegion": "us-east-1", "configuration": cfg}
}

// TestInstanceProfile: iamInstanceProfile {arn, id} is a profile; null or
// absent is none; an item without configuration, or a profile of the
// wrong shape, is unknown.
func TestInstanceProfile(t *testing.T) {
	noCfg := ec2Item("i-4", nil, false)
	delete(noCfg, "configuration")
	res := parseItems1(t,
		ec2Item("i-1", attr.M{"arn": "arn:aws:iam::111122223333:instance-profile/app", "id": "AIPA1"}, true),
		ec2Item("i-2", nil, true),
		ec2Item("i-3", nil, false),
		noCfg,
		ec2Item("i-5", "arn:aws:iam::111122223333:instance-profile/app", true),
	)
	want := map[string]string{"i-1": "true", "i-2": "false", "i-3": "false", "i-4": "nil", "i-5": "nil"}
	for _, r := range res.Resources {
		if r.Facts.Compute == nil {
			t.Fatalf("%s: no compute facts", r.Name)
		}
		if got := fmtB(r.Facts.Compute.InstanceProfile); got != want[r.Name] {
			t.Errorf("%s: instance profile %s, want %s", r.Name, got, want[r.Name])
		}
	}
	if len(res.Resources) != len(want) {
		t.Errorf("%d resources, want %d", len(res.Resources), len(want))
	}
}

func TestInstanceProfileWrongShapeIsAProblem(t *testing.T) {
	res := parseItems1(t, ec2Item("i-5", "arn:aws:iam::111122223333:instance-profile/app", true))
	if !hasProblem(res, res.Resources[0].ID, "configuration.iamInstanceProfile") {
		t.Errorf("problems %+v, want one on configuration.iamInstanceProfile", res.Problems)
	}
}

func ctTrailItem(name string, supp attr.M) attr.M {
	it := attr.M{"resourceType": "AWS::CloudTrail::Trail", "resourceId": name, "resourceName": name,
		"ARN": "arn:aws:cloudtrail:us-east-1:111122223333:trail/" + name, "awsAccountId": "111122223333",
		"awsRegion": "us-east-1", "configuration": attr.M{"name": name, "isMultiRegionTrail": true}}
	if supp != nil {
		it["supplementaryConfiguration"] = supp
	}
	return it
}

func s3Selector(rw string, values ...any) attr.M {
	return attr.M{"readWriteType": rw, "includeManagementEvents": true,
		"dataResources": []any{attr.M{"type": "AWS::S3::Object", "values": values}}}
}

func field(name string, equals ...any) attr.M { return attr.M{"field": name, "equals": equals} }

// TestTrailS3DataEvents: basic and advanced event selectors logging S3
// object-level writes and reads of every bucket (CIS AWS 4.8, 4.9).
func TestTrailS3DataEvents(t *testing.T) {
	res := parseItems1(t,
		ctTrailItem("all", attr.M{"EventSelectors": []any{s3Selector("All", "arn:aws:s3")}}),
		ctTrailItem("writes", attr.M{"EventSelectors": []any{s3Selector("WriteOnly", "arn:aws:s3:::")}}),
		ctTrailItem("one-bucket", attr.M{"EventSelectors": []any{s3Selector("All", "arn:aws:s3:::logs/")}}),
		ctTrailItem("management", attr.M{"EventSelectors": []any{attr.M{"readWriteType": "All", "includeManagementEvents": true, "dataResources": []any{}}}}),
		ctTrailItem("advanced-reads", attr.M{"AdvancedEventSelectors": []any{attr.M{"fieldSelectors": []any{
			field("eventCategory", "Data"), field("resources.type", "AWS::S3::Object"), field("readOnly", "true")}}}}),
		ctTrailItem("advanced-prefix", attr.M{"AdvancedEventSelectors": []any{attr.M{"fieldSelectors": []any{
			field("eventCategory", "Data"), field("resources.type", "AWS::S3::Object"),
			attr.M{"field": "resources.ARN", "startsWith": []any{"arn:aws:s3:::logs/"}}}}}}),
		ctTrailItem("as-text", attr.M{"EventSelectors": `[{"readWriteType":"All","dataResources":[{"type":"AWS::S3::Object","values":["arn:aws:s3"]}]}]`}),
		ctTrailItem("unread", nil),
		ctTrailItem("wrong", attr.M{"EventSelectors": []any{"arn:aws:s3"}}),
	)
	want := map[string][2]string{
		"all": {"true", "true"}, "writes": {"true", "false"}, "one-bucket": {"false", "false"},
		"management": {"false", "false"}, "advanced-reads": {"false", "true"}, "advanced-prefix": {"false", "false"},
		"as-text": {"true", "true"}, "unread": {"nil", "nil"}, "wrong": {"nil", "nil"},
	}
	for _, r := range res.Resources {
		a := r.Facts.AuditLog
		if a == nil {
			t.Fatalf("%s: no audit log facts", r.Name)
		}
		if got := [2]string{fmtB(a.S3WriteEvents), fmtB(a.S3ReadEvents)}; got != want[r.Name] {
			t.Errorf("%s: S3 write, read events %v, want %v", r.Name, got, want[r.Name])
		}
	}
	if !hasProblem(res, "arn:aws:cloudtrail:us-east-1:111122223333:trail/wrong", "supplementaryConfiguration.EventSelectors[0]") {
		t.Errorf("problems %+v, want one on the wrong selector", res.Problems)
	}
}
