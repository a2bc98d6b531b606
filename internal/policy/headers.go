package policy

import (
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
)

//go:generate go test -run TestBuiltinHeaders -update

// builtinHeaderText is the built-in rule files' headers decoded at build
// time (headers_gen.jsonl, written by TestBuiltinHeaders -update from the
// built-in pack): one JSON object per line, {"key": headerKey of the
// header's text, "pkg", "title", "description", "custom"}, or for a
// library's header {"key", "pkg", "library": true}, sorted by key.
// It is data, not code: the table used to be a generated Go map literal,
// 0.8 MB of code run once per start (and its function tables), where this
// is 0.5 MB of read-only data whose strings the decoded headers share.
//
//go:embed headers_gen.jsonl
var builtinHeaderText string

// headerMeta is a rule file's header (its METADATA and package line)
// decoded at build time. A lazy engine reads a rule from it instead of
// parsing the header: OPA's METADATA parser (YAML) was most of New's CPU
// and about 20 MB allocated per run. A header not in the table (a rule
// changed since the table was written, a custom pack) is parsed as before,
// so a stale table costs time, never a wrong rule; TestBuiltinHeaders fails
// while it is stale.
type headerMeta struct {
	pkg                []string // the package path below data
	title, description string
	custom             map[string]any
	// library: the header names no rule (a library package's, with only
	// pkg): the engine parses the file when a rule first needs it, not
	// when it loads the pack.
	library bool
}

// headerTable maps a header's key to its line of the table, decoded when
// it is looked up (by the parallel readers of readSources).
type headerTable map[string]string

// keyPrefix starts every line of the table; the key follows it.
const keyPrefix = `{"key":"`

// builtinHeaders indexes the built-in table by key.
func builtinHeaders() headerTable {
	t := make(headerTable, strings.Count(builtinHeaderText, "\n"))
	for line := range strings.Lines(builtinHeaderText) {
		line = strings.TrimSuffix(line, "\n")
		const n = len(keyPrefix) + 2*sha256.Size
		if len(line) > n && strings.HasPrefix(line, keyPrefix) && line[n] == '"' {
			t[line[len(keyPrefix):n]] = line
		}
	}
	return t
}

// get returns the header of key decoded; false when the table does not
// hold it or its line does not decode (then the header is parsed).
func (t headerTable) get(key string) (headerMeta, bool) {
	line, ok := t[key]
	if !ok {
		return headerMeta{}, false
	}
	h, err := decodeHeaderLine(line)
	return h, err == nil
}

// decodeHeaderLine decodes one line of the table.
func decodeHeaderLine(line string) (headerMeta, error) {
	var h headerMeta
	d := jsonText{s: line}
	if !d.next('{') {
		return h, d.errorf("want an object")
	}
	seen := 0
	for more := !d.next('}'); more; {
		if d.space() >= len(d.s) || d.s[d.i] != '"' {
			return h, d.errorf("want a member name")
		}
		name, err := d.str()
		if err != nil {
			return h, err
		}
		if !d.next(':') {
			return h, d.errorf("want ':'")
		}
		v, err := d.value()
		if err != nil {
			return h, err
		}
		ok := true
		switch name {
		case "pkg":
			var l []any
			l, ok = v.([]any)
			h.pkg = make([]string, len(l))
			for i, p := range l {
				if h.pkg[i], ok = p.(string); !ok {
					break
				}
			}
		case "title":
			h.title, ok = v.(string)
		case "description":
			h.description, ok = v.(string)
		case "custom":
			h.custom, ok = v.(map[string]any)
		case "library":
			h.library, ok = v.(bool)
			ok = ok && h.library
			seen += 2 // stands for title, description and custom
		default:
			seen-- // key, or a member this reader does not know
		}
		if !ok {
			return h, d.errorf("member %s: unexpected %v", name, v)
		}
		seen++
		if d.next('}') {
			break
		}
		if !d.next(',') {
			return h, d.errorf("want ',' or '}'")
		}
	}
	if d.space() < len(d.s) {
		return h, d.errorf("text after the object")
	}
	if seen != 4 || h.library && (h.title != "" || h.description != "" || h.custom != nil) {
		return h, d.errorf("want pkg, title, description and custom, or pkg and library")
	}
	return h, nil
}

// jsonText decodes the JSON of the header table into the values OPA's
// METADATA parser gives (map[string]any, []any, string, int, float64,
// bool, nil). Strings without escapes are slices of the text itself, so
// the rules' titles and descriptions stay in the executable's read-only
// data rather than on the heap; a number is an int unless it has a
// fraction or an exponent (the table writes floats with one).
type jsonText struct {
	s string
	i int
}

