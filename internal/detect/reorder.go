package detect

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"github.com/zeebo/xxh3"

	"github.com/vigil-sec/vigil/internal/logs"
	"github.com/vigil-sec/vigil/internal/ocsf"
	"github.com/vigil-sec/vigil/internal/sigma"
)

// DefaultReorderWindow is how far behind the newest event seen an event may
// arrive and still be correlated in event-time order (vigil detect
// --reorder-window). CloudTrail delivers a file about every five minutes
// with events up to several minutes old: read in file-name order, the
// invictus dataset has events up to 9m39s behind the newest one read
// (a third of them more than five minutes behind).
const DefaultReorderWindow = 15 * time.Minute

// flushTick is the event-time step at which correlation windows with upper
// bounds are closed and state that can no longer matter is dropped: each
// time the released events cross a boundary of it. The boundaries depend on
// event times only, so batch and follow runs close windows at the same
// points.
const flushTick = time.Minute

// eventKey identifies an event for de-duplication: a GMAC (AES-GCM's
// GHASH authenticator, with no plaintext) of its JSON as read, under a
// random 128-bit secret of the engine, with a nonce derived from its
// source. Two copies of one log file give the same keys; events that
// merely share an id (CloudTrail eventID, GCP insertId, Azure
// eventDataId, M365 Id) but differ in any byte are different events and
// both count. GHASH under a secret key is a universal hash: for any two
// distinct events of at most L 16-byte blocks, the chance that they get
// one key is at most about L/2^128 over the secret (and events of two
// sources differ by the nonce's AES block), whatever their content. No
// one who does not know the secret can write an event that passes for a
// copy of another and is dropped, which is what the SHA-256 key used
// before guaranteed too, at a tenth of its cost (about 0.1 µs per 1.3 KB
// event against 0.5–1.2 µs). The secret lives in the engine and in
// follow mode's checkpoint (written 0600), never in output. The order of
// same-time events must not depend on a secret (runs with different
// secrets must raise the same alerts): it is given by ordKey.
type eventKey [16]byte

// ordKey orders matched events of the same time in the reorder buffer: an
// XXH3-128 of the event's JSON, its high half XORed with a hash of its
// source. Not secret and not
// collision-resistant, and it need not be: events whose ordKeys are equal
// are then ordered by source and bytes (see pending.before), so the order
// stays total and depends on content only; no event is dropped or merged
// on it.
type ordKey struct{ hi, lo uint64 }

// keyVersion is the checkpoint form of event keys: 0 (absent) for the
// SHA-256 keys of older checkpoints (see shaKey), 2 for eventKey/ordKey.
const keyVersion = 2

// newKeySecret returns a fresh random secret for eventKey.
func newKeySecret() [16]byte {
	var s [16]byte
	if _, err := rand.Read(s[:]); err != nil {
		panic(fmt.Sprintf("event key secret: %v", err)) // crypto/rand does not fail on Linux
	}
	return s
}

// keyHasher computes event keys for one goroutine, reusing one AES-GCM
// instance (rebuilt when the secret changes) and the nonce of the last
// source seen.
type keyHasher struct {
	secret [16]byte
	aead   cipher.AEAD
	src    logs.Source
	nonce  [12]byte
	seed   uint64
	tag    []byte
	// ident is the source's Descriptor.Identity, nil for raw bytes.
	ident func([]byte) []byte
}

