package norm

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The helpers below serve the converters of other shapes of a source's
// events (logsource.Shape): rows of tables and exports decoded whole,
// rebuilt as the source's own event and encoded again. They are not on the
// path of events in their own shape.

// DecodeObject decodes one JSON object, numbers kept as written.
func DecodeObject(raw []byte) (map[string]any, error) {
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var m map[string]any
	if err := d.Decode(&m); err != nil {
		return nil, err
	}
	if m == nil {
		return nil, errors.New("not a JSON object")
	}
	return m, nil
}

// Encode encodes v as compact JSON without HTML escaping (a converted
// event keeps its text as written).
func Encode(v any) ([]byte, error) {
	var b bytes.Buffer
	e := json.NewEncoder(&b)
	e.SetEscapeHTML(false)
	if err := e.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

// Embedded returns the JSON value a string column holds when it holds an
// object or an array (Log Analytics and BigQuery keep nested values as
// JSON text: Parameters, ModifiedProperties, requestJson), else v.
func Embedded(v any) any {
	s, ok := v.(string)
	if !ok {
		return v
	}
	t := strings.TrimSpace(s)
	if len(t) < 2 || (t[0] != '{' && t[0] != '[') || !json.Valid([]byte(t)) {
		return v
	}
	return json.RawMessage(t)
}

// RFC3339 rewrites a time as tables and exports write it into RFC 3339
// (UTC): "2024-05-07 09:00:11.912345 UTC" (BigQuery's text form), Unix
// seconds as a number or a numeric string (BigQuery's API rows,
// "1.715072411912345E9"), or any form ParseTime reads.
func RFC3339(v any) (string, error) {
	var s string
	switch t := v.(type) {
	case string:
		s = strings.TrimSpace(t)
	case json.Number:
		s = string(t)
	case float64:
		s = strconv.FormatFloat(t, 'g', -1, 64)
	default:
		return "", fmt.Errorf("%w: time", ErrMissing)
	}
	if s == "" {
		return "", fmt.Errorf("%w: time", ErrMissing)
	}
	if u, ok := strings.CutSuffix(s, " UTC"); ok {
		s = u
	}
	if t, err := ParseTime(s); err == nil {
		return t.Format(time.RFC3339Nano), nil
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && f > 0 && f < 1e11 {
		sec := int64(f)
		ns := int64((f-float64(sec))*1e6+0.5) * 1000 // microseconds, as BigQuery keeps them
		return time.Unix(sec, ns).UTC().Format(time.RFC3339Nano), nil
	}
	return "", fmt.Errorf("bad time %q", s)
}

// Canonical returns the JSON value raw in one canonical form: compact,
// object members sorted by key at every depth, strings escaped one way
// (no HTML escaping), numbers as written. Two texts of the same value
// (a record as one API delivers it and as an export re-serialises it)
// give the same bytes; values that differ in anything give different
// ones. raw itself is returned when it is not valid JSON.
func Canonical(raw []byte) []byte {
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil || d.More() {
		return raw
	}
	out, err := Encode(v)
	if err != nil {
		return raw
	}
	return out
}
