package detect

import (
	"io/fs"
	"strings"
	"testing"
)

// ctDenied turns a ctAPI event into the same call refused by IAM.
func ctDenied(ev string) string {
	return strings.Replace(ev, `"eventCategory":"Management"`, `"eventCategory":"Management","errorCode":"AccessDenied","errorMessage":"User: arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_PowerUser_4c1b/mallory is not authorized to perform this operation"`, 1)
}

// ctRO marks a ctAPI event read-only, as CloudTrail does for List, Get and
// Describe calls.
func ctRO(ev string) string { return strings.Replace(ev, `"readOnly":false`, `"readOnly":true`, 1) }

// ctByService makes a ctAPI event one that an AWS service performed on the
// account's behalf (userIdentity.invokedBy), as AWS Backup and Data
// Lifecycle Manager do.
func ctByService(ev string) string {
	return strings.Replace(ev, `"accessKeyId":"ASIA3EXAMPLEKEY0001",`, `"accessKeyId":"ASIA3EXAMPLEKEY0001","invokedBy":"backup.amazonaws.com",`, 1)
}

// TestCoveragePack: every single-event rule of the coverage pack raises
// its alert, at its level, on a matching event (with the default tuning, or
// none for informational rules, which it hides), and on none of its benign
// look-alikes.
func TestCoveragePack(t *testing.T) {
	data, err := fs.ReadFile(BuiltinFS(), "vigil_pack_coverage.yml")
	if err != nil {
		t.Fatal(err)
	}
	cases := coverageCases()
	single := strings.Count(string(data), "\nname: vigil_") - len(coverageCorrelationRules)
	if single != len(cases) {
		t.Fatalf("vigil_pack_coverage.yml has %d single-event rules, %d test cases", single, len(cases))
	}
	seen := map[string]bool{}
	for _, c := range cases {
		if !strings.Contains(string(data), "\nname: "+c.name+"\n") {
			t.Errorf("%s: no such rule", c.name)
		}
		if seen[c.name] {
			t.Errorf("%s: two cases", c.name)
		}
		seen[c.name] = true
		if len(c.benign) == 0 {
			t.Errorf("%s: no benign look-alike", c.name)
		}
		t.Run(c.name, func(t *testing.T) {
			tuning := DefaultTuning()
			if c.level == LevelInformational {
				tuning = NoTuning()
			}
			got := alertsOf(runWithTuning(t, tuning, []string{c.match}), c.title)
			if len(got) != 1 {
				t.Fatalf("%d alerts on the matching event, want 1: %s", len(got), c.match)
			}
			if got[0].Level != c.level {
				t.Errorf("level %v, want %v", got[0].Level, c.level)
			}
			for i, ev := range c.benign {
				if n := len(alertsOf(runWithTuning(t, NoTuning(), []string{ev}), c.title)); n != 0 {
					t.Errorf("benign event %d raised %d alerts: %s", i, n, ev)
				}
			}
		})
	}
}

// coverageCorrelationRules are the rules of vigil_pack_coverage.yml that
// TestCoveragePackCorrelations covers (correlations and the informational
// rules that feed them).
var coverageCorrelationRules = []string{}
