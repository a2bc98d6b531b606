package engine

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"os/user"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/vigil-sec/vigil/internal/respond"
)

// Event is one thing the engine records in the trail.
type Event struct {
	Kind     string // see the Kind constants
	Run      string
	Plan     string // the plan's hash
	Action   string
	Resource string
	Tactic   string // the action's D3FEND tactic (respond.Spec.Tactic)
	Status   string // the step's or call's status
	Error    string
	Data     any
}

// Kinds of events.
const (
	KindPlan     = "plan"
	KindApproval = "approval"
	KindStart    = "apply-start"
	KindCall     = "call"
	KindAction   = "action"
	KindSkip     = "skip"
	KindStop     = "stop"
	KindEnd      = "result"
	KindRollback = "rollback"
)

// Recorder receives the engine's events (the trail). Record must be safe
// for concurrent use; an error stops the run (nothing is done that the
// trail could not record).
type Recorder interface {
	Record(ctx context.Context, actor string, e Event) error
}

// Runner plans, applies and rolls back.
type Runner struct {
	Registry *respond.Registry
	Policy   Policy
	Trail    Recorder
	// Actor is who runs vigil (recorded in the trail); default the OS user.
	Actor  string
	Now    func() time.Time
	Logger *slog.Logger
	// Secret resolves secret references (default respond.ResolveSecret).
	Secret func(ref string) (string, error)

	mu       sync.Mutex
	limiters map[string]*rate.Limiter
}

func (r *Runner) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

func (r *Runner) logger() *slog.Logger {
	if r.Logger != nil {
		return r.Logger
	}
	return slog.Default()
}

func (r *Runner) actor() string {
	if r.Actor != "" {
		return r.Actor
	}
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	if h, err := os.Hostname(); err == nil {
		return "unknown@" + h
	}
	return "unknown"
}

func (r *Runner) record(ctx context.Context, e Event) error {
	if r.Trail == nil {
		return nil
	}
	return r.Trail.Record(ctx, r.actor(), e)
}

// env is the respond.Env of a run (run "" while planning): calls go
// through the policy's rate limits and into the trail.
func (r *Runner) env(run, plan string, pol *Policy) *respond.Env {
	return &respond.Env{
		Secret: r.Secret,
		Wait: func(ctx context.Context, api string) error {
			return r.limiter(pol, api).Wait(ctx)
		},
		Record: func(ctx context.Context, c respond.Call, took time.Duration, err error) {
			e := Event{Kind: KindCall, Run: run, Plan: plan, Resource: c.Target, Status: "ok",
				Data: map[string]any{"service": c.Service, "operation": c.Operation, "target": c.Target, "params": c.Params,
					"read_only": c.ReadOnly, "took_ms": float64(took.Microseconds()) / 1000}}
			if err != nil {
				e.Status, e.Error = callStatus(err), err.Error()
			}
			if rerr := r.record(ctx, e); rerr != nil {
				r.logger().Error("respond: trail", "err", rerr)
			}
		},
		Now:    r.Now,
		Logger: r.logger(),
	}
}

func (r *Runner) limiter(pol *Policy, api string) *rate.Limiter {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.limiters == nil {
		r.limiters = map[string]*rate.Limiter{}
	}
	if l, ok := r.limiters[api]; ok {
		return l
	}
	perSec, ok := pol.RateLimits[api]
	if !ok {
		perSec = pol.RateLimits["default"]
	}
	l := rate.NewLimiter(rate.Inf, 0)
	if perSec > 0 {
		burst := max(1, int(perSec))
		l = rate.NewLimiter(rate.Limit(perSec), burst)
	}
	r.limiters[api] = l
	return l
}

// callStatus names a failed call's outcome: from the action's error, or
// from the HTTP status of the SDKs' errors (AWS's smithy errors have
// HTTPStatusCode; Azure's and Google's are read the same way by their
// packages' wrappers).
func callStatus(err error) string {
	switch {
	case errors.Is(err, respond.ErrDenied):
		return "denied"
	case errors.Is(err, respond.ErrGone):
		return "gone"
	}
	var hs interface{ HTTPStatusCode() int }
	if errors.As(err, &hs) {
		switch hs.HTTPStatusCode() {
		case 401, 403:
			return "denied"
		case 404:
			return "gone"
		case 429:
			return "throttled"
		}
	}
	return "failed"
}

func (r *Runner) tactic(action string) string {
	if a, ok := r.Registry.Get(action); ok {
		return a.Spec().Tactic
	}
	return ""
}
