package sigma

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/tidwall/gjson"

	"github.com/vigil-sec/vigil/internal/logs"
)

// TestResetMembersSameFields reads the corpus audit logs and, for every
// event the reader located the members of, compares every answer of an
// event reset with those offsets (ResetMembers) with one that scans the
// event itself (Reset): each top-level member, each member one and two
// levels down, case-folded and missing names, dotted names. It fails when
// the offsets are not used (ResetMembers must not scan) or are wrong.
func TestResetMembersSameFields(t *testing.T) {
	dir := filepath.Join(corpusDir, "logs")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("corpus logs not present at %s: %v", dir, err)
	}
	withOffsets, events := 0, 0
	a, b := NewJSONEvent(nil), NewJSONEvent(nil)
	err := logs.Walk(context.Background(), []string{dir}, func(r logs.Record) error {
		events++
		if r.Members == nil {
			return nil
		}
		withOffsets++
		a.ResetMembers(r.Raw, r.Members)
		if !a.parsed || len(a.top) != len(r.Members)/4 {
			t.Fatalf("%s:%d: ResetMembers did not take the %d members", r.File, r.Offset, len(r.Members)/4)
		}
		b.Reset(r.Raw)
		paths := []string{"EVENTNAME", "missing", "missing.x", "a.b"}
		gjson.ParseBytes(r.Raw).ForEach(func(k, v gjson.Result) bool {
			paths = append(paths, k.Str)
			v.ForEach(func(k2, v2 gjson.Result) bool {
				paths = append(paths, k.Str+"."+k2.Str)
				v2.ForEach(func(k3, _ gjson.Result) bool {
					paths = append(paths, k.Str+"."+k2.Str+"."+k3.Str)
					return true
				})
				return true
			})
			return true
		})
		for _, p := range paths {
			va, oka := a.Field(p)
			vb, okb := b.Field(p)
			if oka != okb || !reflect.DeepEqual(va, vb) {
				t.Fatalf("%s:%d %q: with offsets %v %+v, scanned %v %+v", r.File, r.Offset, p, oka, va, okb, vb)
			}
		}
		return nil
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if withOffsets < 1000 {
		t.Fatalf("only %d of %d corpus events came with member offsets", withOffsets, events)
	}
	t.Logf("%d of %d events compared", withOffsets, events)

	// Offsets out of bounds are ignored: the event is scanned.
	raw := []byte(`{"eventName":"X","b":{"c":1}}`)
	a.ResetMembers(raw, []int32{2, 11, 13, 99})
	if v, ok := a.Field("eventName"); !ok || v.Str != "X" {
		t.Errorf("bad offsets: eventName = %+v %v", v, ok)
	}
}
