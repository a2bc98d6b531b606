package gcpcollect

import (
	"bytes"
	"encoding/json"
	"fmt"

	"cloud.google.com/go/asset/apiv1/assetpb"
	"google.golang.org/protobuf/encoding/protojson"
)

// exportOptions write an asset as `gcloud asset export` does: the proto
// field names (asset_type, iam_policy, update_time), enums by name, the
// resource's data (a Struct, the API's own JSON) as it came.
var exportOptions = protojson.MarshalOptions{UseProtoNames: true}

// exportLines writes assets as newline-delimited JSON, one compact line
// each (protojson's output has no stable spacing).
func exportLines(assets []*assetpb.Asset) ([]byte, error) {
	var buf bytes.Buffer
	for _, a := range assets {
		b, err := exportOptions.Marshal(a)
		if err != nil {
			return nil, fmt.Errorf("asset %s: %w", a.GetName(), err)
		}
		if err := json.Compact(&buf, b); err != nil {
			return nil, fmt.Errorf("asset %s: %w", a.GetName(), err)
		}
		buf.WriteByte('\n')
	}
	return buf.Bytes(), nil
}
