package sigma

import (
	"slices"
	"strings"
	"testing"
	"unsafe"
)

// TestFieldNameFolding: a field is found under its exact name first, else
// under the first name equal to it case-insensitively, including names
// whose first rune is a non-ASCII letter that folds to an ASCII one (the
// Kelvin sign K folds to k); names starting with another letter are not.
func TestFieldNameFolding(t *testing.T) {
	cases := []struct {
		event, path, want string
		ok                bool
	}{
		{`{"EventName":"a","eventName":"b"}`, "eventName", "b", true},
		{`{"EVENTNAME":"a","EventName":"b"}`, "eventName", "a", true},
		{"{\"\u212aeyId\":\"kelvin\"}", "keyId", "kelvin", true},
		{`{"keyid":"x"}`, "\u212aeyId", "x", true},
		{`{"xeyId":"x","KEYID":"y"}`, "keyId", "y", true},
		{`{"xeyId":"x"}`, "keyId", "", false},
		{`{"u":{"Arn":"a","ARN":"b","arn":"c"}}`, "u.arn", "c", true},
		{`{"u":{"Arn":"a","ARN":"b"}}`, "u.arn", "a", true},
		{"{\"u\":{\"\u212aind\":\"k\"}}", "u.kind", "k", true},
		{`{"u":{"mind":"k"}}`, "u.kind", "", false},
		// Dotted names, tried whole before their segments.
		{`{"a.b":"1","a":{"b":"2"}}`, "a.b", "1", true},
		{`{"a":{"b":"2"},"A.B":"1"}`, "a.b", "1", true},
		{`{"a":{"b.c":"3","b":{"c":"x"}}}`, "a.b.c", "3", true},
		{`{"a":{"b":{"c":"4"}}}`, "a.b.c", "4", true},
		{`{"a.b":{"c":"5"},"x":1}`, "a.b.c", "5", true},
		{`{"a":{"b":1},"a.b":{"c":"6"}}`, "a.b.c", "6", true},
		{`{"a":{"b":{"d":1}}}`, "a.b.c", "", false},
	}
	for _, c := range cases {
		v, ok := NewJSONEvent([]byte(c.event)).Field(c.path)
		if ok != c.ok || v.Str != c.want {
			t.Errorf("%s: Field(%q) = %q, %v; want %q, %v", c.event, c.path, v.Str, ok, c.want, c.ok)
		}
		// The free resolver (below an array) agrees.
		v, ok = NewJSONEvent([]byte(`{"w":[` + c.event + `]}`)).Field("w." + c.path)
		if ok != c.ok || ok && (len(v.Elems) != 1 || v.Elems[0].Str != c.want) {
			t.Errorf("below an array %s: Field(w.%s) = %+v, %v; want %q, %v", c.event, c.path, v, ok, c.want, c.ok)
		}
	}
}

// TestManyPlainValues: a field compared with many plain values (looked up
// in a set) matches as comparing them one by one does: case-insensitively,
// with neq, with other modifiers beside, with non-ASCII and array values.
func TestManyPlainValues(t *testing.T) {
	list := "  eventSource:\n    - ec2.amazonaws.com\n    - IAM.amazonaws.com\n    - s3.amazonaws.com\n    - kms.amazonaws.com\n    - 42\n"
	runCases(t, []mcase{
		{"set hit", "sel:\n" + list + sel, `{"eventSource":"iam.AMAZONAWS.com"}`, true},
		{"set miss", "sel:\n" + list + sel, `{"eventSource":"sts.amazonaws.com"}`, false},
		{"set number text", "sel:\n" + list + sel, `{"eventSource":"42"}`, true},
		{"set number", "sel:\n" + list + sel, `{"eventSource":42}`, true},
		{"set array", "sel:\n" + list + sel, `{"eventSource":["x","S3.amazonaws.com"]}`, true},
		{"set absent", "sel:\n" + list + sel, `{"other":"s3.amazonaws.com"}`, false},
		{"set non-ASCII", "sel:\n" + list + sel, `{"eventSource":"\u212ams.amazonaws.com"}`, true},
		{"set non-ASCII miss", "sel:\n" + list + sel, `{"eventSource":"\u00e9c2.amazonaws.com"}`, false},
		{"neq hit", "sel:\n" + indentList(list, "eventSource|neq") + sel, `{"eventSource":"EC2.amazonaws.com"}`, false},
		{"neq miss", "sel:\n" + indentList(list, "eventSource|neq") + sel, `{"eventSource":"sts.amazonaws.com"}`, true},
		{"with a wildcard", "sel:\n" + list + "    - '*.googleapis.com'\n" + sel, `{"eventSource":"compute.googleapis.com"}`, true},
		{"cased beside", "sel:\n  eventSource|cased:\n    - A\n    - B\n    - C\n    - D\n" + sel, `{"eventSource":"a"}`, false},
	})
}

func indentList(list, field string) string {
	return "  " + field + ":" + list[len("  eventSource:"):]
}

