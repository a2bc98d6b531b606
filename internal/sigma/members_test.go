package sigma

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
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
		dots := a.topDots
		// The reader's note of a dotted key (MemberDots) is what the
		// keys tell.
		a.ResetMembersDots(r.Raw, r.Members, r.MemberDots)
		if a.topDots != dots {
			t.Fatalf("%s:%d: MemberDots %v, the keys say %v", r.File, r.Offset, r.MemberDots, dots)
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

// TestHasDot checks hasDot against strings.IndexByte at every length and
// position, with bytes around '.' (0x2d, 0x2f, 0xae) and high bytes that
// the word test must not take for a dot.
func TestHasDot(t *testing.T) {
	fill := []byte{'a', 0x2d, 0x2f, 0xae, 0x80, 0xff, 0x00, 0x2e ^ 0x80}
	for n := 0; n <= 40; n++ {
		for _, f := range fill {
			b := bytes.Repeat([]byte{f}, n)
			if got, want := hasDot(string(b)), strings.IndexByte(string(b), '.') >= 0; got != want {
				t.Fatalf("hasDot(%q) = %v, want %v", b, got, want)
			}
			for i := range n {
				c := bytes.Clone(b)
				c[i] = '.'
				if !hasDot(string(c)) {
					t.Fatalf("hasDot(%q) = false, want true", c)
				}
			}
			// A name inside a longer text: bytes past it, dots among
			// them, must not count (the last word is read whole).
			for _, after := range []string{"", ".", `".`, "........", `":"a.b"}`} {
				for _, before := range []string{"", ".", "x......."} {
					s := before + string(b) + after
					want := strings.IndexByte(string(b), '.') >= 0
					if got := dotIn(s, len(before), len(before)+n); got != want {
						t.Fatalf("dotIn(%q, %d, %d) = %v, want %v", s, len(before), len(before)+n, got, want)
					}
				}
			}
		}
	}
}

// TestFindKeyFolds: findKey's shortcuts (first and second byte) never
// skip a name strings.EqualFold takes for the key, with ASCII and non-ASCII
// folds (the Kelvin sign, long s) at the first and second byte.
func TestFindKeyFolds(t *testing.T) {
	names := []string{"eventName", "EVENTNAME", "eVentname", "errorCode", "ErrorCode", "\u212aey", "k\u212aey", "s\u017fx", "\u017fsx", "@x", "`x", "e", "", "E", "x.y", "X.Y"}
	keys := []string{"eventName", "errorCode", "key", "kkey", "ssx", "@x", "`x", "e", "E", "x.y", "zz", ""}
	for _, key := range keys {
		for _, name := range names {
			// The name first among others that do not fold.
			top := []kv{{key: "zzz", val: "0"}, {key: name, val: "1"}, {key: "yyy", val: "2"}}
			got, ok := findKey(top, key)
			want := name == key || strings.EqualFold(name, key)
			if ok != want || (ok && got != "1") {
				t.Errorf("findKey(%q) among %q: %q %v, want %v", key, name, got, ok, want)
			}
		}
	}
}