// keys returns rec's event key under secret and its order key.
func (kh *keyHasher) keys(secret *[16]byte, rec logs.Record) (eventKey, ordKey) {
	if kh.aead == nil || kh.secret != *secret {
		blk, err := aes.NewCipher(secret[:])
		if err != nil {
			panic(err) // a 16-byte key is always valid
		}
		if kh.aead, err = cipher.NewGCM(blk); err != nil {
			panic(err)
		}
		kh.secret = *secret
		kh.src = "\x00" // not a source name: set below
	}
	if rec.Source != kh.src || kh.tag == nil {
		sum := sha256.Sum256([]byte("vigil event key\x00" + string(rec.Source)))
		copy(kh.nonce[:], sum[:])
		kh.seed = xxh3.HashString(string(rec.Source))
		kh.src = rec.Source
		kh.ident = nil
		if d, ok := logs.DescriptorOf(rec); ok {
			kh.ident = d.Identity
		}
	}
	// A source whose shapes write one record in other bytes (Microsoft
	// 365: the Management Activity API and a Purview export) keys its
	// events by their canonical form (Descriptor.Identity).
	id := rec.Raw
	if kh.ident != nil {
		id = kh.ident(id)
	}
	kh.tag = kh.aead.Seal(kh.tag[:0], kh.nonce[:], nil, id)
	var k eventKey
	copy(k[:], kh.tag)
	// Unseeded (a seed makes XXH3 derive its 192-byte secret on every
	// call), the source mixed in after.
	o := xxh3.Hash128(id)
	return k, ordKey{o.Hi ^ kh.seed, o.Lo}
}

// shaKey returns rec's event key as checkpoints before keyVersion 2 held
// it: the first 16 bytes of a SHA-256 of its source, a NUL and its JSON.
func shaKey(rec logs.Record) eventKey {
	h := sha256.New()
	h.Write([]byte(rec.Source))
	h.Write([]byte{0})
	h.Write(rec.Raw)
	var k eventKey
	copy(k[:], h.Sum(nil))
	return k
}

// pending is a matched event waiting in the reorder buffer for its
// correlation observations: the record (not copied: its Raw is the
// reader's), its time and key, and what Match found for the correlations.
type pending struct {
	T      time.Time
	Ord    ordKey
	Rec    logs.Record
	Rules  []*sigma.Rule
	Values []map[string]string
	// Norm is the event's OCSF form when matching already made it.
	Norm ocsf.Event
	// ns is T in Unix nanoseconds (set when the event enters the heap).
	ns int64
	// lease holds the read buffer Rec.Raw points into, when it does.
	lease *bufLease
}

func (p *pending) before(q *pending) bool {
	if p.ns != q.ns {
		return p.ns < q.ns
	}
	if p.Ord != q.Ord {
		if p.Ord.hi != q.Ord.hi {
			return p.Ord.hi < q.Ord.hi
		}
		return p.Ord.lo < q.Ord.lo
	}
	// Equal order keys (a collision, or copies held apart): content.
	if p.Rec.Source != q.Rec.Source {
		return p.Rec.Source < q.Rec.Source
	}
	if c := bytes.Compare(p.Rec.Raw, q.Rec.Raw); c != 0 {
		return c < 0
	}
	if p.Rec.File != q.Rec.File {
		return p.Rec.File < q.Rec.File
	}
	return p.Rec.Offset < q.Rec.Offset
}

// pendingHeap orders pending events by time, then order key (a binary min-heap:
// before is a total order over the events held, so the order they leave
// in does not depend on the heap's shape).
type pendingHeap []*pending

// push adds p (its ns set from p.T).
func (h *pendingHeap) push(p *pending) {
	p.ns = p.T.UnixNano()
	*h = append(*h, p)
	s := *h
	i := len(s) - 1
	for i > 0 {
		parent := (i - 1) / 2
		if !s[i].before(s[parent]) {
			break
		}
		s[i], s[parent] = s[parent], s[i]
		i = parent
	}
}

// pop removes and returns the first event.
func (h *pendingHeap) pop() *pending {
	s := *h
	n := len(s) - 1
	top := s[0]
	s[0] = s[n]
	s[n] = nil
	s = s[:n]
	*h = s
	s.down(0)
	return top
}

