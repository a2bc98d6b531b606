package attr

import (
	"bytes"
	"context"
	"iter"
	"runtime"
)

// Line is one non-blank line of newline-delimited JSON, decoded.
type Line struct {
	N   int   // 1-based line number
	M   M     // the decoded object; nil when Err is set
	Err error // the Decode error of a line that is not a JSON object
}

// parallelLinesMin is the smallest input Lines decodes on several
// goroutines, and linesBlock about how many bytes of lines one goroutine
// decodes at a time.
const (
	parallelLinesMin = 4 << 20
	linesBlock       = 1 << 20
)

// Lines decodes the non-blank lines of newline-delimited JSON (each
// trimmed of white space) into objects with Decode, and yields them in
// order. An input of a few megabytes or more (a Cloud Asset export of a
// whole organization is one file) is decoded on GOMAXPROCS goroutines, a
// block of about a megabyte of lines each, at most two blocks per
// goroutine ahead of the caller: the caller's own work on each object
// (which stays on its goroutine, in order) overlaps the decoding of the
// next ones. The sequence stops when ctx is cancelled (checked every
// block, or every 1,024 lines).
func Lines(ctx context.Context, data []byte) iter.Seq[Line] {
	return lines(ctx, data, parallelLinesMin, linesBlock, false)
}

// LinesObjects is Lines with each line decoded by DecodeObjects: the
// objects below a line's own are Objects rather than maps (see Object).
func LinesObjects(ctx context.Context, data []byte) iter.Seq[Line] {
	return lines(ctx, data, parallelLinesMin, linesBlock, true)
}

// lines is Lines decoding inputs of minParallel bytes or more in blocks of
// about blockSize bytes (tests use small ones), with DecodeObjects when
// objects is set.
func lines(ctx context.Context, data []byte, minParallel, blockSize int, objects bool) iter.Seq[Line] {
	workers := runtime.GOMAXPROCS(0)
	if len(data) < minParallel || workers < 2 {
		return func(yield func(Line) bool) {
			n := 0
			for len(data) > 0 {
				var l []byte
				l, data = cutLine(data)
				n++
				if n%1024 == 0 && ctx.Err() != nil {
					return
				}
				if dl, ok := decodeLine(n, l, objects); ok && !yield(dl) {
					return
				}
			}
		}
	}
	return func(yield func(Line) bool) {
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		type block struct {
			data  []byte
			first int // number of the block's first line
			out   chan []Line
		}
		// blocks in order; the window of 2×workers pending blocks bounds
		// the decoded trees held ahead of the caller.
		pending := make(chan *block, 2*workers)
		todo := make(chan *block, 2*workers)
		go func() {
			defer close(pending)
			defer close(todo)
			n := 1
			for len(data) > 0 {
				cut := min(len(data), blockSize)
				if i := bytes.IndexByte(data[cut:], '\n'); i >= 0 {
					cut += i
				} else {
					cut = len(data)
				}
				b := &block{data: data[:cut], first: n, out: make(chan []Line, 1)}
				n += bytes.Count(b.data, []byte{'\n'})
				data = data[cut:]
				select {
				case pending <- b:
				case <-ctx.Done():
					return
				}
				select {
				case todo <- b:
				case <-ctx.Done():
					return
				}
			}
		}()
		for range workers {
			go func() {
				for b := range todo {
					var ls []Line
					n, d := b.first, b.data
					for len(d) > 0 && ctx.Err() == nil {
						var l []byte
						l, d = cutLine(d)
						if dl, ok := decodeLine(n, l, objects); ok {
							ls = append(ls, dl)
						}
						n++
					}
					b.out <- ls
				}
			}()
		}
		for b := range pending {
			var ls []Line
			select {
			case ls = <-b.out:
			case <-ctx.Done():
				return
			}
			if ctx.Err() != nil {
				return
			}
			for _, dl := range ls {
				if !yield(dl) {
					return
				}
			}
		}
	}
}

// cutLine splits off the first line of data (without its newline).
func cutLine(data []byte) (line, rest []byte) {
	if i := bytes.IndexByte(data, '\n'); i >= 0 {
		return data[:i], data[i+1:]
	}
	return data, nil
}

// decodeLine decodes line number n, trimmed (with DecodeObjects when
// objects is set); ok is false for a blank line.
func decodeLine(n int, l []byte, objects bool) (Line, bool) {
	l = bytes.TrimSpace(l)
	if len(l) == 0 {
		return Line{}, false
	}
	var m M
	var err error
	if objects {
		m, err = DecodeObjects(l)
	} else {
		err = Decode(l, &m)
	}
	if err != nil {
		return Line{N: n, Err: err}, true
	}
	return Line{N: n, M: m}, true
}
