package importer

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// FuzzParseData feeds arbitrary files through content detection, every
// format and the salvage of malformed JSON: nothing may panic, a file is
// either skipped, an error, or parsed, and an error always names the file.
func FuzzParseData(f *testing.F) {
	for _, p := range []string{
		"awsconfig/testdata/select.json", "awsconfig/testdata/credential-report.csv", "azure/testdata/authorization.json",
		"azure/testdata/security.json", "gcp/testdata/assets-api.json", "testdata/mixed/broken-snapshot.json",
	} {
		data, err := os.ReadFile(filepath.FromSlash(p))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("{\"name\":\"//storage.googleapis.com/b\",\"asset_type\":\"storage.googleapis.com/Bucket\"}\n{\"name\":"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fr := parseData(context.Background(), "fuzz.json", data)
		switch {
		case fr.err != nil:
			if fr.err.Path != "fuzz.json" {
				t.Fatalf("error without the file: %+v", fr.err)
			}
		case fr.skip != "":
		case fr.res == nil || fr.format == "":
			t.Fatalf("neither skipped, error nor parsed: %+v", fr)
		}
		if fr.res != nil {
			for _, r := range fr.res.Resources {
				if r.ID == "" || r.Provider == "" {
					t.Fatalf("bad resource %+v", r)
				}
			}
		}
	})
}