func (h pendingHeap) down(i int) {
	n := len(h)
	for {
		l := 2*i + 1
		if l >= n {
			return
		}
		m := l
		if r := l + 1; r < n && h[r].before(h[l]) {
			m = r
		}
		if !h[m].before(h[i]) {
			return
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
}

// init orders events appended in any order (their ns set here).
func (h pendingHeap) init() {
	for _, p := range h {
		p.ns = p.T.UnixNano()
	}
	for i := len(h)/2 - 1; i >= 0; i-- {
		h.down(i)
	}
}

// ReorderWindow returns the window events are reordered in.
func (e *Engine) ReorderWindow() time.Duration { return e.window }

// bound is the event time below which events are released (and arrivals
// are late): the newest event time seen minus the reorder window.
func (e *Engine) bound() time.Time {
	if e.wm.IsZero() {
		return time.Time{}
	}
	return e.wm.Add(-e.window)
}

// Advance tells the engine that an event of time t was read (matched or
// not): the watermark moves to the newest time seen, and the matched events
// it leaves more than the reorder window behind go to the correlations in
// event-time order. Call it for every event, before Emit of that event.
func (e *Engine) Advance(ctx context.Context, t time.Time, fn func(*Alert) error) error {
	if !t.After(e.wm) {
		return nil
	}
	e.wm = t
	e.sweepDedup()
	if err := e.expireHeld(t, fn); err != nil {
		return err
	}
	return e.release(ctx, e.bound(), fn)
}

// release passes the pending events older than bound (all of them for a
// zero bound with all set) to the correlations, oldest first.
func (e *Engine) release(ctx context.Context, bound time.Time, fn func(*Alert) error) error {
	for len(e.pend) > 0 && e.pend[0].T.Before(bound) {
		p := e.pend.pop()
		if err := e.correlate(ctx, p, fn); err != nil {
			return err
		}
	}
	return nil
}

// Pending returns the number of matched events waiting in the reorder
// buffer.
func (e *Engine) Pending() int { return len(e.pend) }

// ReleasePending passes every event waiting in the reorder buffer to the
// correlations, oldest first, without closing any correlation window
// (follow mode's --idle-flush): the correlations that fire on what they
// have seen (lower bounds, temporal) raise their alerts now, and events
// read later still count in the windows, as they do in a batch run over
// the same files. Windows close on event time only. Matched events read
// later that are older than the newest event released are late (see
// Emit): the correlations have already seen newer ones.
func (e *Engine) ReleasePending(ctx context.Context, fn func(*Alert) error) error {
	for len(e.pend) > 0 {
		p := e.pend.pop()
		if p.T.After(e.released) {
			e.released = p.T
		}
		if err := e.correlate(ctx, p, fn); err != nil {
			return err
		}
	}
	return nil
}

// lateBound is the event time before which a matched event arriving now is
// late: the reorder bound, or the newest event released early by
// ReleasePending when that is later.
func (e *Engine) lateBound() time.Time {
	b := e.bound()
	if e.released.After(b) {
		return e.released
	}
	return b
}

// releaseAll passes every pending event to the correlations, oldest first
// (end of a batch).
func (e *Engine) releaseAll(ctx context.Context, fn func(*Alert) error) error {
	for len(e.pend) > 0 {
		p := e.pend.pop()
		if err := e.correlate(ctx, p, fn); err != nil {
			return err
		}
	}
	return nil
}

// duplicate reports whether the event key k (record rec, time t) was seen
// before, and records it otherwise. Copies of an event have its time: only
// its time's bucket can hold its key. After a restore from an older
// checkpoint, its SHA-256 keys (legacy) are looked at too until swept.
func (e *Engine) duplicate(k eventKey, rec logs.Record, t time.Time) bool {
	// The bucket of the time as kept (in Unix nanoseconds), as a restored
	// key's is.
	ns := t.UnixNano()
	m := e.dedupBucket(time.Unix(0, ns))
	if _, ok := m[k]; ok {
		return true
	}
	if e.legacy != nil {
		if lm := e.legacy[e.dedupStart(time.Unix(0, ns))]; lm != nil {
			if _, ok := lm[shaKey(rec)]; ok {
				return true
			}
		}
	}
	m[k] = ns
	return false
}

// dedupBucket returns the bucket of event time t, made when missing.
// Buckets are the sweep steps (see sweepDedup) shifted by the reorder
// window and the de-duplication span: the keys sweepDedup drops at a
// boundary are exactly the buckets that end before it.
func (e *Engine) dedupBucket(t time.Time) map[eventKey]int64 {
	b := e.dedupStart(t)
	if e.dedupCur != nil && b == e.dedupLast {
		return e.dedupCur
	}
	m := e.dedup[b]
	if m == nil {
		m = map[eventKey]int64{}
		e.dedup[b] = m
	}
	e.dedupLast, e.dedupCur = b, m
	return m
}

// dedupStart returns the start (Unix seconds) of event time t's bucket:
// t plus the window and the span, rounded down to a sweep step.
func (e *Engine) dedupStart(t time.Time) int64 {
	return t.Add(e.window + e.dedupSpan()).Truncate(e.dedupStep()).Unix()
}

// dedupSpan is how long behind the reorder bound an event's key is kept:
// the longest correlation timespan, at least the reorder window.
func (e *Engine) dedupSpan() time.Duration { return max(e.window, e.corrSpan) }

// dedupStep is the sweep step: an eighth of the span, at least flushTick.
func (e *Engine) dedupStep() time.Duration { return max(flushTick, e.dedupSpan()/8) }

// sweepDedup drops the keys of events older than the bound minus the
// de-duplication span, each time the watermark crosses a boundary of an
// eighth of that span (at least flushTick): the buckets hold at most 9/8
// of the span, and a sweep drops whole buckets. Boundaries depend on event
// times only, so batch and follow runs keep the same keys.
func (e *Engine) sweepDedup() {
	b := e.wm.Truncate(e.dedupStep())
	if !b.After(e.dedupSwept) {
		return
	}
	e.dedupSwept = b
	// A key of time t goes when t < b - window - span, that is when
	// t + window + span, and so its bucket's start (b is a multiple of
	// the step), is before b.
	cut := b.Unix()
	for start := range e.dedup {
		if start < cut {
			delete(e.dedup, start)
			if start == e.dedupLast {
				e.dedupCur = nil
			}
		}
	}
	for start := range e.legacy {
		if start < cut {
			delete(e.legacy, start)
		}
	}
	if len(e.legacy) == 0 {
		e.legacy = nil
	}
}

// dedupState encodes the key set compactly and in a stable order: 16 bytes
// of key and 8 of time per event, sorted.
func (e *Engine) dedupState() []byte { return encodeDedup(e.dedup) }

func encodeDedup(buckets map[int64]map[eventKey]int64) []byte {
	type entry struct {
		k eventKey
		t int64
	}
	var all []entry
	for _, m := range buckets {
		for k, t := range m {
			all = append(all, entry{k, t})
		}
	}
	sort.Slice(all, func(i, j int) bool { return string(all[i].k[:]) < string(all[j].k[:]) })
	out := make([]byte, 0, 24*len(all))
	for _, en := range all {
		out = append(out, en.k[:]...)
		out = binary.BigEndian.AppendUint64(out, uint64(en.t))
	}
	return out
}

func (e *Engine) restoreDedup(b []byte) {
	e.dedup, e.dedupCur = map[int64]map[eventKey]int64{}, nil
	for ; len(b) >= 24; b = b[24:] {
		var k eventKey
		copy(k[:], b[:16])
		ns := int64(binary.BigEndian.Uint64(b[16:24]))
		e.dedupBucket(time.Unix(0, ns))[k] = ns
	}
}

// restoreLegacy loads the SHA-256 keys of an older checkpoint (see
// shaKey) into buckets of their own, or none when b holds none.
func (e *Engine) restoreLegacy(b []byte) {
	e.legacy = nil
	for ; len(b) >= 24; b = b[24:] {
		var k eventKey
		copy(k[:], b[:16])
		ns := int64(binary.BigEndian.Uint64(b[16:24]))
		if e.legacy == nil {
			e.legacy = map[int64]map[eventKey]int64{}
		}
		start := e.dedupStart(time.Unix(0, ns))
		if e.legacy[start] == nil {
			e.legacy[start] = map[eventKey]int64{}
		}
		e.legacy[start][k] = ns
	}
}

// ordBytes is an order key as checkpoints hold it (big-endian).
func ordBytes(o ordKey) []byte {
	return binary.BigEndian.AppendUint64(binary.BigEndian.AppendUint64(make([]byte, 0, 16), o.hi), o.lo)
}

// pendingState is a pending event in a checkpoint: where it was read and
// its key (its ordKey since keyVersion 2, a SHA-256 key before), not the
// event itself (a checkpoint is written often; the
// reorder buffer may hold many events). Restore reads it again from its
// file and matches it again.
type pendingState struct {
	T      time.Time   `json:"t"`
	Source logs.Source `json:"source"`
	File   string      `json:"file"`
	Offset int64       `json:"offset"`
	Key    []byte      `json:"key"`
}

// exactRaw is an event's JSON kept byte for byte in a checkpoint (alert
// ids hash it): written as a base64 string; read from that, or from the
// JSON value itself as older checkpoints wrote it.
type exactRaw []byte

func (r exactRaw) MarshalJSON() ([]byte, error) { return json.Marshal([]byte(r)) }

func (r *exactRaw) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var raw []byte
		if err := json.Unmarshal(b, &raw); err != nil {
			return err
		}
		*r = raw
		return nil
	}
	*r = append((*r)[:0], b...)
	return nil
}

