package awsrespond

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/vigil-sec/vigil/internal/lazyre"
	"github.com/vigil-sec/vigil/internal/respond"
)

// principalOf reads an IAM principal input of kind "user", "role" or
// "group": a name or an ARN (an STS assumed-role ARN names its role). It
// returns the name and the ARN's account ("" for a name).
func principalOf(v, kind, action string) (name, account string, err error) {
	rest, ok := strings.CutPrefix(v, "arn:")
	if !ok {
		if strings.ContainsAny(v, "/: ") {
			return "", "", fmt.Errorf("%w: %s: %s %q is neither a name nor an ARN", respond.ErrInput, action, kind, v)
		}
		return v, "", nil
	}
	parts := strings.SplitN(rest, ":", 5)
	if len(parts) == 5 {
		res := parts[4]
		switch {
		case parts[1] == "iam" && strings.HasPrefix(res, kind+"/"):
			return res[strings.LastIndex(res, "/")+1:], parts[3], nil
		case parts[1] == "sts" && kind == "role" && strings.HasPrefix(res, "assumed-role/"):
			role, _, _ := strings.Cut(strings.TrimPrefix(res, "assumed-role/"), "/")
			return role, parts[3], nil
		}
	}
	return "", "", fmt.Errorf("%w: %s: %q is not an IAM %s ARN", respond.ErrInput, action, v, kind)
}

func iamARN(t target, kind, name string) string {
	return "arn:" + t.partition + ":iam::" + t.account + ":" + kind + "/" + name
}

// deactivateKey sets ONE named access key of a user to Inactive; the
// user's other keys are never touched.
type deactivateKey struct{ c *clients }

var accessKeyID = lazyre.Regexp{Expr: `^[A-Z0-9]{16,128}$`}

type keyState struct {
	User   string `json:"user"`
	Key    string `json:"access_key_id"`
	Before string `json:"before"` // the key's status
	respond.Applied
}

func (a *deactivateKey) Spec() respond.Spec {
	return respond.Spec{
		Name: "aws.iam.deactivate-access-key", Class: respond.Remediate, Provider: "aws", Tactic: "evict", Reversible: true,
		Description: "Sets one named access key of an IAM user to Inactive (never the user's other keys); rollback makes it Active again.",
		Inputs: append([]respond.Input{
			{Name: "access_key_id", Required: true, Description: "the access key to deactivate (AKIA...)"},
			{Name: "user", Required: true, Description: "the key's user: a name or an ARN"},
		}, placeInputs...),
		Permissions: []string{"iam:ListAccessKeys", "iam:UpdateAccessKey"},
	}
}

