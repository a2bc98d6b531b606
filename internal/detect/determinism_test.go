package detect

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/tidwall/gjson"

	"github.com/vigil-sec/vigil/internal/logs"
)

// The determinism tests run vigil's built-in correlations over a CloudTrail
// set written here: two hours in 24 files of five minutes each, delivered
// the way CloudTrail delivers (events shuffled inside a file, some events
// of the previous five minutes delivered late in the next file), with
//
//   - alice reading secrets in bursts (AWS Mass Secret Retrieval,
//     event_count: 25 reads at 10:20, 45 across the 11:05 file boundary,
//     19 at 11:40, under the threshold);
//   - dave refused on seven services (AWS Permission Enumeration Across
//     Services, value_count);
//   - erin stopping a trail and then reading an object (Audit Logging
//     Disabled Then Data Accessed, temporal_ordered on OCSF rules), and
//     frank doing the same in the other order, his read delivered late in
//     the file after his DeleteTrail (must not fire: event time decides);
//   - an access key created for gina and used from two networks (AWS
//     Access Key Created And Used From Another Network: a temporal_ordered
//     correlation over a value_count one);
//   - carol's background calls every 20 seconds;
//
// and a last file, an hour after the others, that moves the watermark past
// every window (so a follow run releases all it holds, as a batch run does
// at the end).

var detT0 = time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)

// detEvent is one CloudTrail record of the determinism set.
func detEvent(at time.Duration, user, source, name, ip string, extra map[string]any) map[string]any {
	ev := map[string]any{
		"eventVersion": "1.09",
		"userIdentity": map[string]any{
			"type": "IAMUser", "principalId": "AIDA" + strings.ToUpper(user), "accountId": "111122223333",
			"arn": "arn:aws:iam::111122223333:user/" + user, "userName": user,
			"accessKeyId": "ASIA" + strings.ToUpper(user) + "EXAMPLE",
		},
		"eventTime":          detT0.Add(at).Format(time.RFC3339),
		"eventSource":        source,
		"eventName":          name,
		"awsRegion":          "us-east-1",
		"sourceIPAddress":    ip,
		"userAgent":          "aws-cli/2.15.30",
		"requestParameters":  map[string]any{},
		"responseElements":   nil,
		"eventType":          "AwsApiCall",
		"managementEvent":    true,
		"recipientAccountId": "111122223333",
	}
	for k, v := range extra {
		ev[k] = v
	}
	return ev
}

