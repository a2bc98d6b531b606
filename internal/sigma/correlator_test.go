package sigma

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func specDir(t testing.TB, parts ...string) string {
	d := filepath.Join(append([]string{corpusDir, "sigma-spec"}, parts...)...)
	if _, err := os.Stat(d); err != nil {
		t.Skipf("Sigma specification corpus not present at %s: %v", d, err)
	}
	return d
}

// TestSpecSchemaExamples parses the specification's own test documents.
func TestSpecSchemaExamples(t *testing.T) {
	dir := specDir(t, "tests", "schema")
	want := map[string]string{
		"correlation/event_count.yml":      "event_count",
		"correlation/event_count_ecs.yml":  "event_count",
		"correlation/value_count.yml":      "value_count",
		"correlation/temporal.yml":         "temporal",
		"correlation/temporal_ordered.yml": "temporal_ordered",
		"rules/rule_1.yml":                 "rule",
		"rules/rule_ecs.yml":               "rule",
		"filter/filter_1.yml":              "filter",
		"filter/filter_ecs.yml":            "filter",
	}
	for f, kind := range want {
		data, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		col, err := Parse(f, data)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		switch kind {
		case "rule":
			if len(col.Rules) != 1 {
				t.Errorf("%s: %d rules", f, len(col.Rules))
			}
		case "filter":
			if len(col.Filters) != 1 || len(col.Filters[0].Rules) != 2 {
				t.Errorf("%s: filters %+v", f, col.Filters)
			}
		default:
			if len(col.Correlations) != 1 || string(col.Correlations[0].Type) != kind {
				t.Errorf("%s: correlations %+v", f, col.Correlations)
			}
		}
	}
	// value_sum & co. are recognised and refused with a reason.
	for _, f := range []string{"value_sum.yml", "value_avg.yml", "value_percentile.yml"} {
		data, err := os.ReadFile(filepath.Join(dir, "correlation", f))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Parse(f, data); err == nil || !strings.Contains(err.Error(), "not supported") {
			t.Errorf("%s: want a not-supported error, got %v", f, err)
		}
	}
}

const corrRules = `
title: failed
name: failed_login
id: 11111111-0000-0000-0000-000000000001
logsource: {product: aws, service: cloudtrail}
detection:
  selection: {eventName: ConsoleLogin, errorMessage: Failed authentication}
  condition: selection
---
title: success
name: successful_login
logsource: {product: aws, service: cloudtrail}
detection:
  selection: {eventName: ConsoleLogin, responseElements.ConsoleLogin: Success}
  condition: selection
---
title: key created
name: key_created
logsource: {product: aws, service: cloudtrail}
detection:
  selection: {eventName: CreateAccessKey}
  condition: selection
`

func parseAll(t *testing.T, docs string) Collection {
	t.Helper()
	col, err := Parse("test.yml", []byte(docs))
	if err != nil {
		t.Fatal(err)
	}
	return col
}

type obs struct {
	rule string
	at   time.Duration
	vals map[string]string
}

func runCorr(t *testing.T, corr string, seq []obs) []CorrelationHit {
	t.Helper()
	col := parseAll(t, corrRules+"---\n"+corr)
	c, errs := NewCorrelator(col.Correlations, col.Rules)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	byName := map[string]*Rule{}
	for _, r := range col.Rules {
		byName[r.Name] = r
	}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var hits []CorrelationHit
	for i, o := range seq {
		r := byName[o.rule]
		for _, f := range c.Fields(r) {
			if _, ok := o.vals[f]; !ok && o.vals != nil {
				t.Fatalf("obs %d: field %s not provided", i, f)
			}
		}
		hits = append(hits, c.Observe(r, t0.Add(o.at), o.vals)...)
		// Snapshot/restore between every event: state survives a restart.
		snap, err := c.Snapshot()
		if err != nil {
			t.Fatal(err)
		}
		c2, _ := NewCorrelator(col.Correlations, col.Rules)
		if err := c2.Restore(snap); err != nil {
			t.Fatal(err)
		}
		c = c2
	}
	hits = append(hits, c.Flush(t0.Add(365*24*time.Hour))...)
	return hits
}

func user(u string) map[string]string { return map[string]string{"userIdentity.arn": u} }

