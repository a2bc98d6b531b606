package awsrespond

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/netip"
	"slices"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/vigil-sec/vigil/internal/iam/awspolicy"
	"github.com/vigil-sec/vigil/internal/resource"
	"github.com/vigil-sec/vigil/internal/respond"
)

// policy is a bucket policy's top-level members, the statements kept as
// written.
type policy struct {
	members    map[string]json.RawMessage
	statements []json.RawMessage
}

// parsePolicy reads a policy document's text.
func parsePolicy(text string) (*policy, error) {
	p := &policy{}
	if err := json.Unmarshal([]byte(text), &p.members); err != nil {
		return nil, fmt.Errorf("the bucket policy is not a JSON object: %v", err)
	}
	raw := bytes.TrimSpace(p.members["Statement"])
	switch {
	case len(raw) == 0, string(raw) == "null":
	case raw[0] == '[':
		if err := json.Unmarshal(raw, &p.statements); err != nil {
			return nil, fmt.Errorf("the bucket policy's Statement does not read: %v", err)
		}
	default:
		p.statements = []json.RawMessage{raw}
	}
	return p, nil
}

// text writes the policy with statements: Version, Id, Statement first.
func (p *policy) text(statements []json.RawMessage) string {
	var b strings.Builder
	b.WriteString("{")
	keys := []string{}
	for k := range p.members {
		if k != "Version" && k != "Id" && k != "Statement" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	first := true
	add := func(k string, v []byte) {
		if !first {
			b.WriteString(",")
		}
		first = false
		kb, _ := json.Marshal(k)
		b.Write(kb)
		b.WriteString(":")
		b.Write(v)
	}
	for _, k := range []string{"Version", "Id"} {
		if v, ok := p.members[k]; ok {
			add(k, v)
		}
	}
	if statements == nil {
		statements = []json.RawMessage{}
	}
	st, _ := json.Marshal(statements)
	add("Statement", st)
	for _, k := range keys {
		add(k, p.members[k])
	}
	b.WriteString("}")
	return b.String()
}

// canonical is a JSON value re-encoded (keys sorted, no spaces): two
// statements are the same when their canonical forms are.
func canonical(raw []byte) string {
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return string(raw)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// publicStatement reports whether one statement lets anyone in: an Allow
// to Principal "*" or {"AWS": "*"} (or with NotPrincipal) without a
// condition restricting who or from where.
func publicStatement(raw json.RawMessage) bool {
	d := awspolicy.Parse(`{"Statement":[` + string(raw) + `]}`)
	if d == nil || d.Error != "" || len(d.Statements) != 1 {
		return false
	}
	s := d.Statements[0]
	if s.Effect != "Allow" {
		return false
	}
	anyone := len(s.NotPrincipals) > 0 || slices.ContainsFunc(s.Principals, awspolicy.IsAnyone)
	return anyone && !slices.ContainsFunc(s.Conditions, restricts)
}

// restrictingKey reports the condition keys that narrow a statement to
// known principals, networks or sources (lower case).
func restrictingKey(k string) bool {
	switch k {
	case "aws:sourceip",
		"aws:sourcevpc",
		"aws:sourcevpce",
		"aws:sourcearn",
		"aws:sourceaccount",
		"aws:sourceowner",
		"aws:sourceorgid",
		"aws:sourceorgpaths",
		"aws:principalorgid",
		"aws:principalorgpaths",
		"aws:principalaccount",
		"aws:principalarn",
		"aws:principalservicename",
		"aws:userid",
		"aws:username",
		"s3:dataaccesspointarn",
		"s3:dataaccesspointaccount":
		return true
	}
	return false
}

// restricts reports whether a condition keeps the statement from being
// public: a positive test (not a Not... or Null operator, not IfExists,
// which passes when the key is absent) of a restricting key against
// values none of which is a wildcard or a CIDR wider than /8 (IPv4) or
// /32 (IPv6).
func restricts(c resource.Condition) bool {
	op := c.Operator
	if _, after, ok := strings.Cut(op, ":"); ok {
		op = after // ForAnyValue:, ForAllValues:
	}
	if strings.Contains(op, "Not") || op == "Null" || strings.HasSuffix(op, "IfExists") || !restrictingKey(strings.ToLower(c.Key)) {
		return false
	}
	if len(c.Values) == 0 {
		return false
	}
	for _, v := range c.Values {
		v = strings.TrimSpace(v)
		if v == "" || strings.Trim(v, "*?") == "" {
			return false
		}
		if strings.EqualFold(c.Key, "aws:SourceIp") {
			p, err := netip.ParsePrefix(v)
			if err != nil {
				if a, aerr := netip.ParseAddr(v); aerr == nil {
					p = netip.PrefixFrom(a, a.BitLen())
				} else {
					return false
				}
			}
			if (p.Addr().Is4() && p.Bits() < 8) || (p.Addr().Is6() && p.Bits() < 32) {
				return false
			}
		}
	}
	return true
}

// deletePublicStatement removes the public statements of a bucket policy.
type deletePublicStatement struct{ c *clients }

type policyState struct {
	Bucket string `json:"bucket"`
	// Before is the policy text as read ("" none).
	Before string `json:"before"`
	// Remove are the statements planned for removal.
	Remove []json.RawMessage `json:"remove,omitempty"`
	// After (undo only) is the policy written ("" deleted).
	After string `json:"after,omitempty"`
	respond.Applied
}

func (a *deletePublicStatement) Spec() respond.Spec {
	return respond.Spec{
		Name: "aws.s3.delete-public-policy-statement", Class: respond.Remediate, Provider: "aws", Tactic: "harden", Reversible: true,
		Description: "Removes the statements of a bucket policy that allow anyone (Principal \"*\" or {\"AWS\": \"*\"}, or NotPrincipal) " +
			"without a condition restricting the source or principal (aws:SourceIp, aws:SourceVpc(e), aws:PrincipalOrgID...); the other " +
			"statements are kept, and the policy is deleted when none is left (with the input sid, only that statement). Rollback puts the previous policy back.",
		Inputs: append([]respond.Input{bucketInput,
			{Name: "sid", Description: "only the public statement with this Sid (refused when that statement is not public)"}}, placeInputs...),
		Permissions: []string{"s3:GetBucketPolicy", "s3:PutBucketPolicy", "s3:DeleteBucketPolicy"},
	}
}

// read returns the bucket's policy text ("" when it has none).
func (a *deletePublicStatement) read(ctx context.Context, env *respond.Env, t target, bucket string) (string, error) {
	var text string
	err := do(ctx, env, respond.Call{Service: "s3", Operation: "GetBucketPolicy", Target: bucketARN(t, bucket),
		Params: map[string]any{"Bucket": bucket}, ReadOnly: true}, []string{"NoSuchBucket"}, func(ctx context.Context) error {
		out, err := t.s3().GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: &bucket})
		if isCode(err, "NoSuchBucketPolicy") {
			return nil
		}
		if err == nil {
			text = aws.ToString(out.Policy)
		}
		return err
	})
	return text, err
}

