// Package idcase lower-cases case-insensitive resource IDs (Azure resource
// IDs) for the indexes that compare them, as strings.ToLower does but
// without a string allocation for each: an inventory of a million
// resources lower-cases some hundreds of thousands of Azure IDs into index
// keys, and looks up many more.
package idcase

import (
	"strings"
	"unicode/utf8"
	"unsafe"
)

// A Lowerer lower-cases text into blocks it shares between its results.
// It is not safe for concurrent use; the zero Lowerer is ready.
type Lowerer struct {
	block   []byte
	scratch []byte
}

// blockSize is the size of a Lowerer's blocks: a block stays allocated as
// long as one of its results is.
const blockSize = 64 << 10

// Keep returns strings.ToLower(s), for keeping (an index's key): s itself
// when it holds no upper-case letter, else text in one of the Lowerer's
// blocks.
func (l *Lowerer) Keep(s string) string {
	switch upper, ascii := scan(s); {
	case !ascii:
		return strings.ToLower(s)
	case !upper:
		return s
	case len(s) > blockSize/4:
		return strings.ToLower(s)
	}
	if cap(l.block)-len(l.block) < len(s) {
		l.block = make([]byte, 0, blockSize)
	}
	start := len(l.block)
	l.block = appendLower(l.block, s)
	return unsafe.String(&l.block[start], len(s))
}

// Look returns strings.ToLower(s) for a look-up only: the text may be in a
// buffer that the Lowerer's next Look overwrites, so it must not be kept
// (nor stored as a map's key) past that call.
func (l *Lowerer) Look(s string) string {
	switch upper, ascii := scan(s); {
	case !ascii:
		return strings.ToLower(s)
	case !upper:
		return s
	}
	l.scratch = appendLower(l.scratch[:0], s)
	return unsafe.String(&l.scratch[0], len(s))
}

// scan reports whether s holds an ASCII upper-case letter and whether it
// is all ASCII (else strings.ToLower maps it by Unicode's rules).
func scan(s string) (upper, ascii bool) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return upper, false
		}
		upper = upper || 'A' <= c && c <= 'Z'
	}
	return upper, true
}

// appendLower appends the ASCII text s lower-cased to b.
func appendLower(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b = append(b, c)
	}
	return b
}
