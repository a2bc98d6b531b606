package awsrespond

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/collect/aws/awstest"
	"github.com/vigil-sec/vigil/internal/respond"
	"github.com/vigil-sec/vigil/internal/respond/respondtest"
)

const (
	leakedKey = "AKIAIOSFODNN7LEAKED"
	otherKey  = "AKIAIOSFODNN7OTHER1"
)

func keysCloud(t *testing.T) *cloud {
	return newCloud(t, func(st *awstest.State) {
		st.Account(caller).Users["alice"] = &awstest.User{Keys: []awstest.AccessKey{{ID: otherKey, Status: "Active"}, {ID: leakedKey, Status: "Active"}}}
		st.Account(caller).Users["bob"] = &awstest.User{Keys: []awstest.AccessKey{{ID: "AKIAIOSFODNN7BOBKEY", Status: "Active"}}}
	})
}

func (c *cloud) keys(acct, user string) map[string]string {
	out := map[string]string{}
	c.st.With(func() {
		for _, k := range c.st.Account(acct).Users[user].Keys {
			out[k.ID] = k.Status
		}
	})
	return out
}

// TestDeactivateOneNamedKey: a user with two active keys keeps the one not
// named active through apply, a second apply and rollback; another user's
// key is not touched.
func TestDeactivateOneNamedKey(t *testing.T) {
	c := keysCloud(t)
	a := c.action(t, "aws.iam.deactivate-access-key")
	ch := respondtest.Lifecycle{
		Action:  a,
		Request: request(map[string]string{"access_key_id": leakedKey, "user": "arn:aws:iam::111122223333:user/engineering/alice"}),
		Before: func(t *testing.T) {
			if k := c.keys(caller, "alice"); k[leakedKey] != "Active" {
				t.Errorf("alice's keys %v, want %s active", k, leakedKey)
			}
		},
		After: func(t *testing.T) {
			if k := c.keys(caller, "alice"); k[leakedKey] != "Inactive" {
				t.Errorf("alice's keys %v, want %s inactive", k, leakedKey)
			}
		},
		Unrelated: func(t *testing.T) {
			if k := c.keys(caller, "alice"); k[otherKey] != "Active" || len(k) != 2 {
				t.Errorf("alice's keys %v: the key not named (%s) must stay active", k, otherKey)
			}
			if k := c.keys(caller, "bob"); k["AKIAIOSFODNN7BOBKEY"] != "Active" {
				t.Errorf("bob's keys %v changed", k)
			}
		},
	}.Run(t)
	if len(ch.Calls) != 1 || ch.Calls[0].Params["AccessKeyId"] != leakedKey || ch.Resource != "arn:aws:iam::111122223333:user/alice" {
		t.Errorf("change %+v: want one UpdateAccessKey of %s on alice", ch, leakedKey)
	}
	// One write to deactivate, one to roll back: never one per key.
	updates := 0
	for _, r := range c.srv.Requests() {
		if r.Op == "UpdateAccessKey" {
			updates++
		}
	}
	if updates != 2 {
		t.Errorf("%d UpdateAccessKey calls, want 2 (apply, rollback)", updates)
	}
	c.checkPermissions(t, a)
}

func TestDeactivateKeyInputs(t *testing.T) {
	c := keysCloud(t)
	a := c.action(t, "aws.iam.deactivate-access-key")
	for _, tc := range []struct {
		inputs map[string]string
		want   error
	}{
		{map[string]string{"user": "alice"}, respond.ErrInput},                                             // no key: never "all keys"
		{map[string]string{"access_key_id": leakedKey}, respond.ErrInput},                                  // no user
		{map[string]string{"access_key_id": "ASIAIOSFODNN7EXAMPL", "user": "alice"}, respond.ErrInput},     // temporary key
		{map[string]string{"access_key_id": "not a key", "user": "alice"}, respond.ErrInput},               // not an ID
		{map[string]string{"access_key_id": leakedKey, "user": "arn:aws:iam::1:role/x"}, respond.ErrInput}, // a role ARN
		{map[string]string{"access_key_id": leakedKey, "user": "carol"}, respond.ErrGone},                  // no such user
		{map[string]string{"access_key_id": leakedKey, "user": "bob"}, respond.ErrGone},                    // not bob's key
	} {
		_, err := plan(t, a, tc.inputs)
		mustErr(t, "inputs "+fmtMap(tc.inputs), err, tc.want)
	}
	if k := c.keys(caller, "alice"); k[leakedKey] != "Active" || k[otherKey] != "Active" {
		t.Errorf("alice's keys changed by refused plans: %v", k)
	}
}

