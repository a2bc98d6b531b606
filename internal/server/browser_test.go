package server

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/chromedp"

	"github.com/vigil-sec/vigil/internal/history"
	"github.com/vigil-sec/vigil/internal/jobs"
	"github.com/vigil-sec/vigil/internal/respond/engine"
)

// TestBrowser drives the dashboard in headless Chromium (chromedp): signs
// in, opens every page, filters the findings, mutes one, approves a plan,
// and checks every page's screenshot is not blank. VIGIL_CHROMIUM names the
// browser (sh scripts/chromium.sh installs Debian's chromium and prints its
// path); VIGIL_SCREENSHOTS, when set, is a directory to keep the
// screenshots in.
func TestBrowser(t *testing.T) {
	bin := os.Getenv("VIGIL_CHROMIUM")
	if bin == "" {
		t.Skip("VIGIL_CHROMIUM is unset: export VIGIL_CHROMIUM=$(sh scripts/chromium.sh) to run the browser test")
	}
	if _, err := exec.LookPath(bin); err != nil {
		t.Skipf("VIGIL_CHROMIUM=%s is not an executable (%v): sh scripts/chromium.sh installs Chromium", bin, err)
	}
	dsn := filepath.Join(t.TempDir(), "h.db")
	e := newEnvOn(t, dsn)
	dir, planID := respondDir(t)
	ws := Workspace{Inventory: []string{hostileOrg(t)}, IaC: []string{"../drift/testdata/state"},
		Alerts: []string{alertsFile(t)}, Respond: dir}
	// The job queue and a worker, as vigil serve --schedule runs them:
	// the approved plan's step becomes a job.
	q, err := jobs.Open(context.Background(), jobs.Options{DSN: dsn, Store: e.store, Workers: 1, PollInterval: 100 * time.Millisecond, ID: "browser-test"})
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	if err := q.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer q.Stop(context.Background())
	s, err := New(context.Background(), e.store, Options{Now: e.now, Argon2: Argon2Params{Memory: 1024, Time: 1, Threads: 1}, Workspace: ws,
		Steps: queueSteps{q}})
	if err != nil {
		t.Fatal(err)
	}
	// The session cookie is Secure, with the __Host- prefix: Chromium is
	// told to treat the test server's origin as secure.
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	base := ts.URL
	shots := os.Getenv("VIGIL_SCREENSHOTS")
	if shots == "" {
		shots = t.TempDir()
	} else if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}

	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(bin), chromedp.NoSandbox,
		chromedp.Flag("unsafely-treat-insecure-origin-as-secure", ts.URL), chromedp.WindowSize(1280, 900), chromedp.DisableGPU)
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 90*time.Second)
	defer cancel()
	start := time.Now()
	// The browser's own log: a Content-Security-Policy violation (an
	// inline script or style the page would need) or a failed load is an
	// error entry.
	if _, err := chromedp.Call(ctx, cdplog.Enable, cdp.Empty{}); err != nil {
		t.Fatalf("starting %s: %v", bin, err)
	}
	var logMu sync.Mutex
	var browserErrors []string
	if err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*cdplog.EventEntryAdded); ok && e.Entry != nil && e.Entry.Level == cdplog.EntryLevelError {
			logMu.Lock()
			browserErrors = append(browserErrors, string(e.Entry.Source)+": "+e.Entry.Text+" "+e.Entry.URL)
			logMu.Unlock()
		}
	}); err != nil {
		t.Fatal(err)
	}

	run := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	// until waits (10 s at most) for a page to load after a click.
	until := func(what string, done func() bool) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); !done(); time.Sleep(100 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("waiting for %s: timed out", what)
			}
		}
	}
	// get runs one action and returns its value.
	get := func(what string, a chromedp.Action[string]) string {
		t.Helper()
		v, err := chromedp.Run(ctx, a)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return v
	}
	// Sign in (as a responder: may mute and approve).
	var title string
	run("sign in",
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(chromedp.CSS(`input[name="user"]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name="user"]`), "responder"),
		chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), password),
		chromedp.Submit(chromedp.CSS(`input[name="password"]`)))
	until("signing in", func() bool {
		title = get("title", chromedp.Title())
		return title != "" && !strings.HasPrefix(title, "Sign in")
	})
	if !strings.HasPrefix(title, "Overview") {
		t.Fatalf("after signing in: %q: %s", title, get("body", chromedp.Text(chromedp.CSS(`main`))))
	}

	pages := []struct{ path, h1 string }{
		{"/", "Overview"}, {"/findings", "Findings"}, {"/compliance", "Compliance"}, {"/compliance/soc2?control=CC6.1", "SOC 2"},
		{"/identity", "Identity and attack paths"}, {"/alerts", "Alerts"}, {"/playbooks", "Playbooks"},
		{"/playbooks/" + planID, "Plan " + planID}, {"/inventory", "Inventory"}, {"/drift", "Drift"},
		{"/runs", "Runs"}, {"/runs/2", "Run 2"}, {"/diff", "Diff"}, {"/jobs", "Jobs"},
	}
	for _, pg := range pages {
		run("open "+pg.path, chromedp.Navigate(base+pg.path), chromedp.WaitVisible(chromedp.CSS(`main h1`)))
		h1 := get(pg.path, chromedp.Text(chromedp.CSS(`main h1`)))
		body := get(pg.path, chromedp.Text(chromedp.CSS(`body`)))
		shot, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatalf("screenshot of %s: %v", pg.path, err)
		}
		if !strings.HasPrefix(h1, pg.h1) {
			t.Errorf("%s: heading %q, want %q", pg.path, h1, pg.h1)
		}
		// The hostile values are text on the page, never markup.
		if strings.Contains(pg.path, "findings") && !strings.Contains(body, xssScript) {
			t.Errorf("%s does not show the hostile value as text", pg.path)
		}
		name := strings.Trim(strings.NewReplacer("/", "_", "?", "_", "=", "_", ".", "_").Replace(pg.path), "_")
		checkScreenshot(t, filepath.Join(shots, cmpOr(name, "overview")+".png"), shot)
	}

	// Filter the findings: critical only.
	var url, sevs string
	run("filter findings",
		chromedp.Navigate(base+"/findings"),
		chromedp.WaitVisible(chromedp.CSS(`form.filters`)),
		chromedp.Click(chromedp.CSS(`input[name="severity"][value="critical"]`)),
		chromedp.Submit(chromedp.CSS(`form.filters button`)),
	)
	until("the filtered page", func() bool {
		url = get("location", chromedp.Location())
		return strings.Contains(url, "severity=critical")
	})
	run("filtered page", chromedp.WaitVisible(chromedp.CSS(`table.findings`)))
	sevs = get("severities", chromedp.Evaluate[string](`Array.from(document.querySelectorAll("table.findings td.sev")).map(td => td.textContent).join(",")`))
	if !strings.Contains(url, "severity=critical") || sevs != "CRITICAL" {
		t.Errorf("filtered findings: %s shows %q, want one CRITICAL", url, sevs)
	}

	// Mute the first: its form opens, takes a reason, and the page comes back.
	run("mute a finding",
		chromedp.Navigate(base+"/findings?severity=medium"),
		chromedp.WaitVisible(chromedp.CSS(`table.findings details summary`)),
		chromedp.Click(chromedp.CSS(`table.findings details summary`)),
		chromedp.WaitVisible(chromedp.CSS(`form.mute input[name="reason"]`)),
		chromedp.SendKeys(chromedp.CSS(`form.mute input[name="reason"]`), "accepted in the browser test"),
		chromedp.Submit(chromedp.CSS(`form.mute input[name="reason"]`)))
	var fs []history.Finding
	until("the mute", func() bool {
		fs, err = e.store.Findings(context.Background(), history.FindingQuery{States: []history.State{history.StateSuppressed}})
		return err != nil || len(fs) > 0
	})
	url = get("location", chromedp.Location())
	if err != nil || len(fs) != 1 || fs[0].Suppression == nil || fs[0].Suppression.Reason != "accepted in the browser test" || fs[0].Suppression.Owner != "responder" {
		t.Errorf("after muting in the browser (back at %s): %v %+v", url, err, fs)
	}

	// Attest a manual control of SOC 2 (CC1.1: no rule maps to it) from
	// its evidence form; the framework's page shows it attested.
	run("attest a control",
		chromedp.Navigate(base+"/compliance/soc2?control=CC1.1"),
		chromedp.WaitVisible(chromedp.CSS(`form.attest`)),
		chromedp.SendKeys(chromedp.CSS(`form.attest input[name="note"]`), "code of conduct signed "+xssScript),
		chromedp.SendKeys(chromedp.CSS(`form.attest input[name="evidence"]`), "https://wiki.example.com/soc2/cc1.1"),
		chromedp.Click(chromedp.CSS(`form.attest button`)))
	var attested string
	until("the attestation", func() bool {
		attested, err = chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`dl.attestation`)))
		return err == nil && strings.Contains(attested, "attested by responder")
	})
	shot, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot of the attestation: %v", err)
	}
	checkScreenshot(t, filepath.Join(shots, "compliance_soc2_attested.png"), shot)
	as, err := e.store.Attestations(context.Background(), history.AttestationQuery{Framework: "soc2", Control: "CC1.1"})
	if err != nil || len(as) != 1 || as[0].By != "responder" || as[0].Status != "attested" || as[0].Note != "code of conduct signed "+xssScript ||
		!strings.Contains(attested, "code of conduct signed "+xssScript) {
		t.Errorf("after attesting in the browser: %v %+v; the page shows %q", err, as, attested)
	}

	// Approve the plan.
	var status string
	run("approve a plan",
		chromedp.Navigate(base+"/playbooks/"+planID),
		chromedp.WaitVisible(chromedp.CSS(`form.approve`)),
		chromedp.SendKeys(chromedp.CSS(`form.approve input[name="reason"]`), "CHG-42"),
		chromedp.Click(chromedp.CSS(`form.approve button`)))
	until("the approval", func() bool {
		status, err = chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`strong.pstatus`)))
		return err == nil && status != "awaiting approval"
	})
	f, err := engine.ReadFile(filepath.Join(dir, "plans", planID+".json"))
	if status != "approved" || err != nil || len(f.Approvals) != 1 || f.Approvals[0].By != "responder" || f.Approvals[0].Reason != "CHG-42" {
		t.Errorf("after approving in the browser: status %q, %v, %+v", status, err, f)
	}
	// The step's job ran (dry: the box to apply was not ticked) and the
	// plan's page shows it with its result.
	var steps string
	until("the step job", func() bool {
		if err := chromedp.Do(ctx, chromedp.Navigate(base+"/playbooks/"+planID)); err != nil {
			return false
		}
		steps, err = chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`table.stepjobs tbody`)))
		return err == nil && strings.Contains(steps, "completed")
	})
	if !strings.Contains(steps, "dry-run") || !strings.Contains(steps, "browser-test") || !strings.Contains(steps, "nothing changed") {
		t.Errorf("step jobs on the plan's page: %q", steps)
	}
	logMu.Lock()
	for _, e := range browserErrors {
		t.Errorf("browser log: %s", e)
	}
	logMu.Unlock()
	t.Logf("browser test: %d pages in %s; screenshots in %s", len(pages), time.Since(start).Round(time.Millisecond), shots)
}

