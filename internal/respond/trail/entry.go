package trail

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Genesis is the text whose SHA-256 is the prev of a trail's first entry.
const Genesis = "vigil respond audit trail v1"

// GenesisHash is hex(sha256(Genesis)), a constant (TestGenesisHash) so
// that no initializer computes it at every start.
const GenesisHash = "a67367eeaaca7da33d7e1b532dbeace33d94dfc4be6ebf1a62702744af6b00fe"

// Kinds of entries. Kind is an open string: the engine may add its own.
const (
	KindPlan       = "plan"        // a plan was written (Plan: its hash; Data: the plan's summary)
	KindApproval   = "approval"    // a recorded decision: who (Actor), optional reason (Data)
	KindApplyStart = "apply-start" // a run of an approved plan begins (Run, Plan)
	KindAction     = "action"      // one step applied to one resource (Data: the change's diff and outcome)
	KindCall       = "call"        // one API call, read or write (Data: a Call)
	KindResult     = "result"      // a run ended (Data: counts)
	KindRollback   = "rollback"    // one step rolled back
	KindSkip       = "skip"        // a step not applied (excluded, resource gone, already applied)
	KindStop       = "stop"        // a run stopped (a limit, a denied call, an error)
	KindRecover    = "recover"     // Recover removed an incomplete last line (Data: a Recovery)
)

// Statuses of an entry's outcome (an open string too).
const (
	StatusOK      = "ok"
	StatusFailed  = "failed"
	StatusDenied  = "denied" // respond.ErrDenied
	StatusGone    = "gone"   // respond.ErrGone
	StatusNoOp    = "noop"   // nothing to change (already applied)
	StatusPartial = "partial"
)

// Entry is one line of the trail. Seq, Prev, Hash and Time are set by
// Append; Actor and Host default to the OS user and the host name.
//
// Data is what the caller passes, as it is: callers must put only secret
// references ("env:NAME", "file:PATH") in it, never a secret's value; the
// same goes for Error.
type Entry struct {
	Seq    uint64    `json:"seq"`
	Time   time.Time `json:"time"`
	Kind   string    `json:"kind"`
	Actor  string    `json:"actor,omitempty"`
	Host   string    `json:"host,omitempty"`
	Run    string    `json:"run,omitempty"`
	Plan   string    `json:"plan,omitempty"` // the plan's id or hash
	Action string    `json:"action,omitempty"`
	// Tactic is the action's D3FEND tactic (respond.Spec.Tactic): isolate,
	// evict, restore, harden.
	Tactic   string          `json:"tactic,omitempty"`
	Resource string          `json:"resource,omitempty"`
	Status   string          `json:"status,omitempty"`
	Error    string          `json:"error,omitempty"`
	Data     json.RawMessage `json:"data,omitempty"`
	// Prev is the hash of the entry before (GenesisHash for the first).
	Prev string `json:"prev"`
	// Hash is hex(sha256) of the entry's canonical encoding (see the
	// package documentation).
	Hash string `json:"hash,omitempty"`
}

// Call is the Data of a KindCall entry: respond.Call's fields (the same
// JSON) and how long the call took.
type Call struct {
	Service   string         `json:"service"`
	Operation string         `json:"operation"`
	Target    string         `json:"target,omitempty"`
	Params    map[string]any `json:"params,omitempty"`
	ReadOnly  bool           `json:"read_only,omitempty"`
	TookMS    float64        `json:"took_ms,omitempty"`
}

// hashKey is what separates an entry's canonical encoding from its hash
// in a line.
const hashKey = `,"hash":"`

// suffixLen is the length of `,"hash":"<64 hex>"}`.
const suffixLen = len(hashKey) + 64 + 2

func hashHex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// canonical returns e's canonical encoding: encoding/json of e with Hash
// empty (and so left out), fields in the order of the struct, without
// HTML escaping.
func canonical(e Entry) ([]byte, error) {
	e.Hash = ""
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(e); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// seal sets e.Hash (and e.Data to its compact form, as written) and
// returns the line to write, with its newline.
func seal(e *Entry) ([]byte, error) {
	c, err := canonical(*e)
	if err != nil {
		return nil, fmt.Errorf("trail: encode %s entry: %w", e.Kind, err)
	}
	if len(e.Data) > 0 {
		var d bytes.Buffer
		if err := json.Compact(&d, e.Data); err != nil {
			return nil, err
		}
		e.Data = d.Bytes()
	}
	e.Hash = hashHex(c)
	line := make([]byte, 0, len(c)+suffixLen+1)
	line = append(line, c[:len(c)-1]...)
	line = append(line, hashKey...)
	line = append(line, e.Hash...)
	line = append(line, "\"}\n"...)
	return line, nil
}

// errHash: a line's content does not match its hash.
var errHash = errors.New("hash mismatch")

// parseLine reads one line (without its newline): the entry and whether
// its hash matches. A line that is not an entry is an error other than
// errHash.
func parseLine(line []byte) (Entry, error) {
	var e Entry
	n := len(line)
	if n < suffixLen+2 || line[0] != '{' || !bytes.Equal(line[n-suffixLen:n-suffixLen+len(hashKey)], []byte(hashKey)) || !bytes.HasSuffix(line, []byte(`"}`)) {
		return e, errors.New(`not a trail entry (want a JSON object ending in ,"hash":"<64 hex digits>"})`)
	}
	hash := string(line[n-66 : n-2])
	if !isHex64(hash) {
		return e, fmt.Errorf("hash %q is not 64 lowercase hex digits", hash)
	}
	if err := json.Unmarshal(line, &e); err != nil {
		return e, fmt.Errorf("not valid JSON: %w", err)
	}
	if e.Hash != hash {
		return e, fmt.Errorf("the hash member is not the last one")
	}
	switch {
	case e.Seq == 0:
		return e, errors.New("seq missing or 0")
	case !isHex64(e.Prev):
		return e, fmt.Errorf("prev %q is not 64 lowercase hex digits", e.Prev)
	case e.Kind == "":
		return e, errors.New("kind missing")
	}
	h := sha256.New()
	h.Write(line[:n-suffixLen])
	h.Write([]byte{'}'})
	if hex.EncodeToString(h.Sum(nil)) != hash {
		return e, errHash
	}
	// The bytes must be what vigil writes for the entry they decode to:
	// no other spelling, order, duplicate or unknown member, so that any
	// reader of the line sees what Verify saw.
	c, err := canonical(e)
	if err != nil || !bytes.Equal(c[:len(c)-1], line[:n-suffixLen]) {
		return e, errors.New("the hash matches but the entry is not in canonical form (members, order or spelling differ from what vigil writes)")
	}
	return e, nil
}

func isHex64(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}
