package sigma

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const filterDocs = `title: access key created
id: 9a8b7c6d-0000-0000-0000-000000000001
name: key_created
level: medium
logsource: {product: aws, service: cloudtrail}
detection:
  selection: {eventSource: iam.amazonaws.com, eventName: CreateAccessKey}
  condition: selection
---
title: trail updated
id: 9a8b7c6d-0000-0000-0000-000000000002
level: low
logsource: {product: aws, service: cloudtrail}
detection:
  selection: {eventName: UpdateTrail}
  condition: selection
---
title: automation identities
logsource: {product: aws, service: cloudtrail}
filter:
  rules:
    - key_created
    - 9a8b7c6d-0000-0000-0000-000000000002
  automation:
    userIdentity.arn|endswith:
      - ':role/terraform'
      - ':role/ci-deployer'
  sso_admin:
    userIdentity.arn|contains: 'AWSReservedSSO_Admin'
  condition: automation or sso_admin
`

func TestFilters(t *testing.T) {
	col, err := Parse("tuning.yml", []byte(filterDocs))
	if err != nil {
		t.Fatal(err)
	}
	if len(col.Rules) != 2 || len(col.Filters) != 1 {
		t.Fatalf("rules %d filters %d", len(col.Rules), len(col.Filters))
	}
	filtered, errs := ApplyFilters(col.Rules, col.Filters)
	if len(errs) != 0 {
		t.Fatal(errs)
	}
	if len(col.Rules[0].Filters) != 0 {
		t.Fatal("ApplyFilters modified the input rule")
	}
	m, err := Compile(filtered[0], FieldMapFor(SourceAWSCloudTrail))
	if err != nil {
		t.Fatal(err)
	}
	ev := func(arn string) *JSONEvent {
		return NewJSONEvent([]byte(`{"eventSource":"iam.amazonaws.com","eventName":"CreateAccessKey","userIdentity":{"arn":"` + arn + `"}}`))
	}
	if !m.Match(ev("arn:aws:iam::1:user/alice")) {
		t.Error("unfiltered identity should still alert")
	}
	if m.Match(ev("arn:aws:sts::1:assumed-role/x:role/terraform")) {
		t.Error("automation identity should be filtered")
	}
	if m.Match(ev("arn:aws:sts::1:assumed-role/AWSReservedSSO_AdministratorAccess_1/bob")) {
		t.Error("SSO admin should be filtered")
	}
	// The unfiltered rule still matches the automation identity.
	m0, _ := Compile(col.Rules[0], FieldMapFor(SourceAWSCloudTrail))
	if !m0.Match(ev("arn:aws:sts::1:assumed-role/x:role/terraform")) {
		t.Error("original rule changed")
	}
	// Filter by id on the second rule.
	m2, _ := Compile(filtered[1], FieldMapFor(SourceAWSCloudTrail))
	if m2.Match(NewJSONEvent([]byte(`{"eventName":"UpdateTrail","userIdentity":{"arn":"x:role/ci-deployer"}}`))) {
		t.Error("filter by id not applied")
	}
	// A filter naming an unknown rule is reported.
	_, errs = ApplyFilters(col.Rules[:1], col.Filters)
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "tuning.yml") {
		t.Errorf("stale filter reference: %v", errs)
	}
	// A filter whose logsource differs from the rule's does not apply.
	other := *col.Filters[0]
	other.LogSource = LogSource{Product: "gcp"}
	if fr, errs := ApplyFilters(col.Rules, []*Filter{&other}); len(fr[0].Filters) != 0 || len(errs) != 2 {
		t.Errorf("logsource mismatch: filters %d errs %v", len(fr[0].Filters), errs)
	}
	// Value extracts fields for alerts and correlations.
	if v, ok := m.Value(ev("arn:x"), "userIdentity.arn"); !ok || v != "arn:x" {
		t.Errorf("Value: %q %v", v, ok)
	}
	// Level floor.
	if got := MinLevel(col.Rules, "medium"); len(got) != 1 || got[0].Title != "access key created" {
		t.Errorf("MinLevel: %v", got)
	}
	if got := MinLevel(col.Rules, ""); len(got) != 2 {
		t.Errorf("MinLevel empty: %d", len(got))
	}
	if LevelRank("critical") != 4 || LevelRank("bogus") != -1 {
		t.Error("LevelRank")
	}
}

