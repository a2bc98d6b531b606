package sigma

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// corpusRuleFiles returns the SigmaHQ cloud rule files when present.
func corpusRuleFiles() [][]byte {
	var out [][]byte
	filepath.WalkDir(filepath.Join(corpusDir, "sigma-cloud"), func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".yml") {
			if b, err := os.ReadFile(p); err == nil {
				out = append(out, b)
			}
		}
		return nil
	})
	return out
}

var testTime = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

var fuzzEvent = []byte(`{"eventName":"CreateAccessKey","eventSource":"iam.amazonaws.com","userIdentity":{"arn":"arn:aws:iam::1:user/a","type":"IAMUser"},"n":5,"list":[{"k":"v"},"x"],"properties":{"message":"Add user"},"protoPayload":{"methodName":"storage.buckets.list"}}`)

func FuzzParseRule(f *testing.F) {
	for _, b := range corpusRuleFiles() {
		f.Add(b)
	}
	f.Add([]byte(filterDocs))
	f.Add([]byte(corrRules))
	f.Fuzz(func(t *testing.T, data []byte) {
		col, _ := Parse("fuzz.yml", data)
		ev := NewJSONEvent(fuzzEvent)
		for _, r := range col.Rules {
			m, err := Compile(r, FieldMapFor(SourceAWSCloudTrail))
			if err != nil {
				continue
			}
			m.Match(ev)
			m.Match(MapEvent{"eventName": "x"})
		}
		if c, errs := NewCorrelator(col.Correlations, col.Rules); len(errs) == 0 {
			for _, r := range col.Rules {
				c.Observe(r, testTime, map[string]string{})
			}
		}
		ApplyFilters(col.Rules, col.Filters)
	})
}

func FuzzCondition(f *testing.F) {
	for _, b := range corpusRuleFiles() {
		if rs, err := ParseRule(b); err == nil {
			for _, r := range rs {
				f.Add(r.Detection.ConditionText)
			}
		}
	}
	for _, s := range []string{"a and not (b or 1 of c*)", "all of them", "not not x", "((a))", "a | count() > 3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseCondition(s)
		if err != nil {
			return
		}
		// Printing and re-parsing gives the same tree.
		c2, err := ParseCondition(c.String())
		if err != nil {
			t.Fatalf("%q printed as %q which does not parse: %v", s, c.String(), err)
		}
		if c2.String() != c.String() {
			t.Fatalf("%q: round trip %q -> %q", s, c.String(), c2.String())
		}
	})
}

func FuzzJSONEvent(f *testing.F) {
	f.Add(fuzzEvent)
	f.Add([]byte(`{"a":"x\"y","b":[1,[2,{"c":null}]],"a.b":{"c":true}}`))
	f.Add([]byte(`{"a":`))
	paths := []string{"eventName", "userIdentity.arn", "list.k", "a.b.c", "b.c", "properties.message", "x.y.z"}
	f.Fuzz(func(t *testing.T, raw []byte) {
		ev := NewJSONEvent(raw)
		for _, p := range paths {
			ev.Field(p)
		}
		n := 0
		for range ev.Keywords() {
			if n++; n > 1000 {
				break
			}
		}
	})
}
