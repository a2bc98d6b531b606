package ocsf_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/detect"
	"github.com/vigil-sec/vigil/internal/logs"
	"github.com/vigil-sec/vigil/internal/ocsf/ocsftest"
)

// emittedSamples normalizes the audit-log samples of ../shared/corpus/logs
// and returns, per OCSF class_uid, the JSON of the events vigil emits.
func emittedSamples(t *testing.T) map[int][][]byte {
	t.Helper()
	root := filepath.Join("..", "..", "..", "shared", "corpus", "logs")
	out := map[int][][]byte{}
	err := logs.Walk(context.Background(), []string{root}, func(r logs.Record) error {
		ev, err := logs.Normalize(r)
		if err != nil || ev == nil {
			return nil
		}
		b, err := json.Marshal(ev)
		if err != nil {
			t.Errorf("%s:%d: marshal: %v", r.File, r.Line, err)
			return nil
		}
		var head struct {
			ClassUID int `json:"class_uid"`
		}
		_ = json.Unmarshal(b, &head)
		if len(out[head.ClassUID]) < 200 {
			out[head.ClassUID] = append(out[head.ClassUID], b)
		}
		return nil
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Detection Findings: the built-ins over the same logs.
	eng, err := detect.New(context.Background(), detect.Config{Tuning: detect.NoTuning(), Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	sink := &findings{}
	if err := eng.Run(context.Background(), []string{root}, sink, detect.RunOptions{Workers: 1}); err != nil {
		t.Fatal(err)
	}
	for _, a := range sink.alerts {
		b, err := detect.MarshalFinding(a)
		if err != nil {
			t.Fatal(err)
		}
		if len(out[2004]) < 200 {
			out[2004] = append(out[2004], b)
		}
	}
	// Compliance Findings: the posture report's OCSF output (its golden
	// file, which the report package's tests keep equal to what it writes).
	data, err := os.ReadFile(filepath.Join("..", "report", "testdata", "golden.ocsf.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range bytes.Split(bytes.TrimSpace(data), []byte("\n")) {
		out[2003] = append(out[2003], line)
	}
	return out
}

type findings struct{ alerts []*detect.Alert }

func (f *findings) Write(_ context.Context, a *detect.Alert) error {
	f.alerts = append(f.alerts, a)
	return nil
}
func (f *findings) Flush(context.Context) error { return nil }
func (f *findings) Close() error                { return nil }

// TestEmittedOCSFAgainstSchema validates samples of every OCSF class vigil's
// normalizers emit against the schema tree in ../shared/corpus/ocsf-schema.
func TestEmittedOCSFAgainstSchema(t *testing.T) {
	s := ocsftest.Load(t)
	samples := emittedSamples(t)
	for _, uid := range []int{2003, 2004, 3001, 3002, 6003} { // Compliance Finding, Detection Finding, Account Change, Authentication, API Activity
		if len(samples[uid]) == 0 {
			t.Errorf("no sample of class %d", uid)
		}
	}
	// The validator itself: a made-up attribute and a wrong type are found.
	if errs := s.Validate(t, []byte(`{"class_uid":6003,"category_uid":6,"activity_id":1,"type_uid":600301,"time":"x","bogus":1}`)); !containsAll(errs, "bogus: not an attribute", "time: x is not an integer", "metadata: required") {
		t.Errorf("validator misses known violations: %v", errs)
	}
	// Detection Findings carry the matched events in evidences, and every
	// class names the profiles it uses (the validator rejects a profile's
	// attribute that metadata.profiles does not name).
	for i, b := range samples[2004] {
		var f struct {
			Evidences []json.RawMessage `json:"evidences"`
			Metadata  struct {
				Profiles []string `json:"profiles"`
			} `json:"metadata"`
		}
		if err := json.Unmarshal(b, &f); err != nil {
			t.Fatal(err)
		}
		if len(f.Evidences) == 0 || len(f.Metadata.Profiles) == 0 {
			t.Errorf("Detection Finding %d: %d evidences, profiles %v", i, len(f.Evidences), f.Metadata.Profiles)
		}
	}
	for uid, evs := range samples {
		counts := map[string]int{}
		for _, b := range evs {
			for _, e := range s.Validate(t, b) {
				// Drop array indexes so one problem is counted once.
				counts[stripIdx(e)]++
			}
		}
		var keys []string
		for k := range counts {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			t.Errorf("class %d: %d× %s", uid, counts[k], k)
		}
	}
}

func stripIdx(s string) string {
	var b strings.Builder
	skip := false
	for _, r := range s {
		switch {
		case r == '[':
			skip = true
		case r == ']':
			skip = false
		case !skip:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func containsAll(errs []string, subs ...string) bool {
	j := strings.Join(errs, "\n")
	for _, s := range subs {
		if !strings.Contains(j, s) {
			return false
		}
	}
	return true
}
