package importer

import (
	"bytes"
	"encoding/json"
)

// salvage reads the complete part of a malformed JSON document: arrays keep
// the elements before the error (an object element cut by the error is
// dropped), objects the members before it. It returns nil when nothing
// complete precedes the error. It lets a truncated or corrupted snapshot
// still give the items before the damage; the caller reports the error.
func salvage(data []byte) any {
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil {
		return nil
	}
	v, _ := readValue(dec, tok, 0)
	return v
}

const maxSalvageDepth = 512

// readValue builds the value starting with tok. ok is false when the value
// was cut by an error; a cut array or object holds its complete part.
func readValue(dec *json.Decoder, tok json.Token, depth int) (v any, ok bool) {
	if depth > maxSalvageDepth {
		return nil, false
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '[':
			arr := []any{}
			for dec.More() {
				et, err := dec.Token()
				if err != nil {
					return arr, false
				}
				ev, eok := readValue(dec, et, depth+1)
				if !eok {
					if a, isArr := ev.([]any); isArr && len(a) > 0 {
						arr = append(arr, a)
					}
					return arr, false
				}
				arr = append(arr, ev)
			}
			if _, err := dec.Token(); err != nil {
				return arr, false
			}
			return arr, true
		case '{':
			obj := map[string]any{}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return obj, false
				}
				key, isStr := kt.(string)
				if !isStr {
					return obj, false
				}
				vt, err := dec.Token()
				if err != nil {
					return obj, false
				}
				mv, mok := readValue(dec, vt, depth+1)
				if !mok {
					// Keep a cut list (the items before the damage), not a cut object.
					if a, isArr := mv.([]any); isArr && len(a) > 0 {
						obj[key] = a
					}
					return obj, false
				}
				obj[key] = mv
			}
			if _, err := dec.Token(); err != nil {
				return obj, false
			}
			return obj, true
		}
		return nil, false
	case json.Number:
		f, err := t.Float64()
		return f, err == nil
	}
	return tok, true
}
