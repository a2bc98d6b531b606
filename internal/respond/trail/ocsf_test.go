package trail

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/ocsf/ocsftest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// goldenTrail writes sample() with a fixed clock and host: the same bytes
// on every machine.
func goldenTrail(t *testing.T) string {
	t.Helper()
	var in []Entry
	for _, e := range sample() {
		e.Host = "ops-1"
		in = append(in, e)
	}
	return writeTrail(t, in)
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	p := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(p, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from what is written now (run with -update after checking):\n%s", p, got)
	}
}

func TestGoldenTrailAndOCSF(t *testing.T) {
	path := goldenTrail(t)
	trail, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "golden.trail.jsonl", trail)
	var out bytes.Buffer
	n, err := ExportOCSF(context.Background(), path, &out, "1.2.3")
	if err != nil || n != len(sample()) {
		t.Fatalf("exported %d: %v", n, err)
	}
	golden(t, "golden.ocsf.jsonl", out.Bytes())

	// A tampered trail is not exported.
	ls := lines(t, path)
	ls[3] = bytes.Replace(ls[3], []byte("alice"), []byte("eve"), 1)
	os.WriteFile(path, bytes.Join(ls, nil), 0o600)
	if n, err := ExportOCSF(context.Background(), path, &out, ""); err == nil || n != 0 || !strings.Contains(err.Error(), "line 4 (seq 4): modified") {
		t.Errorf("export of a tampered trail: %d %v", n, err)
	}
}

// TestOCSFAgainstSchema validates the event of every sample entry against
// the OCSF 1.8.0 schema tree in ../shared/corpus/ocsf-schema.
func TestOCSFAgainstSchema(t *testing.T) {
	s := ocsftest.Load(t)
	s.Strict = true
	var out bytes.Buffer
	w := NewOCSFWriter(&out, "test")
	for _, e := range readGolden(t) {
		if err := w.Write(e); err != nil {
			t.Fatal(err)
		}
	}
	// An entry of a kind the engine may add, and one without actor or host.
	for _, e := range []Entry{{Seq: 99, Kind: "checkpoint", Prev: GenesisHash, Hash: GenesisHash}, {Seq: 100, Kind: KindCall, Prev: GenesisHash, Hash: GenesisHash}} {
		if err := w.Write(e); err != nil {
			t.Fatal(err)
		}
	}
	w.Flush()
	classes := map[float64]int{}
	for i, line := range bytes.Split(bytes.TrimSpace(out.Bytes()), []byte("\n")) {
		for _, problem := range s.Validate(t, line) {
			t.Errorf("event %d: %s\n%s", i+1, problem, line)
		}
		var v struct {
			ClassUID float64 `json:"class_uid"`
		}
		json.Unmarshal(line, &v)
		classes[v.ClassUID]++
	}
	if classes[0] == 0 || classes[6003] == 0 || classes[7001] == 0 {
		t.Errorf("classes written: %v, want Base Event, API Activity and Remediation Activity", classes)
	}
	// The validator sees a wrong Remediation Activity.
	if errs := s.Validate(t, []byte(`{"class_uid":7001,"category_uid":7,"activity_id":7,"type_uid":700107,"time":1,"severity_id":1,"metadata":{"version":"1.8.0","product":{"name":"vigil","vendor_name":"vigil"}},"countermeasures":[{}]}`)); !containsAll(errs, "command_uid: required", "activity_id: 7 is not in the enum", "countermeasures[0]: at least one of d3f_tactic, d3f_technique") {
		t.Errorf("validator misses a missing command_uid, a wrong activity or an empty countermeasure: %v", errs)
	}
}

func readGolden(t *testing.T) []Entry {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "golden.trail.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	var out []Entry
	for _, line := range bytes.Split(bytes.TrimSpace(b), []byte("\n")) {
		e, err := parseLine(line)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, e)
	}
	return out
}

func TestOCSFMapping(t *testing.T) {
	es := readGolden(t)
	get := func(i int) map[string]any {
		t.Helper()
		ev, err := OCSF(es[i])
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(ev)
		var m map[string]any
		json.Unmarshal(b, &m)
		return m
	}
	str := func(m map[string]any, path string) any {
		var v any = m
		for _, k := range strings.Split(path, ".") {
			switch x := v.(type) {
			case map[string]any:
				v = x[k]
			case []any:
				v = x[0].(map[string]any)[k]
			default:
				return nil
			}
		}
		return v
	}
	cases := []struct {
		i    int
		want map[string]any
	}{
		{0, map[string]any{"class_uid": 0.0, "category_uid": 0.0, "activity_id": 99.0, "activity_name": "plan", "type_uid": 99.0, "actor.user.name": "alice", "unmapped.data.playbook": "public-buckets", "unmapped.trail.plan": "sha256:5f1c"}},
		{1, map[string]any{"class_uid": 0.0, "activity_name": "approval", "actor.user.name": "bob", "unmapped.data.reason": "INC-42 <approved> & logged"}},
		{3, map[string]any{"class_uid": 6003.0, "activity_id": 2.0, "type_uid": 600302.0, "api.operation": "GetPublicAccessBlock", "api.service.name": "s3", "status_id": 1.0, "cloud.provider": "AWS", "resources.uid": "arn:aws:s3:::logs", "src_endpoint.hostname": "ops-1", "duration": 3.0}},
		{4, map[string]any{"class_uid": 6003.0, "activity_id": 3.0, "api.request.data.BlockPublicAcls": true, "metadata.uid": es[4].Hash, "metadata.correlation_uid": "run-1"}},
		{5, map[string]any{"class_uid": 7001.0, "category_uid": 7.0, "activity_id": 4.0, "activity_name": "Harden", "type_uid": 700104.0, "countermeasures.d3f_tactic.name": "Harden", "command_uid": es[5].Hash, "status_id": 1.0, "status": "Success"}},
		{6, map[string]any{"class_uid": 0.0, "activity_name": "skip", "status_id": 99.0, "status": "gone", "status_code": "gone", "status_detail": "resource no longer exists"}},
		{7, map[string]any{"class_uid": 6003.0, "activity_id": 3.0, "status_id": 2.0, "status_code": "denied", "api.response.error": "call denied: UnauthorizedOperation"}},
		{8, map[string]any{"class_uid": 7001.0, "activity_id": 1.0, "activity_name": "Isolate", "status_id": 2.0, "status_detail": "call denied: UnauthorizedOperation", "resources": nil}},
		{9, map[string]any{"class_uid": 0.0, "activity_name": "stop", "status_id": 2.0}},
		{11, map[string]any{"class_uid": 7001.0, "activity_id": 99.0, "activity_name": "Rollback", "type_uid": 700199.0, "actor.user.name": "carol"}},
		{12, map[string]any{"class_uid": 7001.0, "activity_id": 99.0, "activity_name": "Other", "cloud": nil, "countermeasures": nil, "unmapped.data.webhook": "env:SLACK_WEBHOOK"}},
	}
	for _, tc := range cases {
		m := get(tc.i)
		for path, want := range tc.want {
			if got := str(m, path); got != want {
				t.Errorf("entry %d (%s): %s = %v, want %v", tc.i+1, es[tc.i].Kind, path, got, want)
			}
		}
	}
	// Data that is not JSON (never written by Append) is an error.
	if _, err := OCSF(Entry{Kind: KindCall, Data: json.RawMessage("{")}); err == nil {
		t.Error("bad data converted")
	}
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
