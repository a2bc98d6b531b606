package awspolicy

import (
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/resource"
)

func TestParseShapes(t *testing.T) {
	const text = `{"Version":"2012-10-17","Id":"p1","Statement":[
	 {"Sid":"A","Effect":"Allow","Principal":{"AWS":["arn:aws:iam::999988887777:root","111122223333"],"Service":"ec2.amazonaws.com"},
	  "Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"x"},"Bool":{"aws:MultiFactorAuthPresent":true},"NumericLessThan":{"aws:MultiFactorAuthAge":3600}}},
	 {"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::111122223333:role/r"},"NotAction":["s3:Get*"],"NotResource":"arn:aws:s3:::b/*"}]}`
	want := &resource.PolicyDocument{Version: "2012-10-17", ID: "p1", Statements: []resource.Statement{
		{Sid: "A", Effect: "Allow", Actions: []string{"sts:AssumeRole"},
			Principals: []resource.Principal{{Type: "AWS", ID: "arn:aws:iam::999988887777:root"}, {Type: "AWS", ID: "111122223333"}, {Type: "Service", ID: "ec2.amazonaws.com"}},
			Conditions: []resource.Condition{{Operator: "Bool", Key: "aws:MultiFactorAuthPresent", Values: []string{"true"}},
				{Operator: "NumericLessThan", Key: "aws:MultiFactorAuthAge", Values: []string{"3600"}}, {Operator: "StringEquals", Key: "sts:ExternalId", Values: []string{"x"}}}},
		{Effect: "Deny", NotActions: []string{"s3:Get*"}, NotResources: []string{"arn:aws:s3:::b/*"},
			NotPrincipals: []resource.Principal{{Type: "AWS", ID: "arn:aws:iam::111122223333:role/r"}}},
	}}
	for name, in := range map[string]any{
		"text":         text,
		"url-encoded":  url.PathEscape(text),
		"form-encoded": strings.ReplaceAll(url.QueryEscape(text), "%20", "+"),
	} {
		got := Parse(in)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n got %+v\nwant %+v", name, got, want)
		}
	}
	// An object decoded by the caller parses the same (numbers as float64).
	obj := map[string]any{"Statement": map[string]any{"Effect": "Allow", "Action": "*", "Resource": "*",
		"Condition": map[string]any{"NumericLessThan": map[string]any{"k": float64(5)}}}}
	got := Parse(obj)
	if got.Error != "" || len(got.Statements) != 1 || got.Statements[0].Conditions[0].Values[0] != "5" {
		t.Errorf("object: %+v", got)
	}
}

func TestParseNothing(t *testing.T) {
	for _, in := range []any{nil, "", "   "} {
		if d := Parse(in); d != nil {
			t.Errorf("Parse(%q) = %+v, want nil (no document)", in, d)
		}
	}
}

func TestParseErrorsAreKept(t *testing.T) {
	cases := map[string]any{
		"not JSON":             "oops",
		"not an object":        `["Statement"]`,
		"trailing text":        `{"Statement":[]} x`,
		"number":               42.0,
		"no statement":         `{"Version":"2012-10-17"}`,
		"statement a string":   `{"Statement":"allow all"}`,
		"bad effect":           `{"Statement":{"Effect":"Permit","Action":"*","Resource":"*"}}`,
		"no effect":            `{"Statement":{"Action":"*","Resource":"*"}}`,
		"action a number":      `{"Statement":{"Effect":"Allow","Action":5,"Resource":"*"}}`,
		"action list of mixed": `{"Statement":{"Effect":"Allow","Action":["s3:*",{"x":1}],"Resource":"*"}}`,
		"principal text":       `{"Statement":{"Effect":"Allow","Principal":"everyone","Action":"*"}}`,
		"principal type":       `{"Statement":{"Effect":"Allow","Principal":{"Human":"bob"},"Action":"*"}}`,
		"condition malformed":  `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":"x"}}}`,
		"condition value":      `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"k":{"a":1}}}}}`,
		"action and notaction": `{"Statement":{"Effect":"Allow","Action":"*","NotAction":"iam:*","Resource":"*"}}`,
		"bad url encoding":     "%7B%ZZ",
		"sid a number":         `{"Statement":{"Sid":1,"Effect":"Allow","Action":"*","Resource":"*"}}`,
	}
	for name, in := range cases {
		d := Parse(in)
		if d == nil || d.Error == "" || d.Raw == "" || len(d.Statements) != 0 {
			t.Errorf("%s: %+v, want an error with the text kept", name, d)
		}
		if Admin(d) != nil || Public(d) != nil || DeniesInsecureTransport(d) != nil {
			t.Errorf("%s: questions on a broken document must be unknown", name)
		}
	}
}

