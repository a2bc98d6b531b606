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
