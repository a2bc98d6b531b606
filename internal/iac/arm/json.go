package arm

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
)

// jnode is a decoded JSON value with the byte offsets of its start and end
// (an object or array from its opening to its closing bracket).
type jnode struct {
	kind  jkind
	str   string      // jString
	num   json.Number // jNumber
	b     bool        // jBool
	keys  []string    // jObject, in order
	vals  []*jnode    // jObject values (by keys) or jArray elements
	start int
	end   int
}

type jkind uint8

const (
	jNull jkind = iota
	jBool
	jNumber
	jString
	jArray
	jObject
)

// get returns the value of key in an object, matching the key
// case-insensitively as ARM does when no exact match exists.
func (n *jnode) get(key string) *jnode {
	if n == nil || n.kind != jObject {
		return nil
	}
	for i, k := range n.keys {
		if k == key {
			return n.vals[i]
		}
	}
	for i, k := range n.keys {
		if equalFold(k, key) {
			return n.vals[i]
		}
	}
	return nil
}

// maxJSONDepth bounds the nesting of a template's values.
const maxJSONDepth = 256

// syntaxError is a template that does not parse, at a byte offset.
type syntaxError struct {
	offset int
	msg    string
}

func (e *syntaxError) Error() string { return e.msg }

// decode parses data (JSON, with // and /* */ comments allowed as ARM
// allows them) keeping every value's offsets.
func decode(data []byte) (*jnode, error) {
	clean := stripComments(data)
	if bytes.HasPrefix(clean, []byte("\xef\xbb\xbf")) {
		// A UTF-8 byte order mark, as Windows editors write: blanked,
		// keeping the offsets.
		if &clean[0] == &data[0] {
			clean = bytes.Clone(data)
		}
		copy(clean, "   ")
	}
	d := json.NewDecoder(bytes.NewReader(clean))
	d.UseNumber()
	n, err := decodeValue(d, 0)
	if err != nil {
		return nil, wrapSyntax(d, err)
	}
	if _, err := d.Token(); !errors.Is(err, io.EOF) {
		return nil, &syntaxError{offset: int(d.InputOffset()), msg: "unexpected data after the top-level value"}
	}
	return n, nil
}

func wrapSyntax(d *json.Decoder, err error) error {
	var se *syntaxError
	if errors.As(err, &se) {
		return se
	}
	var js *json.SyntaxError
	if errors.As(err, &js) {
		return &syntaxError{offset: int(js.Offset), msg: "json: " + js.Error()}
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return &syntaxError{offset: int(d.InputOffset()), msg: "json: unexpected end of the file"}
	}
	return &syntaxError{offset: int(d.InputOffset()), msg: "json: " + err.Error()}
}

func decodeValue(d *json.Decoder, depth int) (*jnode, error) {
	tok, err := d.Token()
	if err != nil {
		return nil, err
	}
	end := int(d.InputOffset())
	return decodeFrom(d, tok, end, depth)
}

func decodeFrom(d *json.Decoder, tok json.Token, end, depth int) (*jnode, error) {
	switch t := tok.(type) {
	case json.Delim:
		if depth >= maxJSONDepth {
			return nil, &syntaxError{offset: end, msg: fmt.Sprintf("values nested deeper than %d levels", maxJSONDepth)}
		}
		switch t {
		case '{':
			n := &jnode{kind: jObject, start: end - 1}
			for {
				kt, err := d.Token()
				if err != nil {
					return nil, err
				}
				if kt == json.Delim('}') {
					n.end = int(d.InputOffset()) - 1
					return n, nil
				}
				k, isStr := kt.(string)
				if !isStr {
					return nil, &syntaxError{offset: int(d.InputOffset()), msg: "json: object key is not a string"}
				}
				v, err := decodeValue(d, depth+1)
				if err != nil {
					return nil, err
				}
				n.keys = append(n.keys, k)
				n.vals = append(n.vals, v)
			}
		case '[':
			n := &jnode{kind: jArray, start: end - 1}
			for {
				et, err := d.Token()
				if err != nil {
					return nil, err
				}
				if et == json.Delim(']') {
					n.end = int(d.InputOffset()) - 1
					return n, nil
				}
				v, err := decodeFrom(d, et, int(d.InputOffset()), depth+1)
				if err != nil {
					return nil, err
				}
				n.vals = append(n.vals, v)
			}
		}
		return nil, &syntaxError{offset: end, msg: fmt.Sprintf("json: unexpected %q", rune(t))}
	case string:
		return &jnode{kind: jString, str: t, start: end, end: end}, nil
	case json.Number:
		return &jnode{kind: jNumber, num: t, start: end, end: end}, nil
	case bool:
		return &jnode{kind: jBool, b: t, start: end, end: end}, nil
	case nil:
		return &jnode{kind: jNull, start: end, end: end}, nil
	}
	return nil, &syntaxError{offset: end, msg: fmt.Sprintf("json: unexpected token %v", tok)}
}

// stripComments blanks // and /* */ comments outside strings, keeping
// every other byte (and so offsets and lines) in place.
func stripComments(data []byte) []byte {
	if !bytes.Contains(data, []byte("//")) && !bytes.Contains(data, []byte("/*")) {
		return data
	}
	out := bytes.Clone(data)
	inStr := false
	for i := 0; i < len(out); i++ {
		c := out[i]
		switch {
		case inStr:
			if c == '\\' {
				i++
			} else if c == '"' {
				inStr = false
			}
		case c == '"':
			inStr = true
		case c == '/' && i+1 < len(out) && out[i+1] == '/':
			for ; i < len(out) && out[i] != '\n'; i++ {
				out[i] = ' '
			}
		case c == '/' && i+1 < len(out) && out[i+1] == '*':
			j := i
			for ; j < len(out) && !(out[j] == '*' && j+1 < len(out) && out[j+1] == '/' && j > i+1); j++ {
				if out[j] != '\n' {
					out[j] = ' '
				}
			}
			if j+1 < len(out) {
				out[j], out[j+1] = ' ', ' '
			}
			i = j + 1
		}
	}
	return out
}

// lines maps byte offsets to 1-based line numbers.
type lines []int

func newLines(data []byte) lines {
	ls := lines{0}
	for i, c := range data {
		if c == '\n' {
			ls = append(ls, i+1)
		}
	}
	return ls
}

func (ls lines) line(off int) int {
	return sort.Search(len(ls), func(i int) bool { return ls[i] > off })
}
