package attr

import (
	"bytes"
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"
)

// ndjson is about size bytes of newline-delimited JSON: objects of varied
// shapes, blank and white-space lines, CRLF endings, malformed lines and
// lines that are JSON but not objects, and no newline after the last line.
func ndjson(size int) []byte {
	var b bytes.Buffer
	for i := 0; b.Len() < size; i++ {
		switch i % 97 {
		case 13:
			b.WriteString("\n")
		case 29:
			b.WriteString("   \t\r\n")
		case 41:
			fmt.Fprintf(&b, "{\"name\": \"broken-%d\", \n", i)
		case 53:
			fmt.Fprintf(&b, "[%d]\n", i)
		case 71:
			fmt.Fprintf(&b, "{\"name\":\"crlf-%d\",\"n\":%d}\r\n", i, i)
		default:
			fmt.Fprintf(&b, "{\"name\":\"//svc/projects/p%d/things/t%d\",\"asset_type\":\"svc/Thing\",\"resource\":{\"data\":{\"labels\":{\"k\":\"v%d\"},\"list\":[1,2.5,\"x\",null,true]}}}\n", i%7, i, i%11)
		}
	}
	b.WriteString(`{"name":"last"}`)
	return b.Bytes()
}

// sequential is what Lines yields, decoded one line after the other.
func sequential(data []byte) []Line {
	var ls []Line
	for n := 1; len(data) > 0; n++ {
		var l []byte
		l, data = cutLine(data)
		if dl, ok := decodeLine(n, l, false); ok {
			ls = append(ls, dl)
		}
	}
	return ls
}

func TestLines(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	}
	for _, size := range []int{0, 1000, parallelLinesMin + 3*linesBlock + 12345} {
		data := ndjson(size)
		want := sequential(data)
		var got []Line
		for l := range Lines(context.Background(), data) {
			got = append(got, l)
		}
		if err := sameLines(got, want); err != nil {
			t.Fatalf("%d bytes: %v", len(data), err)
		}
		bad := 0
		for _, l := range got {
			if l.Err != nil {
				bad++
			}
		}
		if size > parallelLinesMin && (bad == 0 || got[len(got)-1].M["name"] != "last") {
			t.Fatalf("%d bytes: %d malformed lines, last line %+v: the input lacks what it should test", len(data), bad, got[len(got)-1])
		}
	}
}

// Breaking out of the loop, or cancelling its context, stops the decoding
// (the goroutines of a large input end: the race detector and the leak of
// a blocked send would show otherwise).
func TestLinesStop(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	}
	data := ndjson(parallelLinesMin + 2*linesBlock)
	n := 0
	for range Lines(context.Background(), data) {
		if n++; n == 10 {
			break
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	n = 0
	for range Lines(ctx, data) {
		if n++; n == 10 {
			cancel()
		}
	}
	if all := len(sequential(data)); n >= all {
		t.Errorf("cancelled after 10 lines, %d of %d lines still came", n, all)
	}
	before := runtime.NumGoroutine()
	for range 3 {
		for range Lines(context.Background(), data) {
			break
		}
	}
	for range 1000 {
		if runtime.NumGoroutine() <= before {
			return
		}
		runtime.Gosched()
		time.Sleep(10 * time.Millisecond)
	}
	t.Errorf("%d goroutines after 3 stopped loops, %d before", runtime.NumGoroutine(), before)
}

// sameLines reports where got differs from want: line numbers, errors
// and trees.
func sameLines(got, want []Line) error {
	if len(got) != len(want) {
		return fmt.Errorf("%d lines, want %d", len(got), len(want))
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.N != w.N || (g.Err == nil) != (w.Err == nil) || (g.Err != nil && g.Err.Error() != w.Err.Error()) {
			return fmt.Errorf("line %d is %d (error %v), want %d (error %v)", i, g.N, g.Err, w.N, w.Err)
		}
		if g.Err == nil {
			if err := sameTree(g.M, w.M, fmt.Sprintf("line %d", w.N)); err != nil {
				return err
			}
		}
	}
	return nil
}

// FuzzLines: whatever the input, the blocks decoded in parallel (here of
// a few bytes, so that short inputs are cut into many) yield what decoding
// the lines one after the other does.
func FuzzLines(f *testing.F) {
	f.Add([]byte("{\"a\":1}\n\n  {\"b\":[1,2]}\r\n[3]\n{bad\n{\"c\":\"\\n\"}"), 7)
	f.Add(ndjson(2000), 64)
	f.Add([]byte(`{"a":{"x":1,"x":2,"X":3},"b":[{"k":1,"k":{}},{}],"c":{"d":{"e":[{"f":"g"}]}}}`+"\n"+`{"a":{"x":1,"x":2,"X":3}}`), 16)
	f.Fuzz(func(t *testing.T, data []byte, block int) {
		if runtime.GOMAXPROCS(0) < 2 {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
		}
		block = 1 + abs(block)%256
		var got []Line
		for l := range lines(context.Background(), data, 0, block, false) {
			got = append(got, l)
		}
		want := sequential(data)
		if err := sameLines(got, want); err != nil {
			t.Fatal(err)
		}
		// Decoded with the objects below each line's own as Objects
		// (LinesObjects): the same lines, read the same, made the same
		// maps by Plain.
		var objs []Line
		for l := range lines(context.Background(), data, 0, block, true) {
			if l.M != nil {
				for k, v := range l.M {
					sameReading(t, v, want[len(objs)].M[k], k)
				}
				l.M = PlainMap(l.M)
			}
			objs = append(objs, l)
		}
		if err := sameLines(objs, want); err != nil {
			t.Fatal(err)
		}
	})
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
