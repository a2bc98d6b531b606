package logs

import (
	"github.com/vigil-sec/vigil/internal/logs/internal/norm"

	"encoding/json"
	"strings"
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
		// Strings longer than a word, with a quote, backslash, control or
		// high byte in each lane (validString tests 8 bytes at once).
		"\"abcdefghijklmnopqrstuvwxyz\"", "\"abcdefgh\x01ijklmnop\"", "\"abcdefg\x1fhijklmnop\"",
		"\"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9 \x7f\xff\x80\"", "\"abcdefghijk\\\"lmnop\"", "\"abcdefghijklmno\"",
		"\"abc\\u00e9defghij\\nklmnopq\"", "\"0123456789abcdef\x00\"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		i := norm.SkipWS(data, 0)
		end, ok := validEnd(data, i)
		if ok {
			if end <= i || end > len(data) {
				t.Fatalf("end %d out of range", end)
			}
			if !json.Valid(data[i:end]) {
				t.Fatalf("validEnd accepted %q, encoding/json rejects it", data[i:end])
			}
			if norm.SkipWS(data, end) == len(data) != json.Valid(data) {
				t.Fatalf("disagreement on %q", data)
			}
			return
		}
		if i < len(data) && json.Valid(data) {
			t.Fatalf("validEnd rejected %q, encoding/json accepts it", data)
		}
	})
}

// TestElemMarks checks the element bounds validEndMarks records against
// a walk of the event array with valueEnd, for top-level arrays and
// wrapper objects (with other array members, nested arrays and white
// space), and that the splitter hands out the same events with and
// without them.
func TestElemMarks(t *testing.T) {
	for _, tc := range []struct {
		doc     string
		wrapped bool
		want    []string
	}{
		{`[{"a":1},{"b":[1,2,{"c":[3]}]},"s",7,[8,9],{},[]]`, false, []string{`{"a":1}`, `{"b":[1,2,{"c":[3]}]}`, `"s"`, `7`, `[8,9]`, `{}`, `[]`}},
		{`[ {"a" : [ 1 ] } , { } ]`, false, []string{`{"a" : [ 1 ] }`, `{ }`}},
		{`{"Records":[{"x":[{"y":1}]},{"z":"]}"}],"more":[1,{"k":2}],"n":{"m":[3]}}`, true, []string{`{"x":[{"y":1}]}`, `{"z":"]}"}`, `1`, `{"k":2}`}},
		{`{"Records":[]}`, true, nil},
		{`[]`, false, nil},
	} {
		var m elemMarks
		m.reset(tc.wrapped)
		end, ok := validEndMarks([]byte(tc.doc), 0, &m)
		if !ok || end != len(tc.doc) {
			t.Fatalf("%s: end %d ok %v", tc.doc, end, ok)
		}
		var got []string
		for _, b := range m.bounds {
			got = append(got, tc.doc[b.start:b.end])
		}
		if len(got) != len(tc.want) {
			t.Fatalf("%s: elements %q, want %q", tc.doc, got, tc.want)
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("%s: element %d %q, want %q", tc.doc, i, got[i], tc.want[i])
			}
		}
	}
	// The reader, over a wrapper line and an array line, hands out what
	// the per-element path (the same events pretty-printed into a
	// document) does.
	ev := func(id string) string {
		return `{"eventVersion":"1.08","eventTime":"2024-01-01T00:00:00Z","eventSource":"s3.amazonaws.com","eventName":"GetObject","eventID":"` + id + `","awsRegion":"us-east-1","resources":[{"ARN":"a"},{"ARN":"b"}],"userIdentity":{"type":"IAMUser"}}`
	}
	line := `{"Records":[` + ev("1") + `, ` + ev("2") + `,` + ev("3") + `],"x":[1]}` + "\n" + `[` + ev("4") + `,` + ev("5") + `]` + "\n"
	var raws []string
	if err := Read(t.Context(), "m.json", strings.NewReader(line), func(r Record) error {
		raws = append(raws, string(r.Raw))
		return nil
	}, func(ie InputError) { t.Errorf("input error: %v", &ie) }); err != nil {
		t.Fatal(err)
	}
	want := []string{ev("1"), ev("2"), ev("3"), ev("4"), ev("5")}
	if strings.Join(raws, "\n") != strings.Join(want, "\n") {
		t.Errorf("events:\n%s\nwant:\n%s", strings.Join(raws, "\n"), strings.Join(want, "\n"))
	}
}
