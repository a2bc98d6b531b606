package attr

import (
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// TestBoxString: a boxed string is a string like any other (type switch,
// comparison, map key), and its bytes outlive collections whether the
// interface or only the string taken from it is kept, while the buffer it
// was copied from is overwritten.
func TestBoxString(t *testing.T) {
	const n = 20000
	text := func(i int) string { return strings.Repeat("x", i%100) + "-" + strconv.Itoa(i) }
	buf := make([]byte, 0, 256)
	boxes := make([]any, n)
	strs := make([]string, n)
	for i := range n {
		buf = append(buf[:0], text(i)...)
		v := boxString(buf)
		if i%2 == 0 {
			boxes[i] = v
		} else {
			strs[i] = v.(string)
		}
		for j := range buf {
			buf[j] = '?'
		}
		if i%1000 == 0 {
			runtime.GC()
		}
	}
	runtime.GC()
	_ = make([][]byte, 1<<16) // reuse freed memory, if any were freed wrongly
	for i := range n {
		want := text(i)
		if i%2 == 1 {
			if strs[i] != want {
				t.Fatalf("string %d = %q, want %q", i, strs[i], want)
			}
			continue
		}
		switch s := boxes[i].(type) {
		case string:
			if s != want || boxes[i] != any(want) {
				t.Fatalf("box %d = %q, want %q", i, s, want)
			}
		default:
			t.Fatalf("box %d is a %T", i, s)
		}
	}
	m := map[any]int{boxString([]byte("key")): 1}
	if m["key"] != 1 {
		t.Error("a boxed string is not the same map key as the literal")
	}
	if boxString(nil) != "" || boxString([]byte{}) != "" {
		t.Error("empty string")
	}
}
