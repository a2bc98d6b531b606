package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/server"
)

// TestServeSampleOrg starts vigil serve --init-admin --scan on the sample
// organisation, signs in and finds the organisation's posture on the
// overview; then stops it with its context (as Ctrl-C does).
func TestServeSampleOrg(t *testing.T) {
	t.Setenv("VIGIL_ADMIN_PASSWORD", "correct horse battery staple")
	db := filepath.Join(t.TempDir(), "h.db")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	root := newRootCmd()
	root.SetArgs([]string{"serve", "--db", db, "--listen", "127.0.0.1:0", "--init-admin", "admin", "--scan", sampleOrg})
	pr, pw := io.Pipe()
	root.SetErr(pw)
	done := make(chan error, 1)
	go func() { done <- root.ExecuteContext(ctx); pw.Close() }()

	var base string
	var log strings.Builder
	lines := bufio.NewScanner(pr)
	for lines.Scan() {
		log.WriteString(lines.Text() + "\n")
		if _, addr, ok := strings.Cut(lines.Text(), "serving on "); ok {
			base = strings.Fields(addr)[0]
			break
		}
	}
	go io.Copy(io.Discard, pr)
	if base == "" {
		t.Fatalf("the server did not start: %v\n%s", <-done, log.String())
	}
	if !strings.Contains(log.String(), `admin user "admin" ready`) {
		t.Errorf("start-up log:\n%s", log.String())
	}
	client := &http.Client{Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(path, cookie string) (*http.Response, string) {
		req, _ := http.NewRequest("GET", base+path, nil)
		if cookie != "" {
			req.Header.Set("Cookie", cookie)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	if resp, _ := get("/", ""); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("overview without signing in: %s", resp.Status)
	}
	_, page := get("/login", "")
	tok := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(page)[1]
	form := url.Values{"csrf": {tok}, "user": {"admin"}, "password": {"correct horse battery staple"}}
	req, _ := http.NewRequest("POST", base+"/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Cookie", "__Host-vigil_login="+tok)
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var session string
	for _, c := range resp.Cookies() {
		if c.Name == "__Host-vigil_session" {
			session = c.Name + "=" + c.Value
		}
	}
	if session == "" {
		t.Fatalf("sign-in: %s, no session", resp.Status)
	}
	// The overview shows the posture the start-up scan recorded.
	m := regexp.MustCompile(`run 1 recorded \(complete\): \d+ findings, (\d+) failing, posture (\d+\.\d%)`).FindStringSubmatch(log.String())
	if m == nil {
		t.Fatalf("no recorded run in the start-up log:\n%s", log.String())
	}
	resp, body := get("/", session)
	for _, want := range []string{"examples/org", "posture <strong>" + m[2] + "</strong>; " + m[1] + " failing", "444455556666", "cis-aws-7.0"} {
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, want) {
			t.Errorf("overview (%s) lacks %q:\n%s", resp.Status, want, body)
		}
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve stopped with %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop")
	}
}

func TestServeUsage(t *testing.T) {
	t.Setenv("VIGIL_ADMIN_PASSWORD", "")
	db := filepath.Join(t.TempDir(), "h.db")
	for _, c := range []struct {
		name string
		args []string
	}{
		{"no password", []string{"serve", "--db", db, "--init-admin", "admin", "--listen", "127.0.0.1:0"}},
		{"an argument", []string{"serve", "--db", db, "extra"}},
		{"a bad address", []string{"serve", "--db", db, "--listen", "256.0.0.1:99999"}},
		{"a missing scan path", []string{"serve", "--db", db, "--scan", "no/such/dir", "--listen", "127.0.0.1:0"}},
	} {
		if code, _ := runCLI(t, c.args...); code != exitUsage {
			t.Errorf("%s: exit %d, want %d", c.name, code, exitUsage)
		}
	}
	t.Setenv("VIGIL_ADMIN_PASSWORD", "short")
	if code, _ := runCLI(t, "serve", "--db", db, "--init-admin", "admin", "--listen", "127.0.0.1:0"); code != exitUsage {
		t.Errorf("a short password: exit %d, want %d", code, exitUsage)
	}
}

// TestScheduleWorkspace: vigil serve --schedule shows what the schedule's
// jobs write: each logs: entry's output folder (created) on the alerts
// page, and the first respond: state (created) on the playbooks page unless
// --respond names one; a bad schedule is refused; no schedule changes
// nothing.
func TestScheduleWorkspace(t *testing.T) {
	dir := t.TempDir()
	sched := filepath.Join(dir, "schedule.yaml")
	writeFile(t, sched, `logs:
  - name: a
    path: logs/a
    output: alerts/a
    every: 1h
    respond: {playbooks: [pb], state: respond-a}
  - name: b
    path: logs/b
    output: alerts/b
    every: 1h
    respond: {playbooks: [pb], state: respond-b}
sources:
  - path: exports
    every: 1h
`)
	var sf serveFlags
	if err := scheduleWorkspace(&sf); err != nil || len(sf.ws.Alerts) != 0 || sf.ws.Respond != "" {
		t.Fatalf("no schedule: %v %+v", err, sf.ws)
	}
	sf.queue.schedule = sched
	sf.ws.Alerts = []string{filepath.Join(dir, "alerts", "b"), "/elsewhere"}
	if err := scheduleWorkspace(&sf); err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.Join(dir, "alerts", "b"), "/elsewhere", filepath.Join(dir, "alerts", "a")}
	if !slices.Equal(sf.ws.Alerts, want) || sf.ws.Respond != filepath.Join(dir, "respond-a") {
		t.Errorf("workspace %+v, want alerts %v and the first respond state", sf.ws, want)
	}
	for _, d := range []string{"alerts/a", "alerts/b", "respond-a"} {
		if st, err := os.Stat(filepath.Join(dir, d)); err != nil || !st.IsDir() {
			t.Errorf("%s not created: %v", d, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "respond-b")); err == nil {
		t.Error("the second respond state was created though not shown")
	}
	given := serveFlags{ws: server.Workspace{Respond: "/given"}}
	given.queue.schedule = sched
	if err := scheduleWorkspace(&given); err != nil || given.ws.Respond != "/given" {
		t.Errorf("--respond given: %v %q", err, given.ws.Respond)
	}
	bad := filepath.Join(dir, "bad.yaml")
	writeFile(t, bad, "logs:\n  - path: x\n    every: 1h\n")
	sf.queue.schedule = bad
	if err := scheduleWorkspace(&sf); err == nil || !strings.Contains(err.Error(), "--schedule") {
		t.Errorf("a bad schedule: %v", err)
	}
}
