package norm

import (
	"bytes"
	"slices"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"
)

// The helpers below read members of a valid JSON object in place, without
// parsing it into values: a normalizer that needs a few fields of a large
// event (the lake's CloudTrail encoder) skips the rest at the cost of a
// scan. They answer as Str does over a fastjson value (the first of
// duplicate keys, numbers and booleans as their text, null, objects and
// arrays as ""), and report !ok where they would have to guess: a key with
// an escape, an escape they do not decode, text that is not JSON.

// SkipWS returns the index of the first byte at or after b[i] that is not
// JSON white space.
// IsWS reports whether c is JSON white space.
func IsWS(c byte) bool { return wsTable[c] }

var wsTable = [256]bool{' ': true, '\t': true, '\n': true, '\r': true}

func SkipWS(b []byte, i int) int {
	for i < len(b) && wsTable[b[i]] {
		i++
	}
	return i
}

// StringEnd returns the index after the closing quote of the string starting
// at b[i] (b[i] == '"'), or -1.
func StringEnd(b []byte, i int) int {
	if i >= len(b) || b[i] != '"' {
		return -1
	}
	j := i + 1
	for {
		k := bytes.IndexByte(b[j:], '"')
		if k < 0 {
			return -1
		}
		q := j + k
		// Count the backslashes before the quote: odd means escaped.
		n := 0
		for p := q - 1; p > i && b[p] == '\\'; p-- {
			n++
		}
		if n&1 == 0 {
			return q + 1
		}
		j = q + 1
	}
}

// structural marks the bytes the container scanner must look at.
var structural = [256]bool{'"': true, '{': true, '}': true, '[': true, ']': true}

// ValueEnd returns the index just past the JSON value starting at b[i], or -1
// when it is unterminated.
func ValueEnd(b []byte, i int) int {
	if i >= len(b) {
		return -1
	}
	switch b[i] {
	case '"':
		return StringEnd(b, i)
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			c := b[j]
			if !structural[c] {
				continue
			}
			switch c {
			case '"':
				e := StringEnd(b, j)
				if e < 0 {
					return -1
				}
				j = e - 1
			case '{', '[':
				depth++
			default:
				depth--
				if depth == 0 {
					return j + 1
				}
			}
		}
		return -1
	default:
		j := i
		for j < len(b) {
			c := b[j]
			if wsTable[c] || c == ',' || c == ']' || c == '}' || c == ':' {
				break
			}
			j++
		}
		if j == i {
			return -1
		}
		return j
	}
}

// Members calls f for each member of the object obj (its raw JSON) with the
// key's text and the member's raw value, until f returns false. It returns
// false when obj is not an object it can read: not an object, malformed, or
// a key with an escape (whose text would need decoding to compare).
func Members(obj []byte, f func(key string, val []byte) bool) bool {
	i := SkipWS(obj, 0)
	if i >= len(obj) || obj[i] != '{' {
		return false
	}
	i = SkipWS(obj, i+1)
	if i < len(obj) && obj[i] == '}' {
		return true
	}
	for i < len(obj) && obj[i] == '"' {
		ke := StringEnd(obj, i)
		if ke < 0 {
			return false
		}
		key := obj[i+1 : ke-1]
		if bytes.IndexByte(key, '\\') >= 0 {
			return false
		}
		j := SkipWS(obj, ke)
		if j >= len(obj) || obj[j] != ':' {
			return false
		}
		vs := SkipWS(obj, j+1)
		ve := ValueEnd(obj, vs)
		if ve < 0 || ve == vs {
			return false
		}
		if !f(unsafe.String(unsafe.SliceData(key), len(key)), obj[vs:ve]) {
			return true
		}
		i = SkipWS(obj, ve)
		if i >= len(obj) {
			return false
		}
		if obj[i] == '}' {
			return true
		}
		if obj[i] != ',' {
			return false
		}
		i = SkipWS(obj, i+1)
	}
	return false
}

// Elements calls f for each element of the array arr (its raw JSON). It
// returns false when arr is not an array it can read.
func Elements(arr []byte, f func(val []byte) bool) bool {
	i := SkipWS(arr, 0)
	if i >= len(arr) || arr[i] != '[' {
		return false
	}
	i = SkipWS(arr, i+1)
	if i < len(arr) && arr[i] == ']' {
		return true
	}
	for i < len(arr) {
		ve := ValueEnd(arr, i)
		if ve < 0 || ve == i {
			return false
		}
		if !f(arr[i:ve]) {
			return true
		}
		i = SkipWS(arr, ve)
		if i >= len(arr) {
			return false
		}
		if arr[i] == ']' {
			return true
		}
		if arr[i] != ',' {
			return false
		}
		i = SkipWS(arr, i+1)
	}
	return false
}

