package history_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/history"
	"github.com/vigil-sec/vigil/internal/history/historytest"
	"github.com/vigil-sec/vigil/internal/resource"
)

var t0 = time.Date(2026, 11, 1, 6, 0, 0, 0, time.UTC)

func day(n int) time.Time { return t0.Add(time.Duration(n) * 24 * time.Hour) }

// fnd is a finding of rule on resource res (AWS account 111 unless the
// resource starts with "az:", then Azure subscription sub1).
func fnd(rule, res string, st finding.Status, sev finding.Severity) finding.Finding {
	ref := resource.Ref{ID: res, Type: "aws_s3_bucket", Provider: resource.AWS, Account: "111", Region: "eu-west-1", Name: res}
	if len(res) > 3 && res[:3] == "az:" {
		ref = resource.Ref{ID: res, Type: "azure_storage_account", Provider: resource.Azure, Account: "sub1", Name: res}
	}
	return finding.Finding{RuleID: rule, Title: "title of " + rule, Severity: sev, Status: st, Resource: ref,
		Frameworks: []finding.Reference{{Framework: "soc2", Control: "CC6.1"}, {Framework: "cis-aws-7.0", Control: "2.1.1"}}}
}

func open(t *testing.T, e historytest.Engine) *history.Store {
	t.Helper()
	s, err := history.Open(context.Background(), e.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func forEngines(t *testing.T, f func(t *testing.T, s *history.Store)) {
	for _, e := range historytest.Engines() {
		t.Run(e.Name, func(t *testing.T) { f(t, open(t, e)) })
	}
}

func record(t *testing.T, s *history.Store, at time.Time, fs []finding.Finding, errs ...string) *history.Run {
	t.Helper()
	r, err := s.Record(context.Background(), &history.Scan{Source: "org", Kind: "paths", Inputs: []string{"examples/org"},
		Started: at, Finished: at.Add(1500 * time.Millisecond), Errors: errs, Findings: fs})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// states returns each resource's state for rule.
func states(t *testing.T, s *history.Store, rule string) map[string]history.Finding {
	t.Helper()
	fs, err := s.Findings(context.Background(), history.FindingQuery{Rules: []string{rule}, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]history.Finding{}
	for _, f := range fs {
		out[f.ResourceID] = f
	}
	return out
}

func wantStates(t *testing.T, s *history.Store, rule string, want map[string]history.State) {
	t.Helper()
	got := states(t, s, rule)
	if len(got) != len(want) {
		t.Errorf("%s: %d identities, want %d: %v", rule, len(got), len(want), got)
	}
	for res, st := range want {
		if got[res].State != st {
			t.Errorf("%s on %s: state %q, want %q", rule, res, got[res].State, st)
		}
	}
}

func TestMigrationsTwiceAreANoOp(t *testing.T) {
	ms, err := history.Migrations()
	if err != nil || len(ms) == 0 {
		t.Fatalf("migrations: %v, %v", ms, err)
	}
	for _, e := range historytest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			ctx := context.Background()
			dsn := e.DSN(t)
			s, err := history.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			record(t, s, day(0), []finding.Finding{fnd("r1", "b1", finding.Fail, finding.High)})
			if n, err := s.Migrate(ctx); err != nil || n != 0 {
				t.Errorf("second Migrate applied %d (%v), want 0", n, err)
			}
			s.Close()
			// Opening again migrates again: still nothing to do, data kept.
			s, err = history.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if v, err := s.Version(ctx); err != nil || v != ms[len(ms)-1].Version {
				t.Errorf("version %d (%v), want %d", v, err, ms[len(ms)-1].Version)
			}
			if rs, err := s.Runs(ctx, history.RunQuery{}); err != nil || len(rs) != 1 {
				t.Errorf("runs after reopening: %v, %v", rs, err)
			}
		})
	}
}

func TestLifecycle(t *testing.T) {
	forEngines(t, func(t *testing.T, s *history.Store) {
		ctx := context.Background()
		F, P := finding.Fail, finding.Pass
		// Run 1: b1 and b2 fail, b3 passes.
		r1 := record(t, s, day(0), []finding.Finding{
			fnd("r1", "b1", F, finding.High), fnd("r1", "b2", F, finding.Medium), fnd("r1", "b3", P, finding.Medium)})
		if r1.New != 2 || r1.Resolved != 0 || r1.Fail != 2 || r1.Pass != 1 || r1.Status != history.RunComplete {
			t.Errorf("run 1: %+v", r1)
		}
		wantStates(t, s, "r1", map[string]history.State{"b1": history.StateNew, "b2": history.StateNew, "b3": ""})

		// Run 2: b2 passes (resolved), b3 fails (new), b1 still fails (open).
		r2 := record(t, s, day(1), []finding.Finding{
			fnd("r1", "b1", F, finding.High), fnd("r1", "b2", P, finding.Medium), fnd("r1", "b3", F, finding.Medium)})
		if r2.New != 1 || r2.Resolved != 1 || r2.Reopened != 0 {
			t.Errorf("run 2: %+v", r2)
		}
		got := states(t, s, "r1")
		wantStates(t, s, "r1", map[string]history.State{"b1": history.StateOpen, "b2": history.StateResolved, "b3": history.StateNew})
		if b2 := got["b2"]; b2.TimeToResolveMS == nil || *b2.TimeToResolveMS != (24*time.Hour).Milliseconds() ||
			b2.Resolved == nil || !b2.Resolved.Equal(day(1)) || !b2.FirstSeen.Equal(day(0)) || !b2.LastSeen.Equal(day(0)) {
			t.Errorf("b2 after resolution: %+v", b2)
		}
		if b1 := got["b1"]; !b1.FirstSeen.Equal(day(0)) || !b1.LastSeen.Equal(day(1)) || b1.LastRun != r2.ID || *b1.FirstRun != r1.ID {
			t.Errorf("b1: first seen %v, last seen %v, runs %v..%d", b1.FirstSeen, b1.LastSeen, b1.FirstRun, b1.LastRun)
		}

		// Run 3: b2 fails again (reopened); b3 is absent from a complete
		// run (resolved).
		r3 := record(t, s, day(3), []finding.Finding{fnd("r1", "b1", F, finding.High), fnd("r1", "b2", F, finding.Medium)})
		if r3.New != 0 || r3.Reopened != 1 || r3.Resolved != 1 {
			t.Errorf("run 3: %+v", r3)
		}
		wantStates(t, s, "r1", map[string]history.State{"b1": history.StateOpen, "b2": history.StateReopened, "b3": history.StateResolved})
		if b3 := states(t, s, "r1")["b3"]; b3.TimeToResolveMS == nil || *b3.TimeToResolveMS != (2*24*time.Hour).Milliseconds() {
			t.Errorf("b3 time to resolve: %v", b3.TimeToResolveMS)
		}
		if b2 := states(t, s, "r1")["b2"]; b2.Reopened != 1 || b2.Resolved != nil {
			t.Errorf("b2 reopened: count %d, resolved %v", b2.Reopened, b2.Resolved)
		}

		// Run 4 is partial (an input could not be read): b1 is absent but
		// not taken as resolved; b2's UNKNOWN leaves it failing.
		r4 := record(t, s, day(4), []finding.Finding{fnd("r1", "b2", finding.Unknown, finding.Medium)}, "exports/x.json: unexpected EOF")
		if r4.Status != history.RunPartial || r4.Resolved != 0 {
			t.Errorf("run 4: %+v", r4)
		}
		wantStates(t, s, "r1", map[string]history.State{"b1": history.StateOpen, "b2": history.StateOpen, "b3": history.StateResolved})

		// Suppress b1 until day 7: muted at once and in the runs before
		// expiry; active again (open) in the first run after it.
		sp, n, err := s.Suppress(ctx, history.Suppression{RuleID: "r1", ResourceID: "b1", Reason: "risk accepted", Owner: "alice", Expires: day(7)}, day(4))
		if err != nil || n != 1 || sp.ID == 0 {
			t.Fatalf("suppress: %+v, %d, %v", sp, n, err)
		}
		b1 := states(t, s, "r1")["b1"]
		if b1.State != history.StateSuppressed || b1.Suppression == nil || b1.Suppression.Owner != "alice" || !b1.Suppression.Expires.Equal(day(7)) {
			t.Errorf("b1 after suppress: %+v %+v", b1, b1.Suppression)
		}
		r5 := record(t, s, day(5), []finding.Finding{fnd("r1", "b1", F, finding.High), fnd("r1", "b2", F, finding.Medium)})
		if r5.Suppressed != 1 || r5.Fail != 1 || *r5.PostureScore != 0 {
			t.Errorf("run 5 counts with a stored suppression: %+v", r5.Counts)
		}
		if got, _ := s.Run(ctx, r5.ID); got.Suppressed != 1 || got.Fail != 1 {
			t.Errorf("run 5 read back: %+v", got.Counts)
		}
		if pts, _ := s.Trend(ctx, history.TrendQuery{}); pts[len(pts)-1].Suppressed != 1 {
			t.Errorf("run 5 posture: %+v", pts[len(pts)-1])
		}
		wantStates(t, s, "r1", map[string]history.State{"b1": history.StateSuppressed, "b2": history.StateOpen, "b3": history.StateResolved})
		record(t, s, day(8), []finding.Finding{fnd("r1", "b1", F, finding.High), fnd("r1", "b2", F, finding.Medium)})
		wantStates(t, s, "r1", map[string]history.State{"b1": history.StateOpen, "b2": history.StateOpen, "b3": history.StateResolved})
		if b1 := states(t, s, "r1")["b1"]; b1.Suppression != nil {
			t.Errorf("b1 keeps an expired suppression: %+v", b1.Suppression)
		}

		// A suppression from the scan's own suppressions file.
		muted := fnd("r1", "b1", F, finding.High)
		muted.Suppressed = &finding.Suppression{Reason: "tracked in JIRA-1", Expires: "2027-01-01"}
		r7 := record(t, s, day(9), []finding.Finding{muted, fnd("r1", "b2", F, finding.Medium)})
		if b1 := states(t, s, "r1")["b1"]; b1.State != history.StateSuppressed || b1.Suppression.Reason != "tracked in JIRA-1" {
			t.Errorf("b1 with a file suppression: %+v", b1)
		}
		if r7.Suppressed != 1 || r7.Fail != 1 {
			t.Errorf("run counts with a muted finding: %+v", r7.Counts)
		}

		// Other sources keep their own lifecycle: recording a source
		// without r1 resolves nothing of "org".
		if _, err := s.Record(ctx, &history.Scan{Source: "other", Started: day(10), Findings: []finding.Finding{fnd("r2", "x", F, finding.Low)}}); err != nil {
			t.Fatal(err)
		}
		wantStates(t, s, "r1", map[string]history.State{"b1": history.StateSuppressed, "b2": history.StateOpen, "b3": history.StateResolved})
	})
}

func TestSuppressRefusesIncomplete(t *testing.T) {
	forEngines(t, func(t *testing.T, s *history.Store) {
		ctx := context.Background()
		for _, sp := range []history.Suppression{
			{ResourceID: "b", Reason: "r", Owner: "o"},
			{RuleID: "r", Reason: "r", Owner: "o"},
			{RuleID: "r", ResourceID: "b", Owner: "o"},
			{RuleID: "r", ResourceID: "b", Reason: "r"},
			{RuleID: "r", ResourceID: "b", Reason: "r", Owner: "o", Expires: day(-1)},
		} {
			if _, _, err := s.Suppress(ctx, sp, day(0)); err == nil {
				t.Errorf("%+v accepted", sp)
			}
		}
	})
}

func TestDuplicateIdentityKeepsWorstStatus(t *testing.T) {
	forEngines(t, func(t *testing.T, s *history.Store) {
		r := record(t, s, day(0), []finding.Finding{fnd("r1", "b1", finding.Pass, finding.Low), fnd("r1", "b1", finding.Fail, finding.Low)})
		if r.New != 1 {
			t.Errorf("run: %+v", r)
		}
		wantStates(t, s, "r1", map[string]history.State{"b1": history.StateNew})
	})
}

func TestDiff(t *testing.T) {
	forEngines(t, func(t *testing.T, s *history.Store) {
		ctx := context.Background()
		F, P := finding.Fail, finding.Pass
		r1 := record(t, s, day(0), []finding.Finding{fnd("r1", "b1", F, finding.High), fnd("r1", "b2", F, finding.Low), fnd("r2", "b1", F, finding.Critical)})
		r2 := record(t, s, day(1), []finding.Finding{fnd("r1", "b1", F, finding.High), fnd("r1", "b2", P, finding.Low)})
		r3 := record(t, s, day(2), []finding.Finding{fnd("r1", "b1", F, finding.High), fnd("r1", "b2", F, finding.Low), fnd("r3", "az:s1", F, finding.Medium)})

		d, err := s.Diff(ctx, r2.ID, r3.ID)
		if err != nil {
			t.Fatal(err)
		}
		ids := func(l []history.DiffFinding) []string {
			var out []string
			for _, f := range l {
				out = append(out, f.RuleID+"@"+f.ResourceID)
			}
			return out
		}
		if got := ids(d.New); len(got) != 1 || got[0] != "r3@az:s1" {
			t.Errorf("new: %v", got)
		}
		if got := ids(d.Reopened); len(got) != 1 || got[0] != "r1@b2" {
			t.Errorf("reopened: %v", got)
		}
		if len(d.Resolved) != 0 || d.Unchanged != 1 {
			t.Errorf("resolved %v, unchanged %d", ids(d.Resolved), d.Unchanged)
		}
		if a := d.Active(finding.High); len(a) != 0 {
			t.Errorf("active at high: %v", ids(a))
		}
		if a := d.Active(""); len(a) != 2 {
			t.Errorf("active: %v", ids(a))
		}
		// r1 → r2: r2@b1 (absent) and r1@b2 (passing) resolved, worst first.
		d, err = s.Diff(ctx, r1.ID, r2.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got := ids(d.Resolved); len(got) != 2 || got[0] != "r2@b1" || got[1] != "r1@b2" || len(d.New)+len(d.Reopened) != 0 || d.Unchanged != 1 {
			t.Errorf("r1→r2: resolved %v, new %v, reopened %v, unchanged %d", got, ids(d.New), ids(d.Reopened), d.Unchanged)
		}
		// r3 → r4: r1@b2 UNKNOWN is undecided, r1@b1 passes (resolved),
		// r3@az:s1 absent from a complete run (resolved).
		r4 := record(t, s, day(3), []finding.Finding{fnd("r1", "b1", P, finding.High), fnd("r1", "b2", finding.Unknown, finding.Low)})
		d, err = s.Diff(ctx, r3.ID, r4.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got := ids(d.Resolved); len(got) != 2 || got[0] != "r1@b1" || got[1] != "r3@az:s1" || d.Undecided != 1 || d.Unchanged != 0 {
			t.Errorf("r3→r4: resolved %v, undecided %d, unchanged %d", got, d.Undecided, d.Unchanged)
		}
		if _, err := s.Diff(ctx, r1.ID, 999); !errors.Is(err, history.ErrNotFound) {
			t.Errorf("diff with a missing run: %v", err)
		}
	})
}

func TestTrend(t *testing.T) {
	forEngines(t, func(t *testing.T, s *history.Store) {
		ctx := context.Background()
		F, P := finding.Fail, finding.Pass
		record(t, s, day(0), []finding.Finding{fnd("r1", "b1", F, finding.High), fnd("r1", "b2", F, finding.Low), fnd("r1", "az:s1", P, finding.Low)})
		record(t, s, day(1), []finding.Finding{fnd("r1", "b1", F, finding.High), fnd("r1", "b2", P, finding.Low), fnd("r1", "az:s1", P, finding.Low)})
		record(t, s, day(2), []finding.Finding{fnd("r1", "b1", P, finding.High), fnd("r1", "b2", P, finding.Low), fnd("r1", "az:s1", F, finding.Low)})
		score := func(p history.TrendPoint) float64 {
			if p.Score == nil {
				return -1
			}
			return *p.Score
		}
		for _, tc := range []struct {
			name string
			q    history.TrendQuery
			want []float64
		}{
			{"overall", history.TrendQuery{}, []float64{33.3, 66.7, 66.7}},
			{"cloud", history.TrendQuery{Provider: "aws"}, []float64{0, 50, 100}},
			{"account", history.TrendQuery{Provider: "azure", Account: "sub1"}, []float64{100, 100, 0}},
			// soc2 CC6.1: failed, failed, failed (a control fails while
			// any of its findings fails); one control, so 0 each time.
			{"framework", history.TrendQuery{Framework: "soc2"}, []float64{0, 0, 0}},
			{"control", history.TrendQuery{Framework: "soc2", Control: "CC6.1"}, []float64{33.3, 66.7, 66.7}},
			// CIS AWS counts AWS resources only.
			{"cis control", history.TrendQuery{Framework: "cis-aws-7.0", Control: "2.1.1"}, []float64{0, 50, 100}},
			{"last two", history.TrendQuery{Last: 2}, []float64{66.7, 66.7}},
		} {
			pts, err := s.Trend(ctx, tc.q)
			if err != nil {
				t.Fatal(err)
			}
			var got []float64
			for _, p := range pts {
				got = append(got, score(p))
			}
			if len(got) != len(tc.want) {
				t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
				continue
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
					break
				}
			}
		}
		pts, _ := s.Trend(ctx, history.TrendQuery{Framework: "cis-aws-7.0", Control: "2.1.1"})
		if pts[2].Status != "PASSED" || pts[0].Status != "FAILED" {
			t.Errorf("control statuses: %+v", pts)
		}
		if _, err := s.Trend(ctx, history.TrendQuery{Control: "x"}); err == nil {
			t.Error("a control trend without a framework was accepted")
		}
	})
}

func TestFindingsQueries(t *testing.T) {
	forEngines(t, func(t *testing.T, s *history.Store) {
		ctx := context.Background()
		F := finding.Fail
		record(t, s, day(0), []finding.Finding{
			fnd("r1", "b1", F, finding.Low), fnd("r1", "b2", F, finding.Low), fnd("r2", "b1", F, finding.Critical),
			fnd("r3", "az:s1", F, finding.Medium), fnd("r3", "az:s2", finding.Pass, finding.Medium)})
		q := history.FindingQuery{States: []history.State{history.StateNew}}
		fs, err := s.Findings(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if len(fs) != 4 || fs[0].RuleID != "r2" || fs[1].RuleID != "r3" {
			t.Errorf("worst first: %v", fs)
		}
		if n, _ := s.CountFindings(ctx, q); n != 4 {
			t.Errorf("count %d", n)
		}
		if n, _ := s.CountFindings(ctx, history.FindingQuery{}); n != 5 {
			t.Errorf("count of every identity %d", n)
		}
		page, _ := s.Findings(ctx, history.FindingQuery{States: q.States, Limit: 2, Offset: 2})
		if len(page) != 2 || page[0].ID != fs[2].ID || page[1].ID != fs[3].ID {
			t.Errorf("second page: %v", page)
		}
		az, _ := s.Findings(ctx, history.FindingQuery{Providers: []string{"azure"}, Severities: []finding.Severity{finding.Medium}, Sort: "resource", Desc: true})
		if len(az) != 2 || az[0].ResourceID != "az:s2" {
			t.Errorf("azure medium by resource desc: %v", az)
		}
		acct, _ := s.Findings(ctx, history.FindingQuery{Accounts: []string{"111"}, Rules: []string{"r1"}, Resource: "b2"})
		if len(acct) != 1 || acct[0].ResourceID != "b2" || acct[0].Account != "111" || len(acct[0].Frameworks) != 2 {
			t.Errorf("account/rule/resource filter: %v", acct)
		}
		if _, err := s.Findings(ctx, history.FindingQuery{Sort: "id; DROP TABLE runs"}); err == nil {
			t.Error("unknown sort accepted")
		}
		groups, err := s.Group(ctx, "resource", q)
		if err != nil {
			t.Fatal(err)
		}
		if len(groups) != 3 || groups[0].Key != "b1" || groups[0].Count != 2 || groups[0].Worst != finding.Critical {
			t.Errorf("by resource: %+v", groups)
		}
		groups, _ = s.Group(ctx, "account", q)
		if len(groups) != 2 || groups[0].Key != "aws/111" || groups[0].Count != 3 {
			t.Errorf("by account: %+v", groups)
		}
		if _, err := s.Group(ctx, "message", q); err == nil {
			t.Error("unknown grouping accepted")
		}
		// Values with quotes and SQL travel as parameters.
		hostile := "b'); DROP TABLE findings; --"
		record(t, s, day(1), []finding.Finding{fnd("r1", hostile, F, finding.Low)})
		if got, err := s.Findings(ctx, history.FindingQuery{Resource: hostile}); err != nil || len(got) != 1 {
			t.Errorf("hostile resource ID: %v, %v", got, err)
		}
	})
}

func TestRunsAndFailedRun(t *testing.T) {
	forEngines(t, func(t *testing.T, s *history.Store) {
		ctx := context.Background()
		r1 := record(t, s, day(0), []finding.Finding{fnd("r1", "b1", finding.Fail, finding.High)})
		failed, err := s.Record(ctx, &history.Scan{Source: "org", Started: day(1), Failed: true, Errors: []string{"importing: boom"}})
		if err != nil || failed.Status != history.RunFailed {
			t.Fatalf("failed run: %+v, %v", failed, err)
		}
		// A failed run changes no lifecycle.
		wantStates(t, s, "r1", map[string]history.State{"b1": history.StateNew})
		rs, err := s.Runs(ctx, history.RunQuery{})
		if err != nil || len(rs) != 2 || rs[0].ID != failed.ID || rs[1].ID != r1.ID {
			t.Fatalf("runs: %+v, %v", rs, err)
		}
		got, err := s.Run(ctx, r1.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.DurationMS != 1500 || got.Inputs[0] != "examples/org" || !got.Started.Equal(day(0)) || got.PostureScore == nil || *got.PostureScore != 0 {
			t.Errorf("run 1 read back: %+v", got)
		}
		if _, err := s.Run(ctx, 12345); !errors.Is(err, history.ErrNotFound) {
			t.Errorf("missing run: %v", err)
		}
	})
}

// TestConcurrentWriters records runs of two sources and a suppression at
// once: writers queue (SQLite's write lock, PostgreSQL's advisory locks)
// and every run is recorded with its lifecycle.
func TestConcurrentWriters(t *testing.T) {
	forEngines(t, func(t *testing.T, s *history.Store) {
		ctx := context.Background()
		errs := make(chan error, 9)
		for i := range 8 {
			go func() {
				src := []string{"a", "b"}[i%2]
				_, err := s.Record(ctx, &history.Scan{Source: src, Started: day(i), Findings: []finding.Finding{fnd("r1", "b1", finding.Fail, finding.High)}})
				errs <- err
			}()
		}
		go func() {
			_, _, err := s.Suppress(ctx, history.Suppression{RuleID: "r9", ResourceID: "*", Reason: "x", Owner: "y"}, day(0))
			errs <- err
		}()
		for range 9 {
			if err := <-errs; err != nil {
				t.Error(err)
			}
		}
		for _, src := range []string{"a", "b"} {
			rs, err := s.Runs(ctx, history.RunQuery{Source: src})
			if err != nil || len(rs) != 4 {
				t.Fatalf("%s: %d runs, %v", src, len(rs), err)
			}
			news := 0
			for _, r := range rs {
				news += r.New
			}
			if news != 1 {
				t.Errorf("%s: %d new findings over its runs, want 1", src, news)
			}
		}
	})
}

// TestPartialRunKeepsAbsentFindingsFailing: a new finding absent from a
// partial run is neither resolved nor new any more.
func TestPartialRunKeepsAbsentFindingsFailing(t *testing.T) {
	forEngines(t, func(t *testing.T, s *history.Store) {
		record(t, s, day(0), []finding.Finding{fnd("r1", "b1", finding.Fail, finding.High), fnd("r1", "b2", finding.Fail, finding.High)})
		r := record(t, s, day(1), []finding.Finding{fnd("r1", "b2", finding.Fail, finding.High)}, "exports/x.json: unexpected EOF")
		if r.Resolved != 0 {
			t.Errorf("partial run resolved %d", r.Resolved)
		}
		wantStates(t, s, "r1", map[string]history.State{"b1": history.StateOpen, "b2": history.StateOpen})
		record(t, s, day(2), []finding.Finding{fnd("r1", "b2", finding.Fail, finding.High)})
		wantStates(t, s, "r1", map[string]history.State{"b1": history.StateResolved, "b2": history.StateOpen})
	})
}
