package trail

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// fixedClock returns a clock starting at a fixed time, one second a call.
func fixedClock() func() time.Time {
	var mu sync.Mutex
	t := time.Date(2026, 12, 5, 1, 2, 3, 123456789, time.UTC)
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		t = t.Add(time.Second)
		return t
	}
}

// sample are entries of every kind, as the engine would write them.
func sample() []Entry {
	call, _ := json.Marshal(Call{Service: "s3", Operation: "PutPublicAccessBlock", Target: "arn:aws:s3:::logs",
		Params: map[string]any{"BlockPublicAcls": true}, TookMS: 12.5})
	read, _ := json.Marshal(Call{Service: "s3", Operation: "GetPublicAccessBlock", Target: "arn:aws:s3:::logs", ReadOnly: true, TookMS: 3})
	return []Entry{
		{Kind: KindPlan, Actor: "alice", Plan: "sha256:5f1c", Data: json.RawMessage(`{"changes":2,"playbook":"public-buckets"}`)},
		{Kind: KindApproval, Actor: "bob", Plan: "sha256:5f1c", Data: json.RawMessage(`{"reason":"INC-42 <approved> & logged"}`)},
		{Kind: KindApplyStart, Actor: "alice", Run: "run-1", Plan: "sha256:5f1c"},
		{Kind: KindCall, Actor: "alice", Run: "run-1", Action: "aws.s3.block-public-access", Resource: "arn:aws:s3:::logs", Status: StatusOK, Data: read},
		{Kind: KindCall, Actor: "alice", Run: "run-1", Action: "aws.s3.block-public-access", Resource: "arn:aws:s3:::logs", Status: StatusOK, Data: call},
		{Kind: KindAction, Actor: "alice", Run: "run-1", Action: "aws.s3.block-public-access", Tactic: "harden", Resource: "arn:aws:s3:::logs", Status: StatusOK,
			Data: json.RawMessage(`{"diff":[{"attribute":"BlockPublicAcls","before":false,"after":true}]}`)},
		{Kind: KindSkip, Actor: "alice", Run: "run-1", Action: "aws.iam.deactivate-access-key", Resource: "AKIAEXAMPLE", Status: StatusGone, Error: "resource no longer exists"},
		{Kind: KindCall, Actor: "alice", Run: "run-1", Action: "aws.ec2.quarantine-instance", Resource: "i-0abc", Status: StatusDenied,
			Error: "call denied: UnauthorizedOperation", Data: json.RawMessage(`{"service":"ec2","operation":"ModifyInstanceAttribute","target":"i-0abc","took_ms":40}`)},
		{Kind: KindAction, Actor: "alice", Run: "run-1", Action: "aws.ec2.quarantine-instance", Tactic: "isolate", Resource: "i-0abc", Status: StatusDenied, Error: "call denied: UnauthorizedOperation"},
		{Kind: KindStop, Actor: "alice", Run: "run-1", Status: StatusFailed, Error: "a call was denied; the playbook says stop"},
		{Kind: KindResult, Actor: "alice", Run: "run-1", Status: StatusPartial, Data: json.RawMessage(`{"applied":1,"failed":1,"skipped":1}`)},
		{Kind: KindRollback, Actor: "carol", Run: "run-2", Action: "aws.s3.block-public-access", Tactic: "harden", Resource: "arn:aws:s3:::logs", Status: StatusOK},
		{Kind: KindAction, Actor: "alice", Run: "run-3", Action: "notify.slack", Resource: "#secops", Status: StatusOK, Data: json.RawMessage(`{"webhook":"env:SLACK_WEBHOOK"}`)},
	}
}

// writeTrail appends entries to a new trail and returns its path.
func writeTrail(t testing.TB, entries []Entry) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "trail.jsonl")
	l, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	l.now = fixedClock()
	for _, e := range entries {
		if _, err := l.Append(context.Background(), e); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func lines(t *testing.T, path string) [][]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.SplitAfter(b, []byte("\n"))[:bytes.Count(b, []byte("\n"))]
}

