package lake

import (
	"sync"
	"unsafe"
)

// arenaChunk is the size of the buffers an ingest writes OCSF encodings
// into (a larger encoding gets a buffer of its own, not recycled).
const arenaChunk = 1 << 20

// chunkPool recycles the arena chunks of one ingest. A row's OCSF column
// shares its chunk's memory, so a chunk is taken back only once every part
// holding rows that refer to it is written (see ingester.wait): fresh
// chunks for every batch were a third of ingest's allocated bytes, and
// zeroing and faulting them in 5-8% of its CPU time. The zero value is
// ready to use; it is safe for concurrent use.
type chunkPool struct {
	mu   sync.Mutex
	free [][]byte
	// reused counts the chunks handed out again.
	reused int
}

// get returns an empty chunk with room for n bytes: a recycled one when n
// fits a chunk and one is free, else a new one.
func (p *chunkPool) get(n int) []byte {
	if n > arenaChunk {
		return make([]byte, 0, n)
	}
	p.mu.Lock()
	if k := len(p.free); k > 0 {
		b := p.free[k-1]
		p.free = p.free[:k-1]
		p.reused++
		p.mu.Unlock()
		return b
	}
	p.mu.Unlock()
	return make([]byte, 0, arenaChunk)
}

// put takes back chunks no row refers to any more; buffers of another
// size (a large event's) are left to the garbage collector.
func (p *chunkPool) put(chunks [][]byte) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range chunks {
		if cap(c) == arenaChunk {
			p.free = append(p.free, c[:0])
		}
	}
}

// arena is one encoding goroutine's current chunk. Bytes appended to it
// never move: a full chunk is retired (listed in retired, for its owner to
// give back to the pool once no row refers to it) and a new one taken.
type arena struct {
	pool    *chunkPool
	cur     []byte
	retired [][]byte
}

// reserve makes room for n more bytes in the current chunk.
func (a *arena) reserve(n int) {
	if cap(a.cur)-len(a.cur) >= n {
		return
	}
	a.retire()
	if a.pool == nil {
		a.cur = make([]byte, 0, max(arenaChunk, n))
		return
	}
	a.cur = a.pool.get(n)
}

// retire lists the current chunk as retired (when it holds anything).
func (a *arena) retire() {
	if cap(a.cur) > 0 {
		a.retired = append(a.retired, a.cur)
	}
	a.cur = nil
}

// appended records out, the current chunk after an append to it: when the
// append outgrew the chunk (an encoding longer than reserved), the bytes
// are in a new array, which becomes the current chunk, and the old chunk
// is retired (rows may still refer to it).
func (a *arena) appended(out []byte) {
	if cap(a.cur) > 0 && unsafe.SliceData(out) != unsafe.SliceData(a.cur) {
		a.retired = append(a.retired, a.cur)
	}
	a.cur = out
}

// take returns the chunks retired since the last call, appended to dst.
func (a *arena) take(dst [][]byte) [][]byte {
	dst = append(dst, a.retired...)
	clear(a.retired)
	a.retired = a.retired[:0]
	return dst
}
