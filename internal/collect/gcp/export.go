package gcpcollect

import (
	"bytes"
	"encoding/json"

	"cloud.google.com/go/asset/apiv1/assetpb"
	"google.golang.org/protobuf/encoding/protojson"
)

// exportOptions write an asset as `gcloud asset export` does: the proto
// field names (asset_type, iam_policy, update_time), enums by name, the
// resource's data (a Struct, the API's own JSON) as it came.
var exportOptions = protojson.MarshalOptions{UseProtoNames: true}

// exportLine writes an asset as one compact line of newline-delimited
// JSON (protojson's own output has no stable spacing). An asset JSON
// cannot hold (a NaN in its data) is an error.
func exportLine(buf *bytes.Buffer, a *assetpb.Asset) error {
	b, err := exportOptions.Marshal(a)
	if err != nil {
		return err
	}
	n := buf.Len()
	if err := json.Compact(buf, b); err != nil {
		buf.Truncate(n)
		return err
	}
	buf.WriteByte('\n')
	return nil
}
