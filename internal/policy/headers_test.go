package policy

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"maps"
	"math"
	"os"
	"path"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/vigil-sec/vigil/internal/rules"
)

var update = flag.Bool("update", false, "rewrite headers_gen.jsonl from the built-in rule pack")

// parsedHeaders parses the header of every rule and library file of fsys
// as a lazy engine without the table would: header text -> module (a
// library's names no rule: packageAnnotation is nil).
func parsedHeaders(t *testing.T, fsys fs.FS) map[string]*ast.Module {
	t.Helper()
	out := map[string]*ast.Module{}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".rego") || strings.HasSuffix(p, "_test.rego") {
			return err
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		h, ok := packageHeader(string(data))
		if !ok {
			return nil
		}
		m, err := ast.ParseModuleWithOpts(path.Join("builtin", p), h, parserOptions())
		if err != nil {
			return nil // parsed whole by the engine: an error it reports
		}
		out[h] = m
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// jsonLiteral writes v, a value of decoded METADATA, as the JSON the
// header table's decoder (jsonText) reads back to the same dynamic type: a
// float is written with a fraction or an exponent, an int without.
func jsonLiteral(b *bytes.Buffer, v any) error {
	switch v := v.(type) {
	case nil:
		b.WriteString("null")
	case string:
		var s bytes.Buffer
		enc := json.NewEncoder(&s)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(v); err != nil {
			return err
		}
		b.Write(bytes.TrimSuffix(s.Bytes(), []byte("\n")))
	case bool:
		fmt.Fprintf(b, "%t", v)
	case int:
		fmt.Fprintf(b, "%d", v)
	case float64:
		if math.IsInf(v, 0) || math.IsNaN(v) {
			return fmt.Errorf("METADATA value %v has no JSON form", v)
		}
		f := strconv.FormatFloat(v, 'g', -1, 64)
		if !strings.ContainsAny(f, ".e") {
			f += ".0"
		}
		b.WriteString(f)
	case []any:
		b.WriteString("[")
		for i, x := range v {
			if i > 0 {
				b.WriteString(",")
			}
			if err := jsonLiteral(b, x); err != nil {
				return err
			}
		}
		b.WriteString("]")
	case map[string]any:
		b.WriteString("{")
		for i, k := range slices.Sorted(maps.Keys(v)) {
			if i > 0 {
				b.WriteString(",")
			}
			if err := jsonLiteral(b, k); err != nil {
				return err
			}
			b.WriteString(":")
			if err := jsonLiteral(b, v[k]); err != nil {
				return err
			}
		}
		b.WriteString("}")
	default:
		return fmt.Errorf("METADATA value %v of type %T has no JSON form here", v, v)
	}
	return nil
}

// headersTable is headers_gen.jsonl for the headers given: one line per
// header, sorted by key (see builtinHeaderText).
func headersTable(mods map[string]*ast.Module) ([]byte, error) {
	var b bytes.Buffer
	keys := map[string]string{}
	for h := range mods {
		keys[headerKey(h)] = h
	}
	for _, k := range slices.Sorted(maps.Keys(keys)) {
		m := mods[keys[k]]
		ann := packageAnnotation(m)
		pkg := []any{}
		for _, t := range m.Package.Path[1:] {
			s, ok := t.Value.(ast.String)
			if !ok {
				return nil, fmt.Errorf("%s: package path %v", m.Package.Location.File, m.Package.Path)
			}
			pkg = append(pkg, string(s))
		}
		fmt.Fprintf(&b, "%s%s\",\"pkg\":", keyPrefix, k)
		if ann == nil { // a library's header
			if err := jsonLiteral(&b, pkg); err != nil {
				return nil, err
			}
			b.WriteString(`,"library":true}` + "\n")
			continue
		}
		for _, part := range []struct {
			name string
			v    any
		}{{"", pkg}, {"title", ann.Title}, {"description", ann.Description}, {"custom", ann.Custom}} {
			if part.name != "" {
				fmt.Fprintf(&b, ",%q:", part.name)
			}
			if err := jsonLiteral(&b, part.v); err != nil {
				return nil, fmt.Errorf("%s: %w", m.Package.Location.File, err)
			}
		}
		b.WriteString("}\n")
	}
	return b.Bytes(), nil
}

// TestBuiltinHeaders fails while headers_gen.jsonl is not what the built-in
// pack's headers decode to (-update rewrites it), and checks that every
// rule read from the table is the rule read from its parsed header.
func TestBuiltinHeaders(t *testing.T) {
	mods := parsedHeaders(t, rules.FS())
	src, err := headersTable(mods)
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile("headers_gen.jsonl", src, 0o644); err != nil {
			t.Fatal(err)
		}
		// The table compiled into this test is the old one: the next
		// run checks the new.
		return
	}
	have, err := os.ReadFile("headers_gen.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(have, src) {
		t.Fatalf("headers_gen.jsonl is stale (a rule's METADATA or package line changed): go test ./internal/policy -run TestBuiltinHeaders -update")
	}
	table := builtinHeaders()
	if len(table) != len(mods) || len(table) < 300 {
		t.Fatalf("table holds %d headers, the pack %d", len(table), len(mods))
	}
	libs := 0
	for h, m := range mods {
		meta, ok := table.get(headerKey(h))
		if !ok {
			t.Fatalf("%s: header not in the table, or its line does not decode", m.Package.Location.File)
		}
		file := m.Package.Location.File
		if packageAnnotation(m) == nil {
			libs++
			if !meta.library || !meta.path().Equal(m.Package.Path) {
				t.Errorf("%s: a library's header, read from the table as %+v", file, meta)
			}
			continue
		}
		if meta.library {
			t.Errorf("%s: a rule's header, read from the table as a library's", file)
		}
		if ann := packageAnnotation(m); !reflect.DeepEqual(meta.custom, ann.Custom) {
			t.Errorf("%s: custom from the table\n%#v\nfrom the parsed header\n%#v", file, meta.custom, ann.Custom)
		}
		want, err := ruleFromModule(file, m)
		if err != nil {
			t.Fatal(err)
		}
		if !meta.path().Equal(m.Package.Path) {
			t.Errorf("%s: package %v, table %v", file, m.Package.Path, meta.path())
		}
		got, err := ruleFromMeta(file, meta.path().String(), meta.title, meta.description, meta.custom)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: rule from the table\n%+v\nfrom the parsed header\n%+v", file, got, want)
		}
	}
	if libs < 5 {
		t.Errorf("%d libraries' headers in the table, want lib/*.rego's", libs)
	}
}