// status reads the key's status among the user's keys.
func (a *deactivateKey) status(ctx context.Context, env *respond.Env, t target, user, key string) (string, error) {
	var found string
	err := do(ctx, env, respond.Call{Service: "iam", Operation: "ListAccessKeys", Target: iamARN(t, "user", user),
		Params: map[string]any{"UserName": user}, ReadOnly: true}, []string{"NoSuchEntity"}, func(ctx context.Context) error {
		p := iam.NewListAccessKeysPaginator(iamListAccessKeys(t.iam().ListAccessKeys), &iam.ListAccessKeysInput{UserName: &user})
		for p.HasMorePages() {
			out, err := p.NextPage(ctx)
			if err != nil {
				return err
			}
			for _, k := range out.AccessKeyMetadata {
				if aws.ToString(k.AccessKeyId) == key {
					found = string(k.Status)
				}
			}
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	if found == "" {
		return "", fmt.Errorf("%w: access key %s is not a key of user %s", respond.ErrGone, key, user)
	}
	return found, nil
}

func (a *deactivateKey) updateCall(t target, user, key, status string) respond.Call {
	return respond.Call{Service: "iam", Operation: "UpdateAccessKey", Target: iamARN(t, "user", user),
		Params: map[string]any{"UserName": user, "AccessKeyId": key, "Status": status}}
}

func (a *deactivateKey) update(ctx context.Context, env *respond.Env, t target, user, key, status string) error {
	return do(ctx, env, a.updateCall(t, user, key, status), []string{"NoSuchEntity"}, func(ctx context.Context) error {
		_, err := t.iam().UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{UserName: &user, AccessKeyId: &key, Status: iamtypes.StatusType(status)})
		return err
	})
}

func (a *deactivateKey) Plan(ctx context.Context, env *respond.Env, req *respond.Request) (*respond.Change, error) {
	name := a.Spec().Name
	key, err := required(req, name, "access_key_id")
	if err != nil {
		return nil, err
	}
	if strings.HasPrefix(key, "ASIA") {
		return nil, fmt.Errorf("%w: %s: %s is a temporary (STS) access key: it cannot be deactivated, its session's role can be made to refuse it", respond.ErrInput, name, key)
	}
	if !accessKeyID.Get().MatchString(key) {
		return nil, fmt.Errorf("%w: %s: access_key_id %q is not an access key ID", respond.ErrInput, name, key)
	}
	u, err := required(req, name, "user")
	if err != nil {
		return nil, err
	}
	user, acct, err := principalOf(u, "user", name)
	if err != nil {
		return nil, err
	}
	t, err := a.c.resolve(ctx, env, req, acct, "")
	if err != nil {
		return nil, err
	}
	status, err := a.status(ctx, env, t, user, key)
	if err != nil {
		return nil, err
	}
	ch := &respond.Change{Action: name, Resource: iamARN(t, "user", user), Provider: "aws", Account: t.account, Region: t.region,
		Inputs: req.Inputs, Reversible: true, State: respond.State(keyState{User: user, Key: key, Before: status})}
	if status == string(iamtypes.StatusTypeInactive) {
		ch.NoOp, ch.Reason = true, "access key "+key+" is already inactive"
		return ch, nil
	}
	ch.Diff = []respond.AttrChange{{Attribute: "AccessKey[" + key + "].Status", Before: status, After: "Inactive"}}
	ch.Calls = []respond.Call{a.updateCall(t, user, key, "Inactive")}
	return ch, nil
}

func (a *deactivateKey) Apply(ctx context.Context, env *respond.Env, ch *respond.Change) (*respond.Outcome, error) {
	var st keyState
	if err := respond.ReadState(ch.State, &st, ch.Action); err != nil {
		return nil, err
	}
	t, err := a.c.forChange(ctx, env, ch)
	if err != nil {
		return nil, err
	}
	status, err := a.status(ctx, env, t, st.User, st.Key)
	if err != nil {
		return nil, err
	}
	undo := keyState{User: st.User, Key: st.Key, Before: status}
	if status == string(iamtypes.StatusTypeInactive) {
		return &respond.Outcome{Undo: respond.State(undo), Note: "already applied: the key is inactive"}, nil
	}
	if err := a.update(ctx, env, t, st.User, st.Key, "Inactive"); err != nil {
		return nil, err
	}
	undo.Changed = true
	return &respond.Outcome{Undo: respond.State(undo), Note: "access key " + st.Key + " deactivated"}, nil
}

func (a *deactivateKey) Rollback(ctx context.Context, env *respond.Env, ch *respond.Change, done *respond.Outcome) (*respond.Outcome, error) {
	var st keyState
	if changed, err := respond.RollbackOf(ch, done, &st); err != nil || !changed {
		return respond.Unchanged(err)
	}
	t, err := a.c.forChange(ctx, env, ch)
	if err != nil {
		return nil, err
	}
	status, err := a.status(ctx, env, t, st.User, st.Key)
	if err != nil {
		return nil, err
	}
	if status == st.Before {
		return &respond.Outcome{Note: "already as before"}, nil
	}
	if err := a.update(ctx, env, t, st.User, st.Key, st.Before); err != nil {
		return nil, err
	}
	return &respond.Outcome{Note: "access key " + st.Key + " is " + st.Before + " again"}, nil
}

// detachPolicy detaches one managed policy from a user, role or group.
type detachPolicy struct{ c *clients }

type detachState struct {
	Kind   string   `json:"kind"` // User, Role, Group
	Name   string   `json:"name"`
	Policy string   `json:"policy_arn"`
	Before []string `json:"before"` // the attached policies
	respond.Applied
}

func (a *detachPolicy) Spec() respond.Spec {
	return respond.Spec{
		Name: "aws.iam.detach-policy", Class: respond.Remediate, Provider: "aws", Tactic: "evict", Reversible: true,
		Description: "Detaches one managed policy from an IAM user, role or group (exactly one of the three inputs); rollback attaches it again.",
		Inputs: append([]respond.Input{
			{Name: "policy_arn", Required: true, Description: "the managed policy's ARN"},
			{Name: "user", Description: "the user (name or ARN)"},
			{Name: "role", Description: "the role (name, ARN or an STS assumed-role ARN)"},
			{Name: "group", Description: "the group (name or ARN)"},
		}, placeInputs...),
		Permissions: []string{
			"iam:ListAttachedUserPolicies", "iam:ListAttachedRolePolicies", "iam:ListAttachedGroupPolicies",
			"iam:DetachUserPolicy", "iam:DetachRolePolicy", "iam:DetachGroupPolicy",
			"iam:AttachUserPolicy", "iam:AttachRolePolicy", "iam:AttachGroupPolicy",
		},
	}
}

func (a *detachPolicy) attached(ctx context.Context, env *respond.Env, t target, kind, name string) ([]string, error) {
	var arns []string
	cl := t.iam()
	err := do(ctx, env, respond.Call{Service: "iam", Operation: "ListAttached" + kind + "Policies", Target: iamARN(t, strings.ToLower(kind), name),
		Params: map[string]any{kind + "Name": name}, ReadOnly: true}, []string{"NoSuchEntity"}, func(ctx context.Context) error {
		arns = nil
		var marker *string
		for {
			var list []iamtypes.AttachedPolicy
			var more bool
			var err error
			switch kind {
			case "User":
				var out *iam.ListAttachedUserPoliciesOutput
				if out, err = cl.ListAttachedUserPolicies(ctx, &iam.ListAttachedUserPoliciesInput{UserName: &name, Marker: marker}); err == nil {
					list, more, marker = out.AttachedPolicies, out.IsTruncated, out.Marker
				}
			case "Role":
				var out *iam.ListAttachedRolePoliciesOutput
				if out, err = cl.ListAttachedRolePolicies(ctx, &iam.ListAttachedRolePoliciesInput{RoleName: &name, Marker: marker}); err == nil {
					list, more, marker = out.AttachedPolicies, out.IsTruncated, out.Marker
				}
			default:
				var out *iam.ListAttachedGroupPoliciesOutput
				if out, err = cl.ListAttachedGroupPolicies(ctx, &iam.ListAttachedGroupPoliciesInput{GroupName: &name, Marker: marker}); err == nil {
					list, more, marker = out.AttachedPolicies, out.IsTruncated, out.Marker
				}
			}
			if err != nil {
				return err
			}
			for _, p := range list {
				arns = append(arns, aws.ToString(p.PolicyArn))
			}
			if !more || marker == nil {
				return nil
			}
		}
	})
	return arns, err
}

func (a *detachPolicy) writeCall(t target, op string, st detachState) respond.Call {
	return respond.Call{Service: "iam", Operation: op + st.Kind + "Policy", Target: iamARN(t, strings.ToLower(st.Kind), st.Name),
		Params: map[string]any{st.Kind + "Name": st.Name, "PolicyArn": st.Policy}}
}

// write detaches (op "Detach") or attaches (op "Attach") the policy.
func (a *detachPolicy) write(ctx context.Context, env *respond.Env, t target, op string, st detachState) error {
	cl := t.iam()
	return do(ctx, env, a.writeCall(t, op, st), []string{"NoSuchEntity"}, func(ctx context.Context) error {
		var err error
		switch op + st.Kind {
		case "DetachUser":
			_, err = cl.DetachUserPolicy(ctx, &iam.DetachUserPolicyInput{UserName: &st.Name, PolicyArn: &st.Policy})
		case "DetachRole":
			_, err = cl.DetachRolePolicy(ctx, &iam.DetachRolePolicyInput{RoleName: &st.Name, PolicyArn: &st.Policy})
		case "DetachGroup":
			_, err = cl.DetachGroupPolicy(ctx, &iam.DetachGroupPolicyInput{GroupName: &st.Name, PolicyArn: &st.Policy})
		case "AttachUser":
			_, err = cl.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: &st.Name, PolicyArn: &st.Policy})
		case "AttachRole":
			_, err = cl.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: &st.Name, PolicyArn: &st.Policy})
		default:
			_, err = cl.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{GroupName: &st.Name, PolicyArn: &st.Policy})
		}
		return err
	})
}

