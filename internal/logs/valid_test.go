package logs

import (
	"encoding/json"
	"testing"
)

// FuzzValidEnd checks validEnd against encoding/json: a value followed by
// whitespace is valid exactly when json.Valid says so, and the end it
// returns is where the value stops.
func FuzzValidEnd(f *testing.F) {
	for _, s := range []string{
		`{}`, `[]`, `{"a":[1,2,{"b":null}],"c":"\u00e9\n"}`, `[1,-0.5e+3,true,false,null,"x"]`,
		`{"a":}`, `[1,]`, `{"a" 1}`, `"\x"`, `01`, `1.`, `-`, `{"a":1}}`, `[[[[[[]]]]]]`, `"\ud800"`,
		ct("A", "1"),
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		i := skipWS(data, 0)
		end, ok := validEnd(data, i)
		if ok {
			if end <= i || end > len(data) {
				t.Fatalf("end %d out of range", end)
			}
			if !json.Valid(data[i:end]) {
				t.Fatalf("validEnd accepted %q, encoding/json rejects it", data[i:end])
			}
			if skipWS(data, end) == len(data) != json.Valid(data) {
				t.Fatalf("disagreement on %q", data)
			}
			return
		}
		if i < len(data) && json.Valid(data) {
			t.Fatalf("validEnd rejected %q, encoding/json accepts it", data)
		}
	})
}
