package load

import (
	"bytes"
	"fmt"
)

// The scanner below finds JSON values' extents without decoding them: the
// records of a file are split first (fast, one pass) and decoded each on
// its own, so a malformed record is reported with its position and the
// others are still read.

// syntaxError is a problem in a file's structure, at a byte offset.
type syntaxError struct {
	Offset int
	Msg    string
}

func (e *syntaxError) Error() string { return e.Msg }

func truncated(b []byte) error { return &syntaxError{len(b), "unexpected end of JSON input"} }

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func skipSpace(b []byte, i int) int {
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	return i
}

// skipString returns the index after the string starting at b[i] == '"'.
// It jumps from quote to quote (bytes.IndexByte is vectorised), a quote
// ending the string unless an odd run of backslashes escapes it.
func skipString(b []byte, i int) (int, error) {
	for j := i + 1; ; {
		q := bytes.IndexByte(b[j:], '"')
		if q < 0 {
			return 0, truncated(b)
		}
		j += q
		bs := 0
		for k := j - 1; k > i && b[k] == '\\'; k-- {
			bs++
		}
		if bs%2 == 0 {
			return j + 1, nil
		}
		j++
	}
}

// skipValue returns the index after the JSON value starting at b[i]. It
// checks nesting and strings, not the value's full syntax (the decoder of
// each record does).
func skipValue(b []byte, i int) (int, error) {
	if i >= len(b) {
		return 0, truncated(b)
	}
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				end, err := skipString(b, j)
				if err != nil {
					return 0, err
				}
				j = end - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1, nil
				}
			}
		}
		return 0, truncated(b)
	}
	j := i
	for j < len(b) && !isSpace(b[j]) && b[j] != ',' && b[j] != ']' && b[j] != '}' {
		j++
	}
	if j == i {
		return 0, &syntaxError{i, fmt.Sprintf("invalid character %q", b[i])}
	}
	return j, nil
}

// members calls fn with each key (raw, without quotes) and the start of
// its value in the object starting at b[i] == '{'. fn returns the value's
// end (most use skipValue), or stop to end the walk. members returns the
// index after the object (0 when stopped).
func members(b []byte, i int, fn func(key []byte, start int) (end int, stop bool, err error)) (int, error) {
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == '}' {
		return i + 1, nil
	}
	for {
		if i >= len(b) || b[i] != '"' {
			return 0, &syntaxError{i, "expected an object key"}
		}
		kend, err := skipString(b, i)
		if err != nil {
			return 0, err
		}
		key := b[i+1 : kend-1]
		i = skipSpace(b, kend)
		if i >= len(b) || b[i] != ':' {
			return 0, &syntaxError{i, "expected ':'"}
		}
		ve, stop, err := fn(key, skipSpace(b, i+1))
		if err != nil || stop {
			return 0, err
		}
		i = skipSpace(b, ve)
		if i < len(b) && b[i] == ',' {
			i = skipSpace(b, i+1)
			continue
		}
		if i < len(b) && b[i] == '}' {
			return i + 1, nil
		}
		return 0, &syntaxError{i, "expected ',' or '}'"}
	}
}

// elements calls fn with the extent of each element of the array starting
// at b[i] == '[' and returns the index after the array.
func elements(b []byte, i int, fn func(start, end int)) (int, error) {
	return eachElement(b, i, func(s int) (int, error) {
		e, err := skipValue(b, s)
		if err == nil {
			fn(s, e)
		}
		return e, err
	})
}

// eachElement calls fn with the start of each element of the array
// starting at b[i] == '['; fn returns the element's end. eachElement
// returns the index after the array.
func eachElement(b []byte, i int, fn func(start int) (end int, err error)) (int, error) {
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == ']' {
		return i + 1, nil
	}
	for {
		if i >= len(b) {
			return 0, truncated(b)
		}
		end, err := fn(i)
		if err != nil {
			return 0, err
		}
		i = skipSpace(b, end)
		if i < len(b) && b[i] == ',' {
			i = skipSpace(b, i+1)
			continue
		}
		if i < len(b) && b[i] == ']' {
			return i + 1, nil
		}
		return 0, &syntaxError{i, "expected ',' or ']'"}
	}
}
