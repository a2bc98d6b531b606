package detect

import (
	"encoding/json"
	"testing"

	"github.com/vigil-sec/vigil/internal/logs"
)

// TestEvidenceDataEncoding checks that the evidence data evidenceOf writes
// by hand is byte for byte what json.Marshal of evidenceData writes.
func TestEvidenceDataEncoding(t *testing.T) {
	raws := []string{
		`{"eventName":"GetObject","n":1}`,
		"{ \"a\" : [ 1 , 2 ,\n\t{\"b\" : \"x y\"} ] }\r\n",
		`{"html":"<script>&amp;</script>","esc":"a\"b\\c\u003c","ls":"` + "\u2028\u2029" + `"}`,
		`{"unicode":"été ✓","num":-1.5e3,"t":true,"f":false,"z":null}`,
		`{"broken":`,
		"not json <&>",
		`"just a string"`,
		``,
	}
	recs := []logs.Record{
		{Source: logs.AWSCloudTrail, File: "a/b.json", Line: 3, Offset: 42},
		{Source: logs.AWSCloudTrail, File: "dir <&> \"q\" é.json", Offset: 0},
	}
	for _, raw := range raws {
		for _, rec := range recs {
			rec.Raw = []byte(raw)
			got := evidenceOf(Event{Record: rec}).Data
			r := []byte(raw)
			if !json.Valid(r) {
				r, _ = json.Marshal(raw)
			}
			want, err := json.Marshal(evidenceData{Source: string(rec.Source), File: rec.File, Line: rec.Line, Offset: rec.Offset, Event: r})
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != string(want) {
				t.Errorf("raw %q file %q:\n got %s\nwant %s", raw, rec.File, got, want)
			}
		}
	}
}
