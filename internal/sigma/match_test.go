package sigma

import (
	"encoding/json"
	"strings"
	"testing"
)

func compileDetection(t *testing.T, detection string) *Matcher {
	t.Helper()
	doc := "title: t\nlogsource: {product: aws, service: cloudtrail}\ndetection:\n" + indent(detection)
	rs, err := ParseRule([]byte(doc))
	if err != nil {
		t.Fatalf("parse %q: %v", detection, err)
	}
	m, err := Compile(rs[0], FieldMap{})
	if err != nil {
		t.Fatalf("compile %q: %v", detection, err)
	}
	return m
}

func indent(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = "  " + l
	}
	return strings.Join(lines, "\n") + "\n"
}

type mcase struct {
	name      string
	detection string
	event     string
	want      bool
}

func runCases(t *testing.T, cases []mcase) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := compileDetection(t, c.detection)
			if got := m.Match(NewJSONEvent([]byte(c.event))); got != c.want {
				t.Errorf("detection:\n%s\nevent %s: got %v, want %v", c.detection, c.event, got, c.want)
			}
			// MapEvent must agree with JSONEvent.
			var me MapEvent
			if err := jsonUnmarshal(c.event, &me); err == nil {
				if got := m.Match(me); got != c.want {
					t.Errorf("MapEvent: got %v, want %v", got, c.want)
				}
			}
		})
	}
}

const sel = "condition: sel\n"

