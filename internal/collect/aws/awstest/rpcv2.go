package awstest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/aws/smithy-go/encoding/cbor"
)

// The Smithy RPC v2 CBOR protocol (CloudWatch): POST
// /service/<service>/operation/<Operation> with the header
// "Smithy-Protocol: rpc-v2-cbor" and a CBOR body. Its response files are
// JSON, as readable as the JSON protocol's, converted to CBOR when
// answered: an integral number is a CBOR integer, another a float; a
// string written as an RFC 3339 UTC time ("2026-11-20T08:00:00Z",
// fractions allowed) is a timestamp (tag 1, epoch seconds), as the
// protocol sends timestamps. An error answer is {"__type", "message"}
// with the service's query error code in X-Amzn-Query-Error too (a
// query-compatible service, as CloudWatch is).

const rpcv2Protocol = "rpcv2cbor"

// isRPCv2 reports whether a request is in the RPC v2 CBOR protocol.
func isRPCv2(r *http.Request) bool { return r.Header.Get("Smithy-Protocol") == "rpc-v2-cbor" }

// rpcv2Request names an RPC v2 request's operation (the path's last
// element) and decodes its CBOR body into JSON-like values.
func rpcv2Request(r *http.Request, body []byte) (op string, in map[string]any) {
	path := strings.TrimSuffix(r.URL.Path, "/")
	if _, after, ok := strings.Cut(path, "/operation/"); ok {
		op = after
	}
	if len(body) == 0 {
		return op, nil
	}
	v, err := cbor.Decode(body)
	if err != nil {
		return op, nil
	}
	in, _ = fromCBOR(v).(map[string]any)
	return op, in
}

// fromCBOR is a decoded CBOR value as encoding/json would decode the same
// JSON (strings, float64, bool, nil, []any, map[string]any).
func fromCBOR(v cbor.Value) any {
	switch x := v.(type) {
	case cbor.Map:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = fromCBOR(e)
		}
		return m
	case cbor.List:
		l := make([]any, len(x))
		for i, e := range x {
			l[i] = fromCBOR(e)
		}
		return l
	case cbor.String:
		return string(x)
	case cbor.Uint:
		return float64(x)
	case cbor.NegInt:
		return -1 - float64(x)
	case cbor.Float32:
		return float64(x)
	case cbor.Float64:
		return float64(x)
	case cbor.Bool:
		return bool(x)
	case *cbor.Tag:
		return fromCBOR(x.Value)
	}
	return nil
}

var rfc3339UTC = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$`)

// jsonToCBOR converts a JSON response file to the CBOR the protocol
// answers (see above).
func jsonToCBOR(data []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return cbor.Encode(toCBOR(v)), nil
}

func toCBOR(v any) cbor.Value {
	switch x := v.(type) {
	case map[string]any:
		m := make(cbor.Map, len(x))
		for k, e := range x {
			m[k] = toCBOR(e)
		}
		return m
	case []any:
		l := make(cbor.List, len(x))
		for i, e := range x {
			l[i] = toCBOR(e)
		}
		return l
	case string:
		if rfc3339UTC.MatchString(x) {
			if t, err := time.Parse(time.RFC3339Nano, x); err == nil {
				return &cbor.Tag{ID: 1, Value: cbor.Float64(float64(t.Unix()) + float64(t.Nanosecond())/1e9)}
			}
		}
		return cbor.String(x)
	case json.Number:
		if i, err := strconv.ParseInt(string(x), 10, 64); err == nil {
			if i < 0 {
				return cbor.NegInt(uint64(-1 - i))
			}
			return cbor.Uint(uint64(i))
		}
		f, _ := strconv.ParseFloat(string(x), 64)
		if math.IsInf(f, 0) {
			return cbor.String(string(x))
		}
		return cbor.Float64(f)
	case bool:
		return cbor.Bool(x)
	}
	return &cbor.Nil{}
}

// rpcv2Answer writes a response file's JSON as the protocol's CBOR.
func rpcv2Answer(w http.ResponseWriter, status int, data []byte) {
	body, err := jsonToCBOR(data)
	if err != nil {
		http.Error(w, "awstest: response file is not JSON: "+err.Error(), http.StatusInternalServerError)
		return
	}
	if status >= 300 {
		var e struct {
			Type string `json:"__type"`
		}
		if json.Unmarshal(data, &e) == nil && e.Type != "" {
			w.Header().Set("X-Amzn-Query-Error", e.Type+";Sender")
		}
	}
	w.Header().Set("Smithy-Protocol", "rpc-v2-cbor")
	w.Header().Set("Content-Type", "application/cbor")
	w.WriteHeader(status)
	w.Write(body)
}

// rpcv2Error writes an error answer.
func rpcv2Error(w http.ResponseWriter, status int, code, msg string) {
	fault := "Sender"
	if status >= 500 {
		fault = "Receiver"
	}
	w.Header().Set("Smithy-Protocol", "rpc-v2-cbor")
	w.Header().Set("Content-Type", "application/cbor")
	w.Header().Set("X-Amzn-Query-Error", code+";"+fault)
	w.WriteHeader(status)
	w.Write(cbor.Encode(cbor.Map{"__type": cbor.String(code), "message": cbor.String(msg)}))
}

// rpcv2Malformed writes a 200 whose CBOR body is cut short.
func rpcv2Malformed(w http.ResponseWriter) {
	full := cbor.Encode(cbor.Map{"Items": cbor.List{cbor.Map{"Name": cbor.String(fmt.Sprint("cut short"))}}})
	w.Header().Set("Smithy-Protocol", "rpc-v2-cbor")
	w.Header().Set("Content-Type", "application/cbor")
	w.Write(full[:len(full)-4])
}
