// Package jsonenc appends Go strings as JSON strings byte for byte as
// encoding/json writes them, for the hand-written encoders on hot paths
// (the scan report, the provider findings' OCSF).
package jsonenc

import (
	"slices"
	"unicode/utf8"
	"unsafe"
)

// table says how encoding/json writes each byte: the low two bytes of an
// entry are what is written (one or two of them, as the entry's bits from
// 16 say), or the entry is 0 for a byte written as \u00XX and for a byte
// that starts a multi-byte rune (checked on its own).
type table [256]uint32

// escHTML and esc are the tables with HTML escaping on (<, > and & as
// \u00XX) and off.
var escHTML, esc = makeTable(true), makeTable(false)

func makeTable(html bool) *table {
	var t table
	short := map[byte]byte{'"': '"', '\\': '\\', '\b': 'b', '\f': 'f', '\n': 'n', '\r': 'r', '\t': 't'}
	for i := range t {
		c := byte(i)
		switch e, ok := short[c]; {
		case ok:
			t[c] = 2<<16 | uint32(e)<<8 | '\\'
		case c < 0x20 || c >= utf8.RuneSelf || html && (c == '<' || c == '>' || c == '&'):
			t[c] = 0
		default:
			t[c] = 1<<16 | uint32(c)
		}
	}
	return &t
}

const hexDigits = "0123456789abcdef"

// AppendHTML appends s as encoding/json (and goccy/go-json) write a string
// with HTML escaping on: \b \f \n \r \t and \" \\ short, other controls and
// <, >, & as \u00XX, invalid UTF-8 as \ufffd, U+2028 and U+2029 escaped.
func AppendHTML[S ~[]byte | ~string](b []byte, s S) []byte { return appendString(b, s, escHTML) }

// Append appends s as encoding/json writes a string with HTML escaping
// off (SetEscapeHTML(false)): as AppendHTML, with <, > and & as they are.
func Append[S ~[]byte | ~string](b []byte, s S) []byte { return appendString(b, s, esc) }

// Plain reports whether Append writes s as it is between quotes: every
// byte of s is printable ASCII other than " and \ (text with other bytes
// is not plain, even valid UTF-8 that Append would not escape).
func Plain(s string) bool {
	for i := 0; i < len(s); i++ {
		if esc[s[i]] != 1<<16|uint32(s[i]) {
			return false
		}
	}
	return true
}

// appendString writes each byte's one or two bytes from the table into
// room made beforehand for two bytes an input byte, without a branch on
// the byte's kind (JSON text, such as the raw records written into OCSF's
// raw_data, has a quote every ten bytes or so, and copying the runs
// between escapes cost more than the bytes): only the bytes of the
// table's 0 entries take the slow way, which makes more room when its
// escape is longer than that.
func appendString[S ~[]byte | ~string](b []byte, s S, t *table) []byte {
	n := len(b)
	b = slices.Grow(b, 2*len(s)+2)
	out := b[:cap(b)]
	out[n] = '"'
	n++
	// Invariant: len(out)-n >= 2*(len(s)-i)+1, room for every byte left
	// and the closing quote; the bytes of the fast way are written without
	// bounds checks, which took more than the rest of the loop.
	p := unsafe.Pointer(unsafe.SliceData(out))
	for i := 0; i < len(s); i++ {
		if e := t[s[i]]; e != 0 {
			*(*byte)(unsafe.Add(p, n)) = byte(e)
			*(*byte)(unsafe.Add(p, n+1)) = byte(e >> 8)
			n += int(e >> 16)
			continue
		}
		var w [6]byte
		esc, k := w[:0], 1 // what is written, for the k bytes read
		if c := s[i]; c < utf8.RuneSelf {
			esc = append(esc, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
		} else {
			r, size := utf8.DecodeRuneInString(string(s[i:min(len(s), i+utf8.UTFMax)]))
			switch {
			case r == utf8.RuneError && size == 1:
				esc = append(esc, `\ufffd`...)
			case r == '\u2028' || r == '\u2029':
				esc, k = append(esc, '\\', 'u', '2', '0', '2', hexDigits[r&0xF]), size
			default:
				esc, k = append(esc, s[i:i+size]...), size
			}
		}
		if need := n + len(esc) + 2*(len(s)-i-k) + 1; need > len(out) {
			b = slices.Grow(out[:n], need-n)
			out = b[:cap(b)]
			p = unsafe.Pointer(unsafe.SliceData(out))
		}
		n += copy(out[n:], esc)
		i += k - 1
	}
	out[n] = '"'
	return out[:n+1]
}