func verify(t *testing.T, path string, opts VerifyOptions) *Report {
	t.Helper()
	r, err := Verify(path, opts)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestAppendVerifyRoundTrip(t *testing.T) {
	in := sample()
	path := filepath.Join(t.TempDir(), "trail.jsonl")
	l, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	var out []Entry
	for _, e := range in {
		w, err := l.Append(context.Background(), e)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, w)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", st.Mode().Perm())
	}
	prev := GenesisHash
	for i, w := range out {
		if w.Seq != uint64(i+1) || w.Prev != prev || !isHex64(w.Hash) || w.Time.IsZero() || w.Time.Location() != time.UTC {
			t.Errorf("entry %d: seq %d prev %s hash %s time %v", i, w.Seq, w.Prev, w.Hash, w.Time)
		}
		if w.Host == "" || w.Actor != in[i].Actor {
			t.Errorf("entry %d: actor %q host %q", i, w.Actor, w.Host)
		}
		prev = w.Hash
	}
	r := verify(t, path, VerifyOptions{})
	if !r.OK() || r.Entries != len(in) || r.Lines != len(in) || r.Head != prev || r.Seq != uint64(len(in)) {
		t.Fatalf("report %+v, problem %v", r, r.Problem)
	}
	if seq, head := l.Head(); seq != uint64(len(in)) || head != prev {
		t.Errorf("Head() = %d %s", seq, head)
	}
	// Each line reads back as the entry Append returned.
	for i, line := range lines(t, path) {
		e, err := parseLine(bytes.TrimSuffix(line, []byte("\n")))
		if err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		if !e.Time.Equal(out[i].Time) || e.Hash != out[i].Hash || e.Kind != in[i].Kind || string(e.Data) != string(out[i].Data) {
			t.Errorf("line %d: read %+v, appended %+v", i+1, e, out[i])
		}
	}
	// An empty trail verifies, with no entries, and has no head.
	if l2, err := Open(filepath.Join(t.TempDir(), "new.jsonl")); err != nil {
		t.Fatal(err)
	} else if seq, head := l2.Head(); seq != 0 || head != "" {
		t.Errorf("head of an empty trail: %d %q", seq, head)
	} else {
		l2.Close()
	}
	empty := filepath.Join(t.TempDir(), "empty.jsonl")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if r := verify(t, empty, VerifyOptions{}); !r.OK() || r.Entries != 0 || r.Head != "" {
		t.Errorf("empty trail: %+v", r)
	}
	// An entry without a kind, or whose data is not JSON, is refused and
	// nothing is written.
	if _, err := l.Append(context.Background(), Entry{}); err == nil {
		t.Error("an entry without kind was appended")
	}
	if _, err := l.Append(context.Background(), Entry{Kind: KindCall, Data: json.RawMessage(`{"x":`)}); err == nil {
		t.Error("an entry with bad data was appended")
	}
	if r := verify(t, path, VerifyOptions{}); !r.OK() || r.Entries != len(in) {
		t.Errorf("after refused appends: %+v %v", r, r.Problem)
	}
}

// forge seals e as a forger would (a valid hash of its own).
func forge(t *testing.T, e Entry) []byte {
	t.Helper()
	line, err := seal(&e)
	if err != nil {
		t.Fatal(err)
	}
	return line
}

// rehash recomputes the hash of a line (with its newline) as written.
func rehash(t *testing.T, line []byte) []byte {
	t.Helper()
	body := line[:len(line)-1-suffixLen]
	out := append(bytes.Clone(body), hashKey...)
	out = append(out, hashHex(append(bytes.Clone(body), '}'))...)
	return append(out, "\"}\n"...)
}