// Member returns the raw value of the first member key of obj, nil when obj
// is not an object or has no such member (ok false: obj could not be read).
func Member(obj []byte, key string) (val []byte, ok bool) {
	if len(obj) == 0 || obj[0] != '{' {
		return nil, true
	}
	ok = Members(obj, func(k string, v []byte) bool {
		if k == key {
			val = v
			return false
		}
		return true
	})
	return val, ok
}

// RawStr is Str for a raw JSON value: a string's text (sharing val's memory
// when it has no escape, so val must not change afterwards), a number's or
// boolean's text, "" for null, objects, arrays and a nil val. ok is false
// for a string with an escape it does not decode (a lone UTF-16 surrogate,
// an unknown escape).
func RawStr(val []byte) (s string, ok bool) {
	if len(val) == 0 {
		return "", true
	}
	switch c := val[0]; {
	case c == '"':
		in := val[1 : len(val)-1]
		if bytes.IndexByte(in, '\\') < 0 {
			return unsafe.String(unsafe.SliceData(in), len(in)), true
		}
		return unescape(in)
	case c == 't':
		return "true", true
	case c == 'f':
		return "false", true
	case c == '-' || (c >= '0' && c <= '9'):
		return unsafe.String(unsafe.SliceData(val), len(val)), true
	}
	return "", true
}

// unescape decodes the text of a JSON string with escapes.
func unescape(in []byte) (string, bool) {
	out := make([]byte, 0, len(in))
	for i := 0; i < len(in); i++ {
		c := in[i]
		if c != '\\' {
			out = append(out, c)
			continue
		}
		i++
		if i >= len(in) {
			return "", false
		}
		switch in[i] {
		case '"', '\\', '/':
			out = append(out, in[i])
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r, ok := hex4(in, i+1)
			if !ok {
				return "", false
			}
			i += 4
			if utf16.IsSurrogate(r) {
				if i+6 >= len(in) || in[i+1] != '\\' || in[i+2] != 'u' {
					return "", false
				}
				r2, ok := hex4(in, i+3)
				if !ok {
					return "", false
				}
				if r = utf16.DecodeRune(r, r2); r == utf8.RuneError {
					return "", false
				}
				i += 6
			}
			out = utf8.AppendRune(out, r)
		default:
			return "", false
		}
	}
	return unsafe.String(unsafe.SliceData(out), len(out)), true
}

func hex4(b []byte, i int) (rune, bool) {
	if i+4 > len(b) {
		return 0, false
	}
	n, err := strconv.ParseUint(unsafe.String(&b[i], 4), 16, 16)
	return rune(n), err == nil
}

// MembersAt is Members for an object whose members a reader already
// located: mem holds four offsets into obj per member (key text start and
// end, value start and end; logs.Record.Members). Offsets that do not fit
// obj, or no offsets, make it scan obj as Members does.
func MembersAt(obj []byte, mem []int32, f func(key string, val []byte) bool) bool {
	if len(mem) == 0 || len(mem)%4 != 0 {
		return Members(obj, f)
	}
	n := int32(len(obj))
	for i := 0; i < len(mem); i += 4 {
		if ks, ke, vs, ve := mem[i], mem[i+1], mem[i+2], mem[i+3]; ks < 1 || ks > ke || ke >= vs || vs >= ve || ve > n {
			return Members(obj, f)
		}
	}
	for i := 0; i < len(mem); i += 4 {
		key := obj[mem[i]:mem[i+1]]
		if bytes.IndexByte(key, '\\') >= 0 {
			return false
		}
		if !f(unsafe.String(unsafe.SliceData(key), len(key)), obj[mem[i+2]:mem[i+3]]) {
			break
		}
	}
	return true
}

// IsOneOf reports whether the raw JSON value v is a string (without
// escapes) among list: a recogniser's test of a category or table name.
func IsOneOf(v []byte, list []string) bool {
	if len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' {
		return false
	}
	return slices.Contains(list, string(v[1:len(v)-1]))
}