// detFiles writes the determinism set into dir and returns the file names
// in delivery order (the heartbeat file last).
func detFiles(t testing.TB, dir string) []string {
	t.Helper()
	type timed struct {
		at time.Duration
		ev map[string]any
	}
	var all []timed
	add := func(at time.Duration, ev map[string]any) { all = append(all, timed{at, ev}) }
	for s := time.Duration(0); s < 2*time.Hour; s += 20 * time.Second {
		add(s, detEvent(s, "carol", "ec2.amazonaws.com", "DescribeInstances", "203.0.113.10", map[string]any{"readOnly": true}))
	}
	read := func(from time.Duration, n int, every time.Duration) {
		for i := range n {
			at := from + time.Duration(i)*every
			add(at, detEvent(at, "alice", "secretsmanager.amazonaws.com", "GetSecretValue", "198.51.100.23",
				map[string]any{"requestParameters": map[string]any{"secretId": fmt.Sprintf("prod/app/%03d", int(at/time.Second))}, "readOnly": true}))
		}
	}
	read(20*time.Minute, 25, 3*time.Second)
	read(63*time.Minute, 45, 5*time.Second)
	read(100*time.Minute, 19, 4*time.Second)
	for i, src := range []string{"iam", "s3", "ec2", "lambda", "kms", "rds", "dynamodb", "s3"} {
		at := 40*time.Minute + time.Duration(i)*25*time.Second
		add(at, detEvent(at, "dave", src+".amazonaws.com", "List"+strings.ToUpper(src[:1])+src[1:], "192.0.2.99",
			map[string]any{"errorCode": "AccessDenied", "errorMessage": "not authorized"}))
	}
	add(80*time.Minute, detEvent(80*time.Minute, "erin", "cloudtrail.amazonaws.com", "StopLogging", "198.51.100.40",
		map[string]any{"requestParameters": map[string]any{"name": "org-trail"}}))
	add(85*time.Minute, detEvent(85*time.Minute, "erin", "s3.amazonaws.com", "GetObject", "198.51.100.40",
		map[string]any{"requestParameters": map[string]any{"bucketName": "payroll", "key": "2024.csv"}, "readOnly": true}))
	// frank reads at 10:53:50 (delivered late, after his DeleteTrail at
	// 10:55:10 in the next file), then deletes a trail.
	add(53*time.Minute+50*time.Second, detEvent(53*time.Minute+50*time.Second, "frank", "s3.amazonaws.com", "GetObject", "198.51.100.41",
		map[string]any{"requestParameters": map[string]any{"bucketName": "payroll", "key": "2023.csv"}, "readOnly": true}))
	add(55*time.Minute+10*time.Second, detEvent(55*time.Minute+10*time.Second, "frank", "cloudtrail.amazonaws.com", "DeleteTrail", "198.51.100.41",
		map[string]any{"requestParameters": map[string]any{"name": "org-trail"}}))
	const key = "AKIAEXAMPLEGINA00001"
	add(10*time.Minute, detEvent(10*time.Minute, "admin", "iam.amazonaws.com", "CreateAccessKey", "203.0.113.5",
		map[string]any{"requestParameters": map[string]any{"userName": "gina"},
			"responseElements": map[string]any{"accessKey": map[string]any{"accessKeyId": key, "userName": "gina", "status": "Active"}}}))
	for i, ip := range []string{"198.51.100.20", "198.51.100.20", "192.0.2.50"} {
		at := 30*time.Minute + time.Duration(i)*40*time.Minute
		ev := detEvent(at, "gina", "s3.amazonaws.com", "ListBuckets", ip, map[string]any{"readOnly": true})
		ev["userIdentity"].(map[string]any)["accessKeyId"] = key
		add(at, ev)
	}
	for i := range all {
		all[i].ev["eventID"] = fmt.Sprintf("7e1d0c4a-0000-4000-8000-%012d", i)
	}
	// Delivery: file k holds slot k (five minutes), shuffled; an event in
	// the last two minutes of slot k-1 goes to file k instead when its
	// index is a multiple of 4, and so does frank's read.
	const slot = 5 * time.Minute
	files := make([][]map[string]any, 24)
	late := make([][]map[string]any, 24)
	for i, e := range all {
		k := int(e.at / slot)
		lateOne := e.ev["eventName"] == "GetObject" && e.ev["userIdentity"].(map[string]any)["userName"] == "frank"
		if !lateOne && i%4 == 0 && e.at%slot >= 3*time.Minute && k+1 < len(files) {
			lateOne = true
		}
		if lateOne {
			late[k+1] = append(late[k+1], e.ev)
			continue
		}
		files[k] = append(files[k], e.ev)
	}
	rng := rand.New(rand.NewSource(7))
	var names []string
	for k := range files {
		evs := files[k]
		rng.Shuffle(len(evs), func(i, j int) { evs[i], evs[j] = evs[j], evs[i] })
		evs = append(evs, late[k]...)
		name := fmt.Sprintf("111122223333_CloudTrail_us-east-1_%s_f%02d.json", detT0.Add(time.Duration(k+1)*slot).Format("20060102T1504Z"), k)
		writeTrail(t, dir, name, evs...)
		names = append(names, name)
	}
	hb := detEvent(3*time.Hour, "carol", "sts.amazonaws.com", "GetCallerIdentity", "203.0.113.10", nil)
	hb["eventID"] = "7e1d0c4a-0000-4000-8000-ffffffffffff"
	name := "111122223333_CloudTrail_us-east-1_20240301T1300Z_heartbeat.json"
	writeTrail(t, dir, name, hb)
	return append(names, name)
}

// detCorrelations are the built-in correlations the set fires, with how
// many alerts each raises.
var detCorrelations = map[string]int{
	"AWS Mass Secret Retrieval":                            3,
	"AWS Permission Enumeration Across Services":           1,
	"Audit Logging Disabled Then Data Accessed":            1,
	"AWS Access Key Created And Used From Another Network": 1,
}