func entryAt(t *testing.T, ls [][]byte, i int) Entry {
	t.Helper()
	e, err := parseLine(bytes.TrimSuffix(ls[i], []byte("\n")))
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestTamperDetected(t *testing.T) {
	base := writeTrail(t, sample()[:6])
	orig := lines(t, base)
	cases := []struct {
		name   string
		edit   func(ls [][]byte) [][]byte
		line   int
		seq    uint64
		reason Reason
		detail string
	}{
		{"modified field", func(ls [][]byte) [][]byte {
			ls[2] = bytes.Replace(ls[2], []byte(`"actor":"alice"`), []byte(`"actor":"mallory"`), 1)
			return ls
		}, 3, 3, Modified, "does not match its hash"},
		{"modified data", func(ls [][]byte) [][]byte {
			ls[5] = bytes.Replace(ls[5], []byte(`"after":true`), []byte(`"after":false`), 1)
			return ls
		}, 6, 6, Modified, "changed after it was written"},
		{"modified and re-hashed", func(ls [][]byte) [][]byte {
			e := entryAt(t, ls, 2)
			e.Actor = "mallory"
			ls[2] = forge(t, e)
			return ls
		}, 4, 4, BrokenChain, "not the hash of line 3"},
		{"removed entry", func(ls [][]byte) [][]byte {
			return append(ls[:2:2], ls[3:]...)
		}, 3, 4, Removed, "seq 3 is missing"},
		{"removed two entries", func(ls [][]byte) [][]byte {
			return append(ls[:2:2], ls[4:]...)
		}, 3, 5, Removed, "seqs 3 to 4 are missing"},
		{"removed first entry", func(ls [][]byte) [][]byte {
			return ls[1:]
		}, 1, 2, Removed, "seq 1 is missing"},
		{"swapped entries", func(ls [][]byte) [][]byte {
			ls[2], ls[3] = ls[3], ls[2]
			return ls
		}, 3, 4, Reordered, "seq 3 is expected here and comes later, at line 4"},
		{"moved entry", func(ls [][]byte) [][]byte {
			return [][]byte{ls[0], ls[2], ls[3], ls[4], ls[1], ls[5]}
		}, 2, 3, Reordered, "seq 2 is expected here and comes later, at line 5"},
		{"truncated last line", func(ls [][]byte) [][]byte {
			ls[5] = ls[5][:len(ls[5])-20]
			return ls
		}, 6, 0, Truncated, "no newline"},
		{"last newline removed", func(ls [][]byte) [][]byte {
			ls[5] = ls[5][:len(ls[5])-1]
			return ls
		}, 6, 6, Truncated, "no newline"},
		{"inserted forged entry with a wrong prev", func(ls [][]byte) [][]byte {
			e := entryAt(t, ls, 2)
			e.Actor, e.Prev = "mallory", strings.Repeat("ab", 32)
			return append(ls[:2:2], append([][]byte{forge(t, e)}, ls[2:]...)...)
		}, 3, 3, Inserted, "seq 3 comes again at line 4"},
		{"inserted forged entry chained to the one before", func(ls [][]byte) [][]byte {
			e := entryAt(t, ls, 2)
			e.Actor = "mallory"
			return append(ls[:2:2], append([][]byte{forge(t, e)}, ls[2:]...)...)
		}, 4, 3, Inserted, "seq 3 was already used (line 3)"},
		{"replayed entry at the end", func(ls [][]byte) [][]byte {
			return append(ls, ls[1])
		}, 7, 2, Inserted, "seq 2 was already used (line 2)"},
		{"first entry's prev", func(ls [][]byte) [][]byte {
			e := entryAt(t, ls, 0)
			e.Prev = strings.Repeat("0", 64)
			ls[0] = forge(t, e)
			return ls
		}, 1, 1, BrokenChain, "genesis"},
		{"non-canonical entry with a valid hash", func(ls [][]byte) [][]byte {
			ls[2] = rehash(t, bytes.Replace(ls[2], []byte(`"seq":3`), []byte(`"Seq":3`), 1))
			return ls
		}, 3, 0, Malformed, "not in canonical form"},
		{"unknown member with a valid hash", func(ls [][]byte) [][]byte {
			ls[2] = rehash(t, bytes.Replace(ls[2], []byte(`"kind"`), []byte(`"approved":true,"kind"`), 1))
			return ls
		}, 3, 0, Malformed, "not in canonical form"},
		{"malformed line", func(ls [][]byte) [][]byte {
			ls[3] = []byte("{\"seq\":4}\n")
			return ls
		}, 4, 0, Malformed, "not a trail entry"},
		{"hash not hex", func(ls [][]byte) [][]byte {
			ls[3] = bytes.Replace(ls[3], ls[3][len(ls[3])-67:len(ls[3])-3], []byte(strings.Repeat("G", 64)), 1)
			return ls
		}, 4, 0, Malformed, "not 64 lowercase hex"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ls := make([][]byte, len(orig))
			for i := range orig {
				ls[i] = bytes.Clone(orig[i])
			}
			path := filepath.Join(t.TempDir(), "trail.jsonl")
			if err := os.WriteFile(path, bytes.Join(tc.edit(ls), nil), 0o600); err != nil {
				t.Fatal(err)
			}
			r := verify(t, path, VerifyOptions{})
			p := r.Problem
			if p == nil {
				t.Fatalf("not detected: %+v", r)
			}
			if p.Line != tc.line || p.Seq != tc.seq || p.Reason != tc.reason || !strings.Contains(p.Detail, tc.detail) {
				t.Errorf("got %v (line %d seq %d %s), want line %d seq %d %s %q", p, p.Line, p.Seq, p.Reason, tc.line, tc.seq, tc.reason, tc.detail)
			}
			if r.Entries != tc.line-1 {
				t.Errorf("entries checked %d, want %d", r.Entries, tc.line-1)
			}
			if !strings.HasPrefix(p.Error(), path+": line ") {
				t.Errorf("error %q does not name the file and line", p.Error())
			}
		})
	}
}

