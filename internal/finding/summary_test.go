package finding

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/resource"
)

func fx(rule string, sev Severity, st Status, p resource.Provider, acct, id string) Finding {
	return Finding{RuleID: rule, Severity: sev, Status: st, Resource: resource.Ref{ID: id, Provider: p, Account: acct}}
}

func TestSummarize(t *testing.T) {
	muted := fx("r1", High, Fail, resource.AWS, "1", "a3")
	muted.Suppressed = &Suppression{Reason: "ok"}
	fs := []Finding{
		fx("r1", High, Fail, resource.AWS, "1", "a1"),
		fx("r1", High, Pass, resource.AWS, "2", "a2"),
		muted,
		fx("r1", High, Unknown, resource.AWS, "1", "a4"),
		fx("r2", Low, Pass, resource.GCP, "p", "g1"),
		fx("r2", Low, Pass, resource.GCP, "p", "g2"),
		fx("r2", Low, Unknown, resource.GCP, "p", "g3"),
		fx("r3", Medium, Pass, resource.AWS, "1", "a1"),
	}
	s := Summarize(fs, []RuleInfo{{ID: "r0", Title: "never fired", Severity: Info}, {ID: "r1", Title: "One", Severity: High}})
	if s.Total != 8 || s.Fail != 1 || s.Pass != 4 || s.Unknown != 2 || s.Suppressed != 1 || s.Resources != 7 {
		t.Errorf("totals: %+v resources %d", s.Counts, s.Resources)
	}
	if s.PostureScore == nil || *s.PostureScore != 80 {
		t.Errorf("overall score %v, want 80 (4 pass / 5)", s.PostureScore)
	}
	if c := s.BySeverity[High]; c.Fail != 1 || c.Suppressed != 1 || c.Unknown != 1 || c.Pass != 1 {
		t.Errorf("by severity HIGH: %+v", c)
	}
	if len(s.Providers) != 2 || s.Providers[0].Provider != resource.AWS || s.Providers[1].Provider != resource.GCP {
		t.Fatalf("providers: %+v", s.Providers)
	}
	aws, gcp := s.Providers[0], s.Providers[1]
	if aws.Resources != 4 || aws.Accounts != 2 || *aws.PostureScore != 66.7 {
		t.Errorf("aws: %+v score %v", aws, *aws.PostureScore)
	}
	if gcp.PostureScore == nil || *gcp.PostureScore != 100 || gcp.Unknown != 1 {
		t.Errorf("gcp: %+v (UNKNOWN must not lower or raise the score)", gcp)
	}
	var ids []string
	for _, r := range s.Rules {
		ids = append(ids, r.RuleID)
	}
	if strings.Join(ids, ",") != "r0,r1,r2,r3" {
		t.Errorf("rules: %v", ids)
	}
	if r0 := s.Rules[0]; r0.Total != 0 || r0.Title != "never fired" {
		t.Errorf("rule without findings: %+v", r0)
	}
	if r2 := s.Rules[2]; r2.Unknown != 1 || r2.Pass != 2 || r2.Fail != 0 {
		t.Errorf("UNKNOWN per rule: %+v", r2)
	}
	// JSON field names are snake_case and the counts are flat.
	b, _ := json.Marshal(s)
	for _, k := range []string{`"total":8`, `"fail":1`, `"unknown":2`, `"suppressed":1`, `"by_severity"`, `"posture_score":80`, `"rule_id":"r0"`} {
		if !strings.Contains(string(b), k) {
			t.Errorf("summary JSON lacks %s: %s", k, b)
		}
	}
}

func TestScoreNilWithoutDecisions(t *testing.T) {
	s := Summarize([]Finding{fx("r", Low, Unknown, resource.Azure, "s", "x")}, nil)
	if s.PostureScore != nil || s.Providers[0].PostureScore != nil {
		t.Error("a score from UNKNOWN only must be nil, not 0 or 100")
	}
	b, _ := json.Marshal(s)
	if !strings.Contains(string(b), `"posture_score":null`) {
		t.Errorf("json: %s", b)
	}
}

func TestSortWorstFirst(t *testing.T) {
	muted := fx("a", High, Fail, resource.AWS, "", "m")
	muted.Suppressed = &Suppression{Reason: "x"}
	fs := []Finding{
		fx("b", Low, Fail, resource.AWS, "", "1"),
		fx("a", High, Pass, resource.AWS, "", "1"),
		fx("a", High, Unknown, resource.AWS, "", "1"),
		muted,
		fx("b", High, Fail, resource.AWS, "", "2"),
		fx("a", High, Fail, resource.AWS, "", "2"),
		fx("a", High, Fail, resource.AWS, "", "1"),
		fx("c", Critical, Pass, resource.AWS, "", "1"),
	}
	SortWorstFirst(fs)
	var got []string
	for _, f := range fs {
		st := string(f.Status)
		if f.Suppressed != nil {
			st = "MUTED"
		}
		got = append(got, string(f.Severity)+"/"+st+"/"+f.RuleID+"/"+f.Resource.ID)
	}
	want := "CRITICAL/PASS/c/1 HIGH/FAIL/a/1 HIGH/FAIL/a/2 HIGH/FAIL/b/2 HIGH/MUTED/a/m HIGH/UNKNOWN/a/1 HIGH/PASS/a/1 LOW/FAIL/b/1"
	if strings.Join(got, " ") != want {
		t.Errorf("order:\n got %s\nwant %s", strings.Join(got, " "), want)
	}
}

func TestFailsAt(t *testing.T) {
	muted := fx("r", Critical, Fail, resource.AWS, "", "m")
	muted.Suppressed = &Suppression{Reason: "x"}
	fs := []Finding{muted, fx("r", Critical, Unknown, resource.AWS, "", "u"), fx("r", Medium, Fail, resource.AWS, "", "f")}
	if FailsAt(fs, High) || FailsAt(fs, Critical) {
		t.Error("muted or unknown findings must not trip --fail-on")
	}
	if !FailsAt(fs, Medium) || !FailsAt(fs, Low) {
		t.Error("an active MEDIUM failure must trip --fail-on medium and low")
	}
}