func (a *detachPolicy) Plan(ctx context.Context, env *respond.Env, req *respond.Request) (*respond.Change, error) {
	name := a.Spec().Name
	policy, err := required(req, name, "policy_arn")
	if err != nil {
		return nil, err
	}
	if p := strings.SplitN(policy, ":", 6); len(p) != 6 || p[0] != "arn" || p[2] != "iam" || !strings.HasPrefix(p[5], "policy/") {
		return nil, fmt.Errorf("%w: %s: policy_arn %q is not an IAM policy ARN (arn:aws:iam::ACCOUNT:policy/NAME)", respond.ErrInput, name, policy)
	}
	var st detachState
	var acct string
	for _, kind := range []string{"user", "role", "group"} {
		v := in(req, kind)
		if v == "" {
			continue
		}
		if st.Kind != "" {
			return nil, fmt.Errorf("%w: %s: give one of user, role and group, not several", respond.ErrInput, name)
		}
		if st.Name, acct, err = principalOf(v, kind, name); err != nil {
			return nil, err
		}
		st.Kind = strings.ToUpper(kind[:1]) + kind[1:]
	}
	if st.Kind == "" {
		return nil, fmt.Errorf("%w: %s: one of the inputs user, role and group is required", respond.ErrInput, name)
	}
	st.Policy = policy
	t, err := a.c.resolve(ctx, env, req, acct, "")
	if err != nil {
		return nil, err
	}
	if st.Before, err = a.attached(ctx, env, t, st.Kind, st.Name); err != nil {
		return nil, err
	}
	ch := &respond.Change{Action: name, Resource: iamARN(t, strings.ToLower(st.Kind), st.Name), Provider: "aws", Account: t.account,
		Region: t.region, Inputs: req.Inputs, Reversible: true, State: respond.State(st)}
	if !slices.Contains(st.Before, policy) {
		ch.NoOp, ch.Reason = true, "policy "+policy+" is not attached to "+strings.ToLower(st.Kind)+" "+st.Name
		return ch, nil
	}
	after := slices.DeleteFunc(slices.Clone(st.Before), func(s string) bool { return s == policy })
	ch.Diff = []respond.AttrChange{{Attribute: "AttachedManagedPolicies", Before: st.Before, After: after}}
	ch.Calls = []respond.Call{a.writeCall(t, "Detach", st)}
	return ch, nil
}