func TestEventCount(t *testing.T) {
	corr := `title: brute force
correlation:
  type: event_count
  rules: [failed_login]
  group-by: [userIdentity.arn]
  timespan: 10m
  condition: {gte: 3}
`
	// Inside the timespan: 3 failures within 10 minutes fire once.
	hits := runCorr(t, corr, []obs{
		{"failed_login", 0, user("alice")},
		{"failed_login", 4 * time.Minute, user("alice")},
		{"failed_login", 2 * time.Minute, user("bob")},
		{"failed_login", 9 * time.Minute, user("alice")},
	})
	if len(hits) != 1 || hits[0].Group["userIdentity.arn"] != "alice" || hits[0].Count != 3 {
		t.Fatalf("inside timespan: %+v", hits)
	}
	if hits[0].Last.Sub(hits[0].First) != 9*time.Minute {
		t.Errorf("first/last: %v %v", hits[0].First, hits[0].Last)
	}
	// Flush drops groups whose matches left the window.
	col := parseAll(t, corrRules+"---\n"+corr)
	c, _ := NewCorrelator(col.Correlations, col.Rules)
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c.Observe(col.Rules[0], t0, user("alice"))
	c.Flush(t0.Add(5 * time.Minute))
	if c.Groups() != 1 {
		t.Errorf("group dropped too early")
	}
	c.Flush(t0.Add(11 * time.Minute))
	if c.Groups() != 0 {
		t.Errorf("stale group kept: %d", c.Groups())
	}
	// Outside: the first failure is 11 minutes before the third.
	hits = runCorr(t, corr, []obs{
		{"failed_login", 0, user("alice")},
		{"failed_login", 5 * time.Minute, user("alice")},
		{"failed_login", 11 * time.Minute, user("alice")},
	})
	if len(hits) != 0 {
		t.Fatalf("outside timespan: %+v", hits)
	}
}

func TestEventCountUpperBound(t *testing.T) {
	corr := `title: exactly two
correlation:
  type: event_count
  rules: [failed_login]
  group-by: [userIdentity.arn]
  timespan: 10m
  condition: {gt: 1, lte: 2}
`
	hits := runCorr(t, corr, []obs{
		{"failed_login", 0, user("alice")},
		{"failed_login", 9 * time.Minute, user("alice")}, // 2 in window -> fires at close
		{"failed_login", 0, user("bob")},
		{"failed_login", 1 * time.Minute, user("bob")},
		{"failed_login", 2 * time.Minute, user("bob")}, // 3 in window -> no
		{"failed_login", 30 * time.Minute, user("carol")},
		{"failed_login", 41 * time.Minute, user("carol")}, // second one outside the window
	})
	if len(hits) != 1 || hits[0].Group["userIdentity.arn"] != "alice" || hits[0].Count != 2 {
		t.Fatalf("%+v", hits)
	}
}

func TestValueCount(t *testing.T) {
	corr := `title: many source IPs
correlation:
  type: value_count
  rules: [failed_login]
  group-by: [userIdentity.arn]
  timespan: 1h
  condition: {field: sourceIPAddress, gte: 3}
`
	ip := func(u, a string) map[string]string {
		return map[string]string{"userIdentity.arn": u, "sourceIPAddress": a}
	}
	hits := runCorr(t, corr, []obs{
		{"failed_login", 0, ip("alice", "1.1.1.1")},
		{"failed_login", 10 * time.Minute, ip("alice", "1.1.1.1")}, // same value: still 1
		{"failed_login", 20 * time.Minute, ip("alice", "2.2.2.2")},
		{"failed_login", 59 * time.Minute, ip("alice", "3.3.3.3")},
	})
	if len(hits) != 1 || hits[0].Count != 3 {
		t.Fatalf("inside: %+v", hits)
	}
	hits = runCorr(t, corr, []obs{
		{"failed_login", 0, ip("alice", "1.1.1.1")},
		{"failed_login", 30 * time.Minute, ip("alice", "2.2.2.2")},
		{"failed_login", 61 * time.Minute, ip("alice", "3.3.3.3")}, // 1.1.1.1 expired
		{"failed_login", 62 * time.Minute, ip("alice", "2.2.2.2")},
	})
	if len(hits) != 0 {
		t.Fatalf("outside: %+v", hits)
	}
}

