package awsrespond

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/vigil-sec/vigil/internal/respond"
)

var bucketInput = respond.Input{Name: "bucket", Required: true, Description: "the bucket's name or ARN (arn:aws:s3:::NAME)"}

// placeInputs are the optional inputs every action takes.
var placeInputs = []respond.Input{
	{Name: "account", Description: "the account ID (default: the subject's, else the caller's); another account is reached through the role Options.RoleName"},
	{Name: "region", Description: "the region (default: the subject's, else the configured one)"},
}

// bucketOf reads the bucket input: a name or an S3 ARN.
func bucketOf(req *respond.Request, action string) (string, error) {
	b, err := required(req, action, "bucket")
	if err != nil {
		return "", err
	}
	if rest, ok := strings.CutPrefix(b, "arn:"); ok {
		parts := strings.SplitN(rest, ":", 5)
		if len(parts) != 5 || parts[1] != "s3" || parts[4] == "" || strings.Contains(parts[4], "/") {
			return "", fmt.Errorf("%w: %s: bucket %q is not a bucket ARN (arn:aws:s3:::NAME)", respond.ErrInput, action, b)
		}
		b = parts[4]
	}
	if strings.ContainsAny(b, "/ ?#") {
		return "", fmt.Errorf("%w: %s: bucket %q is not a bucket name", respond.ErrInput, action, b)
	}
	return b, nil
}

func bucketARN(t target, bucket string) string { return "arn:" + t.partition + ":s3:::" + bucket }

// moveToBucketRegion reports whether err is S3's answer that the bucket
// is in another region (PermanentRedirect with x-amz-bucket-region) and
// then points t at that region: the planning reads again there and the
// change records it.
func (t *target) moveToBucketRegion(err error) bool {
	var re *awshttp.ResponseError
	if !errors.As(err, &re) || re.Response == nil {
		return false
	}
	r := re.Response.Header.Get("X-Amz-Bucket-Region")
	if r == "" || r == t.region {
		return false
	}
	t.region = r
	return true
}

// blockPublicAccess turns on the four public access block settings of
// one bucket.
type blockPublicAccess struct{ c *clients }

// pabFlags are a bucket's public access block settings.
type pabFlags struct {
	BlockPublicAcls       bool `json:"BlockPublicAcls"`
	IgnorePublicAcls      bool `json:"IgnorePublicAcls"`
	BlockPublicPolicy     bool `json:"BlockPublicPolicy"`
	RestrictPublicBuckets bool `json:"RestrictPublicBuckets"`
}

func (f pabFlags) list() []bool {
	return []bool{f.BlockPublicAcls, f.IgnorePublicAcls, f.BlockPublicPolicy, f.RestrictPublicBuckets}
}

var pabNames = []string{"BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"}

func (f pabFlags) all() bool { return f == pabFlags{true, true, true, true} }

// pabState is the before-state: whether a configuration was set, and its
// flags.
type pabState struct {
	Bucket  string   `json:"bucket"`
	Existed bool     `json:"existed"`
	Before  pabFlags `json:"before"`
	respond.Applied
}

func (a *blockPublicAccess) Spec() respond.Spec {
	return respond.Spec{
		Name: "aws.s3.block-public-access", Class: respond.Remediate, Provider: "aws", Tactic: "harden", Reversible: true,
		Description: "Turns on the four S3 Block Public Access settings of one bucket (BlockPublicAcls, IgnorePublicAcls, " +
			"BlockPublicPolicy, RestrictPublicBuckets); rollback restores the previous configuration, or deletes it when there was none.",
		Inputs:      append([]respond.Input{bucketInput}, placeInputs...),
		Permissions: []string{"s3:GetBucketPublicAccessBlock", "s3:PutBucketPublicAccessBlock"},
	}
}

func (a *blockPublicAccess) read(ctx context.Context, env *respond.Env, t target, bucket string) (f pabFlags, existed bool, err error) {
	var out *s3.GetPublicAccessBlockOutput
	err = do(ctx, env, respond.Call{Service: "s3", Operation: "GetPublicAccessBlock", Target: bucketARN(t, bucket),
		Params: map[string]any{"Bucket": bucket}, ReadOnly: true}, []string{"NoSuchBucket"}, func(ctx context.Context) error {
		var err error
		out, err = t.s3().GetPublicAccessBlock(ctx, &s3.GetPublicAccessBlockInput{Bucket: &bucket})
		if isCode(err, "NoSuchPublicAccessBlockConfiguration") {
			return nil // an answer: no configuration
		}
		return err
	})
	if err != nil || out == nil || out.PublicAccessBlockConfiguration == nil {
		return pabFlags{}, false, err
	}
	c := out.PublicAccessBlockConfiguration
	return pabFlags{aws.ToBool(c.BlockPublicAcls), aws.ToBool(c.IgnorePublicAcls), aws.ToBool(c.BlockPublicPolicy), aws.ToBool(c.RestrictPublicBuckets)}, true, nil
}

