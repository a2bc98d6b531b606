package load

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"unsafe"

	"github.com/vigil-sec/vigil/internal/findings"
)

// TestCompactImportsSame imports generated files of every format, large
// enough that their raw records are left in them, and checks that
// RawInFiles writes the same OCSF events as an import holding the content
// in memory, and that WithoutRaw reads the same findings; then that a
// file changed after the import is an error when its records are written.
func TestCompactImportsSame(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 40,000 findings")
	}
	dir := t.TempDir()
	writeBenchFiles(t, dir, 40000)
	ctx := context.Background()
	ocsfOf := func(res *Result) []byte {
		t.Helper()
		if len(res.Problems) > 0 {
			t.Fatal(res.Problems)
		}
		Sort(res.Findings)
		var buf bytes.Buffer
		if err := findings.WriteOCSF(&buf, res.Findings, true); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	mem, err := Files(ctx, []string{dir})
	if err != nil {
		t.Fatal(err)
	}
	want := ocsfOf(mem)
	inFiles, err := Files(ctx, []string{dir}, RawInFiles())
	if err != nil {
		t.Fatal(err)
	}
	left := 0
	for i := range inFiles.Findings {
		if inFiles.Findings[i].RawAt.File != nil {
			left++
		}
	}
	if left < len(inFiles.Findings)/2 {
		t.Fatalf("%d of %d raw records left in their files", left, len(inFiles.Findings))
	}
	if got := ocsfOf(inFiles); !bytes.Equal(got, want) {
		t.Errorf("RawInFiles: the OCSF events differ (%d bytes, want %d)", len(got), len(want))
	}
	// The same decoded a few records at a time, the pages of each window
	// dropped after it (as a file of GiBs is).
	defer func(w int) { decodeWindow = w }(decodeWindow)
	decodeWindow = 16 << 10
	windows, err := Files(ctx, []string{dir}, RawInFiles())
	if err != nil {
		t.Fatal(err)
	}
	if got := ocsfOf(windows); !bytes.Equal(got, want) {
		t.Errorf("RawInFiles, 16 KiB windows: the OCSF events differ (%d bytes, want %d)", len(got), len(want))
	}
	windows.Close()
	// --format json: what encoding/json's indenting Encoder writes for the
	// findings held in memory.
	var wantJSON, gotJSON bytes.Buffer
	enc := json.NewEncoder(&wantJSON)
	enc.SetIndent("", "  ")
	if err := enc.Encode(mem.Findings); err != nil {
		t.Fatal(err)
	}
	if err := findings.WriteJSON(&gotJSON, inFiles.Findings); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(gotJSON.Bytes(), wantJSON.Bytes()) {
		t.Errorf("RawInFiles: WriteJSON differs from encoding/json over the findings in memory (%d bytes, want %d)", gotJSON.Len(), wantJSON.Len())
	}

	noRaw, err := Files(ctx, []string{dir}, WithoutRaw())
	if err != nil {
		t.Fatal(err)
	}
	Sort(noRaw.Findings)
	for i := range mem.Findings {
		mem.Findings[i].Raw = nil
	}
	a, _ := json.Marshal(mem.Findings)
	b, _ := json.Marshal(noRaw.Findings)
	if !bytes.Equal(a, b) {
		t.Errorf("WithoutRaw: the findings differ")
	}

	// A file changed once imported is not read back as something else.
	f := &inFiles.Findings[0]
	for i := range inFiles.Findings {
		if inFiles.Findings[i].RawAt.File != nil {
			f = &inFiles.Findings[i]
			break
		}
	}
	if err := inFiles.Close(); err != nil {
		t.Fatal(err)
	}
	again, err := Files(ctx, []string{dir}, RawInFiles())
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	for i := range again.Findings {
		if again.Findings[i].RawAt.File != nil && again.Findings[i].RawAt.File.Path() == f.RawAt.File.Path() {
			f = &again.Findings[i]
			break
		}
	}
	if err := os.WriteFile(f.RawAt.File.Path(), []byte("[]"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := f.RawRecord(nil); err == nil {
		t.Errorf("%s: a raw record read back from a file changed since", filepath.Base(f.RawAt.File.Path()))
	}
}

// TestDetachCopiesEveryString fills every string of a finding with a part
// of a buffer and checks that detach leaves none referring to it: a string
// field added to the model and forgotten there would otherwise change as
// the buffer is reused for the next file.
func TestDetachCopiesEveryString(t *testing.T) {
	buf := []byte("0123456789abcdefghijklmnopqrstuvwxyz")
	n := 0
	next := func() string {
		n++
		return unsafe.String(&buf[n%len(buf)], 1)
	}
	f := findings.Finding{Vuln: &findings.Vuln{Packages: make([]findings.Package, 2), References: make([]string, 2)},
		Requirements: make([]string, 2), Principals: make([]string, 2), Sources: make([]string, 2), LinkedAlerts: make([]string, 2)}
	var fill func(v reflect.Value)
	fill = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.String:
			v.SetString(next())
		case reflect.Struct:
			for i := range v.NumField() {
				if v.Type().Field(i).IsExported() && v.Field(i).CanSet() {
					fill(v.Field(i))
				}
			}
		case reflect.Pointer:
			if !v.IsNil() {
				fill(v.Elem())
			}
		case reflect.Slice:
			for i := range v.Len() {
				fill(v.Index(i))
			}
		}
	}
	fill(reflect.ValueOf(&f).Elem())
	var a arena
	a.from(buf)
	a.detach(&f, buf, nil)
	var check func(path string, v reflect.Value)
	check = func(path string, v reflect.Value) {
		switch v.Kind() {
		case reflect.String:
			if a.in(v.String()) {
				t.Errorf("%s still refers to the buffer", path)
			}
		case reflect.Struct:
			for i := range v.NumField() {
				if v.Type().Field(i).IsExported() {
					check(path+"."+v.Type().Field(i).Name, v.Field(i))
				}
			}
		case reflect.Pointer:
			if !v.IsNil() {
				check(path, v.Elem())
			}
		case reflect.Slice:
			if v.Type().Elem().Kind() == reflect.Uint8 {
				return
			}
			for i := range v.Len() {
				check(path, v.Index(i))
			}
		}
	}
	check("Finding", reflect.ValueOf(&f).Elem())
	if n < 30 {
		t.Fatalf("only %d strings filled", n)
	}
}
