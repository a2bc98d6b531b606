package load

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/vigil-sec/vigil/internal/findings"
)

// FuzzData feeds arbitrary files through format recognition and every
// reader: nothing panics, every finding has a product, an id, a valid raw
// record and its position, and every problem names the file and a byte
// offset inside it.
func FuzzData(f *testing.F) {
	seeds, err := filepath.Glob("testdata/samples/*")
	if err != nil || len(seeds) == 0 {
		f.Fatalf("no seeds: %v", err)
	}
	for _, p := range seeds {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"Findings":[{"Id":"a","Arn":"b","Type":"t","Service":{},"Resource":{"InstanceDetails":{}}},`))
	f.Add([]byte(`{"detail-type":"Security Hub Findings - Imported","detail":{"findings":[{"Id":"x"},7]}}` + "\n" + `{"finding":{}}`))
	f.Add([]byte(`[{"type":"Microsoft.Security/assessments/subAssessments","id":"/","properties":{"additionalData":{"cvss":{"3.0":{}}}}}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		// The format split recognised a record in as it split it is the
		// one the record, scanned on its own, has.
		in := input{file: "fuzz.json"}
		in.split(data)
		for n, sp := range in.spans {
			var got, want findings.Finding
			p, q := recordAt(data, sp, &got, findings.Copy), record(data[sp.start:sp.end], &want, findings.Copy)
			if p.found != q.found || p.skipped != q.skipped || fmt.Sprint(p.err) != fmt.Sprint(q.err) ||
				!reflect.DeepEqual(got, want) || !reflect.DeepEqual(p.more, q.more) {
				t.Fatalf("record %d (form %d): split's recognition read %+v %+v, the record's own %+v %+v", n, sp.form, p, got, q, want)
			}
		}
		res := Data("fuzz.json", data)
		for _, fd := range res.Findings {
			if fd.Product == "" || fd.ID == "" || fd.Source.File != "fuzz.json" || fd.Source.Index < 0 {
				t.Fatalf("finding without product, id or position: %+v", fd)
			}
			if !json.Valid(fd.Raw) {
				t.Fatalf("raw record is not JSON: %q", fd.Raw)
			}
			if _, err := json.Marshal(fd.OCSF()); err != nil {
				t.Fatalf("OCSF: %v", err)
			}
		}
		for _, p := range res.Problems {
			if p.File != "fuzz.json" || p.Offset < 0 || p.Offset > len(data) || p.Err == nil {
				t.Fatalf("problem without file or offset: %+v", p)
			}
		}
	})
}