func (a *detachPolicy) Apply(ctx context.Context, env *respond.Env, ch *respond.Change) (*respond.Outcome, error) {
	var st detachState
	if err := respond.ReadState(ch.State, &st, ch.Action); err != nil {
		return nil, err
	}
	t, err := a.c.forChange(ctx, env, ch)
	if err != nil {
		return nil, err
	}
	cur, err := a.attached(ctx, env, t, st.Kind, st.Name)
	if err != nil {
		return nil, err
	}
	undo := st
	undo.Before = cur
	if !slices.Contains(cur, st.Policy) {
		return &respond.Outcome{Undo: respond.State(undo), Note: "already applied: the policy is not attached"}, nil
	}
	if err := a.write(ctx, env, t, "Detach", st); err != nil {
		return nil, err
	}
	undo.Changed = true
	return &respond.Outcome{Undo: respond.State(undo), Note: "policy " + st.Policy + " detached"}, nil
}

func (a *detachPolicy) Rollback(ctx context.Context, env *respond.Env, ch *respond.Change, done *respond.Outcome) (*respond.Outcome, error) {
	var st detachState
	if changed, err := respond.RollbackOf(ch, done, &st); err != nil || !changed {
		return respond.Unchanged(err)
	}
	t, err := a.c.forChange(ctx, env, ch)
	if err != nil {
		return nil, err
	}
	cur, err := a.attached(ctx, env, t, st.Kind, st.Name)
	if err != nil {
		return nil, err
	}
	if slices.Contains(cur, st.Policy) {
		return &respond.Outcome{Note: "already as before: the policy is attached"}, nil
	}
	if err := a.write(ctx, env, t, "Attach", st); err != nil {
		return nil, err
	}
	return &respond.Outcome{Note: "policy " + st.Policy + " attached again"}, nil
}
