package logs

import (
	"encoding/binary"
	"math/bits"

	"github.com/vigil-sec/vigil/internal/logs/internal/norm"
)

// validEnd validates the JSON value (RFC 8259) starting at b[i], after any
// leading whitespace has been skipped by the caller, and returns the index
// just past it. ok is false when the value is malformed or truncated; the
// caller then falls back to valueEnd to find where it ends. One pass does
// both jobs the hot path needs: the element's boundary and its validity.
func validEnd(b []byte, i int) (end int, ok bool) { return validEndMarks(b, i, nil) }

// elemMarks records, while validEnd validates a document, the bounds of
// the elements of its event array (the top-level array, or the array of a
// wrapper object's member): the splitter then walks them without scanning
// each element again.
type elemMarks struct {
	// wrapped says the array is a member of a top-level object ("{["),
	// else the top-level value is the array ("["); self that the
	// top-level value is itself the one element (a line of JSON lines).
	wrapped, self bool
	bounds        []elemBound
	next          int // the first bound not consumed (see end)
	// mem holds the top-level members of the elements that are objects,
	// four positions each (key start and end inside its quotes, value
	// start and end), relative to the element's start: the event's
	// member index (Record.Members), found by the validating pass.
	mem []int32
	// lastDots is the dots of the element end returned last.
	lastDots bool
}

// elemBound is an element's bounds and the range of its members in mem;
// dots is set when a member's key holds a '.' (Record.MemberDots).
type elemBound struct {
	start, end int
	m0, m1     int32
	dots       bool
}

func (m *elemMarks) reset(wrapped bool) {
	m.wrapped, m.self, m.bounds, m.next, m.mem = wrapped, false, m.bounds[:0], 0, m.mem[:0]
}

// inElem reports whether a stack of open containers is that of an
// event array element's own members (the element an object).
func (m *elemMarks) inElem(stack []byte) bool {
	if m.self {
		return len(stack) == 1 && stack[0] == '{'
	}
	if m.wrapped {
		return len(stack) == 3 && stack[0] == '{' && stack[1] == '[' && stack[2] == '{'
	}
	return len(stack) == 2 && stack[0] == '[' && stack[1] == '{'
}

// key records a member of the current element whose key's quoted text
// is b[ks:ke] and whose value starts at vs, noting a '.' in the key (the
// key was just validated: its bytes are in the cache now, where a
// consumer looking for dots later would fetch them from memory again).
func (m *elemMarks) key(b []byte, ks, ke, vs int) {
	eb := &m.bounds[len(m.bounds)-1]
	s := eb.start
	m.mem = append(m.mem, int32(ks+1-s), int32(ke-1-s), int32(vs-s), -1)
	if !eb.dots {
		for _, c := range b[ks+1 : ke-1] {
			if c == '.' {
				eb.dots = true
				break
			}
		}
	}
}

// valEnd records the end of the current member's value.
func (m *elemMarks) valEnd(i int) {
	m.mem[len(m.mem)-1] = int32(i - m.bounds[len(m.bounds)-1].start)
}

// at reports whether a value starting or ending under this stack of open
// containers is an element of the event array.
func (m *elemMarks) at(stack []byte) bool {
	if m.self {
		return len(stack) == 0
	}
	if m.wrapped {
		return len(stack) == 2 && stack[0] == '{' && stack[1] == '['
	}
	return len(stack) == 1 && stack[0] == '['
}

// end returns the recorded end of the element starting at start, or -1
// when it was not recorded (elements are asked for in order), and its
// members (see mem; nil when the element is not an object or its
// members could not be recorded).
func (m *elemMarks) end(start int) (int, []int32) {
	if m == nil || m.next >= len(m.bounds) || m.bounds[m.next].start != start {
		return -1, nil
	}
	m.next++
	b := m.bounds[m.next-1]
	m.lastDots = b.dots
	if b.m1 <= b.m0 {
		return b.end, nil
	}
	return b.end, m.mem[b.m0:b.m1:b.m1]
}

