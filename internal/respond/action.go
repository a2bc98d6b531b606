package respond

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"time"
)

// Class groups actions for approval policies: a plan's remediate changes
// always need an approval; notify, ticket and enrich steps may run
// without one when their playbook says so (auto).
type Class string

const (
	Notify    Class = "notify"
	Ticket    Class = "ticket"
	Enrich    Class = "enrich"
	Remediate Class = "remediate"
)

// Input describes one input of an action (a step's `with:` key).
type Input struct {
	Name        string
	Required    bool
	Description string
	// Secret inputs hold a reference, never the value: "env:NAME" (an
	// environment variable) or "file:PATH" (a file's content, trimmed).
	// Env.Secret resolves it when the action runs; plans and trails only
	// ever carry the reference.
	Secret bool
}

// Spec is what an action declares about itself.
type Spec struct {
	// Name is the id playbooks use: "notify.slack", "ticket.jira",
	// "aws.s3.block-public-access", "gcp.storage.remove-public-members".
	Name        string
	Class       Class
	Provider    string // "aws", "azure", "gcp"; "" for cloud-neutral actions
	Description string
	Inputs      []Input
	// Permissions are the exact cloud permissions (IAM actions, Azure
	// operations, GCP permissions) the action's calls need, planning and
	// applying included.
	Permissions []string
	// Reversible reports whether Rollback can restore the before-state.
	Reversible bool
	// Tactic is the D3FEND tactic the action is (for the OCSF Remediation
	// Activity events): "isolate", "evict", "restore", "harden"; "" for
	// notify, ticket and enrich.
	Tactic string
}

// Call is one API call an action makes or plans to make. Params never
// hold a secret value.
type Call struct {
	Service   string         `json:"service"`   // "s3", "ec2", "iam", "Microsoft.Storage", "storage.googleapis.com", "slack"...
	Operation string         `json:"operation"` // "PutPublicAccessBlock", "PATCH storageAccounts", "POST chat.postMessage"...
	Target    string         `json:"target,omitempty"`
	Params    map[string]any `json:"params,omitempty"`
	// ReadOnly calls only read (the planning reads, a re-check before a
	// write).
	ReadOnly bool `json:"read_only,omitempty"`
}

// AttrChange is one attribute's value before and after a change.
type AttrChange struct {
	Attribute string `json:"attribute"`
	Before    any    `json:"before"`
	After     any    `json:"after"`
}

// Change is what an action's Plan says it would do for one request.
type Change struct {
	Action   string `json:"action"`
	Resource string `json:"resource"` // the resource acted on (ARN, Azure ID, GCP name) or the notification/ticket target
	Provider string `json:"provider,omitempty"`
	Account  string `json:"account,omitempty"`
	Region   string `json:"region,omitempty"`
	// Inputs are the step's rendered inputs (secret inputs as references).
	Inputs map[string]string `json:"inputs,omitempty"`
	// Calls are the write calls Apply will make, in order.
	Calls []Call `json:"calls,omitempty"`
	// Diff lists each changed attribute with its before and after.
	Diff []AttrChange `json:"diff,omitempty"`
	// NoOp is set when the resource is already in the wanted state:
	// applying changes nothing (Reason says why).
	NoOp   bool   `json:"no_op,omitempty"`
	Reason string `json:"reason,omitempty"`
	// Outputs are values later steps of the playbook may use in their
	// templates ({{ .steps.<id>.<key> }}): an enrich step's owner, a
	// ticket's key once created.
	Outputs map[string]string `json:"outputs,omitempty"`
	// State is the action's own data for Apply and Rollback (the
	// statement to remove, the before-state to restore). Never a secret.
	State json.RawMessage `json:"state,omitempty"`
	// Reversible is the action's Spec().Reversible, or false when this
	// change cannot be undone.
	Reversible bool `json:"reversible"`
}

// Outcome is what Apply or Rollback did.
type Outcome struct {
	// Undo is the data Rollback needs beyond the Change (a created
	// snapshot's ID, the security groups replaced).
	Undo json.RawMessage `json:"undo,omitempty"`
	// Outputs as in Change (a created ticket's key and URL).
	Outputs map[string]string `json:"outputs,omitempty"`
	// Note is a human summary ("3 statements removed", "already applied").
	Note string `json:"note,omitempty"`
}

// Action is one kind of step.
//
// Plan only reads (the planning of a remediation reads the resource's
// current state); it returns ErrGone when the resource no longer exists
// and a Change with NoOp when nothing needs changing. Apply makes the
// change and must be idempotent: it re-reads what it needs and does
// nothing more when the change is already in place. Rollback restores
// the Change's before-state (ErrIrreversible when it cannot). Every API
// call, read or write, goes through env.Do so that it is rate-limited and
// recorded in the trail.
type Action interface {
	Spec() Spec
	Plan(ctx context.Context, env *Env, req *Request) (*Change, error)
	Apply(ctx context.Context, env *Env, ch *Change) (*Outcome, error)
	Rollback(ctx context.Context, env *Env, ch *Change, done *Outcome) (*Outcome, error)
}

// Request is one step to plan: its rendered inputs and what triggered it.
type Request struct {
	Subject *Subject
	// Inputs are the step's `with:` values after templating; secret
	// inputs are references ("env:NAME", "file:PATH").
	Inputs map[string]string
	// All is every subject of the run's input, read-only (an enrich step
	// looking for related findings reads it).
	All []*Subject
}

// Errors actions return (wrapped).
var (
	// ErrGone: the resource no longer exists; the step is reported and
	// skipped.
	ErrGone = errors.New("resource no longer exists")
	// ErrIrreversible: Rollback cannot restore the before-state.
	ErrIrreversible = errors.New("action is not reversible")
	// ErrDenied: the cloud or service refused the call (permissions).
	ErrDenied = errors.New("call denied")
	// ErrInput: a step input is missing or invalid.
	ErrInput = errors.New("invalid step input")
)

// Env is what the engine gives actions when they run.
type Env struct {
	// Secret resolves a secret reference ("env:NAME", "file:PATH").
	Secret func(ref string) (string, error)
	// Wait blocks until the rate limit of api (Call.Service) allows one
	// more call; nil: no limit.
	Wait func(ctx context.Context, api string) error
	// Record is told about each call made and its result (the trail); nil:
	// not recorded.
	Record func(ctx context.Context, c Call, took time.Duration, err error)
	// Now is the clock (default time.Now).
	Now    func() time.Time
	Logger *slog.Logger
}

// Do makes one API call through the rate limit and records it.
func (e *Env) Do(ctx context.Context, c Call, fn func(ctx context.Context) error) error {
	if e != nil && e.Wait != nil {
		if err := e.Wait(ctx, c.Service); err != nil {
			return err
		}
	}
	start := time.Now()
	err := fn(ctx)
	if e != nil && e.Record != nil {
		e.Record(ctx, c, time.Since(start), err)
	}
	return err
}

// SecretValue resolves ref with e.Secret, or from the environment and
// files when e.Secret is nil.
func (e *Env) SecretValue(ref string) (string, error) {
	if e != nil && e.Secret != nil {
		return e.Secret(ref)
	}
	return ResolveSecret(ref)
}
