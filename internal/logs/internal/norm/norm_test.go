package norm

import (
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/ocsf"
)

// verbLowered is Verb as it was before ASCII names were compared in place:
// the name lowered, then its prefixes.
func verbLowered(op string) int {
	if i := strings.LastIndexAny(op, "./"); i >= 0 {
		op = op[i+1:]
	}
	l := strings.ToLower(op)
	for _, p := range verbPrefixes {
		if strings.HasPrefix(l, p.prefix) {
			return p.id
		}
	}
	return ocsf.APIOther
}

func TestVerbSameAsLowered(t *testing.T) {
	names := []string{"GetObject", "ListBuckets", "DESCRIBEINSTANCES", "v1.compute.instances.insert", "google.iam.admin.v1.CreateServiceAccountKey",
		"PutBucketPolicy", "TagResource", "Untag", "x", "", "Get", "Ge", "ſet", "ſcanItems", "GetÉ", "Ünknown", "KILL", "\u212Aeep", "ÄddUser",
		"batchGetItem", "Microsoft.Storage/storageAccounts/delete", "a/b.c/Delete"}
	for _, n := range names {
		if got, want := Verb(n), verbLowered(n); got != want {
			t.Errorf("Verb(%q) = %d, want %d", n, got, want)
		}
	}
	if Verb("GetObject") != ocsf.APIRead || Verb("DeleteBucket") != ocsf.APIDelete || Verb("Frobnicate") != ocsf.APIOther {
		t.Fatal("verbs not classified")
	}
}

func FuzzVerb(f *testing.F) {
	f.Add("GetObject")
	f.Add("ſcan")
	f.Fuzz(func(t *testing.T, op string) {
		if got, want := Verb(op), verbLowered(op); got != want {
			t.Fatalf("Verb(%q) = %d, want %d", op, got, want)
		}
	})
}

// TestCanonical: texts of one JSON value give the same bytes; values that
// differ anywhere (a string, a number's text, an array's order, a nested
// member) give other bytes; invalid JSON is returned as is.
func TestCanonical(t *testing.T) {
	base := `{"CreationTime":"2024-05-06T08:12:41","Id":"7f3e","RecordType":15,"ExtendedProperties":[{"Name":"UserAgent","Value":"a<b>&c"}],"Actor":[{"ID":"x","Type":0}]}`
	same := []string{
		"{\n  \"Actor\": [ { \"Type\": 0, \"ID\": \"x\" } ],\n  \"RecordType\": 15,\n  \"Id\": \"7f3e\",\n  \"CreationTime\": \"2024-05-06T08:12:41\",\n  \"ExtendedProperties\": [{\"Value\": \"a\\u003cb\\u003e\\u0026c\", \"Name\": \"UserAgent\"}]\n}",
		`{"Id":"\u0037f3e","CreationTime":"2024-05-06T08:12:41","RecordType":15,"ExtendedProperties":[{"Name":"UserAgent","Value":"a<b>&c"}],"Actor":[{"ID":"x","Type":0}]}`,
	}
	differ := []string{
		`{"CreationTime":"2024-05-06T08:12:42","Id":"7f3e","RecordType":15,"ExtendedProperties":[{"Name":"UserAgent","Value":"a<b>&c"}],"Actor":[{"ID":"x","Type":0}]}`,
		`{"CreationTime":"2024-05-06T08:12:41","Id":"7f3e","RecordType":15.0,"ExtendedProperties":[{"Name":"UserAgent","Value":"a<b>&c"}],"Actor":[{"ID":"x","Type":0}]}`,
		`{"CreationTime":"2024-05-06T08:12:41","Id":"7f3e","RecordType":15,"ExtendedProperties":[{"Name":"UserAgent","Value":"a<b>&c"}],"Actor":[{"ID":"x","Type":0},{"ID":"y","Type":5}]}`,
		`{"CreationTime":"2024-05-06T08:12:41","Id":"7f3e","RecordType":15,"ExtendedProperties":[{"Name":"UserAgent","Value":"a<b>&d"}],"Actor":[{"ID":"x","Type":0}]}`,
		`{"CreationTime":"2024-05-06T08:12:41","Id":"7f3e","RecordType":"15","ExtendedProperties":[{"Name":"UserAgent","Value":"a<b>&c"}],"Actor":[{"ID":"x","Type":0}]}`,
	}
	want := string(Canonical([]byte(base)))
	if strings.ContainsAny(want, " \n") || !strings.HasPrefix(want, `{"Actor":`) || !strings.Contains(want, "a<b>&c") {
		t.Errorf("canonical form %s: want compact, sorted, unescaped", want)
	}
	if again := string(Canonical([]byte(want))); again != want {
		t.Errorf("not idempotent: %s then %s", want, again)
	}
	for _, s := range same {
		if got := string(Canonical([]byte(s))); got != want {
			t.Errorf("%s\n-> %s\nwant %s", s, got, want)
		}
	}
	for _, s := range differ {
		if got := string(Canonical([]byte(s))); got == want {
			t.Errorf("%s has the canonical form of another value", s)
		}
	}
	for _, s := range []string{`{"a":1`, `{"a":1} {"b":2}`, `not json`} {
		if got := string(Canonical([]byte(s))); got != s {
			t.Errorf("invalid %q -> %q, want it unchanged", s, got)
		}
	}
}
