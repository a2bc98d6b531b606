// Package jsonenc appends Go strings as JSON strings byte for byte as
// encoding/json writes them, for the hand-written encoders on hot paths
// (the scan report, the provider findings' OCSF).
package jsonenc

import "unicode/utf8"

// plainHTML and plain mark the ASCII bytes encoding/json writes as they
// are, with HTML escaping on (all but controls, '"', '\\', '<', '>', '&')
// and off; bytes from 0x80 start a multi-byte rune, checked on its own.
var plainHTML, plain = func() (h, p [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		p[c] = c != '"' && c != '\\'
		h[c] = p[c] && c != '<' && c != '>' && c != '&'
	}
	return h, p
}()

const hexDigits = "0123456789abcdef"

// AppendHTML appends s as encoding/json (and goccy/go-json) write a string
// with HTML escaping on: \b \f \n \r \t and \" \\ short, other controls and
// <, >, & as \u00XX, invalid UTF-8 as \ufffd, U+2028 and U+2029 escaped.
func AppendHTML[S ~[]byte | ~string](b []byte, s S) []byte { return appendString(b, s, &plainHTML) }

// Append appends s as encoding/json writes a string with HTML escaping
// off (SetEscapeHTML(false)): as AppendHTML, with <, > and & as they are.
func Append[S ~[]byte | ~string](b []byte, s S) []byte { return appendString(b, s, &plain) }

func appendString[S ~[]byte | ~string](b []byte, s S, plain *[256]bool) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if plain[c] {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		n := min(len(s)-i, utf8.UTFMax)
		r, size := utf8.DecodeRuneInString(string(s[i : i+n]))
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
