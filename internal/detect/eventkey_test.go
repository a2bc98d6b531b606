package detect

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/logs"
)

// keyTestEvents writes CloudTrail events that feed the built-in secret
// retrieval correlation (so they wait in the reorder buffer) and returns
// the file and its records as read.
func keyTestEvents(t *testing.T, eng *Engine) (string, []logs.Record) {
	t.Helper()
	var evs []string
	for i := range 6 {
		evs = append(evs, ctAPI(i/2, "secretsmanager.amazonaws.com", "GetSecretValue", fmt.Sprintf(`"requestParameters":{"secretId":"s%d"}`, i)))
	}
	path := filepath.Join(t.TempDir(), "ct.json")
	if err := os.WriteFile(path, []byte(`{"Records":[`+strings.Join(evs, ",")+`]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	var recs []logs.Record
	if err := eng.reader.ReadFile(context.Background(), path, func(r logs.Record) error {
		r.Raw, r.Members = bytes.Clone(r.Raw), nil
		recs = append(recs, r)
		return nil
	}, nil); err != nil {
		t.Fatal(err)
	}
	if len(recs) != len(evs) {
		t.Fatalf("read %d events, want %d", len(recs), len(evs))
	}
	return path, recs
}

// emitAll matches and emits recs on eng and returns how many matched.
func emitAll(t *testing.T, eng *Engine, recs []logs.Record) int {
	t.Helper()
	ctx := context.Background()
	m, n := eng.NewMatcher(), 0
	for _, r := range recs {
		if err := eng.Advance(ctx, EventTime(r), func(*Alert) error { return nil }); err != nil {
			t.Fatal(err)
		}
		var h Hit
		if m.Match(r, &h) {
			n++
			if err := eng.Emit(ctx, &h, func(*Alert) error { return nil }); err != nil {
				t.Fatal(err)
			}
		}
	}
	return n
}

// TestEventKeysAcrossCheckpoints: copies of events read before a
// checkpoint are dropped after a restore, whether the checkpoint holds
// this version's keys (the secret restored with them) or the SHA-256 keys
// older checkpoints hold (kept until swept); the reorder buffer's events
// are read again under either form; engines with different secrets order
// and key the same events alike; a checkpoint of a newer key version is
// refused.
func TestEventKeysAcrossCheckpoints(t *testing.T) {
	ctx := context.Background()
	newEng := func() *Engine {
		eng, err := New(ctx, Config{Version: "test"})
		if err != nil {
			t.Fatal(err)
		}
		return eng
	}
	first := newEng()
	_, recs := keyTestEvents(t, first)
	matched := emitAll(t, first, recs)
	if matched != len(recs) || first.Pending() != len(recs) {
		t.Fatalf("%d of %d events matched, %d pending: the test needs them all waiting", matched, len(recs), first.Pending())
	}
	snap, err := first.Snapshot()
	if err != nil {
		t.Fatal(err)
	}

	// The same checkpoint as an older vigil wrote it: SHA-256 keys, no
	// key version or secret.
	var st engineState
	if err := json.Unmarshal(snap, &st); err != nil {
		t.Fatal(err)
	}
	if st.KeyVersion != keyVersion || len(st.KeySecret) != 16 {
		t.Fatalf("snapshot key version %d, secret of %d bytes", st.KeyVersion, len(st.KeySecret))
	}
	legacy := map[int64]map[eventKey]int64{}
	byOffset := map[int64]logs.Record{}
	for _, r := range recs {
		ns := EventTime(r).UnixNano()
		if legacy[ns] == nil {
			legacy[ns] = map[eventKey]int64{}
		}
		legacy[ns][shaKey(r)] = ns
		byOffset[r.Offset] = r
	}
	old := st
	old.KeyVersion, old.KeySecret, old.DedupSHA = 0, nil, nil
	old.Dedup = encodeDedup(legacy)
	old.Pending = nil
	for _, p := range st.Pending {
		k := shaKey(byOffset[p.Offset])
		p.Key = k[:]
		old.Pending = append(old.Pending, p)
	}
	oldSnap, err := json.Marshal(old)
	if err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name string
		snap []byte
	}{{"this version", snap}, {"SHA-256 keys", oldSnap}} {
		t.Run(tc.name, func(t *testing.T) {
			eng := newEng()
			if eng.keySecret == first.keySecret {
				t.Fatal("two engines drew the same secret")
			}
			if err := eng.Restore(ctx, tc.snap); err != nil {
				t.Fatal(err)
			}
			if eng.Pending() != first.Pending() {
				t.Errorf("%d events pending after restore, want %d", eng.Pending(), first.Pending())
			}
			for i, p := range eng.pend {
				if p.Ord != first.pend[i].Ord {
					t.Errorf("pending event %d: order key differs", i)
				}
			}
			emitAll(t, eng, recs)
			if d := eng.Stats().Duplicates; d != int64(len(recs)) {
				t.Errorf("%d copies dropped, want %d", d, len(recs))
			}
			if tc.name == "SHA-256 keys" && eng.legacy == nil {
				t.Error("older keys not kept")
			}
			// A changed event is not a copy.
			changed := recs[0]
			changed.Raw = bytes.Replace(bytes.Clone(changed.Raw), []byte(`"s0"`), []byte(`"s9"`), 1)
			emitAll(t, eng, []logs.Record{changed})
			if d := eng.Stats().Duplicates; d != int64(len(recs)) {
				t.Errorf("a changed event was dropped as a copy")
			}
		})
	}

	st.KeyVersion = keyVersion + 1
	newer, _ := json.Marshal(st)
	if err := newEng().Restore(ctx, newer); err == nil || !strings.Contains(err.Error(), "version") {
		t.Errorf("restore of key version %d: %v, want an error", keyVersion+1, err)
	}
}
