package detect

import (
	"encoding/json"
	"testing"
)

// TestAlertUnmappedEncodedOnce checks that the unmapped object NewAlert
// writes with the rule metadata encoded once per rule and level is what
// encoding the whole object (as it was written before) gives, at the
// rule's own level and a tuned one, with and without a correlation group
// (HTML characters included), and on the cached second call.
func TestAlertUnmappedEncodedOnce(t *testing.T) {
	rule := &RuleInfo{ID: "r-1", Name: "n", Title: "Key <created> & used", Author: "a", Level: "high",
		Tags: []string{"attack.persistence"}, References: []string{"https://x.example/?a=1&b=2"}, Path: "p.yml", Builtin: true}
	ev := []Event{{Record: testRecord()}}
	for _, level := range []Level{LevelHigh, LevelLow, LevelHigh} {
		for _, group := range []string{"", "userIdentity.arn=<x>&y;count=2"} {
			a := NewAlert(rule, level, group, ev, "test")
			want := map[string]any{"rule": ruleMeta(rule, level)}
			if group != "" {
				want["correlation_group"] = group
			}
			w, err := json.Marshal(want)
			if err != nil {
				t.Fatal(err)
			}
			if string(a.Finding.Unmapped) != string(w) {
				t.Errorf("level %v group %q: unmapped\n got %s\nwant %s", level, group, a.Finding.Unmapped, w)
			}
		}
	}
}
