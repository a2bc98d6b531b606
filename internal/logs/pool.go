package logs

import "sync"

// minPooled is the smallest buffer a Reader takes from its BufferPool:
// smaller ones are cheap to allocate and their pages are soon reused.
const minPooled = 1 << 20

// maxPooledBuffers bounds the buffers a BufferPool holds when idle (one or
// two per reading goroutine).
const maxPooledBuffers = 4

// BufferPool holds large read buffers for reuse across files (see
// Reader.Buffers). The zero value is ready to use; it is safe for
// concurrent use.
type BufferPool struct {
	mu   sync.Mutex
	free [][]byte
	// marks holds the element and member marks of finished files (see
	// elemMarks): on a large file they grow to megabytes, fresh memory
	// the first time.
	marks []elemMarks
}

// getMarks returns marks to validate a file with: a finished file's,
// else empty ones.
func (p *BufferPool) getMarks() elemMarks {
	p.mu.Lock()
	defer p.mu.Unlock()
	if n := len(p.marks); n > 0 {
		m := p.marks[n-1]
		p.marks = p.marks[:n-1]
		return m
	}
	return elemMarks{}
}

// putMarks takes back the marks of a finished file (no record handed out
// for it refers to them any more).
func (p *BufferPool) putMarks(m elemMarks) {
	if cap(m.mem) == 0 && cap(m.bounds) == 0 {
		return
	}
	m.reset(false)
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.marks) < maxPooledBuffers {
		p.marks = append(p.marks, m)
	}
}

// get returns a buffer of length n: the smallest free one that is large
// enough, else a new one.
func (p *BufferPool) get(n int) []byte {
	p.mu.Lock()
	best := -1
	for i, b := range p.free {
		if cap(b) >= n && (best < 0 || cap(b) < cap(p.free[best])) {
			best = i
		}
	}
	if best >= 0 {
		b := p.free[best]
		p.free = append(p.free[:best], p.free[best+1:]...)
		p.mu.Unlock()
		return b[:n]
	}
	p.mu.Unlock()
	return make([]byte, n)
}

// put takes b back; when the pool is full the smallest buffer is dropped.
func (p *BufferPool) put(b []byte) {
	if cap(b) < minPooled {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.free) < maxPooledBuffers {
		p.free = append(p.free, b[:0])
		return
	}
	small := 0
	for i := range p.free {
		if cap(p.free[i]) < cap(p.free[small]) {
			small = i
		}
	}
	if cap(p.free[small]) < cap(b) {
		p.free[small] = b[:0]
	}
}
