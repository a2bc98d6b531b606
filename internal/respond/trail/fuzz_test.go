package trail

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// FuzzVerify feeds Verify arbitrary files: it never fails on content
// (only on reading), its report is consistent, and a trail it accepts
// also passes the auditor's check of the package documentation.
func FuzzVerify(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "*.jsonl"))
	for _, p := range seeds {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		ls := bytes.SplitAfter(b, []byte("\n"))
		if len(ls) > 3 {
			f.Add(bytes.Join([][]byte{ls[0], ls[2], ls[1]}, nil)) // swapped
			f.Add(bytes.Join(ls[1:], nil))                        // first removed
			f.Add(b[:len(b)-7])                                   // torn
		}
	}
	f.Add([]byte(""))
	f.Add([]byte("\n\n"))
	f.Add([]byte(`{"seq":1,"hash":"` + GenesisHash + `"}` + "\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := VerifyReader(bytes.NewReader(data), VerifyOptions{})
		if err != nil {
			t.Fatalf("error on content: %v", err)
		}
		if r.Entries > r.Lines || (r.Problem == nil && r.Entries != r.Lines) {
			t.Fatalf("entries %d, lines %d, problem %v", r.Entries, r.Lines, r.Problem)
		}
		if p := r.Problem; p != nil {
			if p.Line < 1 || p.Line > r.Lines || p.Reason == "" || p.Detail == "" {
				t.Fatalf("problem %+v with %d lines", p, r.Lines)
			}
			return
		}
		if !auditorCheck(data) {
			t.Fatalf("Verify accepts a trail the documented check refuses:\n%q", data)
		}
		if r.Entries > 0 && (r.Seq != uint64(r.Entries) || !isHex64(r.Head)) {
			t.Fatalf("head %d %s after %d entries", r.Seq, r.Head, r.Entries)
		}
	})
}

// auditorCheck is the documented script's algorithm, independent of
// parseLine: split on the last `,"hash":"`, hash the rest plus "}", decode
// generically.
func auditorCheck(data []byte) bool {
	prev := hashHex([]byte(Genesis))
	n := 0
	for len(data) > 0 {
		i := bytes.IndexByte(data, '\n')
		if i < 0 {
			return false
		}
		line := data[:i]
		data = data[i+1:]
		n++
		k := bytes.LastIndex(line, []byte(`,"hash":"`))
		if k < 0 || len(line) < k+9+2 {
			return false
		}
		h := string(line[k+9 : len(line)-2])
		sum := sha256.Sum256(append(bytes.Clone(line[:k]), '}'))
		var e map[string]any
		if json.Unmarshal(line, &e) != nil || hex.EncodeToString(sum[:]) != h || e["hash"] != h {
			return false
		}
		if seq, _ := e["seq"].(float64); seq != float64(n) || e["prev"] != prev {
			return false
		}
		prev = h
	}
	return true
}
