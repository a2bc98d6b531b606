package awsrespond

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/vigil-sec/vigil/internal/collect"
	awscollect "github.com/vigil-sec/vigil/internal/collect/aws"
	"github.com/vigil-sec/vigil/internal/respond"
)

// Options configure the AWS actions' clients.
type Options struct {
	// Profile is the shared-config profile (AWS_PROFILE otherwise).
	Profile string
	// Endpoint is one base URL for every service (tests, S3-compatible
	// servers), S3 with path-style URLs.
	Endpoint string
	// HTTPClient replaces the SDK's HTTP client.
	HTTPClient *http.Client
	// RoleName is the role assumed in a finding's account when it is not
	// the caller's (as the collector assumes its read-only role); empty:
	// only the caller's account is acted on.
	RoleName string
	// Region is used when neither the step's inputs nor the subject name
	// one (default: the SDK configuration's, else us-east-1).
	Region string
	// MaxAttempts is the SDK retryer's attempts per call, throttling
	// included (default 6); MaxBackoff its longest wait (default 20s).
	MaxAttempts int
	MaxBackoff  time.Duration
}

// Actions returns the AWS remediation actions; their clients are built on
// first use, per account (an assumed role's credentials) and region.
func Actions(opts Options) []respond.Action {
	c := &clients{opts: opts, accounts: map[string]aws.Config{}}
	return []respond.Action{
		&blockPublicAccess{c}, &deletePublicStatement{c},
		&deactivateKey{c}, &detachPolicy{c},
		&quarantine{c}, &revokeRule{c},
	}
}

// clients builds the SDK configuration once and one per account.
type clients struct {
	opts Options

	mu        sync.Mutex
	base      *aws.Config
	caller    string // the caller's account
	partition string
	accounts  map[string]aws.Config
}

func (c *clients) retryer() aws.Retryer {
	return retry.NewStandard(func(o *retry.StandardOptions) {
		o.MaxAttempts = cmp.Or(c.opts.MaxAttempts, 6)
		if c.opts.MaxBackoff > 0 {
			o.MaxBackoff = c.opts.MaxBackoff
			o.Backoff = retry.NewExponentialJitterBackoff(c.opts.MaxBackoff)
		}
	})
}

// load reads the SDK configuration and the caller's identity once.
func (c *clients) load(ctx context.Context, env *respond.Env) (aws.Config, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.base != nil {
		return *c.base, nil
	}
	lo := []func(*config.LoadOptions) error{config.WithRetryer(c.retryer)}
	if c.opts.Profile != "" {
		lo = append(lo, config.WithSharedConfigProfile(c.opts.Profile))
	}
	if c.opts.HTTPClient != nil {
		lo = append(lo, config.WithHTTPClient(c.opts.HTTPClient))
	}
	if c.opts.Endpoint != "" {
		lo = append(lo, config.WithBaseEndpoint(c.opts.Endpoint))
	}
	cfg, err := config.LoadDefaultConfig(ctx, lo...)
	if err != nil {
		return aws.Config{}, fmt.Errorf("aws: loading the SDK configuration: %w", err)
	}
	cfg.Region = cmp.Or(cfg.Region, "us-east-1")
	var id *sts.GetCallerIdentityOutput
	err = env.Do(ctx, respond.Call{Service: "sts", Operation: "GetCallerIdentity", ReadOnly: true}, func(ctx context.Context) error {
		var err error
		id, err = sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		return err
	})
	if err != nil {
		return aws.Config{}, fmt.Errorf("%w: aws: checking the credentials (sts:GetCallerIdentity): %s", awscollect.ErrCredentials, awscollect.Message(err))
	}
	c.caller = aws.ToString(id.Account)
	c.partition = "aws"
	if parts := strings.SplitN(aws.ToString(id.Arn), ":", 3); len(parts) == 3 && parts[1] != "" {
		c.partition = parts[1]
	}
	c.base = &cfg
	return cfg, nil
}

// target is where a change acts: the account's configuration and region.
type target struct {
	cfg             aws.Config
	account, region string
	partition       string
	pathStyle       bool
}

func (t target) s3() *s3.Client {
	return s3.NewFromConfig(t.cfg, func(o *s3.Options) { o.Region, o.UsePathStyle = t.region, t.pathStyle })
}

func (t target) iam() *iam.Client { return iam.NewFromConfig(t.cfg) }