// detBatch runs the built-ins over paths in one batch run.
func detBatch(t *testing.T, cfg Config, paths ...string) ([]*Alert, *Engine) {
	t.Helper()
	cfg.Version = "test"
	eng, err := New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	sink := &collectSink{}
	if err := eng.Run(context.Background(), paths, sink, RunOptions{OnInputError: func(ie logs.InputError) {
		t.Errorf("input error: %v", ie.Error())
	}}); err != nil {
		t.Fatal(err)
	}
	return sink.alerts, eng
}

// detFollow runs the built-ins over dir in follow mode (one pass, with a
// checkpoint of its own).
func detFollow(t *testing.T, cfg Config, dir string) ([]*Alert, *Engine) {
	t.Helper()
	cfg.Version = "test"
	eng, err := New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	sink := &collectSink{}
	ck := filepath.Join(t.TempDir(), "ck.json")
	if err := eng.Follow(context.Background(), sink, FollowOptions{Dir: dir, Checkpoint: ck, Once: true}); err != nil {
		t.Fatal(err)
	}
	return sink.alerts, eng
}

// alertIDs returns the alerts' ids, sorted, and fails on an id seen twice.
func alertIDs(t *testing.T, as []*Alert) []string {
	t.Helper()
	var ids []string
	seen := map[string]bool{}
	for _, a := range as {
		id := a.Finding.FindingInfo.UID
		if seen[id] {
			t.Errorf("alert %s (%s) raised twice", id, a.Rule.Title)
		}
		seen[id] = true
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// sameAlerts fails unless got has exactly the ids of want.
func sameAlerts(t *testing.T, what string, want, got []*Alert) {
	t.Helper()
	w, g := alertIDs(t, want), alertIDs(t, got)
	if slices.Equal(w, g) {
		return
	}
	gs, ws := map[string]bool{}, map[string]bool{}
	for _, id := range g {
		gs[id] = true
	}
	for _, id := range w {
		ws[id] = true
	}
	describe := func(as []*Alert, id string) string {
		for _, a := range as {
			if a.Finding.FindingInfo.UID == id {
				return a.Rule.Title + " " + string(a.Finding.Unmapped)
			}
		}
		return ""
	}
	n := 0
	for _, id := range w {
		if !gs[id] && n < 5 {
			t.Errorf("%s: missing %s: %.300s", what, id, describe(want, id))
			n++
		}
	}
	for _, id := range g {
		if !ws[id] && n < 10 {
			t.Errorf("%s: extra %s: %.300s", what, id, describe(got, id))
			n++
		}
	}
	t.Errorf("%s: %d alerts, want the %d of the reference", what, len(g), len(w))
}

// checkCorrelations asserts the reference run raised the expected
// correlation alerts (so the comparisons below compare something).
func checkCorrelations(t *testing.T, as []*Alert) {
	t.Helper()
	for title, n := range detCorrelations {
		got := alertsOf(as, title)
		if len(got) != n {
			t.Errorf("%q: %d alerts, want %d", title, len(got), n)
		}
	}
	for _, a := range alertsOf(as, "Audit Logging Disabled Then Data Accessed") {
		if strings.Contains(string(a.Finding.Unmapped), "frank") {
			t.Errorf("frank read before he deleted the trail (event time), yet: %s", a.Finding.Unmapped)
		}
	}
}

// TestBatchFollowSameCorrelations (issue 7, deterministic correlations): a
// batch run and follow runs over the same files raise the same alerts with
// the same ids, and two follow runs raise the same ids.
func TestBatchFollowSameCorrelations(t *testing.T) {
	dir := t.TempDir()
	detFiles(t, dir)
	ref, eng := detBatch(t, Config{}, dir)
	checkCorrelations(t, ref)
	if eng.Stats().Late != 0 || eng.Stats().Duplicates != 0 {
		t.Errorf("batch: %d late, %d duplicates, want none", eng.Stats().Late, eng.Stats().Duplicates)
	}
	f1, _ := detFollow(t, Config{}, dir)
	sameAlerts(t, "follow", ref, f1)
	f2, _ := detFollow(t, Config{}, dir)
	sameAlerts(t, "second follow", f1, f2)
	// One worker or many: the same.
	one, _ := detBatch(t, Config{}, dir)
	sameAlerts(t, "second batch", ref, one)
}

// TestShuffledFilesSameCorrelations: files arriving in other orders give
// the same alerts: neighbouring files swapped at random (every event stays
// within the default reorder window), and any order at all with a window
// longer than the set.
func TestShuffledFilesSameCorrelations(t *testing.T) {
	src := t.TempDir()
	names := detFiles(t, src)
	ref, _ := detBatch(t, Config{}, src)
	checkCorrelations(t, ref)
	body, hb := names[:len(names)-1], names[len(names)-1]
	permuted := func(order []string) string {
		dir := t.TempDir()
		for i, n := range append(slices.Clone(order), hb) {
			data, err := os.ReadFile(filepath.Join(src, n))
			if err != nil {
				t.Fatal(err)
			}
			// The prefix makes lexical order the arrival order.
			if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%03d-%s", i, n)), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return dir
	}
	for seed := range 4 {
		rng := rand.New(rand.NewSource(int64(seed)))
		order := slices.Clone(body)
		for i := 0; i+1 < len(order); i += 2 {
			if rng.Intn(2) == 0 {
				order[i], order[i+1] = order[i+1], order[i]
			}
		}
		dir := permuted(order)
		got, eng := detBatch(t, Config{}, dir)
		sameAlerts(t, fmt.Sprintf("pairs swapped (seed %d)", seed), ref, got)
		if eng.Stats().Late != 0 {
			t.Errorf("seed %d: %d late events: the permutation left the window", seed, eng.Stats().Late)
		}
		fol, _ := detFollow(t, Config{}, dir)
		sameAlerts(t, fmt.Sprintf("follow, pairs swapped (seed %d)", seed), ref, fol)
	}
	wide := Config{ReorderWindow: 3 * time.Hour}
	for seed := range 3 {
		order := slices.Clone(body)
		rand.New(rand.NewSource(int64(100+seed))).Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		got, _ := detBatch(t, wide, permuted(order))
		sameAlerts(t, fmt.Sprintf("any order, 3h window (seed %d)", seed), ref, got)
	}
}

// TestOverlappingCopiesSameCorrelations: two copies of the set whose time
// ranges overlap (all of it, and its second half again) raise the alerts
// of one copy, in batch and in follow mode: copies are recognised and
// counted once.
func TestOverlappingCopiesSameCorrelations(t *testing.T) {
	one := t.TempDir()
	names := detFiles(t, one)
	ref, _ := detBatch(t, Config{}, one)
	checkCorrelations(t, ref)
	two := t.TempDir()
	for _, sub := range []string{"a", "b"} {
		os.MkdirAll(filepath.Join(two, sub), 0o755)
	}
	for i, n := range names {
		data, _ := os.ReadFile(filepath.Join(one, n))
		os.WriteFile(filepath.Join(two, "a", n), data, 0o644)
		if i >= len(names)/2 {
			os.WriteFile(filepath.Join(two, "b", n), data, 0o644)
		}
	}
	got, eng := detBatch(t, Config{}, two)
	sameAlerts(t, "two copies, batch", ref, got)
	if eng.Stats().Duplicates == 0 {
		t.Error("no duplicate counted")
	}
	fol, _ := detFollow(t, Config{}, two)
	sameAlerts(t, "two copies, follow", ref, fol)
	// The second half read first puts the first half more than the
	// reorder window behind (late events, see TestLateEvents); with a
	// window longer than the set, the same alerts again.
	got, _ = detBatch(t, Config{ReorderWindow: 4 * time.Hour}, filepath.Join(two, "b"), filepath.Join(two, "a"))
	sameAlerts(t, "two copies, second half first, 4h window", ref, got)
}

// TestLateEvents: an event more than the reorder window behind the newest
// event read still raises its single-event alerts, is counted as late, and
// is correlated at once: it completes a window still open, and counts in
// none when it is older than every window held.
func TestLateEvents(t *testing.T) {
	dir := t.TempDir()
	read := func(at time.Duration, i int) map[string]any {
		ev := detEvent(at, "alice", "secretsmanager.amazonaws.com", "GetSecretValue", "198.51.100.23",
			map[string]any{"requestParameters": map[string]any{"secretId": fmt.Sprintf("prod/%d", i)}, "readOnly": true})
		ev["eventID"] = fmt.Sprintf("late-%d", i)
		return ev
	}
	var first []map[string]any
	for i := range 19 {
		first = append(first, read(time.Duration(i)*time.Second, i))
	}
	writeTrail(t, dir, "1.json", first...)
	// Twenty minutes later: the reads are released to the correlations.
	later := detEvent(20*time.Minute, "carol", "ec2.amazonaws.com", "DescribeInstances", "203.0.113.10", nil)
	later["eventID"] = "late-later"
	writeTrail(t, dir, "2.json", later)
	// The twentieth read, 30 seconds after the first: late, but inside
	// alice's window (10 minutes) that the correlator still holds.
	leave := detEvent(-time.Hour, "mallory", "organizations.amazonaws.com", "LeaveOrganization", "203.0.113.66", nil)
	leave["eventID"] = "late-leave"
	writeTrail(t, dir, "3.json", read(30*time.Second, 19), leave)

	as, eng := detBatch(t, Config{}, dir)
	if n := len(alertsOf(as, "AWS Mass Secret Retrieval")); n != 1 {
		t.Errorf("late twentieth read: %d Mass Secret Retrieval alerts, want 1", n)
	}
	if n := len(alertsOf(as, "AWS Account Leaves Organization")); n != 1 {
		t.Errorf("late LeaveOrganization: %d alerts, want 1 (single-event rules match late events)", n)
	}
	if eng.Stats().Late != 2 {
		t.Errorf("%d late events counted, want 2", eng.Stats().Late)
	}
	fol, feng := detFollow(t, Config{}, dir)
	sameAlerts(t, "follow, late events", as, fol)
	if feng.Stats().Late != 2 {
		t.Errorf("follow: %d late events counted, want 2", feng.Stats().Late)
	}

	// A late read older than every window held counts in none: 19 reads
	// an hour earlier than the first file do not reach 20 with it.
	dir2 := t.TempDir()
	writeTrail(t, dir2, "1.json", first...)
	writeTrail(t, dir2, "2.json", later)
	writeTrail(t, dir2, "3.json", read(-time.Hour, 19))
	as, eng = detBatch(t, Config{}, dir2)
	if n := len(alertsOf(as, "AWS Mass Secret Retrieval")); n != 0 {
		t.Errorf("read an hour before the window: %d alerts, want 0", n)
	}
	if eng.Stats().Late != 1 {
		t.Errorf("%d late events counted, want 1", eng.Stats().Late)
	}
	// The same events in time order: not late, and the same alerts as the
	// late twentieth read gave above.
	dir3 := t.TempDir()
	writeTrail(t, dir3, "1.json", append([]map[string]any{leave}, append(first, read(30*time.Second, 19))...)...)
	writeTrail(t, dir3, "2.json", later)
	in, eng := detBatch(t, Config{}, dir3)
	if eng.Stats().Late != 0 {
		t.Errorf("in order: %d late", eng.Stats().Late)
	}
	if n := len(alertsOf(in, "AWS Mass Secret Retrieval")); n != 1 {
		t.Errorf("in order: %d Mass Secret Retrieval alerts, want 1", n)
	}
}

// TestCheckpointKeepsReorderBuffer: a follow run stopped with events in the
// reorder buffer and resumed raises, once the rest arrives, the alerts of
// one uninterrupted run: the buffer, the windows and the de-duplication
// keys are in the checkpoint.
func TestCheckpointKeepsReorderBuffer(t *testing.T) {
	src := t.TempDir()
	names := detFiles(t, src)
	ref, _ := detBatch(t, Config{}, src)
	watch := t.TempDir()
	ck := filepath.Join(t.TempDir(), "ck.json")
	var got []*Alert
	for _, part := range [][]string{names[:7], names[7:16], names[16:]} {
		for _, n := range part {
			data, _ := os.ReadFile(filepath.Join(src, n))
			os.WriteFile(filepath.Join(watch, n), data, 0o644)
		}
		eng, err := New(context.Background(), Config{Version: "test"})
		if err != nil {
			t.Fatal(err)
		}
		sink := &collectSink{}
		if err := eng.Follow(context.Background(), sink, FollowOptions{Dir: watch, Checkpoint: ck, Once: true}); err != nil {
			t.Fatal(err)
		}
		got = append(got, sink.alerts...)
		if part[len(part)-1] != names[len(names)-1] && eng.Pending() == 0 {
			t.Fatal("nothing in the reorder buffer at the stop: the test does not test it")
		}
	}
	sameAlerts(t, "follow in three runs", ref, got)
}

// TestFollowKillResumeCorrelations is the kill test for the built-in
// correlations: the real vigil binary follows a directory while the
// determinism set lands, is SIGKILLed twice mid-way (the test fails when
// a kill does not land mid-way), and resumes; the alerts written are then
// exactly those of one uninterrupted batch run over the same files: the
// same ids, none missing, none twice.
func TestFollowKillResumeCorrelations(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the vigil binary")
	}
	tmp := t.TempDir()
	bin := vigilBinary(t)
	src := filepath.Join(tmp, "src")
	watch := filepath.Join(tmp, "landing")
	os.MkdirAll(src, 0o755)
	os.MkdirAll(watch, 0o755)
	names := detFiles(t, src)
	land := func(ns []string) {
		for _, n := range ns {
			data, err := os.ReadFile(filepath.Join(src, n))
			if err != nil {
				t.Fatal(err)
			}
			part := filepath.Join(watch, "."+n+".part")
			os.WriteFile(part, data, 0o644)
			if err := os.Rename(part, filepath.Join(watch, n)); err != nil {
				t.Fatal(err)
			}
		}
	}
	out := filepath.Join(tmp, "alerts.jsonl")
	ck := filepath.Join(tmp, "detect.ckpt")
	start := func() *exec.Cmd {
		cmd := exec.Command(bin, "detect", "--follow", watch, "--checkpoint", ck, "--output", out,
			"--poll", "20ms", "--commit-every", "7", "--idle-flush", "0")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd
	}
	// filesDone is how many files the checkpoint lists as fully read.
	filesDone := func() int {
		c, err := LoadCheckpoint(ck)
		if err != nil {
			return 0 // being replaced
		}
		n := 0
		for rel, fs := range c.Files {
			if st, err := os.Stat(filepath.Join(watch, rel)); err == nil && st.Size() == fs.Size {
				n++
			}
		}
		return n
	}
	waitFiles := func(n int) {
		deadline := time.Now().Add(90 * time.Second)
		for filesDone() < n && time.Now().Before(deadline) {
			time.Sleep(2 * time.Millisecond)
		}
	}
	kill := func(p *exec.Cmd, what string, total int) {
		if err := p.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		p.Wait()
		done := filesDone()
		t.Logf("%s: killed with %d of %d files done, %d alert lines", what, done, total, countLines(t, out))
		if done >= total {
			t.Fatalf("%s: all %d files were done before the kill: it did not land mid-way", what, total)
		}
	}

	land(names[:12])
	p := start()
	waitFiles(4)
	kill(p, "first run", 12)

	land(names[12:])
	p = start()
	waitFiles(16)
	kill(p, "second run", len(names))

	p = start()
	ref := filepath.Join(tmp, "reference.jsonl")
	if outp, err := exec.Command(bin, "detect", watch, "--output", ref).CombinedOutput(); err != nil {
		t.Fatalf("batch reference: %v\n%s", err, outp)
	}
	refData, _ := os.ReadFile(ref)
	refIDs := map[string]bool{}
	titles := map[string]int{}
	for _, l := range strings.Split(strings.TrimSpace(string(refData)), "\n") {
		refIDs[gjson.Get(l, "finding_info.uid").Str] = true
		titles[gjson.Get(l, "finding_info.title").Str]++
	}
	for title, n := range detCorrelations {
		if titles[title] != n {
			t.Errorf("reference: %d %q alerts, want %d", titles[title], title, n)
		}
	}
	deadline := time.Now().Add(120 * time.Second)
	for countLines(t, out) < len(refIDs) && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond) // more polls: nothing else may come
	p.Process.Signal(syscall.SIGTERM)
	p.Wait()

	data, _ := os.ReadFile(out)
	got := map[string]int{}
	for _, l := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		if !json.Valid([]byte(l)) {
			t.Fatalf("invalid alert line: %.200s", l)
		}
		got[gjson.Get(l, "finding_info.uid").Str]++
	}
	for id, n := range got {
		if n > 1 {
			t.Errorf("alert written %d times: %.400s", n, lineWith(data, id))
		}
		if !refIDs[id] {
			t.Errorf("alert not in the uninterrupted run: %.400s", lineWith(data, id))
		}
	}
	for id := range refIDs {
		if got[id] == 0 {
			t.Errorf("alert of the uninterrupted run missing: %.400s", lineWith(refData, id))
		}
	}
}