func TestExpectHead(t *testing.T) {
	path := writeTrail(t, sample()[:4])
	r := verify(t, path, VerifyOptions{})
	head3 := entryAt(t, lines(t, path), 2).Hash
	// Later appends keep an earlier head valid.
	l, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.Append(context.Background(), Entry{Kind: KindResult}); err != nil {
		t.Fatal(err)
	}
	l.Close()
	if r2 := verify(t, path, VerifyOptions{ExpectHead: r.Head}); !r2.OK() || r2.HeadSeq != 4 || r2.Seq != 5 {
		t.Errorf("expected head of seq 4 after an append: %+v %v", r2, r2.Problem)
	}
	if r2 := verify(t, path, VerifyOptions{ExpectHead: head3}); !r2.OK() || r2.HeadSeq != 3 {
		t.Errorf("expected head of seq 3: %+v %v", r2, r2.Problem)
	}
	// Removing the tail leaves a valid chain that only the anchor catches.
	ls := lines(t, path)
	if err := os.WriteFile(path, bytes.Join(ls[:3], nil), 0o600); err != nil {
		t.Fatal(err)
	}
	if r2 := verify(t, path, VerifyOptions{}); !r2.OK() {
		t.Fatalf("a cut tail is a valid chain: %v", r2.Problem)
	}
	r2 := verify(t, path, VerifyOptions{ExpectHead: r.Head})
	if p := r2.Problem; p == nil || p.Reason != HeadMissing || p.Line != 3 || p.Seq != 3 || !strings.Contains(p.Detail, r.Head) {
		t.Errorf("cut tail with the anchor: %+v %v", r2, p)
	}
	// Rewriting an entry and re-hashing every later one makes a valid
	// chain too: the anchor catches it.
	ls = lines(t, path)
	head := r.Head
	prev := entryAt(t, ls, 0).Hash
	for i := 1; i < len(ls); i++ {
		e := entryAt(t, ls, i)
		if i == 1 {
			e.Actor = "mallory"
		}
		e.Prev = prev
		ls[i] = forge(t, e)
		prev = entryAt(t, ls, i).Hash
	}
	os.WriteFile(path, bytes.Join(ls, nil), 0o600)
	if r2 := verify(t, path, VerifyOptions{}); !r2.OK() {
		t.Fatalf("a re-hashed chain is valid on its own: %v", r2.Problem)
	}
	if p := verify(t, path, VerifyOptions{ExpectHead: head}).Problem; p == nil || p.Reason != HeadMissing {
		t.Errorf("a re-hashed chain with the anchor: %v", p)
	}
	if _, err := Verify(path, VerifyOptions{ExpectHead: "abc"}); err == nil {
		t.Error("an expected head that is not a hash was accepted")
	}
}

