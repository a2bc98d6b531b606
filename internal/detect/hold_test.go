package detect

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/logs"
)

var requestBody = regexp.MustCompile(`"requestbody":"(?:[^"\\]|\\.)*",`)

// azureAssignAt is azureRoleAssign's Owner assignment at subscription
// scope at time hhmm (09:20 -> "09:20"), of operation corr, with result;
// without the request body when body is false.
func azureAssignAt(hhmm, corr, result string, body bool) string {
	ev := azureRoleAssign(subScope, ownerRole, result)
	ev = strings.Replace(ev, `"time":"2024-03-14T09:20:00.1234567Z"`, `"time":"2024-03-14T`+hhmm+`:00.1234567Z"`, 1)
	ev = strings.Replace(ev, `"correlationId":"5a7c1e9b-3d2f-4b6a-8c0e-0123456789ab"`, `"correlationId":"`+corr+`"`, 1)
	if !body {
		ev = requestBody.ReplaceAllString(ev, "")
	}
	return ev
}

const (
	ownerTitle = "Azure Owner Role Assigned At Subscription Scope"
	corrA      = "5a7c1e9b-3d2f-4b6a-8c0e-0123456789ab"
	corrB      = "6b8d2f0c-4e3a-4c7b-9d1f-123456789abc"
)

// TestAzureStartOutcomeOneAlert: an Azure Activity Log operation logged as
// Start then Success raises one alert where it raised two; a refused one
// raises none from a rule that leaves failures out; a Start whose outcome
// never comes alerts at the end of the input, or once its outcome is
// overdue, before the alerts of later events.
func TestAzureStartOutcomeOneAlert(t *testing.T) {
	start := azureAssignAt("09:20", corrA, "Start", true)
	success := azureAssignAt("09:20", corrA, "Success", true)
	for _, tc := range []struct {
		name   string
		events []string
		want   int
		result string // resultType of the alert's event
	}{
		{"start then success", []string{start, success}, 1, "Success"},
		{"success read before start", []string{success, start}, 1, "Success"},
		{"start, accept, success", []string{start, strings.Replace(start, `"resultType":"Start"`, `"resultType":"Accept"`, 1), success}, 1, "Success"},
		{"start then failure", []string{start, azureAssignAt("09:20", corrA, "Failure", true)}, 0, ""},
		{"start alone", []string{start}, 1, "Start"},
		// The outcome record lacks what the rule reads (the role is in the
		// Start's request body only): the Start's alert goes out.
		{"success without the body", []string{start, azureAssignAt("09:20", corrA, "Success", false)}, 1, "Start"},
		// Two operations of one deployment share its correlationId: one
		// alert each.
		{"two resources, one correlation", []string{start, success,
			strings.ReplaceAll(strings.ReplaceAll(start, "0d1e2f3a-4b5c", "1e2f3a4b-5c6d"), "0D1E2F3A-4B5C", "1E2F3A4B-5C6D"),
			strings.ReplaceAll(strings.ReplaceAll(success, "0d1e2f3a-4b5c", "1e2f3a4b-5c6d"), "0D1E2F3A-4B5C", "1E2F3A4B-5C6D")}, 2, "Success"},
		// A correlationId reused for another operation on the same
		// resource (the assignment removed in the same deployment, and
		// refused): the write's Start is not settled by the delete's
		// Failure (operations are keyed by correlationId, operationName
		// and resource).
		{"another operation, one correlation, refused", []string{start,
			strings.Replace(azureAssignAt("09:20", corrA, "Failure", false), "ROLEASSIGNMENTS/WRITE", "ROLEASSIGNMENTS/DELETE", 1)}, 1, "Start"},
		// Then the write's own outcome: one alert, the outcome's.
		{"another operation between Start and outcome", []string{start,
			strings.Replace(azureAssignAt("09:20", corrA, "Failure", false), "ROLEASSIGNMENTS/WRITE", "ROLEASSIGNMENTS/DELETE", 1), success}, 1, "Success"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := alertsOf(runDefault(t, tc.events), ownerTitle)
			if len(got) != tc.want {
				t.Fatalf("%d alerts, want %d", len(got), tc.want)
			}
			for _, a := range got {
				if a.Level != LevelHigh {
					t.Errorf("level %v, want high", a.Level)
				}
				if len(a.Events) != 1 || !strings.Contains(string(a.Events[0].Record.Raw), `"resultType":"`+tc.result+`"`) {
					t.Errorf("alert on the wrong record, want the %s one", tc.result)
				}
			}
		})
	}

	// Overdue: the first operation's outcome never comes; the second
	// starts 35 minutes later. The first's alert goes out when event time
	// passes its timeout, before the second's.
	got := alertsOf(runDefault(t, []string{
		start,
		azureAssignAt("09:55", corrB, "Start", true),
		azureAssignAt("09:55", corrB, "Success", true),
	}), ownerTitle)
	if len(got) != 2 {
		t.Fatalf("overdue: %d alerts, want 2", len(got))
	}
	if !strings.Contains(string(got[0].Events[0].Record.Raw), corrA) || !strings.Contains(string(got[1].Events[0].Record.Raw), corrB) {
		t.Errorf("overdue Start alert not first")
	}
}