func TestModifiers(t *testing.T) {
	runCases(t, []mcase{
		// plain equality, case-insensitive by default
		{"eq", "sel: {a: Foo}\n" + sel, `{"a":"fOO"}`, true},
		{"eq-miss", "sel: {a: Foo}\n" + sel, `{"a":"Foo2"}`, false},
		{"eq-missing-field", "sel: {a: Foo}\n" + sel, `{"b":"Foo"}`, false},
		{"eq-non-ascii", "sel: {a: ÄBC}\n" + sel, `{"a":"äbc"}`, true},
		{"number-vs-string", "sel: {a: 50053}\n" + sel, `{"a":"50053"}`, true},
		{"number-vs-number", "sel: {a: 0}\n" + sel, `{"a":0}`, true},
		{"number-float", "sel: {a: 1}\n" + sel, `{"a":1.0}`, true},
		{"bool", "sel: {a: true}\n" + sel, `{"a":true}`, true},
		{"bool-string", "sel: {a: 'false'}\n" + sel, `{"a":false}`, true},
		{"list-or", "sel: {a: [x, y]}\n" + sel, `{"a":"Y"}`, true},
		{"map-and", "sel: {a: x, b: y}\n" + sel, `{"a":"x","b":"z"}`, false},
		{"list-of-maps-or", "sel:\n  - {a: x}\n  - {b: y}\n" + sel, `{"b":"y"}`, true},
		{"dotted", "sel: {u.arn: x}\n" + sel, `{"u":{"arn":"X"}}`, true},
		{"dotted-key-with-dot", "sel: {gcp.audit.x: v}\n" + sel, `{"gcp.audit.x":"v"}`, true},
		{"case-insensitive-field", "sel: {OperationName: v}\n" + sel, `{"operationName":"v"}`, true},
		{"array-any", "sel: {a: x}\n" + sel, `{"a":["y","x"]}`, true},
		{"array-of-objects", "sel: {t.n|contains: pol}\n" + sel, `{"t":[{"n":"a"},{"n":"Policy"}]}`, true},
		{"object-contains", "sel: {r|contains: '\"enable\":false'}\n" + sel, `{"r":{"enable":false}}`, true},
		{"escaped-string", "sel: {a: 'x\"y'}\n" + sel, `{"a":"x\"y"}`, true},
		{"empty-string", "sel: {a: ''}\n" + sel, `{"a":""}`, true},
		{"empty-string-missing", "sel: {a: ''}\n" + sel, `{}`, false},
		{"empty-array-text", "sel: {a: '[]'}\n" + sel, `{"a":[]}`, true},
		// null
		{"null-missing", "sel: {a: null}\n" + sel, `{}`, true},
		{"null-json", "sel: {a: null}\n" + sel, `{"a":null}`, true},
		{"null-present", "sel: {a: null}\n" + sel, `{"a":"x"}`, false},
		{"not-null", "sel: {a: null}\ncondition: not sel\n", `{"a":"x"}`, true},
		// wildcards and escapes
		{"star", "sel: {a: 'ab*yz'}\n" + sel, `{"a":"ABcdYZ"}`, true},
		{"star-miss", "sel: {a: 'ab*yz'}\n" + sel, `{"a":"abcdY"}`, false},
		{"qmark", "sel: {a: 'a?c'}\n" + sel, `{"a":"abc"}`, true},
		{"qmark-miss", "sel: {a: 'a?c'}\n" + sel, `{"a":"abbc"}`, false},
		{"escaped-star", `sel: {a: 'a\*c'}` + "\n" + sel, `{"a":"a*c"}`, true},
		{"escaped-star-literal", `sel: {a: 'a\*c'}` + "\n" + sel, `{"a":"abc"}`, false},
		{"escaped-backslash-then-star", `sel: {a: 'a\\*'}` + "\n" + sel, `{"a":"a\\xyz"}`, true},
		{"plain-backslash", `sel: {a: 'c:\windows'}` + "\n" + sel, `{"a":"C:\\Windows"}`, true},
		{"only-star", "sel: {a: '*'}\n" + sel, `{"a":"anything"}`, true},
		// contains / startswith / endswith / all
		{"contains", "sel: {a|contains: Ole}\n" + sel, `{"a":"consoleLogin"}`, true},
		{"contains-miss", "sel: {a|contains: xyz}\n" + sel, `{"a":"consoleLogin"}`, false},
		{"startswith", "sel: {a|startswith: CON}\n" + sel, `{"a":"consoleLogin"}`, true},
		{"startswith-miss", "sel: {a|startswith: login}\n" + sel, `{"a":"consoleLogin"}`, false},
		{"endswith", "sel: {a|endswith: LOGIN}\n" + sel, `{"a":"consoleLogin"}`, true},
		{"endswith-miss", "sel: {a|endswith: console}\n" + sel, `{"a":"consoleLogin"}`, false},
		{"contains-wildcard-inside", "sel: {a|contains: 'b*d'}\n" + sel, `{"a":"xxbyydzz"}`, true},
		{"contains-all", "sel: {a|contains|all: [x, y]}\n" + sel, `{"a":"..y..x.."}`, true},
		{"contains-all-miss", "sel: {a|contains|all: [x, y]}\n" + sel, `{"a":"..y.."}`, false},
		{"contains-non-ascii", "sel: {a|contains: ÉTÉ}\n" + sel, `{"a":"un été chaud"}`, true},
		{"all-array", "sel: {a|all: [x, y]}\n" + sel, `{"a":["y","x"]}`, true},
		{"all-array-miss", "sel: {a|all: [x, y]}\n" + sel, `{"a":["y","z"]}`, false},
		// cased
		{"cased", "sel: {a|cased: Foo}\n" + sel, `{"a":"Foo"}`, true},
		{"cased-miss", "sel: {a|cased: Foo}\n" + sel, `{"a":"foo"}`, false},
		{"cased-contains", "sel: {a|contains|cased: oo}\n" + sel, `{"a":"FOO"}`, false},
		// re with sub-modifiers
		{"re", "sel: {a|re: '^ab+c$'}\n" + sel, `{"a":"abbbc"}`, true},
		{"re-case-sensitive", "sel: {a|re: '^abc$'}\n" + sel, `{"a":"ABC"}`, false},
		{"re-i", "sel: {a|re|i: '^abc$'}\n" + sel, `{"a":"ABC"}`, true},
		{"re-m", "sel: {a|re|m: '^two$'}\n" + sel, `{"a":"one\ntwo"}`, true},
		{"re-no-m", "sel: {a|re: '^two$'}\n" + sel, `{"a":"one\ntwo"}`, false},
		{"re-s", "sel: {a|re|s: 'one.two'}\n" + sel, `{"a":"one\ntwo"}`, true},
		{"re-no-s", "sel: {a|re: 'one.two'}\n" + sel, `{"a":"one\ntwo"}`, false},
		{"re-literal-prefilter", "sel: {a|re: '.+:assumed-role/aws:.+'}\n" + sel, `{"a":"arn:aws:sts::1:assumed-role/aws:x"}`, true},
		// cidr
		{"cidr4", "sel: {ip|cidr: 10.0.0.0/8}\n" + sel, `{"ip":"10.1.2.3"}`, true},
		{"cidr4-miss", "sel: {ip|cidr: 10.0.0.0/8}\n" + sel, `{"ip":"11.1.2.3"}`, false},
		{"cidr6", "sel: {ip|cidr: '2001:db8::/32'}\n" + sel, `{"ip":"2001:db8::1"}`, true},
		{"cidr-not-ip", "sel: {ip|cidr: 10.0.0.0/8}\n" + sel, `{"ip":"AWS Internal"}`, false},
		{"cidr-list", "sel: {ip|cidr: [10.0.0.0/8, 192.168.0.0/16]}\n" + sel, `{"ip":"192.168.3.4"}`, true},
		// base64 / base64offset / utf16 / wide
		{"base64", "sel: {a|base64: 'hello'}\n" + sel, `{"a":"aGVsbG8="}`, true},
		{"base64-contains", "sel: {a|base64|contains: 'hello'}\n" + sel, `{"a":"xxaGVsbG8=yy"}`, true},
		{"base64offset-0", "sel: {a|base64offset|contains: 'hello'}\n" + sel, `{"a":"aGVsbG8gd29ybGQ="}`, true},
		{"base64offset-1", "sel: {a|base64offset|contains: 'hello'}\n" + sel, `{"a":"IGhlbGxvIHdvcmxk"}`, true},
		{"base64offset-2", "sel: {a|base64offset|contains: 'hello'}\n" + sel, `{"a":"ICBoZWxsbyB3b3JsZA=="}`, true},
		{"base64offset-miss", "sel: {a|base64offset|contains: 'hello'}\n" + sel, `{"a":"IGdvb2RieWUgd29ybGQ="}`, false},
		{"wide-base64", "sel: {a|wide|base64: 'ab'}\n" + sel, `{"a":"YQBiAA=="}`, true},
		{"utf16le-base64offset", "sel: {a|utf16le|base64offset|contains: 'ab'}\n" + sel, `{"a":"eABhAGIAeAA="}`, true},
		{"utf16be-base64", "sel: {a|utf16be|base64: 'ab'}\n" + sel, `{"a":"AGEAYg=="}`, true},
		{"utf16-base64", "sel: {a|utf16|base64: 'ab'}\n" + sel, `{"a":"//5hAGIA"}`, true},
		// windash
		{"windash-slash", "sel: {a|windash|contains: ' -exec'}\n" + sel, `{"a":"x /exec y"}`, true},
		{"windash-endash", "sel: {a|windash|contains: ' -exec'}\n" + sel, `{"a":"x –exec y"}`, true},
		{"windash-in-path-kept", "sel: {a|windash: 'c:/x/-y'}\n" + sel, `{"a":"c:/x//y"}`, true},
		{"windash-not-word-start", "sel: {a|windash: 'a/b'}\n" + sel, `{"a":"a-b"}`, false},
		{"windash-miss", "sel: {a|windash|contains: ' -exec'}\n" + sel, `{"a":"x +exec y"}`, false},
		// exists
		{"exists-true", "sel: {a|exists: true}\n" + sel, `{"a":null}`, true},
		{"exists-true-miss", "sel: {a|exists: true}\n" + sel, `{"b":1}`, false},
		{"exists-false", "sel: {a|exists: false}\n" + sel, `{"b":1}`, true},
		{"exists-false-miss", "sel: {a|exists: false}\n" + sel, `{"a":""}`, false},
		// numeric comparisons
		{"gt", "sel: {n|gt: 10}\n" + sel, `{"n":11}`, true},
		{"gt-eq", "sel: {n|gt: 10}\n" + sel, `{"n":10}`, false},
		{"gte", "sel: {n|gte: 10}\n" + sel, `{"n":10}`, true},
		{"lt", "sel: {n|lt: 10}\n" + sel, `{"n":"9.5"}`, true},
		{"lt-miss", "sel: {n|lt: 10}\n" + sel, `{"n":10}`, false},
		{"lte", "sel: {n|lte: 10}\n" + sel, `{"n":10}`, true},
		{"gt-not-number", "sel: {n|gt: 10}\n" + sel, `{"n":"many"}`, false},
		// time modifiers
		{"hour", "sel: {t|hour: 3}\n" + sel, `{"t":"2023-07-10T03:42:36Z"}`, true},
		{"hour-miss", "sel: {t|hour: 3}\n" + sel, `{"t":"2023-07-10T04:42:36Z"}`, false},
		{"hour-gte", "sel: {t|hour|gte: 22}\n" + sel, `{"t":"2023-07-10T23:00:00Z"}`, true},
		{"minute", "sel: {t|minute: 42}\n" + sel, `{"t":"2023-07-10T03:42:36Z"}`, true},
		{"day", "sel: {t|day: 10}\n" + sel, `{"t":"2023-07-10T03:42:36Z"}`, true},
		{"week", "sel: {t|week: 28}\n" + sel, `{"t":"2023-07-10T03:42:36Z"}`, true},
		{"month-lt", "sel: {t|month|lt: 7}\n" + sel, `{"t":"2023-07-10T03:42:36Z"}`, false},
		{"year", "sel: {t|year: 2023}\n" + sel, `{"t":"2023-07-10"}`, true},
		{"time-not-date", "sel: {t|year: 2023}\n" + sel, `{"t":"yesterday"}`, false},
		// neq
		{"neq", "sel: {a|neq: [x, y]}\n" + sel, `{"a":"z"}`, true},
		{"neq-miss", "sel: {a|neq: [x, y]}\n" + sel, `{"a":"Y"}`, false},
		{"neq-missing", "sel: {a|neq: x}\n" + sel, `{}`, false},
		// fieldref
		{"fieldref", "sel: {a|fieldref: b}\n" + sel, `{"a":"Bob","b":"bob"}`, true},
		{"fieldref-miss", "sel: {a|fieldref: b}\n" + sel, `{"a":"bob","b":"alice"}`, false},
		{"fieldref-missing", "sel: {a|fieldref: b}\n" + sel, `{"a":"bob"}`, false},
		{"fieldref-cased", "sel: {a|fieldref|cased: b}\n" + sel, `{"a":"Bob","b":"bob"}`, false},
		// keywords
		{"keyword", "kw: [evil]\ncondition: kw\n", `{"x":{"y":["an EVIL thing"]}}`, true},
		{"keyword-miss", "kw: [evil]\ncondition: kw\n", `{"x":"good"}`, false},
		{"keyword-number", "kw: [4625]\ncondition: kw\n", `{"x":4625}`, true},
		{"keyword-all", "kw:\n  '|all': [a1, b2]\ncondition: kw\n", `{"x":"a1","y":"b2"}`, true},
		{"keyword-all-miss", "kw:\n  '|all': [a1, b2]\ncondition: kw\n", `{"x":"a1"}`, false},
		{"keyword-cased", "kw:\n  '|cased': [Evil]\ncondition: kw\n", `{"x":"evil"}`, false},
	})
}

