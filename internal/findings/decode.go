package findings

import json "github.com/goccy/go-json"

// Decode is how a format's reader decodes a record into its own struct
// (goccy/go-json, whose struct decoders are several times faster than
// encoding/json's): Copy, or Refer.
type Decode func(data []byte, v any) error

// Copy decodes data into v with every string a copy, as encoding/json
// does: the finding keeps nothing of data alive.
func Copy(data []byte, v any) error { return json.Unmarshal(data, v) }

// Refer decodes data into v with every string that has no escape
// referring to data instead of a copy: the finding then keeps data alive,
// which costs nothing when the finding keeps data as its raw record
// anyway, and saves allocating and copying most of its strings.
func Refer(data []byte, v any) error {
	return json.UnmarshalWithOption(data, v, json.DecodeNoCopyString())
}

// Or returns d, or Copy when d is nil.
func (d Decode) Or() Decode {
	if d == nil {
		return Copy
	}
	return d
}
