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
