package sigma

import (
	"sort"
	"testing"
)

// TestInvictusFires runs every loadable SigmaHQ CloudTrail rule over the
// invictus dataset (a Stratus Red Team simulation) and checks that the
// simulated techniques are detected.
func TestInvictusFires(t *testing.T) {
	evs := invictusEvents(t)
	set := cloudTrailSet(t)
	counts := map[string]int{}
	ev := NewJSONEvent(nil)
	for _, raw := range evs {
		ev.Reset(raw)
		set.Match(ev, func(m *Matcher) { counts[m.Rule().Title]++ })
	}
	var titles []string
	for k := range counts {
		titles = append(titles, k)
	}
	sort.Strings(titles)
	for _, k := range titles {
		t.Logf("%5d  %s", counts[k], k)
	}
	// Techniques present in the simulation (defense evasion, persistence,
	// credential access, exfiltration); titles as in SigmaHQ.
	for _, want := range []string{
		"AWS CloudTrail Important Change",  // defense evasion: StopLogging, DeleteTrail
		"AWS VPC Flow Logs Deleted",        // defense evasion
		"AWS IAM Backdoor Users Keys",      // persistence: CreateAccessKey for another user
		"AWS Snapshot Backup Exfiltration", // exfiltration: ModifySnapshotAttribute
		"AWS Bucket Deleted",               // impact
	} {
		if counts[want] == 0 {
			t.Errorf("rule %q did not fire", want)
		}
	}
}