func fmtMap(m map[string]string) string {
	var parts []string
	for k, v := range m {
		parts = append(parts, k+"="+v)
	}
	slices.Sort(parts)
	return strings.Join(parts, " ")
}

func TestDetachPolicyLifecycle(t *testing.T) {
	const (
		admin = "arn:aws:iam::aws:policy/AdministratorAccess"
		read  = "arn:aws:iam::aws:policy/ReadOnlyAccess"
	)
	for _, tc := range []struct{ kind, input string }{
		{"user", "alice"},
		{"role", "arn:aws:sts::111122223333:assumed-role/deploy/session-1"},
		{"group", "arn:aws:iam::111122223333:group/admins"},
	} {
		t.Run(tc.kind, func(t *testing.T) {
			c := newCloud(t, func(st *awstest.State) {
				a := st.Account(caller)
				a.Users["alice"] = &awstest.User{Policies: []string{read, admin}}
				a.Roles["deploy"] = []string{read, admin}
				a.Groups["admins"] = []string{read, admin}
			})
			attached := func() (out []string) {
				c.st.With(func() {
					a := c.st.Account(caller)
					switch tc.kind {
					case "user":
						out = slices.Clone(a.Users["alice"].Policies)
					case "role":
						out = slices.Clone(a.Roles["deploy"])
					default:
						out = slices.Clone(a.Groups["admins"])
					}
				})
				slices.Sort(out)
				return out
			}
			a := c.action(t, "aws.iam.detach-policy")
			respondtest.Lifecycle{
				Action:  a,
				Request: request(map[string]string{"policy_arn": admin, tc.kind: tc.input}),
				Before: func(t *testing.T) {
					if got := attached(); !slices.Equal(got, []string{admin, read}) {
						t.Errorf("attached %v, want both policies", got)
					}
				},
				After: func(t *testing.T) {
					if got := attached(); !slices.Equal(got, []string{read}) {
						t.Errorf("attached %v, want only %s", got, read)
					}
				},
			}.Run(t)
			c.checkPermissions(t, a)
		})
	}
}

func TestDetachPolicyInputs(t *testing.T) {
	c := newCloud(t, nil)
	a := c.action(t, "aws.iam.detach-policy")
	const p = "arn:aws:iam::aws:policy/AdministratorAccess"
	for what, tc := range map[string]struct {
		inputs map[string]string
		want   error
	}{
		"no principal":      {map[string]string{"policy_arn": p}, respond.ErrInput},
		"two principals":    {map[string]string{"policy_arn": p, "user": "a", "role": "b"}, respond.ErrInput},
		"not a policy ARN":  {map[string]string{"policy_arn": "AdministratorAccess", "user": "a"}, respond.ErrInput},
		"missing user":      {map[string]string{"policy_arn": p, "user": "ghost"}, respond.ErrGone},
		"missing role":      {map[string]string{"policy_arn": p, "role": "ghost"}, respond.ErrGone},
		"user ARN as group": {map[string]string{"policy_arn": p, "group": "arn:aws:iam::1:user/a"}, respond.ErrInput},
	} {
		_, err := a.Plan(context.Background(), nil, request(tc.inputs))
		mustErr(t, what, err, tc.want)
	}
}

// TestRollbackOfNoOpApply: a key deactivated by someone else between plan
// and apply is left alone by the apply, and the rollback of that apply
// does not reactivate it.
func TestRollbackOfNoOpApply(t *testing.T) {
	c := keysCloud(t)
	a := c.action(t, "aws.iam.deactivate-access-key")
	ctx := context.Background()
	ch, err := plan(t, a, map[string]string{"access_key_id": leakedKey, "user": "alice"})
	if err != nil {
		t.Fatal(err)
	}
	c.st.With(func() { c.st.Account(caller).Users["alice"].Keys[1].Status = "Inactive" })
	rec := &respondtest.Recorder{}
	done, err := a.Apply(ctx, rec.Env(), ch)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Rollback(ctx, rec.Env(), ch, done); err != nil {
		t.Fatal(err)
	}
	if w := rec.Writes(); len(w) > 0 {
		t.Errorf("writes %+v, want none", w)
	}
	if k := c.keys(caller, "alice"); k[leakedKey] != "Inactive" {
		t.Errorf("the rollback of an apply that changed nothing made the key %s", k[leakedKey])
	}
}