// validEndMarks is validEnd recording the event array's element bounds in
// marks (nil: none recorded). When the value is invalid the marks recorded
// are meaningless.
func validEndMarks(b []byte, i int, marks *elemMarks) (end int, ok bool) {
	return validEndNL(b, i, marks, nil)
}

// validEndNL is validEndMarks that also sets *nl (when nl is not nil) if
// the white space between the value's tokens holds a line feed: a valid
// value holds one nowhere else, so a value validated in a buffer that
// extends past its line tells by itself whether it fits on one line.
func validEndNL(b []byte, i int, marks *elemMarks, nl *bool) (end int, ok bool) {
	// An explicit stack of open containers keeps deep nesting from
	// recursing: '{' or '['.
	var stackBuf [64]byte
	stack := stackBuf[:0]
	for {
		// Expect a value at i.
		if i >= len(b) {
			return 0, false
		}
		if marks != nil && marks.at(stack) {
			marks.bounds = append(marks.bounds, elemBound{start: i, end: -1, m0: int32(len(marks.mem))})
		}
		switch c := b[i]; c {
		case '{':
			i = skipWSNL(b, i+1, nl)
			if i < len(b) && b[i] == '}' {
				i++
				break
			}
			stack = append(stack, '{')
			// Expect a key.
			if i >= len(b) || b[i] != '"' {
				return 0, false
			}
			ks := i
			e, ok := validString(b, i)
			if !ok {
				return 0, false
			}
			i = skipWSNL(b, e, nl)
			if i >= len(b) || b[i] != ':' {
				return 0, false
			}
			i = skipWSNL(b, i+1, nl)
			if marks != nil && marks.inElem(stack) {
				marks.key(b, ks, e, i)
			}
			continue
		case '[':
			i = skipWSNL(b, i+1, nl)
			if i < len(b) && b[i] == ']' {
				i++
				break
			}
			stack = append(stack, '[')
			continue
		case '"':
			e, ok := validString(b, i)
			if !ok {
				return 0, false
			}
			i = e
		case 't':
			if !hasLit(b, i, "true") {
				return 0, false
			}
			i += 4
		case 'f':
			if !hasLit(b, i, "false") {
				return 0, false
			}
			i += 5
		case 'n':
			if !hasLit(b, i, "null") {
				return 0, false
			}
			i += 4
		default:
			e, ok := validNumber(b, i)
			if !ok {
				return 0, false
			}
			i = e
		}
		// After a value: close containers or move to the next member.
		for {
			if len(stack) == 0 {
				if marks != nil && marks.self && len(marks.bounds) == 1 {
					mb := &marks.bounds[0]
					mb.end, mb.m1 = i, int32(len(marks.mem))
				}
				return i, true
			}
			if marks != nil {
				if marks.at(stack) {
					mb := &marks.bounds[len(marks.bounds)-1]
					mb.end, mb.m1 = i, int32(len(marks.mem))
				} else if marks.inElem(stack) {
					marks.valEnd(i)
				}
			}
			i = skipWSNL(b, i, nl)
			if i >= len(b) {
				return 0, false
			}
			top := stack[len(stack)-1]
			c := b[i]
			if c == ',' {
				i = skipWSNL(b, i+1, nl)
				if top == '{' {
					if i >= len(b) || b[i] != '"' {
						return 0, false
					}
					ks := i
					e, ok := validString(b, i)
					if !ok {
						return 0, false
					}
					i = skipWSNL(b, e, nl)
					if i >= len(b) || b[i] != ':' {
						return 0, false
					}
					i = skipWSNL(b, i+1, nl)
					if marks != nil && marks.inElem(stack) {
						marks.key(b, ks, e, i)
					}
				}
				break // next value
			}
			if (top == '{' && c == '}') || (top == '[' && c == ']') {
				stack = stack[:len(stack)-1]
				i++
				continue
			}
			return 0, false
		}
	}
}