func TestConcurrentAppends(t *testing.T) {
	path := filepath.Join(t.TempDir(), "trail.jsonl")
	// Two Logs on one file stand for two processes: each has its own open
	// file, and flock serializes them as it would two processes.
	var logs []*Log
	for range 2 {
		l, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		logs = append(logs, l)
	}
	const workers, each = 8, 40
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l := logs[w%2]
			for i := range each {
				var err error
				if i%10 == 9 {
					_, err = l.AppendBatch(context.Background(), []Entry{{Kind: KindCall, Run: fmt.Sprint(w)}, {Kind: KindAction, Run: fmt.Sprint(w)}})
				} else {
					_, err = l.Append(context.Background(), Entry{Kind: KindCall, Run: fmt.Sprint(w), Data: json.RawMessage(fmt.Sprintf(`{"i":%d}`, i))})
				}
				if err != nil {
					errs <- err
					return
				}
				// An entry that cannot be encoded fails alone, whatever
				// group it is committed with.
				if i%7 == 0 {
					if _, err := l.Append(context.Background(), Entry{Kind: KindCall, Data: json.RawMessage(`{"x":`)}); err == nil {
						errs <- fmt.Errorf("bad data appended")
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	want := workers * (each + each/10)
	r := verify(t, path, VerifyOptions{})
	if !r.OK() || r.Entries != want {
		t.Fatalf("after concurrent appends: %d entries, want %d: %v", r.Entries, want, r.Problem)
	}
	// Each Log saw the other's entries: the next append of either continues
	// the chain.
	e, err := logs[0].Append(context.Background(), Entry{Kind: KindResult})
	if err != nil || e.Seq != uint64(want+1) || e.Prev != r.Head {
		t.Errorf("append after: %+v %v", e, err)
	}
}

func TestReopenContinuesChain(t *testing.T) {
	path := writeTrail(t, sample()[:3])
	first := verify(t, path, VerifyOptions{})
	l, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if seq, head := l.Head(); seq != 3 || head != first.Head {
		t.Errorf("reopened at %d %s, want 3 %s", seq, head, first.Head)
	}
	e, err := l.Append(context.Background(), Entry{Kind: KindApplyStart, Run: "run-9"})
	if err != nil {
		t.Fatal(err)
	}
	l.Close()
	if e.Seq != 4 || e.Prev != first.Head {
		t.Errorf("appended %+v after reopening", e)
	}
	if r := verify(t, path, VerifyOptions{}); !r.OK() || r.Entries != 4 {
		t.Errorf("%+v %v", r, r.Problem)
	}
	// Append after Close is an error.
	if _, err := l.Append(context.Background(), Entry{Kind: KindResult}); err == nil {
		t.Error("append after Close")
	}
}

func TestOpenRefusesModifiedTail(t *testing.T) {
	path := writeTrail(t, sample()[:3])
	ls := lines(t, path)
	ls[2] = bytes.Replace(ls[2], []byte(`"run-1"`), []byte(`"run-X"`), 1)
	if err := os.WriteFile(path, bytes.Join(ls, nil), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Open(path)
	if err == nil || !strings.Contains(err.Error(), "hash mismatch") || !strings.Contains(err.Error(), "line 3") {
		t.Errorf("Open of a trail whose last entry was modified: %v", err)
	}
	// A file that is not a trail.
	other := filepath.Join(t.TempDir(), "notes.txt")
	if err := os.WriteFile(other, []byte("hello\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(other); err == nil || !strings.Contains(err.Error(), "not a trail entry") {
		t.Errorf("Open of a text file: %v", err)
	}
	// Another process's append that leaves a modified last entry is found
	// by the next Append.
	path = writeTrail(t, sample()[:2])
	l, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	forged := entryAt(t, lines(t, path), 1)
	forged.Seq, forged.Prev, forged.Actor = 3, forged.Hash, "mallory"
	line, _ := seal(&forged)
	line = bytes.Replace(line, []byte("mallory"), []byte("malloryx"), 1)
	f, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	f.Write(line)
	f.Close()
	if _, err := l.Append(context.Background(), Entry{Kind: KindResult}); err == nil || !strings.Contains(err.Error(), "hash mismatch") {
		t.Errorf("append after a modified entry: %v", err)
	}
}

func TestTornLastLine(t *testing.T) {
	path := writeTrail(t, sample()[:5])
	ls := lines(t, path)
	torn := ls[4][:len(ls[4])/2]
	cut := append(bytes.Join(ls[:4], nil), torn...)
	if err := os.WriteFile(path, cut, 0o600); err != nil {
		t.Fatal(err)
	}
	// Open refuses to go on, saying where.
	_, err := Open(path)
	var te *TornError
	if !errors.Is(err, ErrTorn) || !errors.As(err, &te) || te.Line != 5 || te.AfterSeq != 4 || te.Size != len(torn) || te.Offset != int64(len(cut)-len(torn)) {
		t.Fatalf("Open of a torn trail: %v (%+v)", err, te)
	}
	// Verify names it.
	if p := verify(t, path, VerifyOptions{}).Problem; p == nil || p.Reason != Truncated || p.Line != 5 {
		t.Errorf("verify of a torn trail: %v", p)
	}
	// Recover removes it and says so in the trail.
	rec, err := Recover(context.Background(), path, "operator")
	if err != nil {
		t.Fatal(err)
	}
	if rec == nil || rec.Kept || rec.Line != 5 || !bytes.Equal(rec.Removed, torn) {
		t.Fatalf("recovery %+v", rec)
	}
	r := verify(t, path, VerifyOptions{})
	if !r.OK() || r.Entries != 5 {
		t.Fatalf("after recovery: %+v %v", r, r.Problem)
	}
	last := entryAt(t, lines(t, path), 4)
	var got Recovery
	if err := json.Unmarshal(last.Data, &got); err != nil || last.Kind != KindRecover || last.Actor != "operator" || !bytes.Equal(got.Removed, torn) || got.Offset != te.Offset {
		t.Errorf("recover entry %+v (%v)", last, err)
	}
	// Nothing more to recover.
	if rec, err := Recover(context.Background(), path, ""); rec != nil || err != nil {
		t.Errorf("second recovery: %+v %v", rec, err)
	}
	// Open goes on.
	l, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if e, err := l.Append(context.Background(), Entry{Kind: KindResult}); err != nil || e.Seq != 6 {
		t.Errorf("append after recovery: %+v %v", e, err)
	}
	l.Close()
}

func TestTornNewlineOnly(t *testing.T) {
	// A crash after the entry's bytes but before its newline: the entry is
	// whole and chained, so Recover keeps it.
	path := writeTrail(t, sample()[:3])
	b, _ := os.ReadFile(path)
	if err := os.WriteFile(path, b[:len(b)-1], 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(path); !errors.Is(err, ErrTorn) {
		t.Fatalf("Open: %v", err)
	}
	rec, err := Recover(context.Background(), path, "")
	if err != nil || rec == nil || !rec.Kept || rec.Removed != nil {
		t.Fatalf("recovery %+v %v", rec, err)
	}
	r := verify(t, path, VerifyOptions{})
	if !r.OK() || r.Entries != 4 || entryAt(t, lines(t, path), 3).Kind != KindRecover {
		t.Errorf("after recovery: %+v %v", r, r.Problem)
	}
	// A damaged complete entry is not Recover's to repair.
	path = writeTrail(t, sample()[:3])
	ls := lines(t, path)
	ls[2] = bytes.Replace(ls[2], []byte("run-1"), []byte("run-2"), 1)
	os.WriteFile(path, append(bytes.Join(ls, nil), `{"seq":`...), 0o600)
	if rec, err := Recover(context.Background(), path, ""); err == nil || rec != nil {
		t.Errorf("recover of a modified trail: %+v %v", rec, err)
	}
}

func TestLongEntries(t *testing.T) {
	// Entries longer than readTail's chunk, torn or not.
	big := json.RawMessage(fmt.Sprintf(`{"diff":%q}`, strings.Repeat("x", 200<<10)))
	path := writeTrail(t, []Entry{{Kind: KindPlan, Data: big}, {Kind: KindAction, Data: big}})
	l, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if seq, _ := l.Head(); seq != 2 {
		t.Errorf("seq %d", seq)
	}
	l.Close()
	b, _ := os.ReadFile(path)
	os.WriteFile(path, b[:len(b)-100<<10], 0o600)
	var te *TornError
	if _, err := Open(path); !errors.As(err, &te) || te.AfterSeq != 1 {
		t.Errorf("torn long entry: %v", err)
	}
}

func TestAuditorScript(t *testing.T) {
	// The Python check in the package documentation verifies a trail
	// written here, and fails on a modified one.
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 not installed: the documented auditor script is not run")
	}
	script := docScript(t)
	path := writeTrail(t, sample())
	out, err := exec.Command(py, "-c", script, path).CombinedOutput()
	r := verify(t, path, VerifyOptions{})
	if err != nil || strings.TrimSpace(string(out)) != fmt.Sprintf("%d entries, head %s", r.Entries, r.Head) {
		t.Fatalf("auditor script: %v\n%s", err, out)
	}
	ls := lines(t, path)
	ls[4] = bytes.Replace(ls[4], []byte("PutPublicAccessBlock"), []byte("GetPublicAccessBlock"), 1)
	os.WriteFile(path, bytes.Join(ls, nil), 0o600)
	if out, err := exec.Command(py, "-c", script, path).CombinedOutput(); err == nil || !strings.Contains(string(out), "line 5: modified") {
		t.Errorf("auditor script on a modified trail: %v\n%s", err, out)
	}
}

// docScript extracts the Python script from doc.go.
func docScript(t *testing.T) string {
	b, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	var script []string
	for _, l := range strings.Split(string(b), "\n") {
		if s, ok := strings.CutPrefix(l, "//\t"); ok {
			script = append(script, s)
		}
	}
	if len(script) == 0 {
		t.Fatal("no script in doc.go")
	}
	return strings.Join(script, "\n")
}

// TestTwoProcesses appends from this process and a child process at once:
// the file lock keeps the chain whole.
func TestTwoProcesses(t *testing.T) {
	if p := os.Getenv("TRAIL_TEST_CHILD"); p != "" {
		l, err := Open(p)
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		for range 150 {
			if _, err := l.Append(context.Background(), Entry{Kind: KindCall, Run: "child"}); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	path := filepath.Join(t.TempDir(), "trail.jsonl")
	l, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^TestTwoProcesses$")
	cmd.Env = append(os.Environ(), "TRAIL_TEST_CHILD="+path)
	out := &bytes.Buffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	for range 150 {
		if _, err := l.Append(context.Background(), Entry{Kind: KindCall, Run: "parent"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	r := verify(t, path, VerifyOptions{})
	if !r.OK() || r.Entries != 300 {
		t.Fatalf("%d entries: %v", r.Entries, r.Problem)
	}
	b, _ := os.ReadFile(path)
	if c, p := bytes.Count(b, []byte(`"run":"child"`)), bytes.Count(b, []byte(`"run":"parent"`)); c != 150 || p != 150 {
		t.Errorf("child %d, parent %d entries", c, p)
	}
}