// TestAzureStartOutcomeAcrossCheckpoint: follow mode keeps the held Start
// alert in its checkpoint: the Start read in one run and its Success in
// the next raise one alert; a Start left without outcome still alerts
// once the next run's events pass its timeout.
func TestAzureStartOutcomeAcrossCheckpoint(t *testing.T) {
	watch := t.TempDir()
	out := filepath.Join(t.TempDir(), "alerts.jsonl")
	ck := filepath.Join(t.TempDir(), "ck.json")
	run := func() { followOnce(t, Config{Version: "test"}, watch, ck, out) }
	owner := func() int {
		b, _ := os.ReadFile(out)
		n := 0
		for _, line := range strings.Split(string(b), "\n") {
			if strings.Contains(line, `"title":"`+ownerTitle+`"`) {
				n++
			}
		}
		return n
	}
	write := func(name string, events ...string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(watch, name), []byte(strings.Join(events, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a.json", azureAssignAt("09:20", corrA, "Start", true), azureAssignAt("09:21", corrB, "Start", true))
	run()
	if n := owner(); n != 0 {
		t.Fatalf("after the Starts: %d alerts, want 0 (held)", n)
	}
	write("b.json", azureAssignAt("09:22", corrA, "Success", true))
	run()
	if n := owner(); n != 1 {
		t.Fatalf("after the Success: %d alerts, want 1", n)
	}
	// corrB's outcome never comes: an event an hour later times it out.
	write("c.json", azureAssignAt("10:30", "7c9e3a1d-5f4b-4d8c-8e2a-23456789abcd", "Start", false))
	run()
	if n := owner(); n != 2 {
		t.Fatalf("after the timeout: %d alerts, want 2", n)
	}
}

var responseBody = regexp.MustCompile(`"responseBody":"(?:[^"\\]|\\.)*",?`)

// TestAzureActivityPackStartOutcome: every single-event Azure Activity Log
// case of the packs, logged as Resource Manager logs it (a Start record
// with the request body, then a Success record with the response body),
// raises its alert once, where it raised it twice; logged as Start then
// Failure, it raises nothing above low but from rules about failures.
func TestAzureActivityPackStartOutcome(t *testing.T) {
	type titled struct{ title, ev string }
	var cases []titled
	for _, c := range append(broadCases(), coverageCases()...) {
		cases = append(cases, titled{c.title, c.match})
	}
	for _, c := range append(packCases(), olderCases()...) {
		if len(c.attack) == 1 {
			cases = append(cases, titled{c.title, c.attack[0]})
		}
	}
	for _, c := range append(append(append(accuracyCases(), recallCases()...), azureResourceCases()...), append(append(stratusCases(), identityCases()...), exposureCases()...)...) {
		if len(c.sequence) == 0 && len(c.attack) > 0 {
			cases = append(cases, titled{c.title, c.attack[0]})
		}
	}
	checked := 0
	for _, c := range cases {
		var rec logs.Record
		_ = logs.Reader{}.ReadData(context.Background(), "case", []byte(c.ev), func(r logs.Record) error { rec = r; return nil }, nil)
		if _, ph := activityOp(rec); ph != phaseSuccess {
			continue
		}
		checked++
		start := responseBody.ReplaceAllString(strings.Replace(c.ev, `"resultType":"Success"`, `"resultType":"Start"`, 1), "")
		success := requestBody.ReplaceAllString(c.ev, "")
		failure := strings.Replace(success, `"resultType":"Success"`, `"resultType":"Failure"`, 1)
		t.Run(c.title, func(t *testing.T) {
			if n := len(alertsOf(runWithTuning(t, NoTuning(), []string{start, success}), c.title)); n != 1 {
				t.Errorf("Start + Success: %d alerts, want 1", n)
			}
			for _, a := range runWithTuning(t, NoTuning(), []string{start, failure}) {
				if a.Level > LevelLow && !aboutFailures.MatchString(a.Rule.Title) {
					t.Errorf("Start + Failure: %q raised at %v", a.Rule.Title, a.Level)
				}
			}
		})
	}
	if checked < 40 {
		t.Errorf("%d Azure Activity Log cases checked, want at least 40", checked)
	}
	t.Logf("%d Azure Activity Log cases checked as Start + Success and Start + Failure", checked)
}
