package awsconfig

import (
	"reflect"
	"testing"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

// TestFinishRawKMSKey: of a KMS key's configuration item only its
// resourceId (in whatever case attr.Get would find it) is kept for the
// finishers, and a rotation status given with the bare key ID still
// reaches a key whose ID is not an ARN through it.
func TestFinishRawKMSKey(t *testing.T) {
	item := attr.M{"resourceId": "k-1", "ARN": "arn:aws:kms:us-east-1:111122223333:key/k-1",
		"configuration": attr.M{"keyManager": "CUSTOMER", "keyState": "Enabled"}, "tags": attr.M{"a": "b"}}
	for _, c := range []struct {
		raw, want attr.M
	}{
		{item, attr.M{"resourceId": "k-1"}},
		{attr.M{"ResourceID": "k-2", "configuration": attr.M{}}, attr.M{"ResourceID": "k-2"}},
		{attr.M{"configuration": attr.M{}}, nil},
	} {
		got := FinishRaw(&resource.Resource{Provider: resource.AWS, Type: "AWS::KMS::Key", Raw: c.raw})
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("FinishRaw(%v) = %v, want %v", c.raw, got, c.want)
		}
	}
	key := &resource.Resource{Provider: resource.AWS, Type: "AWS::KMS::Key", ID: "k-1", Account: "111122223333", Region: "us-east-1",
		Class: resource.ClassKey, Facts: resource.Facts{Key: &resource.Key{}}}
	key.Raw = FinishRaw(&resource.Resource{Type: key.Type, Raw: item})
	status := &resource.Resource{Provider: resource.AWS, Type: TypeKeyRotation, ID: "aws-kms-rotation:k-1#r.json",
		Raw: attr.M{"KeyId": "k-1", "KeyRotationEnabled": true, "RotationPeriodInDays": 90.0}}
	status.Raw = FinishRaw(status)
	FinalizeUnread([]*resource.Resource{key, status}, nil)
	if k := key.Facts.Key; k.RotationEnabled == nil || !*k.RotationEnabled || k.RotationPeriodDays == nil || *k.RotationPeriodDays != 90 {
		t.Errorf("rotation from a status by bare key ID: %+v", k)
	}
}