// TestFollowIdleFlush: without newer events, follow mode keeps the newest
// events in the reorder buffer (their correlation alerts wait); with
// IdleFlush, once the directory has been idle that long, it correlates
// them and closes every window as a batch run does at the end, raising
// exactly the batch run's alerts.
func TestFollowIdleFlush(t *testing.T) {
	src := t.TempDir()
	names := detFiles(t, src)
	dir := t.TempDir()
	for _, n := range names[:len(names)-1] { // no heartbeat
		data, _ := os.ReadFile(filepath.Join(src, n))
		os.WriteFile(filepath.Join(dir, n), data, 0o644)
	}
	// zed reads 25 secrets in the last minutes of the set: a burst inside
	// the last reorder window.
	var tail []map[string]any
	for i := range 25 {
		at := 115*time.Minute + time.Duration(i)*5*time.Second
		ev := detEvent(at, "zed", "secretsmanager.amazonaws.com", "GetSecretValue", "198.51.100.99",
			map[string]any{"requestParameters": map[string]any{"secretId": fmt.Sprintf("zed/%d", i)}, "readOnly": true})
		ev["eventID"] = fmt.Sprintf("7e1d0c4a-0000-4000-9000-%012d", i)
		tail = append(tail, ev)
	}
	writeTrail(t, dir, "111122223333_CloudTrail_us-east-1_20240301T1200Z_zed.json", tail...)
	ref, _ := detBatch(t, Config{}, dir)
	if n := len(alertsOf(ref, "AWS Mass Secret Retrieval")); n != 4 {
		t.Fatalf("batch: %d Mass Secret Retrieval alerts, want 4", n)
	}
	follow := func(idle time.Duration, wait time.Duration) ([]*Alert, int) {
		eng, err := New(context.Background(), Config{Version: "test"})
		if err != nil {
			t.Fatal(err)
		}
		sink := &collectSink{}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() {
			done <- eng.Follow(ctx, sink, FollowOptions{Dir: dir, Checkpoint: filepath.Join(t.TempDir(), "ck"),
				Poll: 10 * time.Millisecond, IdleFlush: idle})
		}()
		deadline := time.Now().Add(wait)
		for time.Now().Before(deadline) {
			sink.mu.Lock()
			n := len(sink.alerts)
			sink.mu.Unlock()
			if n >= len(ref) {
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
		time.Sleep(100 * time.Millisecond) // more polls: nothing else may come
		cancel()
		<-done
		return sink.alerts, eng.Pending()
	}
	got, pending := follow(0, 2*time.Second)
	if pending == 0 {
		t.Error("no event waits in the reorder buffer without newer events")
	}
	if n := len(alertsOf(got, "AWS Mass Secret Retrieval")); n != 3 {
		t.Errorf("without idle flush: %d Mass Secret Retrieval alerts, want 3 (zed's burst waits)", n)
	}
	got, pending = follow(150*time.Millisecond, 30*time.Second)
	sameAlerts(t, "follow with idle flush", ref, got)
	if pending != 0 {
		t.Errorf("%d events still wait after the idle flush", pending)
	}
}
