package server

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/history"
)

// addJobRuns records the job runs every test environment holds: job 2, a
// scan that recorded run 2; job 3, a follow that failed on a hostile file
// name; job 4, still running.
func addJobRuns(t *testing.T, st *history.Store) {
	t.Helper()
	ctx := context.Background()
	for _, jr := range []history.JobRun{
		{JobID: 2, Kind: "vigil_scan", Source: "org#111122223333", Account: "111122223333", Args: `{"path":"examples/org"}`, Attempt: 1, Worker: "w1", Started: t0},
		{JobID: 3, Kind: "vigil_follow", Source: "trail" + xssScript, Args: `{"dir":"` + strings.ReplaceAll(xssImg, `"`, `\"`) + `"}`, Attempt: 3, Worker: "w2", Started: t0.Add(time.Hour)},
		{JobID: 4, Kind: "vigil_iac", Source: "infra", Args: `{}`, Attempt: 1, Worker: "w1", Started: t0.Add(2 * time.Hour)},
	} {
		if err := st.StartJobRun(ctx, jr); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.FinishJobRun(ctx, 2, history.JobCompleted, "", "run 2: complete, 3 findings, 2 failing", t0.Add(5*time.Second)); err != nil {
		t.Fatal(err)
	}
	// The scan's history run (RecordJobScan would record a run of its own).
	if _, err := st.DB().ExecContext(ctx, "UPDATE job_runs SET run_id = 2 WHERE job_id = 2"); err != nil {
		t.Fatal(err)
	}
	if err := st.FinishJobRun(ctx, 3, history.JobFailed, "unreadable "+xssImg, "", t0.Add(time.Hour+time.Second)); err != nil {
		t.Fatal(err)
	}
}

// TestJobsAPIAndPage: the job runs through the API (filters, one job,
// refusals) and the page (listed, filtered, every value escaped).
func TestJobsAPIAndPage(t *testing.T) {
	forEngines(t, func(t *testing.T, e *env) {
		viewer := e.login("viewer")
		var list struct {
			Jobs []history.JobRun `json:"jobs"`
		}
		get := func(path string, want int) string {
			t.Helper()
			resp, body := e.req("GET", path, nil, "Cookie", viewer.cookie)
			if resp.StatusCode != want {
				t.Fatalf("%s: %s, want %d: %s", path, resp.Status, want, body)
			}
			return body
		}
		if err := json.Unmarshal([]byte(get("/api/v1/jobs", http.StatusOK)), &list); err != nil {
			t.Fatal(err)
		}
		if len(list.Jobs) != 3 || list.Jobs[0].JobID != 4 || list.Jobs[2].JobID != 2 || list.Jobs[2].DurationMS != 5000 || list.Jobs[2].Account != "111122223333" {
			t.Fatalf("jobs, newest first: %+v", list.Jobs)
		}
		for q, want := range map[string][]int64{"?status=failed": {3}, "?kind=vigil_scan": {2}, "?status=running&kind=vigil_iac": {4}, "?kind=vigil_live": {}, "?limit=1": {4}} {
			list.Jobs = nil
			if err := json.Unmarshal([]byte(get("/api/v1/jobs"+q, http.StatusOK)), &list); err != nil {
				t.Fatal(err)
			}
			var got []int64
			for _, j := range list.Jobs {
				got = append(got, j.JobID)
			}
			if len(got) != len(want) || (len(want) > 0 && got[0] != want[0]) {
				t.Errorf("/api/v1/jobs%s: jobs %v, want %v", q, got, want)
			}
		}
		for _, q := range []string{"?status=done", "?kind=rm", "?limit=0", "?limit=x"} {
			get("/api/v1/jobs"+q, http.StatusBadRequest)
		}
		var one struct {
			Job history.JobRun `json:"job"`
		}
		if err := json.Unmarshal([]byte(get("/api/v1/jobs/3", http.StatusOK)), &one); err != nil {
			t.Fatal(err)
		}
		if one.Job.Status != history.JobFailed || one.Job.Error != "unreadable "+xssImg || one.Job.Attempt != 3 {
			t.Errorf("job 3: %+v", one.Job)
		}
		get("/api/v1/jobs/99", http.StatusNotFound)
		get("/api/v1/jobs/x", http.StatusNotFound)

		page := get("/jobs", http.StatusOK)
		for _, want := range []string{"3 job runs listed: 1 running, 1 completed, 1 failed", `<a href="/runs/2">run 2: complete, 3 findings, 2 failing</a>`,
			"trail&lt;script&gt;alert(1)&lt;/script&gt;", "unreadable &#34;&gt;&lt;img src=x onerror=alert(1)&gt;", "w2"} {
			if !strings.Contains(page, want) {
				t.Errorf("/jobs lacks %q", want)
			}
		}
		for _, bad := range []string{xssScript, "<img src=x"} {
			if strings.Contains(page, bad) {
				t.Errorf("/jobs carries %q unescaped", bad)
			}
		}
		if p := get("/jobs?status=failed", http.StatusOK); !strings.Contains(p, "1 job runs listed") || strings.Contains(p, "infra") {
			t.Errorf("/jobs?status=failed lists other jobs")
		}
		get("/jobs?kind=nope", http.StatusBadRequest)
	})
}
