package awsconfig

import (
	"reflect"
	"testing"

	"github.com/vigil-sec/vigil/internal/resource"
)

// Kinesis data streams are queues of kind stream, encrypted only with
// EncryptionType KMS, in the CloudFormation shape AWS Config records
// (StreamEncryption left out when off) and the DescribeStreamSummary one.
func TestKinesisStreams(t *testing.T) {
	byID, _, _ := load(t, "kinesis.json")
	for _, tc := range []struct {
		name string
		want resource.Queue
	}{
		{"acme-clicks", resource.Queue{Kind: "stream", Encrypted: boolp(true), KeyManager: "provider"}},
		{"acme-audit", resource.Queue{Kind: "stream", Encrypted: boolp(false)}},
		{"acme-orders", resource.Queue{Kind: "stream", Encrypted: boolp(true)}},
		{"acme-legacy", resource.Queue{Kind: "stream", Encrypted: boolp(false)}},
	} {
		r := mustGet(t, byID, "arn:aws:kinesis:eu-west-1:111122223333:stream/"+tc.name)
		if r.Class != resource.ClassQueue || r.Facts.Queue == nil {
			t.Fatalf("%s: class %s, queue facts %v", tc.name, r.Class, r.Facts.Queue)
		}
		if got := *r.Facts.Queue; !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", tc.name, got, tc.want)
		}
	}
}
