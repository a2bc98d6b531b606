// Package respondtest checks an action against the contract every
// respond.Action keeps: Plan only reads and shows the change, Apply makes
// it, applying again changes nothing more, and Rollback restores the
// before-state. It is test code: nothing in vigil's binary imports it.
package respondtest

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/respond"
)

// Recorder is a respond.Env that records every call the action makes.
type Recorder struct {
	mu    sync.Mutex
	Calls []respond.Call
	Errs  []error
}

// Env returns an Env recording into r (secrets from the environment).
func (r *Recorder) Env() *respond.Env {
	return &respond.Env{
		Record: func(_ context.Context, c respond.Call, _ time.Duration, err error) {
			r.mu.Lock()
			defer r.mu.Unlock()
			r.Calls = append(r.Calls, c)
			r.Errs = append(r.Errs, err)
		},
	}
}

// Writes returns the recorded calls that are not read-only.
func (r *Recorder) Writes() []respond.Call {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []respond.Call
	for _, c := range r.Calls {
		if !c.ReadOnly {
			out = append(out, c)
		}
	}
	return out
}

// Reset forgets the recorded calls.
func (r *Recorder) Reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.Calls, r.Errs = nil, nil
}

// Lifecycle is one action run through the whole contract against a real
// or recorded-API server whose state the checks read.
type Lifecycle struct {
	Action  respond.Action
	Request *respond.Request
	// Before checks the server's state before anything ran (and after
	// Rollback, for a reversible action); After checks it once applied.
	Before, After func(t *testing.T)
	// Unrelated, when set, checks what the action must not touch (the
	// other access keys of the user, the other statements of the policy).
	Unrelated func(t *testing.T)
}

// Run checks, in order: Plan makes no write call and returns a change
// with calls and a diff; the state is still the before-state; Apply
// makes the change (After); planning again gives a NoOp change and
// applying again makes no write call; Rollback restores the before-state
// for a reversible action, or returns ErrIrreversible. It returns the
// first change planned.
func (l Lifecycle) Run(t *testing.T) *respond.Change {
	t.Helper()
	ctx := context.Background()
	rec := &Recorder{}
	env := rec.Env()
	spec := l.Action.Spec()

	ch, err := l.Action.Plan(ctx, env, l.Request)
	if err != nil {
		t.Fatalf("%s: Plan: %v", spec.Name, err)
	}
	if w := rec.Writes(); len(w) > 0 {
		t.Fatalf("%s: Plan made write calls: %+v", spec.Name, w)
	}
	if ch.NoOp {
		t.Fatalf("%s: Plan says nothing to change (%s) on a resource that needs the change", spec.Name, ch.Reason)
	}
	if len(ch.Calls) == 0 || len(ch.Diff) == 0 {
		t.Fatalf("%s: Plan returned no calls or no diff: %+v", spec.Name, ch)
	}
	if ch.Action != spec.Name {
		t.Errorf("%s: change names action %q", spec.Name, ch.Action)
	}
	if l.Before != nil {
		l.Before(t)
	}

	rec.Reset()
	done, err := l.Action.Apply(ctx, env, ch)
	if err != nil {
		t.Fatalf("%s: Apply: %v", spec.Name, err)
	}
	if len(rec.Writes()) == 0 {
		t.Fatalf("%s: Apply made no write call", spec.Name)
	}
	if l.After != nil {
		l.After(t)
	}
	if l.Unrelated != nil {
		l.Unrelated(t)
	}

	rec.Reset()
	again, err := l.Action.Plan(ctx, env, l.Request)
	if err != nil {
		t.Fatalf("%s: Plan after Apply: %v", spec.Name, err)
	}
	if !again.NoOp {
		t.Errorf("%s: Plan after Apply is not a no-op: %+v", spec.Name, again)
	}
	rec.Reset()
	if _, err := l.Action.Apply(ctx, env, ch); err != nil {
		t.Fatalf("%s: second Apply: %v", spec.Name, err)
	}
	if w := rec.Writes(); len(w) > 0 {
		t.Errorf("%s: second Apply made write calls (not idempotent): %+v", spec.Name, w)
	}
	if l.After != nil {
		l.After(t)
	}

	rec.Reset()
	_, err = l.Action.Rollback(ctx, env, ch, done)
	if !spec.Reversible || !ch.Reversible {
		if !errors.Is(err, respond.ErrIrreversible) {
			t.Errorf("%s: Rollback of an irreversible change: err = %v, want ErrIrreversible", spec.Name, err)
		}
		return ch
	}
	if err != nil {
		t.Fatalf("%s: Rollback: %v", spec.Name, err)
	}
	if l.Before != nil {
		l.Before(t)
	}
	if l.Unrelated != nil {
		l.Unrelated(t)
	}
	return ch
}
