package awsconfig

import (
	"testing"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
)

// CIS AWS 7.0 3.1.2: AWS Config (and vigil collect) write a bucket's
// versioning as {"status":..,"isMfaDeleteEnabled":null} when
// GetBucketVersioning returns no MFADelete element, which S3 returns only
// for a bucket once configured with MFA delete: null is off. A versioning
// configuration that was not read, or a flag of the wrong type, is unknown.
func TestS3MFADeleteFromVersioning(t *testing.T) {
	bucket := func(supp attr.M) attr.M {
		return attr.M{
			"resourceType": "AWS::S3::Bucket", "resourceId": "b1", "resourceName": "b1", "ARN": "arn:aws:s3:::b1",
			"awsAccountId": "111122223333", "awsRegion": "us-east-1", "configuration": attr.M{"name": "b1"},
			"supplementaryConfiguration": supp,
		}
	}
	cases := []struct {
		name string
		supp attr.M
		want string
	}{
		{"null (never configured)", attr.M{"BucketVersioningConfiguration": attr.M{"status": "Enabled", "isMfaDeleteEnabled": nil}}, "false"},
		{"key absent", attr.M{"BucketVersioningConfiguration": attr.M{"status": "Off"}}, "false"},
		{"disabled", attr.M{"BucketVersioningConfiguration": attr.M{"status": "Suspended", "isMfaDeleteEnabled": false}}, "false"},
		{"enabled", attr.M{"BucketVersioningConfiguration": attr.M{"status": "Enabled", "isMfaDeleteEnabled": true}}, "true"},
		{"wrong type", attr.M{"BucketVersioningConfiguration": attr.M{"status": "Enabled", "isMfaDeleteEnabled": []any{"x"}}}, "nil"},
		{"versioning not read", attr.M{"vigil:notCollected": []any{"BucketVersioningConfiguration"}}, "nil"},
		{"versioning absent", attr.M{}, "nil"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := parseItems1(t, bucket(c.supp))
			if len(res.Resources) != 1 || res.Resources[0].Facts.Storage == nil {
				t.Fatalf("want one bucket with storage facts, got %d resources", len(res.Resources))
			}
			if got := fmtB(res.Resources[0].Facts.Storage.DeleteProtection); got != c.want {
				t.Errorf("delete_protection = %s, want %s", got, c.want)
			}
		})
	}
}
