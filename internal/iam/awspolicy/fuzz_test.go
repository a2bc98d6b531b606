package awspolicy

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

// FuzzParse feeds arbitrary text (JSON, URL-encoded or neither) to the
// parser: it never panics, a document is either parsed (no error, no raw)
// or kept with its error and at most MaxRaw bytes of text, and the
// questions asked of a broken document are unknown.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`,
		`{"Statement":{"Effect":"Deny","NotPrincipal":{"AWS":["arn:aws:iam::111122223333:root"]},"NotAction":"s3:*","NotResource":"*","Condition":{"Bool":{"aws:SecureTransport":false}}}}`,
		`%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Principal%22%3A%7B%22Service%22%3A%22ec2.amazonaws.com%22%7D%2C%22Action%22%3A%22sts%3AAssumeRole%22%7D%5D%7D`,
		`{"Statement":{"Effect":"Allow","Principal":"*","Action":["s3:GetObject"],"Resource":"*","Condition":{"ForAnyValue:StringLike":{"aws:PrincipalOrgPaths":["o-1/*"]},"NumericLessThan":{"n":[1,2]}}}}`,
		`not json`, `{"Statement":5}`, `[]`, `%ZZ`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		d := ParseText(text)
		if d == nil {
			return
		}
		if d.Error != "" {
			if len(d.Statements) != 0 || len(d.Raw) > MaxRaw || d.Raw == "" {
				t.Fatalf("broken document: %d statements, %d bytes raw", len(d.Statements), len(d.Raw))
			}
			if Admin(d) != nil || Public(d) != nil || DeniesInsecureTransport(d) != nil || ExternalPrincipals(d, "111122223333") != nil {
				t.Fatal("a broken document answered a question")
			}
			return
		}
		if d.Raw != "" {
			t.Fatal("a parsed document keeps no raw text")
		}
		for _, s := range d.Statements {
			if s.Effect != "Allow" && s.Effect != "Deny" {
				t.Fatalf("effect %q", s.Effect)
			}
		}
		if Admin(d) == nil || Public(d) == nil {
			t.Fatal("a parsed document answers")
		}
		// The same document given as an object parses the same.
		var o map[string]any
		if json.Unmarshal([]byte(text), &o) == nil && o != nil {
			d2 := Parse(o)
			if d2.Error != "" || len(d2.Statements) != len(d.Statements) {
				t.Fatalf("object and text disagree: %q vs %q", d2.Error, d.Error)
			}
		}
	})
}

// FuzzDecodeJSON: decodeJSON gives the tree and the error that
// encoding/json with UseNumber gives, whichever decoder it used.
func FuzzDecodeJSON(f *testing.F) {
	for _, s := range []string{
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`,
		`{"a":1}`, `{"a":-0.5e3}`, `{"a":"1"}`, `{"a":"x","a":"y"}`, `{"a":[true,false,null]}`,
		"{\"a\":\"\t\"}", "{\"a\":\"\x01\"}", "\t{\"a\" : [ ] }\r\n", `{"a":"\u0041"}`, `{"a":"\"}"}`,
		"{\"a\":\"\xff\"}", "{\"a\":\"\xc3\xa9\"}", `{"a":}`, `{"a":"b"} x`, `{"a":"b"}}`, `[]`, `"s"`, `null`,
		`{"a":{"b":{"c":{"d":[[[[[]]]]]}}}}`, `{"a":tru}`, `{"a":nul}`, `{"a" "b"}`, `{,}`, ``, ` `,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		var want any
		dec := json.NewDecoder(strings.NewReader(text))
		dec.UseNumber()
		werr := dec.Decode(&want)
		if werr == nil && strings.TrimSpace(text[dec.InputOffset():]) != "" {
			werr = errors.New("policy document has text after the JSON value")
		}
		got, gerr := decodeJSON(text)
		if (gerr == nil) != (werr == nil) {
			t.Fatalf("%q: error %v, encoding/json %v", text, gerr, werr)
		}
		if gerr == nil && !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: %#v, encoding/json %#v", text, got, want)
		}
	})
}

// TestDecodeFastTaken: the goccy/go-json path takes a real document (a
// differential test whose fast path is never taken proves nothing) and
// leaves a document with a number to encoding/json.
func TestDecodeFastTaken(t *testing.T) {
	if _, ok := decodeFast(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*"],"Resource":"*"}]}`); !ok {
		t.Error("a plain document is not decoded on the fast path")
	}
	for _, s := range []string{`{"Condition":{"NumericLessThan":{"n":1}}}`, `{"a":"\u0041"}`, "{\"a\":\"\xc3\xa9\"}"} {
		if _, ok := decodeFast(s); ok {
			t.Errorf("%q decoded on the fast path", s)
		}
	}
}

