package suppress

import (
	"strings"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/finding"
)

// TestInline checks an inline entry: it mutes its rule on exactly the
// resources it covers (IDs with glob characters taken literally), says
// where it is written, and stops muting once expired.
func TestInline(t *testing.T) {
	e, err := Inline("main.tf:12", "storage-*", `aws_s3_bucket.b["x"]`, "public website", time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	e.Cover(`main.tf:aws_s3_bucket.b["x"]`)
	old, err := Inline("mod.tf:3", "storage-public-access", "module.m", "legacy", time.Date(2026, 1, 31, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	old.Cover("mod/main.tf:module.m.aws_s3_bucket.c")
	set := &Set{File: "inline", Entries: []*Entry{e, old}}
	fs := []finding.Finding{
		fnd("storage-public-access", `main.tf:aws_s3_bucket.b["x"]`, finding.Fail),         // muted
		fnd("storage-public-access", `main.tf:aws_s3_bucket.b["y"]`, finding.Fail),         // not covered ([x] is no character class)
		fnd("network-ssh-open", `main.tf:aws_s3_bucket.b["x"]`, finding.Fail),              // other rule
		fnd("storage-public-access", "mod/main.tf:module.m.aws_s3_bucket.c", finding.Fail), // expired entry
	}
	rep := set.Apply(fs, now)
	if fs[0].Suppressed == nil || fs[0].Suppressed.Reason != "public website" {
		t.Errorf("covered finding not muted: %+v", fs[0].Suppressed)
	}
	for _, i := range []int{1, 2, 3} {
		if fs[i].Suppressed != nil {
			t.Errorf("finding %d muted", i)
		}
	}
	if len(rep.Muted) != 1 || !strings.Contains(rep.Muted[0].Message, "inline at main.tf:12") {
		t.Errorf("muted: %+v", rep.Muted)
	}
	if len(rep.Expired) != 1 || !strings.Contains(rep.Expired[0].Message, "expired on 2026-01-31") ||
		!strings.Contains(rep.Expired[0].Message, "mod.tf:3") || rep.Expired[0].Findings != 1 {
		t.Errorf("expired: %+v", rep.Expired)
	}
	if !e.MatchesRule("storage-public-access") || e.MatchesRule("network-ssh-open") {
		t.Error("MatchesRule")
	}
	if _, err := Inline("x.tf:1", "r", "a", "", time.Time{}); err == nil {
		t.Error("an inline entry without a reason was accepted")
	}
}