func TestRuleCollections(t *testing.T) {
	doc := `action: global
title: collection
logsource: {product: aws, service: cloudtrail}
level: high
detection:
  condition: selection
---
detection:
  selection: {eventName: A}
---
title: second
detection:
  selection: {eventName: B}
---
action: repeat
title: third
detection:
  selection: {eventName: C}
---
action: reset
---
title: own
logsource: {product: gcp, service: gcp.audit}
detection:
  selection: {methodName: D}
  condition: selection
`
	rs, err := ParseRule([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 4 {
		t.Fatalf("got %d rules", len(rs))
	}
	wantTitles := []string{"collection", "second", "third", "own"}
	wantEv := []string{"A", "B", "C", ""}
	for i, r := range rs {
		if r.Title != wantTitles[i] {
			t.Errorf("rule %d title %q", i, r.Title)
		}
		if i < 3 && (r.Level != "high" || r.LogSource.Product != "aws") {
			t.Errorf("rule %d did not inherit the global: %+v", i, r)
		}
		if i == 3 && r.Level != "" {
			t.Errorf("reset not applied: %+v", r)
		}
		if wantEv[i] == "" {
			continue
		}
		m, err := Compile(r, FieldMap{})
		if err != nil {
			t.Fatal(err)
		}
		if !m.Match(NewJSONEvent([]byte(`{"eventName":"` + wantEv[i] + `"}`))) {
			t.Errorf("rule %d does not match eventName %s", i, wantEv[i])
		}
	}
}

func TestParseErrorsNameFileAndLine(t *testing.T) {
	cases := map[string]string{
		"title: x\nlogsource: {product: aws}\ndetection:\n  sel: {a: [1, {b: 2}]}\n  condition: sel\n": "line 4",
		"title: x\nlogsource: {product: aws}\ndetection:\n  sel: {a: 1}\n":                             "no condition",
		"title: x\ndetection:\n  sel: {a: 1}\n  condition: sel\n":                                      "no logsource",
		"logsource: {product: aws}\ndetection:\n  sel: {a: 1}\n  condition: sel\n":                     "no title",
		"title: x\nlogsource: {product: aws}\ndetection:\n  sel: {a: 1\n":                              "YAML",
		"- just\n- a list\n":                                    "not a mapping",
		"title: x\nlogsource: {product: aws}\nfoo: bar\n":       "no detection",
		"action: explode\n":                                     "unknown collection action",
		"title: x\nlogsource: {}\ndetection:\n  condition: (\n": "condition",
	}
	for doc, want := range cases {
		_, err := Parse("rules/bad.yml", []byte(doc))
		if err == nil || !strings.Contains(err.Error(), "rules/bad.yml") || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: got %v, want an error naming the file and %q", doc, err, want)
		}
	}
	// LoadDir: a broken file is reported and the good one still loads.
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "good.yml"), []byte("title: g\nlogsource: {product: aws, service: cloudtrail}\ndetection:\n  s: {eventName: X}\n  condition: s\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "bad.yml"), []byte("title: b\nlogsource: {product: aws, service: cloudtrail}\ndetection:\n  s: {eventName|nope: X}\n  condition: s\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "pim.yml"), []byte("title: m\nlogsource: {product: azure, service: pim}\ndetection:\n  s: {riskEventType: X}\n  condition: s\n"), 0o644)
	rules, _, _, errs := LoadDir(context.Background(), dir)
	if len(rules) != 1 || rules[0].Title != "g" || len(errs) != 2 {
		t.Fatalf("rules %v errs %v", rules, errs)
	}
	for _, e := range errs {
		if e.Line != 1 || e.Reason == "" {
			t.Errorf("error without line/reason: %+v", e)
		}
	}
}

func TestYAMLAliases(t *testing.T) {
	doc := "title: t\nlogsource: {product: aws}\ndetection:\n  sel: &s\n    eventName: &n [A, B]\n  sel2:\n    eventSource: *n\n  again: *s\n  condition: again and sel2\n"
	rs, err := ParseRule([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	m, err := Compile(rs[0], FieldMap{})
	if err != nil {
		t.Fatal(err)
	}
	if !m.Match(NewJSONEvent([]byte(`{"eventName":"b","eventSource":"a"}`))) {
		t.Error("aliases not followed")
	}
}