// typedSeeds are documents parseTyped takes (the first ones) and texts it
// must leave to the generic path, or take with the generic path's result.
var typedSeeds = []string{
	`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`,
	`{"Version":"2012-10-17","Id":"p1","Statement":{"Sid":"s","Effect":"deny","NotPrincipal":{"AWS":["arn:aws:iam::111122223333:root"],"Service":"s3.amazonaws.com"},"NotAction":"s3:*","NotResource":["*"],"Condition":{"Bool":{"aws:SecureTransport":false}}}}`,
	`{"Statement":[{"Effect":"Allow","Principal":"*","Action":["s3:GetObject"],"Resource":"*","Condition":{"NumericLessThan":{"n":[1,-2.5e3]},"ForAnyValue:StringLike":{"b":["o-1/*"],"a":"x"}}}]}`,
	` {"Statement": [ ], "Other": {"x": [1, true, null, {"y": "z"}]} } `,
	`{"Statement":[{"Effect":"Allow","Action":[],"Principal":{},"Condition":{}}]}`,
	`{"Statement":[{"Effect":"Allow","Action":null,"NotAction":"a","Principal":null,"Sid":null}],"Version":null}`,
	`{"Statement":[{"Effect":"Allow","Principal":{"Service":[],"AWS":"a"}}]}`,
	// Left to the generic path: errors, duplicates, escapes, bad shapes.
	`{"Statement":[{"Effect":"Allow","Action":"a","Action":"b"}]}`, `{"Statement":[],"Statement":[]}`,
	`{"Statement":[{"Effect":"Allow","Action":"a","NotAction":"b"}]}`, `{"Statement":[{"Effect":"Maybe"}]}`,
	`{"Statement":[{"Action":"a"}]}`, `{"Statement":null}`, `{"Version":"1"}`, `{"Statement":[null]}`, `{"Statement":"x"}`,
	`{"Statement":[{"Effect":"Allow","Principal":"arn"}]}`, `{"Statement":[{"Effect":"Allow","Principal":{"Bob":"x"}}]}`,
	`{"Statement":[{"Effect":"Allow","Principal":{"AWS":null}}]}`, `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"a","AWS":"b"}}]}`,
	`{"Statement":[{"Effect":"Allow","Condition":{"":{"a":"b"}}}]}`, `{"Statement":[{"Effect":"Allow","Condition":{"Op":{"a":null}}}]}`,
	`{"Statement":[{"Effect":"Allow","Condition":{"Op":{"a":"b","a":"c"}}}]}`, `{"Statement":[{"Effect":"Allow","Condition":{"Op":{"a":[{}]}}}]}`,
	`{"Statement":[{"Effect":"Allow","Condition":{"Op":"x"}}]}`, `{"Statement":[{"Effect":"Allow","Action":"\u0041"}]}`,
	"{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"\xc3\xa9\"}]}", `{"Statement":[]} x`, `{"Statement":[],}`,
	`{"Statement":[{"Effect":"Allow","Condition":{"Op":{"a":01}}}]}`, `{"Statement":[{"Effect":"Allow","Condition":{"Op":{"a":1.}}}]}`,
	`{"Statement":[{"Effect":"Allow","Condition":{"Op":{"a":nul}}}]}`, `{"Statement":[],"x":` + strings.Repeat("[", 70) + strings.Repeat("]", 70) + `}`,
	`[]`, `"s"`, ``, `{`,
}

// FuzzParseTyped: whenever parseTyped takes a text, the generic path
// (decodeJSON, then the parser over the tree) gives the same document.
func FuzzParseTyped(f *testing.F) {
	for _, s := range typedSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		checkTyped(t, text)
	})
}

// checkTyped fails when parseTyped takes text and the generic path gives
// another document; it reports whether parseTyped took it.
func checkTyped(t *testing.T, text string) bool {
	t.Helper()
	got, ok := parseTyped(text)
	if !ok {
		return false
	}
	raw, err := decodeJSON(text)
	if err != nil {
		t.Fatalf("%q: taken, but decodeJSON fails: %v", text, err)
	}
	want := parseRaw(raw, strings.TrimSpace(text))
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%q:\n typed   %#v\n generic %#v", text, got, want)
	}
	return true
}

// TestParseTyped: the typed path takes real documents (a differential
// test whose fast path is never taken proves nothing) and the generic
// path's result is the same for every seed; ParseText gives it.
func TestParseTyped(t *testing.T) {
	const takenSeeds = 7
	for i, s := range typedSeeds {
		if taken := checkTyped(t, s); taken != (i < takenSeeds) {
			t.Errorf("%q: taken %v", s, taken)
		}
	}
	d := ParseText(typedSeeds[2])
	if d.Error != "" || len(d.Statements) != 1 || len(d.Statements[0].Conditions) != 3 ||
		d.Statements[0].Conditions[0].Key != "a" || !reflect.DeepEqual(d.Statements[0].Conditions[2].Values, []string{"1", "-2.5e3"}) {
		t.Errorf("ParseText: %+v", d)
	}
	if d := ParseText("%7B%22Statement%22%3A%5B%5D%7D"); d == nil || d.Error != "" || d.Statements == nil {
		t.Errorf("URL-encoded: %+v", d)
	}
}
