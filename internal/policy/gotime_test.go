package policy

import (
	"fmt"
	"io/fs"
	"testing"

	"github.com/vigil-sec/vigil/internal/resource"
	"github.com/vigil-sec/vigil/internal/rules"
)

// timestamps are spellings of times around testNow (2026-11-24T00:00:00Z):
// day boundaries to the nanosecond, offsets, fractions, invalid shapes and
// dates, and times far enough (over 2^16 days) for OPA's rounded quotient,
// or outside the int64 nanosecond range time.parse_rfc3339_ns refuses.
var timestamps = []string{
	"", "N/A", "no_information", "2026-08-26T00:00:00Z", "2026-08-25T23:59:59.999999999Z", "2026-08-26T00:00:00.000000001Z",
	"2026-08-26T02:00:00+02:00", "2026-08-25T20:00:00-04:00", "2026-11-24T00:00:00Z", "2026-11-24T00:00:00.000000001Z",
	"2026-11-23T23:59:59.999999999Z", "2026-11-23T12:00:00+02:00", "2026-11-25T00:00:00Z", "2026-10-10T00:00:00Z",
	"2026-10-09T00:00:00Z", "2026-11-17T00:00:00Z", "2026-11-16T23:59:59Z", "2020-02-29T12:00:00Z", "2026-02-30T00:00:00Z",
	"2026-13-01T00:00:00Z", "2026-08-26 00:00:00Z", "2026-08-26T00:00:00", "2026-08-26T00:00:00z", "2026-08-26t00:00:00Z",
	"2026-08-26T00:00:00.Z", "2026-08-26T00:00:00+0200", "2026-08-26T24:00:00Z", "2026-08-26T00:00:60Z", "0001-01-01T00:00:00Z",
	"1677-09-21T00:12:43.145224192Z", "1677-09-22T00:00:00Z", "1700-01-01T00:00:00Z", "1847-03-01T00:00:00.5Z",
	"2262-04-11T23:47:16.854775807Z", "2262-04-11T23:47:16.854775808Z", "2200-01-01T00:00:00Z", "2205-12-31T23:59:59.999999999+23:59",
	"9999-12-31T23:59:59Z", "٢٠٢٦-08-26T00:00:00Z", " 2026-08-26T00:00:00Z",
}

// TestTimeNativesMatchOPA: lib/time's valid, older_than, within and
// reached, computed in Go, judge like OPA over many timestamps (of access
// keys, in a list, and of the identity itself: absent, of each spelling),
// called and negated, with number constants and a module's constant as the
// days; age_days in messages gives OPA's text.
func TestTimeNativesMatchOPA(t *testing.T) {
	lib, err := fs.ReadFile(rules.FS(), "lib/time.rego")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{"time.rego": string(lib)}
	imp := "import data.vigil.lib.time as t\n\nmax_days := 45\n\n"
	for i, body := range []string{
		"some k in r.facts.identity.access_keys\n\tt.older_than(k.created, 90)",
		"some k in r.facts.identity.access_keys\n\tnot t.older_than(k.created, 90)",
		"some k in r.facts.identity.access_keys\n\tt.within(k.created, 0)",
		"some k in r.facts.identity.access_keys\n\tt.within(k.created, -1)",
		"some k in r.facts.identity.access_keys\n\tt.older_than(k.created, -1)",
		"some k in r.facts.identity.access_keys\n\tt.older_than(k.created, 89.5)",
		"some k in r.facts.identity.access_keys\n\tt.within(k.created, 1e2)",
		"some k in r.facts.identity.access_keys\n\tt.older_than(k.created, 100000)",
		"some k in r.facts.identity.access_keys\n\tt.within(k.created, max_days)",
		"some k in r.facts.identity.access_keys\n\tt.reached(k.created)",
		"some k in r.facts.identity.access_keys\n\tnot t.reached(k.created)",
		"some k in r.facts.identity.access_keys\n\tt.valid(k.created)",
		"some k in r.facts.identity.access_keys\n\tnot t.valid(k.last_used)",
		"some k in r.facts.identity.access_keys\n\tnot t.older_than(k.missing, 1)",
		"t.older_than(r.facts.identity.password_last_used, max_days)",
		"not t.within(r.facts.identity.password_last_used, 7)",
		"not t.valid(r.facts.identity.password_last_used)",
		"t.reached(r.facts.identity)",
		"not t.valid(r.facts.identity.access_keys)",
		"r.facts.identity.kind == \"user\"\n\tstale(r.facts.identity)",
	} {
		id := fmt.Sprintf("t%d", i)
		msg := "message[r.id] := sprintf(\"%d / %d days (%s)\", [max_days, t.age_days(r.facts.identity.password_last_used), r.id]) if {\n\tsome r in input.resources.identity\n\tr.id in fail\n}\n"
		files[id+".rego"] = header(id, "identity", "") + imp + "fail contains r.id if {\n\tsome r in input.resources.identity\n\t" + body + "\n}\n\n" +
			"stale(i) if {\n\ti.console_access == true\n\tt.older_than(i.password_last_used, max_days)\n}\n\n" + msg
	}
	dir := writePack(t, files)
	direct, opa := directAndOPA(t, dir)
	for i, r := range direct.rules {
		if d := direct.direct[i]; d == nil || !d.onGo {
			t.Errorf("rule %s is not evaluated on the Go fields", r.ID)
		}
		if direct.goMessages[i] == nil {
			t.Errorf("rule %s's message is not computed on the Go fields", r.ID)
		}
	}
	var inv []*resource.Resource
	yes := true
	for i, ts := range timestamps {
		id := &resource.Identity{Kind: "user", PasswordLastUsed: ts, ConsoleAccess: &yes,
			AccessKeys: []resource.AccessKey{{ID: "a", Active: true, Created: ts, LastUsed: timestamps[(i+7)%len(timestamps)]}}}
		if i%4 == 0 {
			id.AccessKeys = append(id.AccessKeys, resource.AccessKey{ID: "b", Created: "2026-01-01T00:00:00Z"})
		}
		inv = append(inv, &resource.Resource{ID: fmt.Sprintf("i-%d", i), Name: ts, Provider: resource.AWS, Class: resource.ClassIdentity, Type: "T",
			Facts: resource.Facts{Identity: id}})
	}
	inv = append(inv, &resource.Resource{ID: "bare", Provider: resource.GCP, Class: resource.ClassIdentity, Type: "T",
		Facts: resource.Facts{Identity: &resource.Identity{Kind: "user"}}})
	compareEngines(t, direct, opa, inv)
}