func TestConditions(t *testing.T) {
	det := `sel_a: {a: 1}
sel_b: {b: 1}
filter_x: {x: 1}
filter_y: {y: 1}
_hidden: {h: 1}
`
	cases := []struct {
		cond  string
		event string
		want  bool
	}{
		{"sel_a and sel_b", `{"a":1,"b":1}`, true},
		{"sel_a and sel_b", `{"a":1}`, false},
		{"sel_a or sel_b", `{"b":1}`, true},
		{"not sel_a", `{"b":1}`, true},
		{"not sel_a", `{"a":1}`, false},
		{"sel_a and not filter_x", `{"a":1,"x":1}`, false},
		{"sel_a and not (filter_x or filter_y)", `{"a":1,"y":1}`, false},
		{"sel_a and not (filter_x or filter_y)", `{"a":1}`, true},
		{"(sel_a or sel_b) and not filter_x", `{"b":1}`, true},
		{"sel_a or sel_b and filter_x", `{"a":1}`, true}, // and binds tighter
		{"(sel_a or sel_b) and filter_x", `{"a":1}`, false},
		{"not not sel_a", `{"a":1}`, true},
		{"1 of sel_*", `{"b":1}`, true},
		{"1 of sel_*", `{"x":1}`, false},
		{"all of sel_*", `{"a":1,"b":1}`, true},
		{"all of sel_*", `{"a":1}`, false},
		{"sel_a and not 1 of filter_*", `{"a":1,"y":1}`, false},
		{"sel_a and not 1 of filter*", `{"a":1}`, true},
		{"1 of them", `{"y":1}`, true},
		{"1 of them", `{"h":1}`, false}, // _hidden is excluded
		{"all of them", `{"a":1,"b":1,"x":1,"y":1}`, true},
		{"all of them", `{"a":1,"b":1,"x":1}`, false},
		{"any of sel_*", `{"a":1}`, true},
		{"sel_a AND sel_b", `{"a":1,"b":1}`, true},
		{"all of *_a", `{"a":1}`, true},
		{"_hidden", `{"h":1}`, true},
	}
	for _, c := range cases {
		m := compileDetection(t, det+"condition: "+c.cond+"\n")
		if got := m.Match(NewJSONEvent([]byte(c.event))); got != c.want {
			t.Errorf("%q on %s: got %v want %v", c.cond, c.event, got, c.want)
		}
	}
	// A list of conditions is an OR.
	m := compileDetection(t, det+"condition:\n  - sel_a\n  - sel_b\n")
	if !m.Match(NewJSONEvent([]byte(`{"b":1}`))) {
		t.Error("condition list should OR")
	}
}

