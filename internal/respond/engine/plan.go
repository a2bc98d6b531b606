package engine

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/vigil-sec/vigil/internal/respond"
)

// PlanVersion is the plan file format's version.
const PlanVersion = 1

// File is a plan file: the plan (Body), its hash, and the approvals given
// to that hash. The hash is the SHA-256 of the body's compact JSON
// (json.Compact of the body's bytes as stored): an edit of any value in the
// body after planning or approval makes the plan refused.
type File struct {
	Hash      string          `json:"hash"`
	Body      json.RawMessage `json:"body"`
	Approvals []Approval      `json:"approvals"`

	plan *Plan
}

// Plan is what `vigil respond plan` decided: every change to make, and why
// the other matches are skipped.
type Plan struct {
	Version   int           `json:"version"`
	ID        string        `json:"id"`
	Created   time.Time     `json:"created"`
	CreatedBy string        `json:"created_by,omitempty"`
	Inputs    []string      `json:"inputs,omitempty"`
	Playbooks []PlaybookRef `json:"playbooks"`
	Policy    Policy        `json:"policy"`
	Items     []Item        `json:"items"`
	Skipped   []Skipped     `json:"skipped,omitempty"`
}

// PlaybookRef names a playbook the plan used and the hash of its file.
type PlaybookRef struct {
	Name string `json:"name"`
	File string `json:"file"`
	Hash string `json:"hash"`
}

// SubjectRef is what a plan keeps of the finding or alert an item acts on.
type SubjectRef struct {
	Kind      string `json:"kind"`
	ID        string `json:"id"`
	Rule      string `json:"rule"`
	Severity  string `json:"severity,omitempty"`
	Provider  string `json:"provider,omitempty"`
	Account   string `json:"account,omitempty"`
	Region    string `json:"region,omitempty"`
	Resource  string `json:"resource,omitempty"`
	Principal string `json:"principal,omitempty"`
}

// Item is one planned step: a playbook's step on one subject.
type Item struct {
	N int `json:"n"`
	// Key identifies the step on its subject across runs (subject,
	// playbook, step): continuous mode's checkpoint never runs a key twice.
	Key string `json:"key"`
	// Chain groups the steps of one playbook on one subject: they run in
	// order; chains run side by side.
	Chain    int           `json:"chain"`
	Subject  SubjectRef    `json:"subject"`
	Playbook string        `json:"playbook"`
	Step     string        `json:"step"`
	Action   string        `json:"action"`
	Class    respond.Class `json:"class"`
	// Auto is the playbook's permission to run this notify, ticket or
	// enrich step without approval.
	Auto bool `json:"auto,omitempty"`
	// OnError: "stop" (the run stops) or "continue".
	OnError string `json:"on_error"`
	// Approvals is the number of distinct approvers the step needs.
	Approvals int             `json:"approvals"`
	Change    *respond.Change `json:"change"`
}

// Skipped is a match that is not in the plan, and why.
type Skipped struct {
	Subject  SubjectRef `json:"subject"`
	Playbook string     `json:"playbook"`
	Step     string     `json:"step,omitempty"`
	Reason   string     `json:"reason"`
}

// Approval is a recorded decision to apply a plan.
type Approval struct {
	By       string    `json:"by"`
	At       time.Time `json:"at"`
	Reason   string    `json:"reason,omitempty"`
	PlanHash string    `json:"plan_hash"`
	// Mode is what the approval allows when the plan's steps run as jobs
	// (vigil serve): "apply", or "dry-run" (nothing changed); "" for
	// vigil respond approve, which approves for vigil respond apply.
	Mode string `json:"mode,omitempty"`
}

// ErrTampered is wrapped by the error for a plan file whose body does not
// match its hash.
var ErrTampered = errors.New("plan file was changed after it was written")

// NewID returns a random id for a plan or a run: the time and 6 random
// bytes, so ids sort by creation.
func NewID(now time.Time) string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return now.UTC().Format("20060102T150405Z") + "-" + hex.EncodeToString(b[:])
}

// Seal makes the plan file of p.
func Seal(p *Plan) (*File, error) {
	body, err := json.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("encode plan: %w", err)
	}
	return &File{Hash: hashBody(body), Body: body, plan: p}, nil
}

func hashBody(body []byte) string {
	var c bytes.Buffer
	if err := json.Compact(&c, body); err != nil {
		c.Reset()
		c.Write(body)
	}
	sum := sha256.Sum256(c.Bytes())
	return hex.EncodeToString(sum[:])
}

// Plan returns the file's plan.
func (f *File) Plan() *Plan { return f.plan }

// ReadFile reads a plan file and checks its hash: a plan edited after it
// was written (or approved) is refused with ErrTampered.
func ReadFile(path string) (*File, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("plan: %w", err)
	}
	var f File
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("plan %s: not a vigil plan file: %w", path, err)
	}
	if len(f.Body) == 0 || f.Hash == "" {
		return nil, fmt.Errorf("plan %s: not a vigil plan file (no body or hash)", path)
	}
	if got := hashBody(f.Body); got != f.Hash {
		return nil, fmt.Errorf("plan %s: %w: its body hashes to %s, the file says %s; make a new plan", path, ErrTampered, short(got), short(f.Hash))
	}
	var p Plan
	dec := json.NewDecoder(bytes.NewReader(f.Body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("plan %s: %w", path, err)
	}
	if p.Version != PlanVersion {
		return nil, fmt.Errorf("plan %s: version %d, this vigil reads version %d", path, p.Version, PlanVersion)
	}
	for _, a := range f.Approvals {
		if a.PlanHash != f.Hash {
			return nil, fmt.Errorf("plan %s: %w: the approval by %s is for plan %s, not this one (%s)", path, ErrTampered, a.By, short(a.PlanHash), short(f.Hash))
		}
	}
	f.plan = &p
	return &f, nil
}

func short(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}

// WriteFile writes the plan file atomically (a temporary file renamed).
func (f *File) WriteFile(path string) error {
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return fmt.Errorf("encode plan: %w", err)
	}
	return writeAtomic(path, append(b, '\n'))
}

func writeAtomic(path string, b []byte) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// Approve records an approval of the plan by who. The same person
// approving twice counts once (the later approval replaces the earlier).
func (f *File) Approve(who, reason string, now time.Time) (Approval, error) {
	return f.ApproveMode(who, reason, "", now)
}

// ApproveMode is Approve recording what the approval allows (Approval.Mode).
func (f *File) ApproveMode(who, reason, mode string, now time.Time) (Approval, error) {
	who = strings.TrimSpace(who)
	if who == "" {
		return Approval{}, fmt.Errorf("approve: say who approves (--by)")
	}
	a := Approval{By: who, At: now.UTC(), Reason: reason, PlanHash: f.Hash, Mode: mode}
	f.Approvals = slices.DeleteFunc(f.Approvals, func(x Approval) bool { return x.By == who })
	f.Approvals = append(f.Approvals, a)
	return a, nil
}

// approvers returns the distinct approvers.
func (f *File) approvers() []string {
	var out []string
	for _, a := range f.Approvals {
		if !slices.Contains(out, a.By) {
			out = append(out, a.By)
		}
	}
	return out
}

// Missing lists the items that need more approvals than the plan has,
// with the number each needs.
func (f *File) Missing() []Item {
	n := len(f.approvers())
	var out []Item
	for _, it := range f.plan.Items {
		if it.Change != nil && !it.Change.NoOp && it.Approvals > n {
			out = append(out, it)
		}
	}
	return out
}