func TestTemporal(t *testing.T) {
	corr := `title: key then login
correlation:
  type: temporal
  rules: [key_created, successful_login]
  group-by: [user]
  timespan: 30m
  aliases:
    user:
      key_created: requestParameters.userName
      successful_login: userIdentity.userName
`
	col := parseAll(t, corrRules+"---\n"+corr)
	c, _ := NewCorrelator(col.Correlations, col.Rules)
	if got := c.Fields(col.Rules[2]); !reflect.DeepEqual(got, []string{"requestParameters.userName"}) {
		t.Fatalf("aliased fields for key_created: %v", got)
	}
	kc := map[string]string{"requestParameters.userName": "bob"}
	lg := map[string]string{"userIdentity.userName": "bob"}
	// Any order within 30 minutes.
	hits := runCorr(t, corr, []obs{
		{"successful_login", 0, lg},
		{"key_created", 29 * time.Minute, kc},
	})
	if len(hits) != 1 || hits[0].Group["user"] != "bob" || hits[0].Count != 2 {
		t.Fatalf("inside: %+v", hits)
	}
	hits = runCorr(t, corr, []obs{
		{"successful_login", 0, lg},
		{"key_created", 31 * time.Minute, kc},
		{"key_created", 40 * time.Minute, map[string]string{"requestParameters.userName": "eve"}},
	})
	if len(hits) != 0 {
		t.Fatalf("outside: %+v", hits)
	}
}

func TestTemporalOrderedAndChain(t *testing.T) {
	// The specification's example: many failures followed by a success,
	// a temporal_ordered correlation over an event_count correlation.
	corr := `title: brute force then success
correlation:
  type: temporal_ordered
  rules: [many_failed, successful_login]
  group-by: [userIdentity.arn]
  timespan: 10m
level: high
---
title: many failed
name: many_failed
correlation:
  type: event_count
  rules: [failed_login]
  group-by: [userIdentity.arn]
  timespan: 10m
  condition: {gte: 2}
`
	hits := runCorr(t, corr, []obs{
		{"failed_login", 0, user("alice")},
		{"failed_login", 1 * time.Minute, user("alice")}, // many_failed fires
		{"successful_login", 5 * time.Minute, user("alice")},
	})
	var ordered []CorrelationHit
	for _, h := range hits {
		if h.Correlation.Type == TemporalOrdered {
			ordered = append(ordered, h)
		}
	}
	if len(ordered) != 1 || ordered[0].Group["userIdentity.arn"] != "alice" {
		t.Fatalf("inside, in order: %+v", hits)
	}
	// Wrong order: success first.
	hits = runCorr(t, corr, []obs{
		{"successful_login", 0, user("alice")},
		{"failed_login", 1 * time.Minute, user("alice")},
		{"failed_login", 2 * time.Minute, user("alice")},
	})
	for _, h := range hits {
		if h.Correlation.Type == TemporalOrdered {
			t.Fatalf("out of order fired: %+v", h)
		}
	}
	// In order but outside the timespan (success 11 minutes after the burst began).
	hits = runCorr(t, corr, []obs{
		{"failed_login", 0, user("alice")},
		{"failed_login", 1 * time.Minute, user("alice")},
		{"successful_login", 11 * time.Minute, user("alice")},
	})
	for _, h := range hits {
		if h.Correlation.Type == TemporalOrdered {
			t.Fatalf("outside timespan fired: %+v", h)
		}
	}
}

// TestTemporalOrderedTies: matches of one second complete an ordered chain
// whatever order they are handed over in (CloudTrail's clock has one-second
// resolution and the detection engine breaks ties by content), while a
// chain whose steps are out of order in time still does not.
func TestTemporalOrderedTies(t *testing.T) {
	corr := `title: failure, success, key
correlation:
  type: temporal_ordered
  rules: [failed_login, successful_login, key_created]
  group-by: [userIdentity.arn]
  timespan: 10m
level: high
`
	ordered := func(hits []CorrelationHit) int {
		n := 0
		for _, h := range hits {
			if h.Correlation.Type == TemporalOrdered {
				n++
			}
		}
		return n
	}
	at := time.Minute
	for name, tc := range map[string]struct {
		events []obs
		want   int
	}{
		"all tied, handed over last step first": {[]obs{
			{"key_created", at, user("alice")}, {"successful_login", at, user("alice")}, {"failed_login", at, user("alice")},
		}, 1},
		"all tied, in order": {[]obs{
			{"failed_login", at, user("alice")}, {"successful_login", at, user("alice")}, {"key_created", at, user("alice")},
		}, 1},
		"first two tied and reversed, last later": {[]obs{
			{"successful_login", at, user("alice")}, {"failed_login", at, user("alice")}, {"key_created", 2 * at, user("alice")},
		}, 1},
		"last step earlier than a tied pair": {[]obs{
			{"key_created", 0, user("alice")}, {"successful_login", at, user("alice")}, {"failed_login", at, user("alice")},
		}, 0},
		"tied but another identity": {[]obs{
			{"key_created", at, user("bob")}, {"successful_login", at, user("alice")}, {"failed_login", at, user("alice")},
		}, 0},
	} {
		if got := ordered(runCorr(t, corr, tc.events)); got != tc.want {
			t.Errorf("%s: %d temporal_ordered hits, want %d", name, got, tc.want)
		}
	}
}