// queueSteps gives the server the queue's step jobs, as vigil serve does.
type queueSteps struct{ q *jobs.Queue }

func (s queueSteps) EnqueueSteps(ctx context.Context, state, plan, mode string) (map[int]int64, map[int]string, error) {
	e, err := s.q.EnqueueSteps(ctx, state, plan, mode)
	if err != nil {
		return nil, nil, err
	}
	return e.Jobs, e.Waiting, nil
}

// checkScreenshot decodes a page's PNG screenshot, keeps it, and fails
// when the page is blank: too few colours, or almost every pixel the
// background's.
func checkScreenshot(t *testing.T, path string, shot []byte) {
	t.Helper()
	if err := os.WriteFile(path, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Errorf("%s: %v", path, err)
		return
	}
	b := img.Bounds()
	colours, other := pixels(img)
	if b.Dx() < 800 || b.Dy() < 300 || colours < 16 || other < 0.02 {
		t.Errorf("%s looks blank: %dx%d, %d colours, %.1f%% of pixels not the background", path, b.Dx(), b.Dy(), colours, 100*other)
	}
	if testing.Verbose() {
		fmt.Printf("%s: %dx%d, %d colours, %.1f%% not background\n", filepath.Base(path), b.Dx(), b.Dy(), colours, 100*other)
	}
}