// restorePending reads the reorder buffer's events again from their files
// (each file once) and matches them again. Events whose file is gone or
// changed are reported and left out.
func (e *Engine) restorePending(ctx context.Context, ps []pendingState, version int) error {
	byFile := map[string]map[int64]pendingState{}
	var files []string
	for _, p := range ps {
		if byFile[p.File] == nil {
			byFile[p.File] = map[int64]pendingState{}
			files = append(files, p.File)
		}
		byFile[p.File][p.Offset] = p
	}
	m := e.NewMatcher()
	e.pend = e.pend[:0]
	lost := 0
	for _, f := range files {
		want := byFile[f]
		err := e.reader.ReadFile(ctx, f, func(rec logs.Record) error {
			st, ok := want[rec.Offset]
			if !ok {
				return nil
			}
			_, o := e.kh.keys(&e.keySecret, rec)
			if version >= keyVersion && string(ordBytes(o)) != string(st.Key) {
				return nil
			}
			if version < keyVersion {
				if k := shaKey(rec); string(k[:]) != string(st.Key) {
					return nil
				}
			}
			delete(want, rec.Offset)
			var h Hit
			if !m.matchAt(rec, st.T, &h) {
				return nil // the rule it matched is gone
			}
			p := &pending{T: st.T, Ord: o, Rec: rec}
			for i, r := range h.Rules {
				if _, ok := e.corrRule[r]; ok {
					p.Rules = append(p.Rules, r)
					p.Values = append(p.Values, h.Values[i])
				}
			}
			if len(p.Rules) > 0 {
				e.pend = append(e.pend, p)
			}
			return nil
		}, func(logs.InputError) {})
		if err != nil && ctx.Err() != nil {
			return ctx.Err()
		}
		lost += len(want)
	}
	e.pend.init()
	if lost > 0 {
		e.log.Warn("resuming: events waiting for correlation could not be read again (file gone or changed)", "events", lost)
	}
	return nil
}