func (d *jsonText) errorf(format string, args ...any) error {
	return fmt.Errorf("header table at byte %d: %s", d.i, fmt.Sprintf(format, args...))
}

// space skips white space and returns the offset reached.
func (d *jsonText) space() int {
	for d.i < len(d.s) && (d.s[d.i] == ' ' || d.s[d.i] == '\t' || d.s[d.i] == '\n' || d.s[d.i] == '\r') {
		d.i++
	}
	return d.i
}

// next reports whether the next byte (after white space) is c, and
// consumes it if so.
func (d *jsonText) next(c byte) bool {
	if d.space() < len(d.s) && d.s[d.i] == c {
		d.i++
		return true
	}
	return false
}

func (d *jsonText) value() (any, error) {
	if d.space() >= len(d.s) {
		return nil, d.errorf("unexpected end")
	}
	switch c := d.s[d.i]; {
	case c == '{':
		d.i++
		// The members are collected first, so that the map is made once at its size.
		var kbuf [8]string
		var vbuf [8]any
		keys, vals := kbuf[:0], vbuf[:0]
		for more := !d.next('}'); more; {
			if d.space() >= len(d.s) || d.s[d.i] != '"' {
				return nil, d.errorf("want a member name")
			}
			k, err := d.str()
			if err != nil {
				return nil, err
			}
			if !d.next(':') {
				return nil, d.errorf("want ':'")
			}
			v, err := d.value()
			if err != nil {
				return nil, err
			}
			keys, vals = append(keys, k), append(vals, v)
			if d.next('}') {
				break
			}
			if !d.next(',') {
				return nil, d.errorf("want ',' or '}'")
			}
		}
		m := make(map[string]any, len(keys))
		for i, k := range keys {
			m[k] = vals[i]
		}
		return m, nil
	case c == '[':
		d.i++
		var buf [8]any // the list is copied once at its length
		l := buf[:0]
		for more := !d.next(']'); more; {
			v, err := d.value()
			if err != nil {
				return nil, err
			}
			l = append(l, v)
			if d.next(']') {
				break
			}
			if !d.next(',') {
				return nil, d.errorf("want ',' or ']'")
			}
		}
		return append(make([]any, 0, len(l)), l...), nil
	case c == '"':
		return d.str()
	case c == '-' || c >= '0' && c <= '9':
		start := d.i
		for d.i < len(d.s) && strings.IndexByte("+-0123456789.eE", d.s[d.i]) >= 0 {
			d.i++
		}
		num := d.s[start:d.i]
		var v any
		if err := json.Unmarshal([]byte(num), &v); err != nil { // JSON's number syntax
			return nil, d.errorf("number %q: %v", num, err)
		}
		if n, err := strconv.Atoi(num); err == nil {
			return n, nil
		}
		return v, nil
	}
	switch rest := d.s[d.i:]; {
	case strings.HasPrefix(rest, "true"):
		d.i += 4
		return true, nil
	case strings.HasPrefix(rest, "false"):
		d.i += 5
		return false, nil
	case strings.HasPrefix(rest, "null"):
		d.i += 4
		return nil, nil
	}
	return nil, d.errorf("unexpected %q", d.s[d.i])
}

// str reads the string starting at d.i (a '"').
func (d *jsonText) str() (string, error) {
	start, escaped := d.i+1, false
	for j := start; j < len(d.s); j++ {
		switch c := d.s[j]; {
		case c == '\\':
			escaped = true
			j++
		case c < ' ':
			return "", d.errorf("control character in a string")
		case c == '"':
			d.i = j + 1
			if !escaped {
				return d.s[start:j], nil
			}
			var s string
			if err := json.Unmarshal([]byte(d.s[start-1:j+1]), &s); err != nil {
				return "", d.errorf("string: %v", err)
			}
			return s, nil
		}
	}
	return "", d.errorf("unterminated string")
}

// headerKey identifies a header by its text.
func headerKey(header string) string {
	sum := sha256.Sum256(readOnly(header))
	return hex.EncodeToString(sum[:])
}

// path returns the package path as OPA's parser gives it.
func (h *headerMeta) path() ast.Ref {
	ref := make(ast.Ref, 0, len(h.pkg)+1)
	ref = append(ref, ast.DefaultRootDocument)
	for _, p := range h.pkg {
		ref = append(ref, ast.StringTerm(p))
	}
	return ref
}

// headerModule is the module a decoded header stands for where the engine
// needs one (its package path, newPkgIndex).
func (h *headerMeta) headerModule() *ast.Module {
	return &ast.Module{Package: &ast.Package{Path: h.path()}}
}
