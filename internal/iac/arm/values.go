package arm

import (
	"encoding/json"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/vigil-sec/vigil/internal/importer/azure"
)

// Values of the expression language: nil, bool, int64, float64, string,
// []any, map[string]any (keys matched case-insensitively), *lambda and
// unknown (a value known only at deploy time). Arrays and objects may hold
// unknown elements.

type unknown = azure.Unknown

var unk any = unknown{}

func isUnknown(v any) bool { _, u := v.(unknown); return u }

// hasUnknown reports whether v is or holds an unknown value. Every value
// visited counts against the file's step budget: a value built by sharing
// (a variable used twice in another, again and again) is far larger than
// the template, and walking it must not hang the reader. Past the budget
// it answers true (unknown).
func (s *scope) hasUnknown(v any) bool {
	f := s.t.f
	f.steps++
	if f.steps > maxSteps {
		return true
	}
	switch t := v.(type) {
	case unknown:
		return true
	case []any:
		for _, e := range t {
			if s.hasUnknown(e) {
				return true
			}
		}
	case map[string]any:
		for _, e := range t {
			if s.hasUnknown(e) {
				return true
			}
		}
	}
	return false
}

// size counts the values in v, stopping past limit.
func size(v any, limit int) int {
	n := 1
	switch t := v.(type) {
	case []any:
		for _, e := range t {
			if n > limit {
				break
			}
			n += size(e, limit-n)
		}
	case map[string]any:
		for _, e := range t {
			if n > limit {
				break
			}
			n += size(e, limit-n)
		}
	case string:
		n += len(t) / 64
	}
	return n
}

func equalFold(a, b string) bool { return len(a) == len(b) && strings.EqualFold(a, b) }

// lookup returns an object's value for key, case-insensitively.
func lookup(m map[string]any, key string) (any, bool) {
	if v, ok := m[key]; ok {
		return v, true
	}
	for k, v := range m {
		if equalFold(k, key) {
			return v, true
		}
	}
	return nil, false
}

// typeName names a value's type in messages.
func typeName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "bool"
	case int64:
		return "int"
	case float64:
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	case *lambda:
		return "lambda"
	case unknown:
		return "unknown"
	}
	return "value"
}

// equal compares two known values as ARM's equals does (strings
// case-sensitively, numbers by value, arrays and objects deeply); every
// comparison counts against the step budget (false past it).
func (s *scope) equal(a, b any) bool {
	if s != nil {
		s.t.f.steps++
		if s.t.f.steps > maxSteps {
			return false
		}
	}
	switch x := a.(type) {
	case int64:
		switch y := b.(type) {
		case int64:
			return x == y
		case float64:
			return float64(x) == y
		}
		return false
	case float64:
		switch y := b.(type) {
		case int64:
			return x == float64(y)
		case float64:
			return x == y
		}
		return false
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !s.equal(x[i], y[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, v := range x {
			w, found := lookup(y, k)
			if !found || !s.equal(v, w) {
				return false
			}
		}
		return true
	case nil:
		return b == nil
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case string:
		y, ok := b.(string)
		return ok && x == y
	}
	return false
}

// toJSON serialises a known value as ARM's string() does for arrays and
// objects.
func toJSON(v any) string {
	b, err := json.Marshal(plain(v))
	if err != nil {
		return ""
	}
	return string(b)
}

// plain converts a value to what encoding/json writes (lambdas as null).
func plain(v any) any {
	switch t := v.(type) {
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = plain(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			out[k] = plain(e)
		}
		return out
	case float64:
		if math.IsNaN(t) || math.IsInf(t, 0) {
			return nil
		}
	case *lambda, unknown:
		return nil
	}
	return v
}

// fromJSON converts a decoded JSON value (json.Number numbers) to a value.
func fromJSON(v any) any {
	switch t := v.(type) {
	case json.Number:
		if i, err := t.Int64(); err == nil {
			return i
		}
		f, _ := t.Float64()
		return f
	case float64:
		if t == math.Trunc(t) && math.Abs(t) < 1<<53 {
			return int64(t)
		}
		return t
	case []any:
		for i, e := range t {
			t[i] = fromJSON(e)
		}
	case map[string]any:
		for k, e := range t {
			t[k] = fromJSON(e)
		}
	}
	return v
}

// str formats a scalar as string() does.
func str(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case int64:
		return strconv.FormatInt(t, 10)
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64)
	case bool:
		if t {
			return "True"
		}
		return "False"
	case nil:
		return ""
	}
	return toJSON(v)
}

// toInt reads an integer (a whole number or numeric text).
func toInt(v any) (int64, bool) {
	switch t := v.(type) {
	case int64:
		return t, true
	case float64:
		if t == math.Trunc(t) && math.Abs(t) < 1<<62 {
			return int64(t), true
		}
	case string:
		i, err := strconv.ParseInt(strings.TrimSpace(t), 10, 64)
		return i, err == nil
	}
	return 0, false
}

func toFloat(v any) (float64, bool) {
	switch t := v.(type) {
	case int64:
		return float64(t), true
	case float64:
		return t, true
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(t), 64)
		return f, err == nil
	}
	return 0, false
}

// length of a string (in characters), array or object.
func length(v any) (int, bool) {
	switch t := v.(type) {
	case string:
		return utf8.RuneCountInString(t), true
	case []any:
		return len(t), true
	case map[string]any:
		return len(t), true
	case nil:
		return 0, true
	}
	return 0, false
}

// sortedKeys returns an object's keys in order (ARM's items() sorts them).
func sortedKeys(m map[string]any) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Slice(ks, func(i, j int) bool { return strings.ToLower(ks[i]) < strings.ToLower(ks[j]) })
	return ks
}

// toRow converts a value to the shape the Resource Graph mapping reads:
// numbers as float64, unknown kept.
func toRow(v any) any {
	switch t := v.(type) {
	case int64:
		return float64(t)
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = toRow(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			out[k] = toRow(e)
		}
		return out
	case *lambda:
		return unk
	}
	return v
}