func TestCorrelatorErrors(t *testing.T) {
	col := parseAll(t, corrRules+`---
title: dangling
correlation: {type: temporal, rules: [nope, key_created], group-by: [x], timespan: 5m}
---
title: loop a
name: a
correlation: {type: event_count, rules: [b], group-by: [x], timespan: 5m, condition: {gte: 1}}
---
title: loop b
name: b
correlation: {type: event_count, rules: [a], group-by: [x], timespan: 5m, condition: {gte: 1}}
`)
	c, errs := NewCorrelator(col.Correlations, col.Rules)
	if len(errs) != 3 || len(c.Correlations()) != 0 {
		t.Fatalf("errs=%v corrs=%d", errs, len(c.Correlations()))
	}
	if !c.Generates(col.Rules[0]) {
		t.Error("rule referenced by no loaded correlation should generate")
	}
	for _, bad := range []string{
		"title: x\ncorrelation: {type: event_count, rules: [a], group-by: [x], timespan: 5m}\n",
		"title: x\ncorrelation: {type: value_count, rules: [a], group-by: [x], timespan: 5m, condition: {gte: 1}}\n",
		"title: x\ncorrelation: {type: temporal, rules: [a], timespan: 5x}\n",
		"title: x\ncorrelation: {type: nope, rules: [a], timespan: 5m}\n",
	} {
		if _, err := Parse("bad.yml", []byte(bad)); err == nil || !strings.Contains(err.Error(), "bad.yml:1") {
			t.Errorf("%q: want an error naming bad.yml:1, got %v", bad, err)
		}
	}
}

// TestValueCountLinear checks value_count keeps its distinct count
// incrementally: 200,000 events in one group must not rescan the window on
// each event (that was quadratic: minutes), and the count stays right as
// values leave the window.
func TestValueCountLinear(t *testing.T) {
	col := parseAll(t, corrRules+`---
title: many source IPs
correlation:
  type: value_count
  rules: [failed_login]
  group-by: [userIdentity.arn]
  timespan: 1h
  condition: {field: sourceIPAddress, gte: 3}
`)
	c, errs := NewCorrelator(col.Correlations, col.Rules)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	var rule *Rule
	for _, r := range col.Rules {
		if r.Name == "failed_login" {
			rule = r
		}
	}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	hits := 0
	for i := range 200_000 {
		// One event a second from two alternating addresses: never 3 distinct.
		ip := []string{"10.0.0.1", "10.0.0.2"}[i%2]
		hits += len(c.Observe(rule, t0.Add(time.Duration(i)*time.Second), map[string]string{"userIdentity.arn": "u", "sourceIPAddress": ip}))
	}
	if hits != 0 {
		t.Fatalf("%d hits with only 2 distinct values", hits)
	}
	got := c.Observe(rule, t0.Add(200_000*time.Second), map[string]string{"userIdentity.arn": "u", "sourceIPAddress": "10.0.0.3"})
	if len(got) != 1 || got[0].Count != 3 {
		t.Fatalf("third distinct value: %+v, want one hit counting 3", got)
	}
}

// TestEventCountFiresOncePerWindow checks that a group's window is dropped
// when it fires (the next matches start a new one) and that groups of other
// values are kept apart.
func TestEventCountFiresOncePerWindow(t *testing.T) {
	corr := `title: brute force
correlation:
  type: event_count
  rules: [failed_login]
  group-by: [userIdentity.arn]
  timespan: 10m
  condition: {gte: 2}
`
	col := parseAll(t, corrRules+"---\n"+corr)
	c, errs := NewCorrelator(col.Correlations, col.Rules)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var fired []int
	for i, who := range []string{"alice", "bob", "alice", "alice", "bob", "alice"} {
		if len(c.Observe(col.Rules[0], t0.Add(time.Duration(i)*time.Minute), user(who))) > 0 {
			fired = append(fired, i)
		}
		if i == 2 && c.Groups() != 1 {
			t.Errorf("after alice's window fired: %d groups, want bob's only", c.Groups())
		}
	}
	if want := []int{2, 4, 5}; !reflect.DeepEqual(fired, want) {
		t.Errorf("fired at %v, want %v", fired, want)
	}
}
