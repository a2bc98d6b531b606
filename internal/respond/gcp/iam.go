package gcprespond

import (
	"context"
	"fmt"
	"strings"

	iam "google.golang.org/api/iam/v1"

	"github.com/vigil-sec/vigil/internal/lazyre"
	"github.com/vigil-sec/vigil/internal/respond"
)

// disableKey disables ONE named service-account key; the account's other
// keys are never touched.
type disableKey struct{ c *clients }

// keyName is a key's resource name: projects/P/serviceAccounts/SA/keys/ID,
// P a project or "-", SA an email or a unique ID, ID hexadecimal.
var keyName = lazyre.Regexp{Expr: `^projects/(-|[a-z0-9][a-z0-9.:-]*)/serviceAccounts/([A-Za-z0-9][A-Za-z0-9@._-]*)/keys/([0-9a-fA-F]+)$`}

type disableKeyState struct {
	Key    string `json:"key"`
	Before bool   `json:"disabled_before"`
	respond.Applied
}

const keyAction = "gcp.iam.disable-service-account-key"

func (a *disableKey) Spec() respond.Spec {
	return respond.Spec{
		Name: keyAction, Class: respond.Remediate, Provider: "gcp", Tactic: "evict", Reversible: true,
		Description: "Disables one named user-managed service-account key (never the account's other keys); rollback enables it again.",
		Inputs: []respond.Input{
			{Name: "key", Required: true, Description: "the key: projects/P/serviceAccounts/SA/keys/ID (or its //iam.googleapis.com/ name), or its ID with service_account"},
			{Name: "service_account", Description: "the key's service account (an email) when key is an ID"},
		},
		Permissions: []string{"iam.serviceAccountKeys.get", "iam.serviceAccountKeys.disable", "iam.serviceAccountKeys.enable"},
	}
}

// parseKey reads the key's resource name from the inputs.
func parseKey(req *respond.Request) (name, project string, err error) {
	v, err := required(req, keyAction, "key")
	if err != nil {
		return "", "", err
	}
	v = strings.TrimPrefix(v, "//iam.googleapis.com/")
	if sa := in(req, "service_account"); sa != "" && !strings.Contains(v, "/") {
		sa = strings.TrimPrefix(sa, "serviceAccount:")
		// "-" stands for the account's project, which the API infers.
		v = "projects/-/serviceAccounts/" + sa + "/keys/" + v
	}
	m := keyName.Get().FindStringSubmatch(v)
	if m == nil {
		return "", "", fmt.Errorf("%w: %s: key %q is not a key's name (projects/P/serviceAccounts/SA/keys/ID): one named key is disabled, never all of an account's", respond.ErrInput, keyAction, in(req, "key"))
	}
	project = m[1]
	if project == "-" {
		if _, domain, ok := strings.Cut(m[2], "@"); ok {
			project, _, _ = strings.Cut(domain, ".iam.gserviceaccount.com")
		}
	}
	return v, project, nil
}

func (a *disableKey) get(ctx context.Context, env *respond.Env, name string) (*iam.ServiceAccountKey, error) {
	svc, err := a.c.iamSvc(ctx)
	if err != nil {
		return nil, err
	}
	var k *iam.ServiceAccountKey
	err = a.c.do(ctx, env, respond.Call{Service: "iam.googleapis.com", Operation: "serviceAccounts.keys.get", Target: "//iam.googleapis.com/" + name, ReadOnly: true},
		func(ctx context.Context) error {
			var err error
			k, err = svc.getKey(ctx, name)
			return err
		})
	if err != nil {
		return nil, err
	}
	if k.KeyType == "SYSTEM_MANAGED" {
		return nil, fmt.Errorf("%w: %s: key %s is managed by Google: it cannot be disabled (remove the account's role bindings instead)", respond.ErrInput, keyAction, name)
	}
	return k, nil
}

func setKeyCall(name string, disabled bool) respond.Call {
	op := "serviceAccounts.keys.enable"
	if disabled {
		op = "serviceAccounts.keys.disable"
	}
	return respond.Call{Service: "iam.googleapis.com", Operation: op, Target: "//iam.googleapis.com/" + name}
}

func (a *disableKey) set(ctx context.Context, env *respond.Env, name string, disabled bool) error {
	svc, err := a.c.iamSvc(ctx)
	if err != nil {
		return err
	}
	return a.c.do(ctx, env, setKeyCall(name, disabled), func(ctx context.Context) error {
		return svc.setKey(ctx, name, disabled)
	})
}

func (a *disableKey) Plan(ctx context.Context, env *respond.Env, req *respond.Request) (*respond.Change, error) {
	name, project, err := parseKey(req)
	if err != nil {
		return nil, err
	}
	k, err := a.get(ctx, env, name)
	if err != nil {
		return nil, err
	}
	if project == "-" || project == "" {
		project = a.c.project(req)
	}
	ch := &respond.Change{Action: keyAction, Resource: "//iam.googleapis.com/" + name, Provider: "gcp", Account: project, Inputs: req.Inputs,
		Reversible: true, State: respond.State(disableKeyState{Key: name, Before: k.Disabled})}
	if k.Disabled {
		ch.NoOp, ch.Reason = true, "key "+name+" is already disabled"
		return ch, nil
	}
	ch.Diff = []respond.AttrChange{{Attribute: "disabled", Before: false, After: true}}
	ch.Calls = []respond.Call{setKeyCall(name, true)}
	return ch, nil
}

func (a *disableKey) Apply(ctx context.Context, env *respond.Env, ch *respond.Change) (*respond.Outcome, error) {
	var st disableKeyState
	if err := respond.ReadState(ch.State, &st, ch.Action); err != nil {
		return nil, err
	}
	k, err := a.get(ctx, env, st.Key)
	if err != nil {
		return nil, err
	}
	undo := disableKeyState{Key: st.Key, Before: k.Disabled}
	if k.Disabled {
		return &respond.Outcome{Undo: respond.State(undo), Note: "already applied: the key is disabled"}, nil
	}
	if err := a.set(ctx, env, st.Key, true); err != nil {
		return nil, err
	}
	undo.Changed = true
	return &respond.Outcome{Undo: respond.State(undo), Note: "key " + st.Key + " disabled"}, nil
}

func (a *disableKey) Rollback(ctx context.Context, env *respond.Env, ch *respond.Change, done *respond.Outcome) (*respond.Outcome, error) {
	var st disableKeyState
	if changed, err := respond.RollbackOf(ch, done, &st); err != nil || !changed {
		return respond.Unchanged(err)
	}
	k, err := a.get(ctx, env, st.Key)
	if err != nil {
		return nil, err
	}
	if k.Disabled == st.Before {
		return &respond.Outcome{Note: "already as before"}, nil
	}
	if err := a.set(ctx, env, st.Key, st.Before); err != nil {
		return nil, err
	}
	return &respond.Outcome{Note: "key " + st.Key + " enabled again"}, nil
}