// pixels counts an image's distinct colours (5 bits a channel) and the
// share of its pixels that are not of its most frequent colour.
func pixels(img image.Image) (colours int, other float64) {
	b := img.Bounds()
	count := map[uint32]int{}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			count[(r>>11)<<10|(g>>11)<<5|bl>>11]++
		}
	}
	most, all := 0, 0
	for _, n := range count {
		most = max(most, n)
		all += n
	}
	if all == 0 {
		return 0, 0
	}
	return len(count), float64(all-most) / float64(all)
}

// TestBlankScreenshot checks that the browser test's blank check fails a
// blank page and passes a drawn one.
func TestBlankScreenshot(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 1000, 600))
	draw.Draw(img, img.Bounds(), image.NewUniform(color.RGBA{0xfa, 0xfa, 0xfa, 0xff}), image.Point{}, draw.Src)
	if n, other := pixels(img); n != 1 || other != 0 {
		t.Errorf("blank page: %d colours, %.2f other", n, other)
	}
	for i := range 64 {
		draw.Draw(img, image.Rect(i*15, 0, i*15+15, 100), image.NewUniform(color.RGBA{uint8(i * 4), 0x40, 0x80, 0xff}), image.Point{}, draw.Src)
	}
	if n, other := pixels(img); n < 16 || other < 0.02 {
		t.Errorf("drawn page: %d colours, %.2f other", n, other)
	}
}