// write puts text as the bucket's policy, or deletes it when text is "".
func (a *deletePublicStatement) write(ctx context.Context, env *respond.Env, t target, bucket, text string) error {
	c := a.writeCall(t, bucket, text)
	return do(ctx, env, c, []string{"NoSuchBucket"}, func(ctx context.Context) error {
		var err error
		if text == "" {
			_, err = t.s3().DeleteBucketPolicy(ctx, &s3.DeleteBucketPolicyInput{Bucket: &bucket})
		} else {
			_, err = t.s3().PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: &bucket, Policy: &text})
		}
		return err
	})
}

func (a *deletePublicStatement) writeCall(t target, bucket, text string) respond.Call {
	if text == "" {
		return respond.Call{Service: "s3", Operation: "DeleteBucketPolicy", Target: bucketARN(t, bucket), Params: map[string]any{"Bucket": bucket}}
	}
	var policy any = text // shown as JSON when it is
	if json.Valid([]byte(text)) {
		policy = json.RawMessage(text)
	}
	return respond.Call{Service: "s3", Operation: "PutBucketPolicy", Target: bucketARN(t, bucket),
		Params: map[string]any{"Bucket": bucket, "Policy": policy}}
}

func (a *deletePublicStatement) Plan(ctx context.Context, env *respond.Env, req *respond.Request) (*respond.Change, error) {
	name := a.Spec().Name
	bucket, err := bucketOf(req, name)
	if err != nil {
		return nil, err
	}
	t, err := a.c.resolve(ctx, env, req, "", "")
	if err != nil {
		return nil, err
	}
	text, err := a.read(ctx, env, t, bucket)
	if t.moveToBucketRegion(err) {
		text, err = a.read(ctx, env, t, bucket)
	}
	if err != nil {
		return nil, err
	}
	ch := &respond.Change{Action: name, Resource: bucketARN(t, bucket), Provider: "aws", Account: t.account, Region: t.region,
		Inputs: req.Inputs, Reversible: true}
	if text == "" {
		ch.NoOp, ch.Reason = true, "the bucket has no policy"
		return ch, nil
	}
	p, err := parsePolicy(text)
	if err != nil {
		return nil, fmt.Errorf("%s: bucket %s: %w", name, bucket, err)
	}
	st := policyState{Bucket: bucket, Before: text}
	only := in(req, "sid")
	var kept []json.RawMessage
	for i, s := range p.statements {
		if only != "" && sid(s) != only {
			kept = append(kept, s)
			continue
		}
		if !publicStatement(s) {
			if only != "" {
				return nil, fmt.Errorf("%w: %s: statement %s of bucket %s's policy is not public (it does not allow anyone, or a condition restricts it): not removed", respond.ErrInput, name, only, bucket)
			}
			kept = append(kept, s)
			continue
		}
		st.Remove = append(st.Remove, s)
		var before any
		_ = json.Unmarshal(s, &before)
		ch.Diff = append(ch.Diff, respond.AttrChange{Attribute: fmt.Sprintf("Policy.Statement[%d]%s", i, sidOf(s)), Before: before, After: nil})
	}
	if len(st.Remove) == 0 {
		ch.NoOp, ch.Reason = true, "no statement of the bucket policy allows anyone without a restricting condition"
		if only != "" {
			ch.Reason = "the bucket policy has no statement " + only
		}
		return ch, nil
	}
	after := ""
	if len(kept) > 0 {
		after = p.text(kept)
	}
	ch.Diff = append(ch.Diff, respond.AttrChange{Attribute: "Policy.StatementCount", Before: len(p.statements), After: len(kept)})
	ch.Calls = []respond.Call{a.writeCall(t, bucket, after)}
	ch.State = respond.State(st)
	return ch, nil
}

