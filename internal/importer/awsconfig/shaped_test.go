package awsconfig

import (
	"context"
	"reflect"
	"testing"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
)

// checkShaped parses data with ParseShaped and, when it takes the text,
// with Parse on the decoded document, with Raw whole and with Raw dropped
// (then both pruned by FinishRaw, as the importer does): the results must
// be the same. It reports whether ParseShaped took the text.
func checkShaped(t *testing.T, path string, data []byte) bool {
	t.Helper()
	took := false
	for _, ctx := range []context.Context{context.Background(), attr.WithRawDropped(context.Background())} {
		got := ParseShaped(ctx, path, data)
		if got == nil {
			continue
		}
		took = true
		var doc any
		if err := attr.Decode(data, &doc); err != nil {
			t.Fatalf("%s: ParseShaped took a text Decode rejects: %v", path, err)
		}
		if Detect(doc) != FormatConfig {
			t.Fatalf("%s: ParseShaped took a document detected as %q", path, Detect(doc))
		}
		want := Parse(ctx, path, doc)
		if attr.RawDropped(ctx) {
			for _, res := range []*attr.Result{got, want} {
				for _, r := range res.Resources {
					r.Raw = FinishRaw(r)
				}
			}
		}
		if !reflect.DeepEqual(got, want) {
			if len(got.Resources) != len(want.Resources) {
				t.Fatalf("%s: %d resources, want %d", path, len(got.Resources), len(want.Resources))
			}
			for i := range got.Resources {
				if !reflect.DeepEqual(got.Resources[i], want.Resources[i]) {
					t.Fatalf("%s (raw dropped %v): resource %d\n got %+v\nwant %+v", path, attr.RawDropped(ctx), i, got.Resources[i], want.Resources[i])
				}
			}
			t.Fatalf("%s (raw dropped %v): results differ\n got %+v\nwant %+v", path, attr.RawDropped(ctx), got, want)
		}
	}
	return took
}

// shapedSeeds are snapshots with the spellings and damage Parse accepts
// (the fixtures, the sample organization and synthetic snapshots are
// compared by the importer's TestShapedMatchesGeneric).
var shapedSeeds = []string{
	`{"fileVersion":"1.0","configSnapshotId":"x","configurationItems":[{"resourceType":"AWS::S3::Bucket","resourceId":"b","ARN":"arn:aws:s3:::b","awsRegion":"us-east-1","awsAccountId":"111122223333","configuration":{"name":"b"},"supplementaryConfiguration":{"PublicAccessBlockConfiguration":{"blockPublicAcls":true}},"tags":{"k":"v"},"relationships":[{"resourceId":"r","name":"Contains"}],"configurationItemCaptureTime":"2026-01-01T00:00:00Z","configurationItemStatus":"OK"}]}`,
	`{"configurationItems":[{"resourcetype":"AWS::EC2::SecurityGroup","RESOURCEID":"sg-1","arn":"arn:aws:ec2:us-east-1:111122223333:security-group/sg-1","accountId":"111122223333","awsRegion":"us-east-1","configuration":"{\"groupName\":\"default\",\"ipPermissions\":[{\"ipProtocol\":\"-1\",\"ipRanges\":[\"0.0.0.0/0\"]}]}","relationships":[{"resourceType":"AWS::EC2::Instance","resourceId":"i-1","relationshipName":"Is associated with"}],"extra":{"a":1}}],"nextToken":"t"}`,
	`{"configurationItems":[{"resourceType":"AWS::KMS::Key","resourceId":"k","ARN":42,"configuration":[],"supplementaryConfiguration":"oops","tags":[{"key":"a","value":"b"}],"relationships":{"a":1}},{"resourceType":"AWS::IAM::Group","resourceId":"g","awsAccountId":"1","configuration":{"groupName":"g"},"relationships":[7]}]}`,
	`{"configurationItems":[{"resourceType":"AWS::S3::Bucket","resourceId":"b","awsRegion":"us-east-1","configurationItemCaptureTime":"2026-01-01T00:00:00Z"},{"resourceType":"AWS::S3::Bucket","resourceId":"b","awsRegion":"us-east-1","configurationItemCaptureTime":"2026-01-02T00:00:00Z","configurationItemStatus":"ResourceDeleted"},{"resourceType":"AWS::CloudTrail::Trail","resourceId":"t","ARN":"arn:aws:cloudtrail:us-east-1:1:trail/t","configuration":{"isMultiRegionTrail":true}}]}`,
	`{"configurationItems":[],"configSnapshotId":"x"}`, `{"configurationItems":[{}]}`, `{"configurationItems":[{"a":1}],"Results":["{}"]}`,
	`{"configurationItems":[{"resourceType":"AWS::Lambda::Function","resourceId":"f","Policy":"{}","ARN":"arn:aws:lambda:us-east-1:1:function:f"}]}`,
}

func TestParseShapedSeeds(t *testing.T) {
	took := 0
	for i, s := range shapedSeeds {
		if checkShaped(t, "seed", []byte(s)) {
			took++
		} else if i < 4 {
			t.Errorf("ParseShaped did not take seed %d", i)
		}
	}
	if took < 6 {
		t.Fatalf("ParseShaped took %d seeds", took)
	}
}

func FuzzParseShaped(f *testing.F) {
	for _, s := range shapedSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkShaped(t, "fuzz", data)
	})
}
