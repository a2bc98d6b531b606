package compliance

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestParseAttestationsValid(t *testing.T) {
	as, err := LoadAttestations("testdata/attestations/valid.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(as.Items) != 10 {
		t.Fatalf("got %d attestations, want 10", len(as.Items))
	}
	a := as.Find("soc2", "CC1.1")
	if a == nil || a.Status != Attested || a.By != "Dana Reyes (CISO)" || a.Where != "testdata/attestations/valid.yaml:3" ||
		a.Evidence == "" || !a.Date.Equal(time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("CC1.1 = %+v", a)
	}
	now := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	if a.Expired(now) {
		t.Error("CC1.1 expired at the scan time")
	}
	if e := as.Find("soc2", "CC9.2"); e == nil || !e.Expired(now) {
		t.Errorf("CC9.2 (expires 2026-06-01) not expired at %s", now)
	}
	if na := as.Find("soc2", "PI1.2"); na == nil || na.Expired(now) || !na.Expires.IsZero() {
		t.Errorf("PI1.2 without expiry = %+v", na)
	}
	if err := as.Validate(nil); err != nil {
		t.Errorf("Validate: %v", err)
	}
}

func TestAttestationErrorsNameFileAndLine(t *testing.T) {
	as, err := LoadAttestations("testdata/attestations/unknown-control.yaml")
	if err != nil {
		t.Fatal(err)
	}
	err = as.Validate(nil)
	if err == nil || !strings.HasPrefix(err.Error(), "testdata/attestations/unknown-control.yaml:7: soc2 has no control \"CC6.9\"") {
		t.Errorf("unknown control: %v", err)
	}
	if _, err := LoadAttestations("testdata/attestations/bad-status.yaml"); err == nil ||
		!strings.HasPrefix(err.Error(), "testdata/attestations/bad-status.yaml:4: unknown status \"passed\"") {
		t.Errorf("bad status: %v", err)
	}
	for _, tc := range []struct{ doc, want string }{
		{"attestations:\n  - framework: sox\n", "x.yaml:2: unknown framework \"sox\""},
		{"attestations:\n  - framework: soc2\n    control: CC1.1\n    status: attested\n    by: a\n", "x.yaml:2: attestation without date"},
		{"attestations:\n  - framework: soc2\n    control: CC1.1\n    status: attested\n    by: a\n    date: 2026-13-01\n", "x.yaml:6: date: want a date"},
		{"attestations:\n  - framework: soc2\n    owner: me\n", "x.yaml:3: unknown key \"owner\""},
		{"attestations:\n  - framework: soc2\n    control: CC1.1\n    status: attested\n    by: a\n    date: 2026-01-01\n    expires: 2025-01-01\n", "x.yaml:2: expires (2025-01-01) is not after date"},
		{"attestations:\n  - {framework: soc2, control: CC1.1, status: attested, by: a, date: 2026-01-01}\n  - {framework: soc2, control: CC1.1, status: failed, by: b, date: 2026-02-01}\n", "x.yaml:3: soc2 CC1.1 already attested on line 2"},
		{"controls: []\n", "x.yaml:1: unknown key \"controls\""},
		{"attestations:\n  - framework: [soc2]\n", "x.yaml:2: framework: want a single value"},
		{"", "x.yaml: empty attestation file"},
	} {
		_, err := ParseAttestations("x.yaml", strings.NewReader(tc.doc))
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%q: err = %v, want prefix %q", tc.doc, err, tc.want)
		}
	}
}

func TestValidateCISWithoutCatalogue(t *testing.T) {
	as, err := ParseAttestations("a.yaml", strings.NewReader("attestations:\n  - {framework: cis-aws-7.0, control: \"2.1.1\", status: attested, by: a, date: 2026-01-01}\n"))
	if err != nil {
		t.Fatal(err)
	}
	// No rule maps to 2.1.1 and no catalogue was given: refused, with the hint.
	err = as.Validate([]Rule{{ID: "r", Frameworks: map[string][]string{"cis-aws-7.0": {"3.1.1"}}}})
	if err == nil || !strings.Contains(err.Error(), "a.yaml:2: cis-aws-7.0 has no control \"2.1.1\"") || !strings.Contains(err.Error(), "--catalogue") {
		t.Errorf("err = %v", err)
	}
	cat := &Catalogue{Framework: "cis-aws-7.0", Controls: []CatalogueControl{{ID: "2.1.1"}}}
	if err := as.Validate(nil, cat); err != nil {
		t.Errorf("with a catalogue: %v", err)
	}
}