func (a *blockPublicAccess) putCall(t target, bucket string, f pabFlags) respond.Call {
	p := map[string]any{"Bucket": bucket}
	for i, v := range f.list() {
		p[pabNames[i]] = v
	}
	return respond.Call{Service: "s3", Operation: "PutPublicAccessBlock", Target: bucketARN(t, bucket), Params: p}
}

func (a *blockPublicAccess) put(ctx context.Context, env *respond.Env, t target, bucket string, f pabFlags) error {
	return do(ctx, env, a.putCall(t, bucket, f), []string{"NoSuchBucket"}, func(ctx context.Context) error {
		_, err := t.s3().PutPublicAccessBlock(ctx, &s3.PutPublicAccessBlockInput{Bucket: &bucket,
			PublicAccessBlockConfiguration: &s3types.PublicAccessBlockConfiguration{
				BlockPublicAcls: aws.Bool(f.BlockPublicAcls), IgnorePublicAcls: aws.Bool(f.IgnorePublicAcls),
				BlockPublicPolicy: aws.Bool(f.BlockPublicPolicy), RestrictPublicBuckets: aws.Bool(f.RestrictPublicBuckets)}})
		return err
	})
}

func (a *blockPublicAccess) Plan(ctx context.Context, env *respond.Env, req *respond.Request) (*respond.Change, error) {
	name := a.Spec().Name
	bucket, err := bucketOf(req, name)
	if err != nil {
		return nil, err
	}
	t, err := a.c.resolve(ctx, env, req, "", "")
	if err != nil {
		return nil, err
	}
	cur, existed, err := a.read(ctx, env, t, bucket)
	if t.moveToBucketRegion(err) {
		cur, existed, err = a.read(ctx, env, t, bucket)
	}
	if err != nil {
		return nil, err
	}
	ch := &respond.Change{Action: name, Resource: bucketARN(t, bucket), Provider: "aws", Account: t.account, Region: t.region,
		Inputs: req.Inputs, Reversible: true, State: respond.State(pabState{Bucket: bucket, Existed: existed, Before: cur})}
	for i, on := range cur.list() {
		if !on {
			ch.Diff = append(ch.Diff, respond.AttrChange{Attribute: "PublicAccessBlock." + pabNames[i], Before: false, After: true})
		}
	}
	if len(ch.Diff) == 0 {
		ch.NoOp, ch.Reason = true, "the four public access block settings are already on"
		return ch, nil
	}
	ch.Calls = []respond.Call{a.putCall(t, bucket, pabFlags{true, true, true, true})}
	return ch, nil
}

func (a *blockPublicAccess) Apply(ctx context.Context, env *respond.Env, ch *respond.Change) (*respond.Outcome, error) {
	var st pabState
	if err := respond.ReadState(ch.State, &st, ch.Action); err != nil {
		return nil, err
	}
	t, err := a.c.forChange(ctx, env, ch)
	if err != nil {
		return nil, err
	}
	cur, existed, err := a.read(ctx, env, t, st.Bucket)
	if err != nil {
		return nil, err
	}
	undo := pabState{Bucket: st.Bucket, Existed: existed, Before: cur}
	if cur.all() {
		return &respond.Outcome{Undo: respond.State(undo), Note: "already applied: the four settings are on"}, nil
	}
	if err := a.put(ctx, env, t, st.Bucket, pabFlags{true, true, true, true}); err != nil {
		return nil, err
	}
	undo.Changed = true
	return &respond.Outcome{Undo: respond.State(undo), Note: "public access blocked"}, nil
}

func (a *blockPublicAccess) Rollback(ctx context.Context, env *respond.Env, ch *respond.Change, done *respond.Outcome) (*respond.Outcome, error) {
	var st pabState
	if changed, err := respond.RollbackOf(ch, done, &st); err != nil || !changed {
		return respond.Unchanged(err)
	}
	t, err := a.c.forChange(ctx, env, ch)
	if err != nil {
		return nil, err
	}
	cur, existed, err := a.read(ctx, env, t, st.Bucket)
	if err != nil {
		return nil, err
	}
	switch {
	case !st.Existed && !existed, st.Existed && existed && cur == st.Before:
		return &respond.Outcome{Note: "already as before"}, nil
	case st.Existed:
		if err := a.put(ctx, env, t, st.Bucket, st.Before); err != nil {
			return nil, err
		}
		return &respond.Outcome{Note: "previous public access block restored"}, nil
	}
	err = do(ctx, env, respond.Call{Service: "s3", Operation: "DeletePublicAccessBlock", Target: bucketARN(t, st.Bucket),
		Params: map[string]any{"Bucket": st.Bucket}}, []string{"NoSuchBucket"}, func(ctx context.Context) error {
		_, err := t.s3().DeletePublicAccessBlock(ctx, &s3.DeletePublicAccessBlockInput{Bucket: &st.Bucket})
		return err
	})
	if err != nil {
		return nil, err
	}
	return &respond.Outcome{Note: "public access block deleted (the bucket had none)"}, nil
}