func (t target) ec2() *ec2.Client {
	return ec2.NewFromConfig(t.cfg, func(o *ec2.Options) { o.Region = t.region })
}

// resolve finds the account and region of a request: the inputs
// "account" and "region", else the account of an ARN input (arnAccount),
// else the subject's, else the caller's account and the default region.
func (c *clients) resolve(ctx context.Context, env *respond.Env, req *respond.Request, arnAccount, arnRegion string) (target, error) {
	var subAcct, subRegion string
	if req.Subject != nil {
		subAcct, subRegion = req.Subject.Account, req.Subject.Region
	}
	return c.target(ctx, env, cmp.Or(in(req, "account"), arnAccount, subAcct), cmp.Or(in(req, "region"), arnRegion, subRegion))
}

// forChange is the target a planned change names.
func (c *clients) forChange(ctx context.Context, env *respond.Env, ch *respond.Change) (target, error) {
	return c.target(ctx, env, ch.Account, ch.Region)
}

func (c *clients) target(ctx context.Context, env *respond.Env, acct, region string) (target, error) {
	base, err := c.load(ctx, env)
	if err != nil {
		return target{}, err
	}
	region = cmp.Or(region, c.opts.Region, base.Region)
	acct = cmp.Or(acct, c.caller)
	t := target{account: acct, region: region, partition: c.partition, pathStyle: c.opts.Endpoint != ""}
	if acct == c.caller {
		t.cfg = base
		return t, nil
	}
	if c.opts.RoleName == "" {
		return target{}, fmt.Errorf("%w: account %s is not the caller's (%s) and no role name is set to assume in it", respond.ErrInput, acct, c.caller)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if cfg, ok := c.accounts[acct]; ok {
		t.cfg = cfg
		return t, nil
	}
	cfg := base.Copy()
	role := "arn:" + c.partition + ":iam::" + acct + ":role/" + c.opts.RoleName
	cfg.Credentials = aws.NewCredentialsCache(stscreds.NewAssumeRoleProvider(sts.NewFromConfig(base), role, func(o *stscreds.AssumeRoleOptions) {
		o.RoleSessionName = "vigil-respond"
	}))
	// Assumed now, through env (recorded), so that a refusal is reported
	// as such rather than as the first call's failure; the SDK renews the
	// credentials later on its own.
	err = do(ctx, env, respond.Call{Service: "sts", Operation: "AssumeRole", Target: role, ReadOnly: true}, nil, func(ctx context.Context) error {
		_, err := cfg.Credentials.Retrieve(ctx)
		return err
	})
	if err != nil {
		return target{}, err
	}
	c.accounts[acct] = cfg
	t.cfg = cfg
	return t, nil
}

// in is a step input without surrounding white space.
func in(req *respond.Request, name string) string { return strings.TrimSpace(req.Inputs[name]) }

func required(req *respond.Request, action, name string) (string, error) {
	if v := in(req, name); v != "" {
		return v, nil
	}
	return "", fmt.Errorf("%w: %s: input %q is required", respond.ErrInput, action, name)
}

// callError is a failed call: its kind (respond.ErrGone, ErrDenied) and
// the SDK's error, printed as the service's code and message.
type callError struct {
	call string
	kind error
	err  error
}

func (e *callError) Error() string {
	s := e.call + ": " + awscollect.Message(e.err)
	if e.kind != nil {
		s = e.kind.Error() + ": " + s
	}
	return s
}

func (e *callError) Unwrap() []error {
	if e.kind == nil {
		return []error{e.err}
	}
	return []error{e.kind, e.err}
}

// do makes one call through env (rate limit, trail); an error answering
// one of the gone codes is respond.ErrGone, a refusal respond.ErrDenied.
func do(ctx context.Context, env *respond.Env, c respond.Call, gone []string, fn func(ctx context.Context) error) error {
	err := env.Do(ctx, c, fn)
	if err == nil {
		return nil
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	ce := &callError{call: c.Service + ":" + c.Operation + " " + c.Target, err: err}
	switch {
	case isCode(err, gone...):
		ce.kind = respond.ErrGone
	case awscollect.Classify(err) == collect.Denied:
		ce.kind = respond.ErrDenied
	}
	return ce
}

// isCode reports whether err is a service answer with one of codes.
func isCode(err error, codes ...string) bool {
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		return false
	}
	for _, c := range codes {
		if ae.ErrorCode() == c {
			return true
		}
	}
	return false
}