// TestBuiltinHeadersEngine checks that a lazy engine reads the same rules
// with the table as with every header parsed, and that a header the
// table does not hold (an edited rule) is parsed.
func TestBuiltinHeadersEngine(t *testing.T) {
	ctx := context.Background()
	src := Source{FS: rules.FS(), Name: "builtin", Builtin: true}
	files, err := readSources(ctx, []Source{src}, false, true)
	if err != nil {
		t.Fatal(err)
	}
	decoded := 0
	for _, f := range files {
		if f.meta != nil {
			decoded++
		}
	}
	if decoded < 300 {
		t.Fatalf("%d rule files read from the table", decoded)
	}
	withTable, err := New(ctx, []Source{src})
	if err != nil {
		t.Fatal(err)
	}
	// The same pack with one byte more in every header: none is in the
	// table, every header is parsed.
	edited := editedPack(t, rules.FS())
	parsed, err := New(ctx, []Source{{FS: edited, Name: "builtin", Builtin: true}})
	if err != nil {
		t.Fatal(err)
	}
	files, err = readSources(ctx, []Source{{FS: edited, Name: "builtin", Builtin: true}}, false, true)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if f.meta != nil {
			t.Fatalf("%s: an edited header read from the table", f.name)
		}
	}
	a, b := withTable.Rules(), parsed.Rules()
	if len(a) != len(b) || len(a) < 300 {
		t.Fatalf("%d rules with the table, %d parsed", len(a), len(b))
	}
	for i := range a {
		if !reflect.DeepEqual(a[i], b[i]) {
			t.Errorf("rule %d: with the table\n%+v\nparsed\n%+v", i, a[i], b[i])
		}
	}
}

