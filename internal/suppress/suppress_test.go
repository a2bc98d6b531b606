package suppress

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/resource"
)

func fnd(rule, id string, st finding.Status) finding.Finding {
	return finding.Finding{RuleID: rule, Status: st, Severity: finding.High,
		Resource: resource.Ref{ID: id, Provider: resource.AWS}}
}

var now = time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)

func TestApply(t *testing.T) {
	set, err := Load(filepath.Join("testdata", "suppressions.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(set.Entries) != 4 || set.Entries[1].Resource != "/subscriptions/*/resourceGroups/bastion/*" ||
		set.Entries[2].Resource != "*" || set.Entries[0].Line != 3 {
		t.Fatalf("entries: %+v", set.Entries)
	}
	fs := []finding.Finding{
		fnd("storage-public-access", "arn:aws:s3:::legacy-site", finding.Fail),                                                                   // 0 muted
		fnd("storage-public-access", "arn:aws:s3:::legacy-assets", finding.Fail),                                                                 // 1 muted
		fnd("storage-public-access", "arn:aws:s3:::prod-data", finding.Fail),                                                                     // 2 not matched
		fnd("storage-public-access", "arn:aws:s3:::legacy-ok", finding.Pass),                                                                     // 3 PASS untouched
		fnd("storage-public-access", "arn:aws:s3:::legacy-unk", finding.Unknown),                                                                 // 4 UNKNOWN untouched
		fnd("network-ssh-open", "/subscriptions/s1/resourceGroups/bastion/providers/Microsoft.Network/networkSecurityGroups/nsg1", finding.Fail), // 5 muted: * crosses '/'
		fnd("network-rdp-open", "/subscriptions/s1/resourceGroups/app/providers/Microsoft.Network/networkSecurityGroups/nsg2", finding.Fail),     // 6 other RG
		fnd("keys-rotation", "projects/p/locations/global/keyRings/r/cryptoKeys/k", finding.Fail),                                                // 7 expired entry: active
		fnd("storage-public-access-x", "arn:aws:s3:::legacy-site", finding.Fail),                                                                 // 8 rule must match whole id
	}
	rep := set.Apply(fs, now)
	muted := map[int]bool{0: true, 1: true, 5: true}
	for i, f := range fs {
		if (f.Suppressed != nil) != muted[i] {
			t.Errorf("finding %d (%s %s): suppressed=%v, want %v", i, f.RuleID, f.Resource.ID, f.Suppressed != nil, muted[i])
		}
	}
	if fs[0].Suppressed.Reason != "Legacy static website buckets, public by design (SEC-101)" || fs[0].Suppressed.Expires != "2026-12-31" {
		t.Errorf("suppression record: %+v", fs[0].Suppressed)
	}
	if len(rep.Muted) != 2 || rep.Muted[0].Findings != 2 || rep.Muted[1].Findings != 1 ||
		strings.Join(rep.Muted[0].Resources, ",") != "arn:aws:s3:::legacy-assets,arn:aws:s3:::legacy-site" {
		t.Errorf("muted report: %+v", rep.Muted)
	}
	if len(rep.Expired) != 1 || rep.Expired[0].Rule != "keys-rotation" || rep.Expired[0].Findings != 1 {
		t.Fatalf("expired report: %+v", rep.Expired)
	}
	if msg := rep.Expired[0].Message; !strings.Contains(msg, "suppression for keys-rotation on * expired on 2026-06-30; findings are active again") {
		t.Errorf("expired message: %q", msg)
	}
	if len(rep.Unused) != 1 || rep.Unused[0].Rule != "db-backups" {
		t.Errorf("unused: %+v", rep.Unused)
	}
	// Summary counts muted separately from failing.
	s := finding.Summarize(fs, nil)
	if s.Suppressed != 3 || s.Fail != 4 || s.Pass != 1 || s.Unknown != 1 {
		t.Errorf("summary counts: %+v", s.Counts)
	}
}

func TestExpiryIsInclusive(t *testing.T) {
	set, err := Parse("s.yaml", []byte("- rule: r\n  reason: ok\n  expires: 2026-11-24\n"))
	if err != nil {
		t.Fatal(err)
	}
	e := set.Entries[0]
	if e.Expired(time.Date(2026, 11, 24, 23, 59, 59, 0, time.UTC)) {
		t.Error("should still be active on its expiry day")
	}
	if !e.Expired(time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)) {
		t.Error("should be expired the day after")
	}
	// an expired entry followed by an active one: the active one mutes, the
	// expired one does not claim the finding is active again.
	set, err = Parse("s.yaml", []byte("- {rule: r, reason: old, expires: 2020-01-01}\n- {rule: r, reason: new}\n"))
	if err != nil {
		t.Fatal(err)
	}
	fs := []finding.Finding{fnd("r", "x", finding.Fail)}
	rep := set.Apply(fs, now)
	if fs[0].Suppressed == nil || fs[0].Suppressed.Reason != "new" || rep.Expired[0].Findings != 0 {
		t.Errorf("got %+v / %+v", fs[0].Suppressed, rep)
	}
}

func TestParseErrors(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"no reason", "suppressions:\n  - rule: a\n    resource: x\n", "bad.yaml: entry 1 (line 2): reason is required"},
		{"no rule", "- reason: r\n", "entry 1 (line 1): rule is required"},
		{"bad date", "- rule: a\n  reason: r\n  expires: 31/12/2026\n", "expires \"31/12/2026\" is not a date"},
		{"unknown key", "- rule: a\n  reason: r\n  expire: 2026-01-01\n", "unknown key \"expire\""},
		{"bad glob", "- rule: \"a[\"\n  reason: r\n", "rule pattern"},
		{"not a list", "suppressions: {rule: a}\n", "bad.yaml:1: suppressions must be a list"},
		{"top key", "rules: []\n", "unknown top-level key \"rules\""},
		{"yaml syntax", "- rule: [a\n", "bad.yaml"},
		{"entry not map", "- just-a-string\n", "entry 1 (line 1): an entry must be a mapping"},
		{"nested value", "- rule: {a: b}\n  reason: r\n", "rule must be a string"},
	}
	for _, c := range cases {
		_, err := Parse("bad.yaml", []byte(c.in))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want it to contain %q", c.name, err, c.want)
		}
	}
	// all invalid entries are reported, not just the first
	_, err := Parse("bad.yaml", []byte("- rule: a\n- rule: b\n  reason: ok\n- reason: c\n"))
	if err == nil || !strings.Contains(err.Error(), "entry 1") || !strings.Contains(err.Error(), "entry 3") {
		t.Errorf("want both entry errors, got %v", err)
	}
	if _, err := Load(filepath.Join(t.TempDir(), "missing.yaml")); err == nil || !strings.Contains(err.Error(), "missing.yaml") {
		t.Errorf("missing file: %v", err)
	}
}

func TestEmpty(t *testing.T) {
	for _, in := range []string{"", "# nothing\n", "suppressions:\n", "suppressions: []\n", "[]\n"} {
		set, err := Parse("e.yaml", []byte(in))
		if err != nil || len(set.Entries) != 0 {
			t.Errorf("%q: %v %+v", in, err, set)
		}
	}
}

func FuzzParse(f *testing.F) {
	seed, err := os.ReadFile(filepath.Join("testdata", "suppressions.yaml"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add([]byte("- {rule: r, resource: \"a*{b,c}\", reason: x, expires: 2026-01-01}\n"))
	f.Add([]byte("suppressions: ~\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		set, err := Parse("fuzz.yaml", data)
		if err != nil {
			if !strings.Contains(err.Error(), "fuzz.yaml") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		for _, e := range set.Entries {
			if e.Rule == "" || e.Reason == "" || e.Resource == "" {
				t.Fatalf("invalid entry accepted: %+v", e)
			}
		}
		fs := []finding.Finding{fnd("r", "arn:aws:s3:::legacy-a", finding.Fail), fnd("x", "y", finding.Pass)}
		rep := set.Apply(fs, now)
		if len(rep.Muted)+len(rep.Expired)+len(rep.Unused) != len(set.Entries) {
			t.Fatalf("report does not account for every entry")
		}
		if fs[1].Suppressed != nil {
			t.Fatal("PASS finding muted")
		}
	})
}
