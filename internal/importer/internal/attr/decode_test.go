package attr

import (
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unsafe"

	gojson "github.com/goccy/go-json"
)

// sameTree reports where two decoded trees differ: types, nil against
// empty, and numbers bit for bit (-0 is not 0).
func sameTree(a, b any, path string) error {
	switch x := a.(type) {
	case nil:
		if b != nil {
			return fmt.Errorf("%s: nil against %T", path, b)
		}
	case bool:
		if y, ok := b.(bool); !ok || x != y {
			return fmt.Errorf("%s: %v against %#v", path, x, b)
		}
	case float64:
		if y, ok := b.(float64); !ok || math.Float64bits(x) != math.Float64bits(y) {
			return fmt.Errorf("%s: %v against %#v", path, x, b)
		}
	case string:
		if y, ok := b.(string); !ok || x != y {
			return fmt.Errorf("%s: %q against %#v", path, x, b)
		}
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) || (x == nil) != (y == nil) {
			return fmt.Errorf("%s: array of %d against %#v", path, len(x), b)
		}
		for i := range x {
			if err := sameTree(x[i], y[i], fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
	case M:
		y, ok := b.(M)
		if !ok || len(x) != len(y) || (x == nil) != (y == nil) {
			return fmt.Errorf("%s: object of %d against %#v", path, len(x), b)
		}
		for k, v := range x {
			w, found := y[k]
			if !found {
				return fmt.Errorf("%s: key %q missing", path, k)
			}
			if err := sameTree(v, w, path+"."+k); err != nil {
				return err
			}
		}
	default:
		return fmt.Errorf("%s: unexpected %T", path, a)
	}
	return nil
}

// checkDecode decodes data with Decode and with goccy/go-json into each
// target kind Decode takes on the fast path, and fails on any difference
// in result or error. It reports whether the fast path took the text.
func checkDecode(t *testing.T, data []byte) bool {
	t.Helper()
	_, fast := fastDecode(data)
	var want any
	werr := gojson.Unmarshal(data, &want)
	if fast && werr != nil {
		t.Fatalf("fast path took %q, which goccy/go-json rejects: %v", data, werr)
	}
	var got any
	gerr := Decode(data, &got)
	if fmt.Sprint(gerr) != fmt.Sprint(werr) || ErrorOffset(gerr) != ErrorOffset(werr) {
		t.Fatalf("%q: error %v (offset %d), want %v (offset %d)", data, gerr, ErrorOffset(gerr), werr, ErrorOffset(werr))
	}
	if err := sameTree(got, want, "$"); err != nil {
		t.Fatalf("%q: %v", data, err)
	}
	var gm, wm M
	gerr, werr = Decode(data, &gm), gojson.Unmarshal(data, &wm)
	if fmt.Sprint(gerr) != fmt.Sprint(werr) {
		t.Fatalf("%q into M: error %v, want %v", data, gerr, werr)
	}
	if err := sameTree(gm, wm, "$"); err != nil && werr == nil {
		t.Fatalf("%q into M: %v", data, err)
	}
	var ga, wa []any
	gerr, werr = Decode(data, &ga), gojson.Unmarshal(data, &wa)
	if fmt.Sprint(gerr) != fmt.Sprint(werr) {
		t.Fatalf("%q into []any: error %v, want %v", data, gerr, werr)
	}
	if err := sameTree(ga, wa, "$"); err != nil && werr == nil {
		t.Fatalf("%q into []any: %v", data, err)
	}
	return fast
}

var decodeSeeds = []string{
	`{"a":1,"b":[true,false,null,"x",-0,1.5e3,0.25],"c":{"d":{}},"e":[]}`,
	`[{"k":"v"},{"k":"v"},{"k":"w"}]`,
	`{"a":1,"a":2}`, `  {"a" : [ 1 , 2 ] }  `, `"plain"`, `null`, `true`, `-0`, `1E+2`,
	`"\u00e9\n\ud800x"`, "\"a\xffb\"", "\"\xc3\xa9t\xc3\xa9\"", "{\"\xff\":1}", `{"\u0041":"\/"}`,
	"\"a\x01b\"", `01`, `-`, `1.`, `1e`, `1e999`, `[1,]`, `{"a":1,}`, `1 2`, `tru`, `nul`,
	`"\x"`, "\"\t\"", `[1] x`, `{"a" 1}`, `NaN`, `+1`, `.5`, `{`, `[`, `"`, `{"a":`, `{"a"`, ``,
	`123456789012345678901234567890`, `0.1000000000000000055511151231257827`, `[[[[[]]]]]`,
	strings.Repeat("[", 600) + strings.Repeat("]", 600),
	strings.Repeat(`{"a":`, 600) + "1" + strings.Repeat("}", 600),
	`{"long":"` + strings.Repeat("x", 100) + `","n":` + strings.Repeat("9", 60) + `}`,
	// Repeated objects (shared from the second or third copy on), with
	// braces and escapes in strings, and broken or truncated copies.
	`[{"a":"}"},{"a":"}"},{"a":"}"},{"a":"}"}]`, `[{"a":"\"}"},{"a":"\"}"},{"a":"\"}"}]`,
	`[{"a":1},{"a":1},{"a":1},{"a":1}x]`, `[{"a":1},{"a":1},{"a":1},{"a":1]`, `[{"a":1},{"a":1},{"a":1},{"a":1,}]`,
	`[{"a":{"b":[1,{"c":2}]}},{"a":{"b":[1,{"c":2}]}},{"a":{"b":[1,{"c":2}]}},{"a":{"b":[1,{"c":2}]}}`,
	`{"x":[{"k":"\u00e9"},{"k":"\u00e9"},{"k":"\u00e9"}],"y":{"k":"\u00e9"}}`,
	`[{"a":[}]},{"a":[}]},{"a":[}]}]`, `[{"a":1} ,{"a":1} ,{"a":1} ]`,
}

func TestDecodeMatchesGoccy(t *testing.T) {
	for _, s := range decodeSeeds {
		checkDecode(t, []byte(s))
	}
	// Interned values are shared, not aliased: decoding the same text
	// again gives equal, independent maps (the object a text is, unlike
	// the objects inside it, is never shared).
	var first M
	for i := range 3 {
		var m M
		if err := Decode([]byte(`{"region":"us-east-1","n":443}`), &m); err != nil {
			t.Fatal(err)
		}
		if m["region"] != "us-east-1" || m["n"] != 443.0 {
			t.Fatalf("decoding %d changed by the first: %v", i, m)
		}
		if i == 0 {
			first = m
			first["region"] = "changed"
		}
	}
}

// TestDecodeSharesSmallObjects: a small object seen again (holding
// scalars, objects or arrays) is the map decoded before, with the same
// content; longer texts and texts that differ by a byte are decoded anew.
func TestDecodeSharesSmallObjects(t *testing.T) {
	long := `{"k":"` + strings.Repeat("x", objMax) + `"}`
	text := `[{"Key":"env","Value":"prod"},{"Key":"env","Value":"prod"},{"Key":"env","Value":"prod"},` +
		`{"Key":"env","Value":"prod "},{"enabled":true,"days":90,"x":null,"e":[]},{"enabled":true,"days":90,"x":null,"e":[]},` +
		`{"enabled":true,"days":90,"x":null,"e":[]},{"a":{"b":1}},{"a":{"b":1}},{"a":{"b":1}},{"l":[1]},{"l":[1]},{"l":[1]},` +
		long + `,` + long + `,` + long + `]`
	checkDecode(t, []byte(text))
	d := new(decoder)
	a := decodeFresh(t, d, []byte(text))
	same := func(i, j int) bool {
		return reflect.ValueOf(a[i]).UnsafePointer() == reflect.ValueOf(a[j]).UnsafePointer()
	}
	for _, c := range []struct {
		i, j int
		want bool
	}{{1, 2, true}, {2, 3, false}, {5, 6, true}, {8, 9, true}, {11, 12, true}, {14, 15, false}} {
		if got := same(c.i, c.j); got != c.want {
			t.Errorf("elements %d and %d shared: %v, want %v", c.i, c.j, got, c.want)
		}
	}
	if a[3].(M)["Value"] != "prod " || a[2].(M)["Value"] != "prod" {
		t.Errorf("shared objects' content: %v %v", a[2], a[3])
	}
	if m := a[9].(M)["a"].(M); m["b"] != 1.0 || len(m) != 1 {
		t.Errorf("a shared object's nested object: %v", m)
	}
}

// TestDecodeFastPathExports decodes the importers' test exports both ways:
// the trees are the same, and the fast path takes the valid ones (a test
// that would pass with the fast path never taken proves nothing).
func TestDecodeFastPathExports(t *testing.T) {
	files, _ := filepath.Glob("../../*/testdata/*.json")
	more, _ := filepath.Glob("../../testdata/*/*.json")
	files = append(files, more...)
	if len(files) == 0 {
		t.Fatal("no test exports found")
	}
	taken := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if checkDecode(t, data) {
			taken++
		} else if gojson.Valid(data) {
			t.Errorf("%s: valid JSON the fast path does not take", f)
		}
	}
	if taken == 0 {
		t.Fatal("the fast path took no export")
	}
}