// TestRuleSetIndexSelective: matchers that require both eventSource and
// eventName are indexed under eventName (more distinct literals), those
// that require only eventSource under eventSource, and the set reports
// what evaluating every matcher reports.
func TestRuleSetIndexSelective(t *testing.T) {
	var ms []*Matcher
	for _, d := range []string{
		"sel:\n  eventSource: ec2.amazonaws.com\n  eventName: RunInstances\n" + sel,
		"sel:\n  eventSource: ec2.amazonaws.com\n  eventName: [StopInstances, StartInstances]\n" + sel,
		"sel:\n  eventSource: ec2.amazonaws.com\n  eventName: CreateSnapshot\n" + sel,
		"sel:\n  eventSource: [ec2.amazonaws.com, iam.amazonaws.com]\n  eventName|startswith: Describe\n" + sel,
		"sel:\n  eventSource: iam.amazonaws.com\n  eventName|contains: Policy\n" + sel,
		"sel:\n  userIdentity.accessKeyId|startswith: AKIA\n" + sel,
	} {
		ms = append(ms, compileDetection(t, d))
	}
	set := NewRuleSet(ms)
	key, indexed, always := set.IndexField()
	if key != "eventName" || indexed != 5 || always != 1 {
		t.Errorf("index %q: %d indexed, %d always; want eventName, 5, 1", key, indexed, always)
	}
	if len(set.idx) != 2 || set.idx[1].key != "eventSource" || !slices.Equal(set.idx[1].all, []int{3, 4}) {
		t.Errorf("second index: %+v", set.idx)
	}
	for _, ev := range []string{
		`{"eventSource":"ec2.amazonaws.com","eventName":"RunInstances","userIdentity":{"accessKeyId":"AKIA1"}}`,
		`{"eventSource":"ec2.amazonaws.com","eventName":"startinstances"}`,
		`{"eventSource":"ec2.amazonaws.com","eventName":"DescribeInstances"}`,
		`{"eventSource":"iam.amazonaws.com","eventName":"DescribeX"}`,
		`{"eventSource":"iam.amazonaws.com","eventName":"PutUserPolicy"}`,
		`{"eventSource":["iam.amazonaws.com"],"eventName":["CreateSnapshot","x"]}`,
		`{"eventName":"RunInstances"}`,
	} {
		var got, want []*Matcher
		set.Match(NewJSONEvent([]byte(ev)), func(m *Matcher) { got = append(got, m) })
		for _, m := range ms {
			if m.Match(NewJSONEvent([]byte(ev))) {
				want = append(want, m)
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: set matched %d matchers, evaluating each %d", ev, len(got), len(want))
		}
	}
}

// TestRuleSetIntern: Intern gives back, for a path the set's matchers
// read, the one string they read it through (so that a caller's read of
// the path is answered from the event's field cache: fewer lookups),
// and any other path as it is; the answers are those of the path text.
func TestRuleSetIntern(t *testing.T) {
	set := NewRuleSet([]*Matcher{
		compileDetection(t, "sel:\n  userIdentity.accessKeyId|startswith: AKIA\n"+sel),
		compileDetection(t, "sel:\n  userIdentity.accessKeyId|startswith: ASIA\n  eventName: GetObject\n"+sel),
	})
	var read string
	var walk func(n node)
	walk = func(n node) {
		switch x := n.(type) {
		case andNode:
			for _, k := range x {
				walk(k)
			}
		case *fieldNode:
			if x.paths[0] == "userIdentity.accessKeyId" {
				if read != "" && unsafe.StringData(read) != unsafe.StringData(x.paths[0]) {
					t.Fatal("the matchers read one path through two strings")
				}
				read = x.paths[0]
			}
		}
	}
	for _, m := range set.all {
		walk(m.root)
	}
	if read == "" {
		t.Fatal("no matcher reads userIdentity.accessKeyId")
	}
	own := strings.Clone("userIdentity.accessKeyId")
	got := set.Intern(own)
	if got != own || unsafe.StringData(got) != unsafe.StringData(read) {
		t.Errorf("Intern(%q) is not the matchers' string", own)
	}
	other := strings.Clone("sourceIPAddress")
	if got := set.Intern(other); unsafe.StringData(got) != unsafe.StringData(other) {
		t.Errorf("Intern(%q) changed a path no matcher reads", other)
	}
	// A read through the interned string after the set matched is the
	// cached answer, equal to a fresh event's.
	raw := []byte(`{"eventName":"GetObject","userIdentity":{"accessKeyId":"ASIAX"}}`)
	ev := NewJSONEvent(raw)
	set.Match(ev, func(*Matcher) {})
	a, okA := ev.Field(got)
	b, okB := NewJSONEvent(raw).Field(own)
	if okA != okB || a.Str != b.Str || a.Str != "ASIAX" {
		t.Errorf("Field through the interned path = %q %v, want %q %v", a.Str, okA, b.Str, okB)
	}
}
