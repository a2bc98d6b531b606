package detect

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/vigil-sec/vigil/internal/logs"
	"github.com/vigil-sec/vigil/internal/sigma"
)

// jsonPaths lists every path of the JSON value v (objects walked, arrays
// and their elements' paths too), plus paths that do not exist below each
// object.
func jsonPaths(prefix string, v any, out *[]string) {
	switch x := v.(type) {
	case map[string]any:
		*out = append(*out, prefix+"no_such_field")
		for k, c := range x {
			p := prefix + k
			*out = append(*out, p)
			jsonPaths(p+".", c, out)
		}
	case []any:
		for _, c := range x {
			jsonPaths(prefix, c, out)
		}
	}
}

// structPaths lists the JSON names of struct type t and of the structs
// below it (through pointers), to depth 4.
func structPaths(prefix string, t reflect.Type, depth int, out *[]string) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || depth > 4 {
		return
	}
	for name, f := range jsonFields(t) {
		*out = append(*out, prefix+name)
		structPaths(prefix+name+".", t.FieldByIndex(f.index).Type, depth+1, out)
	}
}

// TestOCSFEventReadsAsJSON: OCSF rules and "ocsf." correlation fields read
// the normalized struct (ocsfEvent) instead of its JSON; every path of the
// JSON of events of every source (and absent ones) must read the same
// from both: kind, text and number.
func TestOCSFEventReadsAsJSON(t *testing.T) {
	eng, err := New(context.Background(), Config{Version: "test", NoBuiltins: true})
	if err != nil {
		t.Fatal(err)
	}
	perSource := map[logs.Source]int{}
	checked := 0
	err = logs.Walk(context.Background(), []string{corpus(t, "logs")}, func(rec logs.Record) error {
		if perSource[rec.Source] >= 150 {
			return nil
		}
		perSource[rec.Source]++
		norm := eng.normalize(rec)
		if norm == nil {
			return nil
		}
		o := &ocsfEvent{e: eng}
		o.reset(norm, rec.Raw)
		// The reference: the JSON of the event as logs.Normalize makes
		// it, raw_data included (the engine's own normalizer leaves it
		// for the view to fill in).
		full, err := logs.Normalize(rec)
		if err != nil {
			t.Fatal(err)
		}
		if !eng.lazyRaw || norm.Common().RawData != "" || full.Common().RawData == "" {
			t.Fatalf("raw_data: engine's %q, logs.Normalize's %d bytes: the test needs it left to the view", norm.Common().RawData, len(full.Common().RawData))
		}
		doc := eng.ocsfJSON(full)
		jev := sigma.NewJSONEvent(doc)
		var v any
		if err := json.Unmarshal(doc, &v); err != nil {
			t.Fatal(err)
		}
		var paths []string
		jsonPaths("", v, &paths)
		paths = append(paths, "vigil", "vigil.identity", "vigil.key_id", "actor.user.no.such", "resources.uid")
		// Every name of the struct types too: fields left out of the JSON
		// (omitempty, nil pointers) must be absent from both.
		structPaths("", reflect.TypeOf(norm), 0, &paths)
		for _, p := range paths {
			want, wok := jev.Field(p)
			// A fresh view per path: no JSON made by an earlier path.
			o.reset(norm, rec.Raw)
			got, gok := o.Field(p)
			if wok != gok || want.Kind != got.Kind || want.Str != got.Str || want.Num != got.Num || len(want.Elems) != len(got.Elems) {
				t.Errorf("%s %s line %d: %s: struct %v %+v, JSON %v %+v", rec.Source, rec.File, rec.Line, p, gok, got, wok, want)
				return nil
			}
			checked++
		}
		return nil
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(perSource) < 3 || checked < 1000 {
		t.Fatalf("checked %d paths over %v: too few to mean anything", checked, perSource)
	}
	t.Logf("%d paths compared over %v", checked, perSource)
}

// TestOCSFEventStructOnly: the fields the built-in OCSF rules and
// correlations read come from the struct, without encoding the event.
func TestOCSFEventStructOnly(t *testing.T) {
	eng, err := New(context.Background(), Config{Version: "test", NoBuiltins: true})
	if err != nil {
		t.Fatal(err)
	}
	ev := detEvent(0, "alice", "s3.amazonaws.com", "GetObject", "198.51.100.23", map[string]any{"eventID": "x"})
	raw, _ := json.Marshal(ev)
	norm := eng.normalize(logs.Record{Source: logs.AWSCloudTrail, Raw: raw})
	if norm == nil {
		t.Fatal("not normalized")
	}
	o := &ocsfEvent{e: eng}
	o.reset(norm, raw)
	for _, p := range []string{"api.operation", "cloud.provider", "status_id", "vigil.identity", "cloud.account.uid", "actor.user.name"} {
		if _, ok := o.Field(p); !ok {
			t.Errorf("%s: absent", p)
		}
	}
	if o.made {
		t.Error("the OCSF JSON was made for fields the struct holds")
	}
}