func TestUnknownOperatorKept(t *testing.T) {
	d := Parse(`{"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"ForAnyValue:StringLikeIfExists2099":{"aws:Foo":["a","b"]}}}}`)
	if d.Error != "" || d.Statements[0].Conditions[0].Operator != "ForAnyValue:StringLikeIfExists2099" {
		t.Fatalf("%+v", d)
	}
	if p := Public(d); p == nil || *p {
		t.Errorf("a conditioned statement is not public: %v", p)
	}
}

func TestHugeDocumentIsBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"Statement":{"Effect":"Allow","Resource":"*","Action":[`)
	for i := range 1_000_000 {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`"s3:GetObject"`)
	}
	b.WriteString(`]}}`)
	d := Parse(b.String())
	if d.Error == "" || len(d.Raw) > MaxRaw {
		t.Fatalf("error %q, raw %d bytes", d.Error, len(d.Raw))
	}
	// Within the text bound but over the value bound.
	actions := make([]any, MaxValues+1)
	for i := range actions {
		actions[i] = "s3:GetObject"
	}
	d = Parse(map[string]any{"Statement": map[string]any{"Effect": "Allow", "Action": actions, "Resource": "*"}})
	if d.Error == "" || Admin(d) != nil {
		t.Fatalf("over MaxValues: %q", d.Error)
	}
}

func TestAdmin(t *testing.T) {
	cases := map[string]*bool{
		`{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`:                                                            resource.Bool(true),
		`{"Statement":[{"Effect":"Allow","Action":["*:*"],"Resource":["*"]}]}`:                                                    resource.Bool(true),
		`{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}}`: resource.Bool(true),
		`{"Statement":{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}}`:                                                     resource.Bool(false),
		`{"Statement":{"Effect":"Allow","Action":"*","NotResource":"arn:aws:s3:::x"}}`:                                            resource.Bool(false),
		`{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`:                                                         resource.Bool(false),
		`{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"*","Resource":"*"}]}`:            resource.Bool(false),
		`{"Statement":{"Effect":"Deny","Action":"*","Resource":"*"}}`:                                                             resource.Bool(false),
		`not json`: nil,
	}
	for in, want := range cases {
		if got := Admin(Parse(in)); !reflect.DeepEqual(got, want) {
			t.Errorf("Admin(%s) = %v, want %v", in, ptr(got), ptr(want))
		}
	}
	if AnyAdmin(Parse(`x`), Parse(`{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`)) == nil {
		t.Error("one admin document decides")
	}
	if AnyAdmin(Parse(`x`), Parse(`{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`)) != nil {
		t.Error("no admin but one unknown: unknown")
	}
}

func TestPublicAndTransport(t *testing.T) {
	pub := Parse(`{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject","Resource":"*"},
	  {"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}`)
	if p := Public(pub); p == nil || !*p {
		t.Error("AWS * is public")
	}
	if s := DeniesInsecureTransport(pub); s == nil || !*s {
		t.Error("secure transport deny not seen")
	}
	svc := Parse(`{"Statement":{"Effect":"Allow","Principal":{"Service":"logging.s3.amazonaws.com"},"Action":"s3:PutObject","Resource":"*"}}`)
	if p := Public(svc); p == nil || *p {
		t.Error("a service principal is not public")
	}
	if got := ExternalPrincipals(Parse(`{"Statement":{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::999988887777:root","arn:aws:iam::111122223333:root","*"],"Service":"x"},"Action":"sts:AssumeRole"}}`), "111122223333"); !reflect.DeepEqual(got, []string{"arn:aws:iam::999988887777:root", "*"}) {
		t.Errorf("external: %v", got)
	}
}

func ptr(b *bool) string {
	if b == nil {
		return "nil"
	}
	if *b {
		return "true"
	}
	return "false"
}
