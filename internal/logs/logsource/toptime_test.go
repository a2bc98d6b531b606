package logsource

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/tidwall/gjson"
)

// asGjson checks that topString agrees with gjson.Get wherever it answers.
func asGjson(t *testing.T, raw []byte, key string) (answered bool) {
	t.Helper()
	v, found, ok := topString(raw, key)
	if !ok {
		return false
	}
	g := gjson.GetBytes(raw, key)
	gFound := g.Type == gjson.String
	if found != gFound || found && v != g.Str {
		t.Errorf("topString(%q, %q) = %q, %v; gjson: %q, %v", raw, key, v, found, g.Str, gFound)
	}
	return true
}

func TestTopStringAsGjson(t *testing.T) {
	cases := []struct {
		raw, key string
		answer   bool // topString answers (no fallback to gjson)
	}{
		{`{"eventVersion":"1.08","userIdentity":{"eventTime":"no","a":[1,{"b":"}"}]},"eventTime":"2024-01-02T03:04:05Z"}`, "eventTime", true},
		{`{"eventTime":"a","eventTime":"b"}`, "eventTime", true},
		{` { "x" : [ "]" , "\"" ] , "eventTime" : "t" } `, "eventTime", true},
		{`{"eventTime":12}`, "eventTime", true},
		{`{"eventTime":null,"other":"x"}`, "eventTime", true},
		{`{}`, "eventTime", true},
		{`{"time":"x"}`, "eventTime", true},
		{`{"EventTime":"x"}`, "eventTime", true},
		{`{"eventTime":"a\"b"}`, "eventTime", false},
		{`{"event\u0054ime":"x"}`, "eventTime", false},
		{`{"a":1 "eventTime":"x"}`, "eventTime", false},
		{`["eventTime"]`, "eventTime", false},
		{`{"eventTime":"x"`, "eventTime", true},
		{`{"a":tru:e,"eventTime":"x"}`, "eventTime", false},
		{`{"properties":{"eventTimestamp":"x"}}`, "properties.eventTimestamp", false},
		{`{"a":"x"}`, "a*", false},
		{`{"a":{"b":"c"`, "eventTime", false},
	}
	for _, c := range cases {
		if got := asGjson(t, []byte(c.raw), c.key); got != c.answer {
			t.Errorf("topString(%q, %q) answered %v, want %v", c.raw, c.key, got, c.answer)
		}
	}
	// Real events of every source in the corpus, each key a source reads
	// its time from.
	root := filepath.Join("..", "..", "..", "..", "shared", "corpus", "logs")
	if _, err := os.Stat(root); err != nil {
		t.Skipf("corpus not found (%s): %v", root, err)
	}
	n := 0
	_ = filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || n > 20000 {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil || len(data) > 8<<20 {
			return nil
		}
		gjson.ForEachLine(string(data), func(line gjson.Result) bool {
			objs := []gjson.Result{line}
			if r := line.Get("Records"); r.IsArray() {
				objs = r.Array()
			}
			for _, o := range objs {
				for _, k := range []string{"eventTime", "time", "timestamp", "CreationTime", "createdDateTime", "activityDateTime", "receiveTimestamp"} {
					if asGjson(t, []byte(o.Raw), k) {
						n++
					}
				}
			}
			return true
		})
		return nil
	})
	if n == 0 {
		t.Error("no corpus event answered")
	}
	t.Logf("%d corpus lookups compared with gjson", n)
}

func FuzzTopString(f *testing.F) {
	for _, s := range []string{`{"eventTime":"2024-01-02T03:04:05Z"}`, `{"a":{"eventTime":"x"},"eventTime":"y"}`, `{"a":[1,"]"],"eventTime":1}`, `{"eventTime":"a\\"b"}`} {
		f.Add([]byte(s), "eventTime")
	}
	f.Fuzz(func(t *testing.T, raw []byte, key string) {
		if !gjson.ValidBytes(raw) {
			return // gjson's answers on broken JSON are not a contract
		}
		asGjson(t, raw, key)
	})
}