// FuzzParseAttestations checks the parser never panics and that what it
// accepts is well formed.
func FuzzParseAttestations(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/attestations/*.yaml")
	for _, s := range seeds {
		data, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		as, err := ParseAttestations("f.yaml", bytes.NewReader(data))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "f.yaml") {
				t.Fatalf("error without the file name: %v", err)
			}
			return
		}
		for _, a := range as.Items {
			if !KnownFramework(a.Framework) || a.Control == "" || a.By == "" || a.Date.IsZero() ||
				(a.Status != Attested && a.Status != NotApplicable && a.Status != AttestedFailed) {
				t.Fatalf("accepted a malformed attestation: %+v", a)
			}
		}
		_ = as.Validate(nil)
	})
}

func TestDecideAndTally(t *testing.T) {
	now := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	att := func(st AttestationStatus, expires time.Time) *Attestation {
		return &Attestation{Framework: "soc2", Control: "X", Status: st, By: "a", Date: now.AddDate(0, -1, 0), Expires: expires}
	}
	for _, tc := range []struct {
		ruled Status
		a     *Attestation
		want  Status
		state string
	}{
		{NotCovered, nil, NotCovered, ""},
		{NotCovered, att(Attested, time.Time{}), Manual, "attested"},
		{NotCovered, att(Attested, now), Manual, "expired"},
		{NotCovered, att(NotApplicable, now.AddDate(0, 1, 0)), Manual, "not-applicable"},
		{NotCovered, att(AttestedFailed, time.Time{}), Failed, "failed"},
		{NotEvaluated, att(Attested, time.Time{}), Manual, "attested"},
		{Passed, att(Attested, time.Time{}), Passed, "attested"},
		{Passed, att(AttestedFailed, time.Time{}), Failed, "failed"},
		{Failed, att(Attested, time.Time{}), Failed, "attested"},
	} {
		st, ar := Decide(tc.ruled, tc.a, now)
		if st != tc.want || (ar == nil) != (tc.a == nil) || (ar != nil && ar.State != tc.state) {
			t.Errorf("Decide(%s, %+v) = %s, %+v; want %s, %s", tc.ruled, tc.a, st, ar, tc.want, tc.state)
		}
	}
	var tl ControlTally
	for _, c := range []struct {
		st    Status
		state string
		auto  bool
	}{{Passed, "", true}, {Failed, "", true}, {NotCovered, "", false}, {Manual, "attested", false}, {Manual, "not-applicable", false}, {Manual, "expired", false}} {
		var ar *AttestationResult
		if c.state != "" {
			ar = &AttestationResult{State: c.state}
		}
		tl.Add(c.st, ar, c.auto)
	}
	s := tl.Summary()
	// (1 passed + 1 attested) / (6 controls - 1 not applicable) = 40%.
	if s.Controls != 6 || s.Manual != 3 || s.ManualAttested != 1 || s.NotApplicable != 1 || s.Expired != 1 ||
		*s.Score != 40 || *s.AutomatedScore != 50 || *s.Coverage != 33.3 {
		t.Errorf("summary %+v (score %v, automated %v, coverage %v)", s, *s.Score, *s.AutomatedScore, *s.Coverage)
	}
	if _, err := ParseAttestationStatus("passed"); err == nil {
		t.Error("status passed accepted")
	}
	if st, err := ParseAttestationStatus(" Not-Applicable "); err != nil || st != NotApplicable {
		t.Errorf("Not-Applicable: %s %v", st, err)
	}
}