func FuzzDecode(f *testing.F) {
	for _, s := range decodeSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkDecode(t, data)
	})
}

func BenchmarkDecode(b *testing.B) {
	files, _ := filepath.Glob("../../awsconfig/testdata/*.json")
	var data [][]byte
	size := 0
	for _, f := range files {
		d, err := os.ReadFile(f)
		if err == nil && gojson.Valid(d) {
			data = append(data, d)
			size += len(d)
		}
	}
	b.SetBytes(int64(size))
	b.Run("fast", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for _, d := range data {
				var v any
				if err := Decode(d, &v); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("goccy", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for _, d := range data {
				var v any
				if err := gojson.Unmarshal(d, &v); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}

// TestDecodeSharesWhateverFollows: whether a small object is looked for
// among those decoded before does not depend on what follows it (the last
// element of an array, the last member of an object, the end of the text).
func TestDecodeSharesWhateverFollows(t *testing.T) {
	text := `[{"a":1},{"a":1},{"a":1}],{"o":{"a":1}},{"p":{"a":1}}]`
	d := new(decoder)
	a := decodeFresh(t, d, []byte(`[`+text))
	first := a[0].([]any)
	for i, v := range []any{first[2], a[1].(M)["o"], a[2].(M)["p"]} {
		if reflect.ValueOf(v).UnsafePointer() != reflect.ValueOf(first[1]).UnsafePointer() {
			t.Errorf("copy %d of {\"a\":1} not shared", i)
		}
	}
	checkDecode(t, []byte(`[`+text))
}

// TestDecodeSkipsMissingBeginnings: objects that begin as a cached one but
// differ further on stop being looked for after missSkip misses, and the
// look-ups come back once such an object repeats (a retry finds it).
func TestDecodeSkipsMissingBeginnings(t *testing.T) {
	const begin = `{"name":"a-common-beginning-longer-than-the-prefix","id":"`
	different := ""
	for i := range 40 {
		different += begin + strconv.Itoa(i) + `"},`
	}
	copies := strings.Repeat(begin+`same"},`, 60)
	d := new(decoder)
	if _, ok := d.decode([]byte("[" + different + "1]")); !ok {
		t.Fatal("the fast path refused the different objects")
	}
	d.buf = []byte(different)
	if m := d.prefixMiss[d.prefixHash(0, '}')&(prefixSlots-1)]; m < missSkip {
		t.Fatalf("after 40 objects beginning alike, %d misses counted: look-ups not skipped", m)
	}
	text := "[" + different + copies + "1]"
	d = new(decoder)
	v, ok := d.decode([]byte(text))
	if !ok {
		t.Fatal("the fast path refused the text")
	}
	a := v.([]any)
	maps := func(es []any) int {
		seen := map[unsafe.Pointer]bool{}
		for _, e := range es {
			seen[reflect.ValueOf(e).UnsafePointer()] = true
		}
		return len(seen)
	}
	if n := maps(a[:40]); n != 40 {
		t.Fatalf("%d maps for 40 different objects", n)
	}
	// The copies are looked for again after at most missRetry-missSkip
	// skipped ones, then found.
	if n := maps(a[40:100]); n > missRetry-missSkip+3 {
		t.Fatalf("%d maps for 60 copies of one object: the look-ups did not come back", n)
	}
	checkDecode(t, []byte(text))
}

// TestObjectEnd: where a small object ends, past strings holding braces,
// quotes and backslashes; -1 when it does not end within objMax bytes.
func TestObjectEnd(t *testing.T) {
	for _, c := range []struct {
		text string
		want int
	}{
		{`{}x`, 2}, {`{"a":1},{`, 7}, {`{"a":"}"}]`, 9}, {`{"a":"\"}"}`, 11}, {`{"a":"\\"}}`, 10},
		{`{"a":"\\\"}"}`, 13}, {`{"a":[{"b":"]"}]},`, 17}, {`{"a":1`, -1}, {`{"a":"}`, -1},
		{`{"k":"` + strings.Repeat("x", objMax) + `"}`, -1},
	} {
		if got := objectEnd([]byte(c.text), 0); got != c.want {
			t.Errorf("objectEnd(%q) = %d, want %d", c.text, got, c.want)
		}
	}
}

// A decoder is pooled between decodings: whatever a decoding left in its
// buffers of members and elements (the trees it decoded, or the open
// objects and arrays of a text that did not parse) is cleared, so that a
// pooled decoder keeps no decoded tree alive.
func TestDecoderKeepsNoTree(t *testing.T) {
	d := new(decoder)
	for _, text := range []string{
		`{"a":{"b":[1,{"c":"x"},[{"d":"y"}]],"e":"z"},"f":[{"g":"h"}]}`,
		`[{"a":[{"b":"c"},{"d":[1,2,{"e":"f"`, // cut short: open members and elements
		`[1,"two",{"a":"b","c":"d","e":`,
		`{"a":"b"}`,
	} {
		v, ok := d.decode([]byte(text))
		if v == nil && ok {
			t.Fatalf("%s: decoded nothing", text)
		}
		for i, e := range d.entries[:cap(d.entries)] {
			if e != (entry{}) {
				t.Fatalf("%s: member %d (%q) kept after the decoding", text, i, e.k)
			}
		}
		for i, e := range d.items[:cap(d.items)] {
			if e != nil {
				t.Fatalf("%s: element %d (%v) kept after the decoding", text, i, e)
			}
		}
	}
}

// hasSpecialByte flags a word exactly when one of its bytes is not plain:
// every byte value in every lane, among plain bytes and beside the bytes
// whose borrow could hide or fake one.
func TestHasSpecialByte(t *testing.T) {
	plainFill := []byte("aZ09 ~!#")
	for lane := range 8 {
		for c := range 256 {
			for _, fill := range []byte{'a', ' ', '~', '!', '#', 0x21, 0x5b, 0x5d} {
				w := make([]byte, 8)
				copy(w, plainFill)
				for i := range w {
					if i != lane {
						w[i] = fill
					}
				}
				w[lane] = byte(c)
				want := false
				for _, b := range w {
					want = want || !plainByte[b]
				}
				if got := hasSpecialByte(binary.LittleEndian.Uint64(w)); got != want {
					t.Fatalf("%q: %v, want %v", w, got, want)
				}
			}
		}
	}
	// Two bytes not plain in one word, in every pair of lanes.
	for a := range 8 {
		for b := range 8 {
			w := []byte("abcdefgh")
			w[a], w[b] = 0x1f, '"'
			if !hasSpecialByte(binary.LittleEndian.Uint64(w)) {
				t.Fatalf("%q: not flagged", w)
			}
		}
	}
}

// TestDecodeSharesLongStrings: a string longer than internMax seen before
// is the copy decoded the second time it was seen (the first sighting
// only notes its hash); strings longer than longMax and strings that
// differ by a byte are copied anew.
func TestDecodeSharesLongStrings(t *testing.T) {
	id := "//cloudresourcemanager.googleapis.com/projects/" + strings.Repeat("9", 20)
	other := id[:len(id)-1] + "8"
	huge := strings.Repeat("y", longMax+1)
	var parts []string
	for _, s := range []string{id, id, id, other, huge, huge, huge} {
		parts = append(parts, `{"parent":"`+s+`","n":`+fmt.Sprint(len(parts))+`}`)
	}
	text := "[" + strings.Join(parts, ",") + "]"
	checkDecode(t, []byte(text))
	d := new(decoder)
	a := decodeFresh(t, d, []byte(text))
	str := func(i int) string { return a[i].(M)["parent"].(string) }
	same := func(i, j int) bool { return unsafe.StringData(str(i)) == unsafe.StringData(str(j)) }
	for _, c := range []struct {
		i, j int
		want bool
	}{{1, 2, true}, {2, 3, false}, {5, 6, false}} {
		if got := same(c.i, c.j); got != c.want {
			t.Errorf("strings %d and %d shared: %v, want %v", c.i, c.j, got, c.want)
		}
	}
	if str(2) != id || str(3) != other || str(6) != huge {
		t.Errorf("shared strings' content: %q %q", str(2), str(3))
	}
}

// TestDecodeSharesSmallArrays: a small array seen again below a text's own
// value is the slice decoded before, with the same content, as small
// objects are; a text's own array, longer texts and texts that differ by a
// byte are decoded anew.
func TestDecodeSharesSmallArrays(t *testing.T) {
	long := `["` + strings.Repeat("x", objMax) + `"]`
	text := `[["projects/1","folders/2"],["projects/1","folders/2"],["projects/1","folders/2"],["projects/1","folders/3"],` +
		`{"a":[1,{"b":["c"]}]},{"a":[1,{"b":["c"]}]},{"x":[1,{"b":["c"]}]},[[]],[[]],[[]],` +
		long + `,` + long + `,` + long + `]`
	checkDecode(t, []byte(text))
	// Decoded twice by one decoder: the second decoding finds the first
	// one's objects and arrays (a first sighting only notes a hash).
	d := new(decoder)
	decodeFresh(t, d, []byte(text))
	a := decodeFresh(t, d, []byte(text))
	ptr := func(v any) unsafe.Pointer { return reflect.ValueOf(v).UnsafePointer() }
	for _, c := range []struct {
		x, y any
		want bool
	}{
		{a[1], a[2], true}, {a[2], a[3], false}, {a[4], a[5], true},
		{a[5].(M)["a"], a[6].(M)["x"], true}, {a[8], a[9], true}, {a[11], a[12], false},
	} {
		if got := ptr(c.x) == ptr(c.y); got != c.want {
			t.Errorf("%v and %v shared: %v, want %v", c.x, c.y, got, c.want)
		}
	}
	if got := a[3].([]any)[1]; got != "folders/3" {
		t.Errorf("a shared array's neighbour: %v", got)
	}
	b := decodeFresh(t, d, []byte(`["projects/1","folders/2"]`))
	if ptr(b) == ptr(a[1]) {
		t.Error("a text's own array is shared")
	}
}

// decodeFresh decodes text, a JSON array, with d rather than a pooled
// decoder: a pooled one carries the caches and miss counts (lookShared) of
// whatever decoded before, so what the sharing tests see shared would
// depend on the tests run before them and on when the pool was emptied.
func decodeFresh(t *testing.T, d *decoder, text []byte) []any {
	t.Helper()
	v, ok := d.decode(text)
	a, isArr := v.([]any)
	if !ok || !isArr {
		t.Fatalf("fast path refused %.60s", text)
	}
	return a
}