func sid(raw json.RawMessage) string {
	var s struct{ Sid string }
	_ = json.Unmarshal(raw, &s)
	return s.Sid
}

func sidOf(raw json.RawMessage) string {
	if s := sid(raw); s != "" {
		return " (Sid " + s + ")"
	}
	return ""
}

func (a *deletePublicStatement) Apply(ctx context.Context, env *respond.Env, ch *respond.Change) (*respond.Outcome, error) {
	var st policyState
	if err := respond.ReadState(ch.State, &st, ch.Action); err != nil {
		return nil, err
	}
	t, err := a.c.forChange(ctx, env, ch)
	if err != nil {
		return nil, err
	}
	text, err := a.read(ctx, env, t, st.Bucket)
	if err != nil {
		return nil, err
	}
	undo := policyState{Bucket: st.Bucket, Before: text}
	if text == "" {
		return &respond.Outcome{Undo: respond.State(undo), Note: "already applied: the bucket has no policy"}, nil
	}
	p, err := parsePolicy(text)
	if err != nil {
		return nil, fmt.Errorf("%s: bucket %s: %w", ch.Action, st.Bucket, err)
	}
	// Only the statements the plan showed are removed (one added since
	// was not approved).
	remove := map[string]bool{}
	for _, s := range st.Remove {
		remove[canonical(s)] = true
	}
	var kept []json.RawMessage
	for _, s := range p.statements {
		if !remove[canonical(s)] {
			kept = append(kept, s)
		}
	}
	if len(kept) == len(p.statements) {
		return &respond.Outcome{Undo: respond.State(undo), Note: "already applied: the planned statements are not in the policy"}, nil
	}
	if len(kept) > 0 {
		undo.After = p.text(kept)
	}
	if err := a.write(ctx, env, t, st.Bucket, undo.After); err != nil {
		return nil, err
	}
	undo.Changed = true
	note := fmt.Sprintf("%d statement(s) removed", len(p.statements)-len(kept))
	if undo.After == "" {
		note += ", the policy deleted (nothing left)"
	}
	return &respond.Outcome{Undo: respond.State(undo), Note: note}, nil
}

func (a *deletePublicStatement) Rollback(ctx context.Context, env *respond.Env, ch *respond.Change, done *respond.Outcome) (*respond.Outcome, error) {
	var st policyState
	if changed, err := respond.RollbackOf(ch, done, &st); err != nil || !changed {
		return respond.Unchanged(err)
	}
	t, err := a.c.forChange(ctx, env, ch)
	if err != nil {
		return nil, err
	}
	cur, err := a.read(ctx, env, t, st.Bucket)
	if err != nil {
		return nil, err
	}
	if cur != "" && canonical([]byte(cur)) == canonical([]byte(st.Before)) {
		return &respond.Outcome{Note: "already as before"}, nil
	}
	if cur != "" && st.After != "" && canonical([]byte(cur)) != canonical([]byte(st.After)) {
		// Changed since: the removed statements are added back to it.
		p, err := parsePolicy(cur)
		if err != nil {
			return nil, fmt.Errorf("%s: bucket %s: %w", ch.Action, st.Bucket, err)
		}
		have := map[string]bool{}
		for _, s := range p.statements {
			have[canonical(s)] = true
		}
		stmts := p.statements
		for _, s := range st.Remove {
			if !have[canonical(s)] {
				stmts = append(stmts, s)
			}
		}
		if len(stmts) == len(p.statements) {
			return &respond.Outcome{Note: "the removed statements are back already"}, nil
		}
		if err := a.write(ctx, env, t, st.Bucket, p.text(stmts)); err != nil {
			return nil, err
		}
		return &respond.Outcome{Note: "the policy changed since the apply: the removed statements were added back to it"}, nil
	}
	if err := a.write(ctx, env, t, st.Bucket, st.Before); err != nil {
		return nil, err
	}
	return &respond.Outcome{Note: "previous bucket policy put back"}, nil
}
