package gcpcollect

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"cloud.google.com/go/asset/apiv1/assetpb"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	"github.com/vigil-sec/vigil/internal/collect/gcp/gcptest"
	"github.com/vigil-sec/vigil/internal/importer/gcp"
)

// FuzzExportLine: whatever asset a server sends (its protobuf wire bytes),
// the collector writes one line of JSON that decodes back to the same
// asset (its unknown fields aside) and that the gcp importer reads as one asset, or refuses it with
// an error; never a panic, never a broken or partial line.
func FuzzExportLine(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "server", "assets", "*", "*.json"))
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		assets, err := gcptest.ReadLines(data)
		if err != nil {
			f.Fatalf("%s: %v", file, err)
		}
		for _, a := range assets {
			b, err := proto.Marshal(a)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, wire []byte) {
		a := &assetpb.Asset{}
		if proto.Unmarshal(wire, a) != nil {
			return
		}
		var buf bytes.Buffer
		buf.WriteString("kept\n")
		if err := exportLine(&buf, a); err != nil {
			if buf.String() != "kept\n" {
				t.Fatalf("a refused asset left %q", buf.String())
			}
			return
		}
		line, ok := bytes.CutPrefix(buf.Bytes(), []byte("kept\n"))
		if !ok || bytes.Count(line, []byte("\n")) != 1 || line[len(line)-1] != '\n' {
			t.Fatalf("not one line: %q", line)
		}
		back := &assetpb.Asset{}
		if err := protojson.Unmarshal(line, back); err != nil {
			t.Fatalf("the line does not decode: %v\n%s", err, line)
		}
		var again bytes.Buffer
		if err := exportLine(&again, back); err != nil || !bytes.Equal(again.Bytes(), line) {
			t.Fatalf("the line does not say the same asset again (%v):\n%s\n%s", err, line, again.Bytes())
		}
		res := gcp.ParseNDJSON(context.Background(), "fuzz.json", line)
		if a.GetName() != "" && a.GetAssetType() != "" && len(res.Resources) == 0 {
			t.Fatalf("the importer read no resource from %s (problems %v)", line, res.Problems)
		}
	})
}