// skipWSNL is skipWS, setting *nl (nl may be nil) when it skips a line feed.
func skipWSNL(b []byte, i int, nl *bool) int {
	for i < len(b) && norm.IsWS(b[i]) {
		if b[i] == '\n' && nl != nil {
			*nl = true
		}
		i++
	}
	return i
}

func hasLit(b []byte, i int, lit string) bool {
	return len(b)-i >= len(lit) && string(b[i:i+len(lit)]) == lit
}

// strSafe marks the bytes a string may hold without further checks: not a
// control character, not '"', not '\\'.
var strSafe = func() (t [256]bool) {
	for c := 0x20; c < 256; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return
}()

var hexDigit = func() (t [256]bool) {
	for _, c := range "0123456789abcdefABCDEF" {
		t[c] = true
	}
	return
}()

// ones and highs are the byte lanes' 1 and high bit in a uint64.
const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
)

// validString validates the string starting at b[i] == '"' and returns the
// index after its closing quote.
func validString(b []byte, i int) (int, bool) {
	i++
	for {
		// Fast path: runs of ordinary bytes, 8 at a time, tested as one
		// word (SWAR: a byte below 0x20, or equal to '"' or '\\', sets
		// the high bit of its lane; no lane is set otherwise).
		for i+8 <= len(b) {
			x := binary.LittleEndian.Uint64(b[i:])
			q, bs := x^(ones*'"'), x^(ones*'\\')
			if m := ((x-ones*0x20)&^x | (q-ones)&^q | (bs-ones)&^bs) & highs; m != 0 {
				// The lowest lane set is exact (a borrow only runs up
				// from a lane that matched): the first byte to look at.
				i += bits.TrailingZeros64(m) / 8
				goto stop
			}
			i += 8
		}
		for i < len(b) && strSafe[b[i]] {
			i++
		}
	stop:
		if i >= len(b) {
			return 0, false
		}
		switch b[i] {
		case '"':
			return i + 1, true
		case '\\':
			if i+1 >= len(b) {
				return 0, false
			}
			switch b[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				if i+6 > len(b) || !hexDigit[b[i+2]] || !hexDigit[b[i+3]] || !hexDigit[b[i+4]] || !hexDigit[b[i+5]] {
					return 0, false
				}
				i += 6
			default:
				return 0, false
			}
		default: // control character
			return 0, false
		}
	}
}

// validNumber validates the number starting at b[i]:
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func validNumber(b []byte, i int) (int, bool) {
	if i < len(b) && b[i] == '-' {
		i++
	}
	if i >= len(b) {
		return 0, false
	}
	switch {
	case b[i] == '0':
		i++
	case b[i] >= '1' && b[i] <= '9':
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
	default:
		return 0, false
	}
	if i < len(b) && b[i] == '.' {
		i++
		s := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i == s {
			return 0, false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		s := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i == s {
			return 0, false
		}
	}
	return i, true
}

// ValidJSON reports whether b is one valid JSON value (RFC 8259), with
// optional surrounding whitespace, as encoding/json.Valid does, in the
// reader's single fast pass. Values nested deeper than encoding/json
// accepts (10,000 levels) are reported invalid, as it reports them.
func ValidJSON(b []byte) bool {
	end, ok := validEnd(b, norm.SkipWS(b, 0))
	if !ok || norm.SkipWS(b, end) != len(b) {
		return false
	}
	if len(b) > maxNesting {
		// Deep nesting needs at least that many brackets: count them only
		// when there is room for it.
		depth := 0
		inStr := false
		for i := 0; i < len(b); i++ {
			switch c := b[i]; {
			case inStr && c == '\\':
				i++
			case c == '"':
				inStr = !inStr
			case inStr:
			case c == '{' || c == '[':
				if depth++; depth > maxNesting {
					return false
				}
			case c == '}' || c == ']':
				depth--
			}
		}
	}
	return true
}

// maxNesting is encoding/json's nesting limit.
const maxNesting = 10000