// editedPack is fsys with a blank line before every file's text: the
// same rules, headers of other text.
func editedPack(t *testing.T, fsys fs.FS) fstest.MapFS {
	t.Helper()
	out := fstest.MapFS{}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		out[p] = &fstest.MapFile{Data: append([]byte("\n"), data...)}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestHeaderJSON checks the table's decoder on the values METADATA holds,
// against encoding/json, and on text it must refuse.
func TestHeaderJSON(t *testing.T) {
	for _, tc := range []struct {
		text string
		want any
	}{
		{`{"a":["x",true,false,null,-1,2.5,1e3,1.0],"b":{},"c":[]}`,
			map[string]any{"a": []any{"x", true, false, nil, -1, 2.5, 1000.0, 1.0}, "b": map[string]any{}, "c": []any{}}},
		{` { "k" : "tab\there \"q\" \u00e9 \/ é 💡" } `, map[string]any{"k": "tab\there \"q\" é / é 💡"}},
		{`"\ud83d\udca1"`, "💡"},
		{`[[1,[2]],{"x":{"y":"z"}}]`, []any{[]any{1, []any{2}}, map[string]any{"x": map[string]any{"y": "z"}}}},
	} {
		d := jsonText{s: tc.text}
		got, err := d.value()
		if err != nil || d.space() != len(tc.text) {
			t.Errorf("%s: %v (stopped at %d)", tc.text, err, d.i)
			continue
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: got %#v, want %#v", tc.text, got, tc.want)
		}
		var std any
		if err := json.Unmarshal([]byte(tc.text), &std); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(jsonFloats(got), std) {
			t.Errorf("%s: got %#v, encoding/json %#v", tc.text, got, std)
		}
	}
	for _, bad := range []string{``, `{`, `{"a"}`, `{"a":1,}`, `[1 2]`, `"open`, "\"a\x01\"", `01`, `-`, `1.2.3`, `{a:1}`, `tru`, `"\x"`} {
		d := jsonText{s: bad}
		if v, err := d.value(); err == nil {
			t.Errorf("%q: decoded to %#v", bad, v)
		}
	}
	if _, err := decodeHeaderLine(`{"key":"k","pkg":["a"],"title":"t","description":"d","custom":{}} x`); err == nil {
		t.Error("a line with text after its object decoded")
	}
	if _, err := decodeHeaderLine(`{"key":"k","pkg":["a",1],"title":"t","description":"d","custom":{}}`); err == nil {
		t.Error("a package path holding a number decoded")
	}
	if h, err := decodeHeaderLine(`{"key":"k","pkg":["vigil","lib","net"],"library":true}`); err != nil || !h.library || h.path().String() != "data.vigil.lib.net" {
		t.Errorf("a library's line decoded to %+v, %v", h, err)
	}
	for _, bad := range []string{
		`{"key":"k","pkg":["a"],"library":false}`,
		`{"key":"k","pkg":["a"],"library":true,"title":"t"}`,
		`{"key":"k","pkg":["a"],"library":true,"custom":{}}`,
		`{"key":"k","library":true}`,
	} {
		if h, err := decodeHeaderLine(bad); err == nil {
			t.Errorf("%s decoded to %+v", bad, h)
		}
	}
	if _, ok := builtinHeaders().get("not a key"); ok {
		t.Error("a key not in the table found")
	}
}

// jsonFloats is v with every int a float64, as encoding/json decodes it.
func jsonFloats(v any) any {
	switch v := v.(type) {
	case int:
		return float64(v)
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = jsonFloats(x)
		}
		return out
	case map[string]any:
		out := map[string]any{}
		for k, x := range v {
			out[k] = jsonFloats(x)
		}
		return out
	}
	return v
}

// BenchmarkBuiltinHeaders decodes the whole built-in table, as a lazy
// engine's New does.
func BenchmarkBuiltinHeaders(b *testing.B) {
	b.ReportAllocs()
	for range b.N {
		t := builtinHeaders()
		for k := range t {
			if _, ok := t.get(k); !ok {
				b.Fatal(k)
			}
		}
	}
}