func TestConditionErrors(t *testing.T) {
	for _, c := range []string{
		"", "sel and", "(sel", "sel)", "and sel", "2 of sel*", "1 of", "sel | count() > 5", "not", "sel or or sel",
	} {
		if _, err := ParseCondition(c); err == nil {
			t.Errorf("%q: want error", c)
		}
	}
	for _, c := range []string{"unknown", "1 of nomatch_*"} {
		rs, err := ParseRule([]byte("title: t\nlogsource: {product: aws}\ndetection:\n  sel: {a: 1}\n  condition: " + c + "\n"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Compile(rs[0], FieldMap{}); err == nil {
			t.Errorf("%q: want compile error", c)
		}
	}
}

func TestCompileErrors(t *testing.T) {
	for _, d := range []string{
		"sel: {a|nope: x}",
		"sel: {a|re: '(?<=x)y'}", // lookbehind: not RE2
		"sel: {a|cidr: 10.0.0.0/99}",
		"sel: {a|gt: many}",
		"sel: {a|exists: maybe}",
		"sel: {a|expand: '%unknown%'}",
		"sel: {a|base64offset: x}",
		"sel: {a|i: x}",
		"sel: {a|contains: null}",
		"sel: {a|hour|day: 3}",
		"sel: {a|hour: noon}",
	} {
		rs, err := ParseRule([]byte("title: t\nlogsource: {product: aws}\ndetection:\n  " + d + "\n  condition: sel\n"))
		if err != nil {
			continue // rejected at parse time is fine too
		}
		if _, err := Compile(rs[0], FieldMap{}); err == nil {
			t.Errorf("%s: want an error", d)
		} else if !strings.Contains(err.Error(), `"a"`) {
			t.Errorf("%s: error should name the field: %v", d, err)
		}
	}
}

func TestExpandPlaceholders(t *testing.T) {
	rs, err := ParseRule([]byte("title: t\nlogsource: {product: aws}\ndetection:\n  sel: {u|expand: '%admins%'}\n  condition: sel\n"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := Compile(rs[0], FieldMap{Placeholders: map[string][]string{"admins": {"root", "ops"}}})
	if err != nil {
		t.Fatal(err)
	}
	if !m.Match(NewJSONEvent([]byte(`{"u":"ops"}`))) || m.Match(NewJSONEvent([]byte(`{"u":"dev"}`))) {
		t.Error("expand placeholders")
	}
}

func TestFieldMaps(t *testing.T) {
	cases := []struct {
		source, field, event string
	}{
		{SourceGCPAudit, "gcp.audit.method_name", `{"protoPayload":{"methodName":"storage.buckets.list"}}`},
		{SourceGCPAudit, "data.protoPayload.methodName", `{"protoPayload":{"methodName":"storage.buckets.list"}}`},
		{SourceGCPAudit, "protoPayload.methodName", `{"protoPayload":{"methodName":"storage.buckets.list"}}`},
		{SourceGCPAudit, "methodName", `{"protoPayload":{"methodName":"storage.buckets.list"}}`},
		{SourceAzureActivity, "OperationNameValue", `{"operationName":"STORAGE.BUCKETS.LIST"}`},
		{SourceAzureActivity, "operationName", `{"operationName":"storage.buckets.list"}`},
		{SourceAzureAudit, "OperationName", `{"operationName":"storage.buckets.list"}`},
		{SourceAzureAudit, "properties.message", `{"properties":{"activityDisplayName":"storage.buckets.list"}}`},
		{SourceAzureSignIn, "AuthenticationRequirement", `{"properties":{"authenticationRequirement":"storage.buckets.list"}}`},
		{SourceAzureSignIn, "riskEventType", `{"properties":{"riskEventTypes_v2":["x","storage.buckets.list"]}}`},
		{SourceGCPAudit, "eventName", `{"protoPayload":{"metadata":{"event":[{"eventName":"storage.buckets.list"}]}}}`},
		{SourceGCPAudit, "new_value", `{"protoPayload":{"metadata":{"event":[{"parameter":[{"name":"OLD_VALUE","value":"x"},{"name":"NEW_VALUE","value":"storage.buckets.list"}]}]}}}`},
		{SourceM365Audit, "eventName", `{"Name":"storage.buckets.list","Operation":"AlertTriggered"}`},
		{SourceM365Audit, "eventName", `{"Operation":"storage.buckets.list"}`},
		{SourceM365Audit, "eventSource", `{"Workload":"storage.buckets.list"}`},
		{SourceM365Audit, "RequestType", `{"ExtendedProperties":[{"Name":"UserAgent","Value":"x"},{"Name":"RequestType","Value":"storage.buckets.list"}]}`},
	}
	for _, c := range cases {
		rs, err := ParseRule([]byte("title: t\nlogsource: {product: x}\ndetection:\n  sel: {'" + c.field + "': storage.buckets.list}\n  condition: sel\n"))
		if err != nil {
			t.Fatal(err)
		}
		m, err := Compile(rs[0], FieldMapFor(c.source))
		if err != nil {
			t.Fatal(err)
		}
		if !m.Match(NewJSONEvent([]byte(c.event))) {
			t.Errorf("%s %s on %s: no match", c.source, c.field, c.event)
		}
	}
	for ls, want := range map[LogSource]string{
		{Product: "aws", Service: "cloudtrail"}:             SourceAWSCloudTrail,
		{Product: "azure", Service: "activitylogs"}:         SourceAzureActivity,
		{Product: "azure", Service: "signinlogs"}:           SourceAzureSignIn,
		{Product: "azure", Service: "riskdetection"}:        SourceAzureSignIn,
		{Product: "azure", Service: "auditlogs"}:            SourceAzureAudit,
		{Product: "gcp", Service: "gcp.audit"}:              SourceGCPAudit,
		{Product: "m365", Service: "audit"}:                 SourceM365Audit,
		{Product: "m365", Service: "threat_management"}:     SourceM365Audit,
		{Product: "gcp", Service: "google_workspace.admin"}: SourceGCPAudit,
		{Product: "m365", Service: "unknown"}:               "",
		{Product: "azure", Service: "pim"}:                  "",
	} {
		got, err := MapLogSource(ls)
		if got != want || (want == "") != (err != nil) {
			t.Errorf("%+v: %q %v, want %q", ls, got, err, want)
		}
	}
}

// TestValueMaps: a rule's status: success matches each word the Microsoft
// 365 workloads write, and not a failure.
func TestValueMaps(t *testing.T) {
	rs, err := ParseRule([]byte("title: t\nlogsource: {product: m365, service: exchange}\ndetection:\n  sel: {status: success}\n  condition: sel\n"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := Compile(rs[0], FieldMapFor(SourceM365Audit))
	if err != nil {
		t.Fatal(err)
	}
	for ev, want := range map[string]bool{
		`{"ResultStatus":"Succeeded"}`: true, `{"ResultStatus":"True"}`: true, `{"ResultStatus":"Success"}`: true,
		`{"ResultStatus":"Failed"}`: false, `{"ResultStatus":"False"}`: false, `{}`: false,
	} {
		if m.Match(NewJSONEvent([]byte(ev))) != want {
			t.Errorf("%s: want match=%v", ev, want)
		}
	}
}

func jsonUnmarshal(s string, v any) error { return json.Unmarshal([]byte(s), v) }

// TestSelectorDottedValueRule: a rule field whose selector value holds
// dots (the Entra ID consent record's ConsentAction.Permissions property,
// as the Microsoft 365 audit log carries it) matches through Compile and
// Match, on both event kinds, and a look-alike property does not.
func TestSelectorDottedValueRule(t *testing.T) {
	const consent = `{"Operation":"Consent to application.","Workload":"AzureActiveDirectory",
	"ModifiedProperties":[{"Name":"ConsentContext.IsAdminConsent","NewValue":"False","OldValue":""},
	{"Name":"ConsentAction.Permissions","NewValue":"[] => [[Id: x, ConsentType: Principal, Scope:  Mail.Read offline_access, CreatedDateTime: ]]; ","OldValue":""}]}`
	const other = `{"Operation":"Consent to application.","Workload":"AzureActiveDirectory",
	"ModifiedProperties":[{"Name":"ConsentContext.IsAdminConsent","NewValue":"False","OldValue":""},
	{"Name":"ConsentAction.Reason","NewValue":"Scope: Mail.Read","OldValue":""}]}`
	det := "sel:\n  Operation: Consent to application.\n  ModifiedProperties[Name=ConsentAction.Permissions].NewValue|contains: Mail.Read\n" + sel
	runCases(t, []mcase{
		{"dotted selector value", det, consent, true},
		{"other property holds the scope", det, other, false},
		{"admin consent flag", "sel:\n  ModifiedProperties[Name=ConsentContext.IsAdminConsent].NewValue: 'False'\n" + sel, consent, true},
	})
}
