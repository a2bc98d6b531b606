package awscollect

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/vigil-sec/vigil/internal/collect"
)

// Options configure a collection.
type Options struct {
	// Regions to collect; empty: every region enabled in the caller's
	// account (ec2:DescribeRegions).
	Regions []string
	// Accounts limits the collection to these account IDs; ExcludeAccounts
	// leaves these out.
	Accounts, ExcludeAccounts []string
	// RoleName is the read-only role assumed in each member account listed
	// by AWS Organizations; empty: only the caller's account is collected.
	// The caller's own account always uses the caller's credentials.
	RoleName string
	// Profile is the shared-config profile (AWS_PROFILE otherwise).
	Profile string
	// Endpoint is one base URL for every service (tests, S3-compatible
	// servers): set as each client's BaseEndpoint, S3 with path-style URLs.
	Endpoint string
	// Concurrency bounds the API calls in flight across everything
	// (default 64).
	Concurrency int
	// CallTimeout bounds each attempt of a call (default 60s); an attempt
	// it cuts is not retried (the SDK counts it as cancelled) and the call
	// is reported as a timeout.
	CallTimeout time.Duration
	// MaxAttempts is the SDK retryer's attempts per call, throttling
	// included (default 6); MaxBackoff its longest wait between attempts
	// (default the SDK's, 20s).
	MaxAttempts int
	MaxBackoff  time.Duration
	// HTTPClient replaces the SDK's HTTP client.
	HTTPClient *http.Client
	// Now is the capture time written in the exports (default time.Now).
	Now func() time.Time
	// Logger receives structured logs (default slog.Default()).
	Logger *slog.Logger

	// apiOptions are extra SDK middlewares (tests).
	apiOptions []func(*middleware.Stack) error
	// services replaces services() (tests).
	services []Service
}

// ErrCredentials is wrapped by the error Collect returns when the AWS
// credentials are missing, expired or refused.
var ErrCredentials = errors.New("aws: no usable credentials")

func (o *Options) defaults() {
	if o.Concurrency <= 0 {
		o.Concurrency = 64
	}
	if o.CallTimeout <= 0 {
		o.CallTimeout = 60 * time.Second
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 6
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
}

// Collect collects every account (the caller's, and with RoleName the
// organization's member accounts) in every region and writes each
// account's exports to sink: AWS Config snapshots under
// aws/<account>/AWSLogs/<account>/Config/<region>/, CLI outputs under
// aws/<account>/cli/, and aws/organizations.json. Denied, throttled and
// failed calls are recorded in rec and the rest goes on; the error is for
// what stops everything (no credentials, ctx done, the sink failing).
func Collect(ctx context.Context, opts Options, sink collect.Sink, rec *collect.Recorder, prog *collect.Progress) error {
	opts.defaults()
	if rec == nil {
		rec = &collect.Recorder{}
	}
	c := &collector{opts: opts, sink: sink, rec: rec, prog: prog, sem: make(chan struct{}, opts.Concurrency), now: opts.Now().UTC()}
	base, err := c.loadConfig(ctx)
	if err != nil {
		return err
	}
	id, err := sts.NewFromConfig(base).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return c.credentialsError(err)
	}
	caller := aws.ToString(id.Account)
	c.partition = "aws"
	if parts := strings.SplitN(aws.ToString(id.Arn), ":", 3); len(parts) == 3 && parts[1] != "" {
		c.partition = parts[1]
	}
	c.home = globalRegion(c.partition)
	callerTask := c.task(ctx, caller, c.home, base, &accountOut{})

	regions := opts.Regions
	if len(regions) == 0 {
		regions = c.enabledRegions(ctx, callerTask)
	}
	if !slices.Contains(regions, c.home) && len(regions) > 0 {
		// Global services still go to the partition's home region; their
		// items are filed with the first region collected.
		c.fileGlobalIn = regions[0]
	} else {
		c.fileGlobalIn = c.home
	}

	// The caller's account is collected while the organization is read
	// for the other accounts.
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	run := func(acct string) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := c.collectAccount(ctx, acct, caller, base, regions); err != nil {
				mu.Lock()
				firstErr = cmp.Or(firstErr, err)
				mu.Unlock()
			}
		}()
	}
	if c.wanted(caller) {
		run(caller)
	}
	org := collectOrg(ctx, callerTask)
	accounts := c.accounts(caller, org)
	if org != nil {
		if err := c.writeJSON(ctx, "aws/organizations.json", cliValue(org)); err != nil {
			wg.Wait()
			return err
		}
	}
	for _, acct := range accounts {
		if acct != caller {
			run(acct)
		}
	}
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	if len(accounts) == 0 {
		return fmt.Errorf("aws: no account to collect: the caller's account %s is excluded or not among the accounts asked for, and no other was found", caller)
	}
	return ctx.Err()
}

type collector struct {
	opts      Options
	sink      collect.Sink
	rec       *collect.Recorder
	prog      *collect.Progress
	sem       chan struct{} // calls in flight
	now       time.Time
	partition string
	home      string // the partition's region for global services
	// fileGlobalIn is the region whose snapshot carries global items.
	fileGlobalIn string
}

func globalRegion(partition string) string {
	switch partition {
	case "aws-us-gov":
		return "us-gov-west-1"
	case "aws-cn":
		return "cn-north-1"
	}
	return "us-east-1"
}

// loadConfig is the default credential chain with the collector's retry,
// call accounting and endpoint settings.
func (c *collector) loadConfig(ctx context.Context) (aws.Config, error) {
	lo := []func(*config.LoadOptions) error{
		config.WithRetryer(c.retryer),
		config.WithAPIOptions(append([]func(*middleware.Stack) error{c.addMiddleware}, c.opts.apiOptions...)),
	}
	if c.opts.Profile != "" {
		lo = append(lo, config.WithSharedConfigProfile(c.opts.Profile))
	}
	if c.opts.HTTPClient != nil {
		lo = append(lo, config.WithHTTPClient(c.opts.HTTPClient))
	} else {
		// Keep a connection per call in flight to each endpoint (the SDK
		// keeps 10 a host, and opens new TLS connections past them).
		lo = append(lo, config.WithHTTPClient(awshttp.NewBuildableClient().WithTransportOptions(func(tr *http.Transport) {
			tr.MaxIdleConns = 4 * c.opts.Concurrency
			tr.MaxIdleConnsPerHost = c.opts.Concurrency
		})))
	}
	if c.opts.Endpoint != "" {
		lo = append(lo, config.WithBaseEndpoint(c.opts.Endpoint))
	}
	cfg, err := config.LoadDefaultConfig(ctx, lo...)
	if err != nil {
		return aws.Config{}, fmt.Errorf("%w (loading the SDK configuration: %v); %s", ErrCredentials, err, credentialsHelp)
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	return cfg, nil
}

const credentialsHelp = "configure AWS_PROFILE (a profile in ~/.aws/config; run `aws sso login --profile NAME` for SSO), " +
	"or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run where instance or container role credentials are available"

// credentialsError turns GetCallerIdentity's failure into one message.
func (c *collector) credentialsError(err error) error {
	c.opts.Logger.Debug("aws: sts:GetCallerIdentity failed", "err", err)
	var send *smithyhttp.RequestSendError
	var ae smithy.APIError
	if !errors.As(err, &ae) && errors.As(err, &send) {
		return fmt.Errorf("aws: cannot reach AWS STS to check the credentials: %v", send.Err)
	}
	msg := Message(err)
	if !errors.As(err, &ae) {
		msg = "none found in the environment, the shared config, SSO, web identity, container or instance role: " + msg
	}
	return fmt.Errorf("%w (%s); %s", ErrCredentials, msg, credentialsHelp)
}

func (c *collector) retryer() aws.Retryer {
	return retry.NewAdaptiveMode(func(o *retry.AdaptiveModeOptions) {
		o.StandardOptions = append(o.StandardOptions, func(so *retry.StandardOptions) {
			so.MaxAttempts = c.opts.MaxAttempts
			if c.opts.MaxBackoff > 0 {
				so.MaxBackoff = c.opts.MaxBackoff
				so.Backoff = retry.NewExponentialJitterBackoff(c.opts.MaxBackoff)
			}
		})
	})
}

// addMiddleware puts the call accounting after the retry and signing
// middlewares, so that it wraps every attempt as it is sent: a slot among
// Concurrency, rec.Call, and the per-attempt timeout.
func (c *collector) addMiddleware(stack *middleware.Stack) error {
	mw := middleware.FinalizeMiddlewareFunc("vigilCall", func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
		select {
		case c.sem <- struct{}{}:
		case <-ctx.Done():
			return middleware.FinalizeOutput{}, middleware.Metadata{}, ctx.Err()
		}
		defer func() { <-c.sem }()
		done := c.rec.Call()
		defer done()
		ctx, cancel := context.WithTimeout(ctx, c.opts.CallTimeout)
		defer cancel()
		return next.HandleFinalize(ctx, in)
	})
	// After signing: an attempt whose credentials need refreshing (an
	// assumed role's, which AssumeRole renews) must not hold a slot while
	// the AssumeRole call waits for one.
	for _, id := range []string{"Signing", "Retry"} {
		if _, ok := stack.Finalize.Get(id); ok {
			return stack.Finalize.Insert(mw, id, middleware.After)
		}
	}
	return stack.Finalize.Add(mw, middleware.After)
}

func (c *collector) task(ctx context.Context, acct, region string, cfg aws.Config, out *accountOut) *Task {
	cfg = cfg.Copy()
	cfg.Region = region
	return &Task{Account: acct, Region: region, Partition: c.partition, Config: cfg, out: out, rec: c.rec,
		pathStyle: c.opts.Endpoint != "", log: c.opts.Logger}
}

// enabledRegions lists the regions enabled in the caller's account; on
// failure the configured region only.
func (c *collector) enabledRegions(ctx context.Context, t *Task) []string {
	out, err := ec2.NewFromConfig(t.Config).DescribeRegions(ctx, &ec2.DescribeRegionsInput{})
	if err != nil {
		t.Fail("ec2", "ec2:DescribeRegions", "", err)
		return []string{t.Config.Region}
	}
	var rs []string
	for _, r := range out.Regions {
		if n := aws.ToString(r.RegionName); n != "" {
			rs = append(rs, n)
		}
	}
	slices.Sort(rs)
	if len(rs) == 0 {
		return []string{t.Config.Region}
	}
	return rs
}

// accounts are the accounts to collect: the caller's, and with a role
// name the organization's active accounts, filtered by the options.
func (c *collector) accounts(caller string, org *orgDoc) []string {
	set := []string{caller}
	if c.opts.RoleName != "" && org != nil {
		for _, a := range org.found {
			if id := aws.ToString(a.Id); id != "" && (a.Status == "" || a.Status == "ACTIVE") && !slices.Contains(set, id) {
				set = append(set, id)
			}
		}
	}
	var out []string
	for _, a := range set {
		if c.wanted(a) {
			out = append(out, a)
		}
	}
	for _, a := range c.opts.Accounts {
		if !slices.Contains(set, a) {
			c.rec.Fail(collect.Failure{Cloud: "aws", Account: a, Service: "organizations", Call: "organizations:ListAccountsForParent",
				Kind: collect.Failed, Err: "account asked for is not the caller's nor an active account of the organization (or no role name given)"})
		}
	}
	slices.Sort(out)
	return out
}

// wanted reports whether the options keep account a.
func (c *collector) wanted(a string) bool {
	return (len(c.opts.Accounts) == 0 || slices.Contains(c.opts.Accounts, a)) && !slices.Contains(c.opts.ExcludeAccounts, a)
}

// collectAccount runs every service in one account and writes its exports.
func (c *collector) collectAccount(ctx context.Context, acct, caller string, base aws.Config, regions []string) error {
	cfg := base.Copy()
	if acct != caller {
		role := "arn:" + c.partition + ":iam::" + acct + ":role/" + c.opts.RoleName
		stsClient := sts.NewFromConfig(base)
		cfg.Credentials = aws.NewCredentialsCache(stscreds.NewAssumeRoleProvider(stsClient, role, func(o *stscreds.AssumeRoleOptions) {
			o.RoleSessionName = "vigil-collect"
		}))
		if _, err := cfg.Credentials.Retrieve(ctx); err != nil {
			c.rec.Fail(collect.Failure{Cloud: "aws", Account: acct, Service: "sts", Call: "sts:AssumeRole", Resource: role,
				Kind: assumeKind(err), Err: Message(err)})
			return nil
		}
	}
	out := &accountOut{}
	type unit struct {
		svc    Service
		region string
	}
	var units []unit
	svcs := c.opts.services
	if svcs == nil {
		svcs = services()
	}
	for _, s := range svcs {
		if s.Global {
			units = append(units, unit{s, c.home})
			continue
		}
		for _, r := range regions {
			units = append(units, unit{s, r})
		}
	}
	c.prog.Add(len(units))
	var wg sync.WaitGroup
	for _, u := range units {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer c.prog.Done()
			t := c.task(ctx, acct, u.region, cfg, out)
			if err := u.svc.Run(ctx, t); err != nil && ctx.Err() == nil {
				c.opts.Logger.Warn("aws: service stopped", "service", u.svc.Name, "account", acct, "region", u.region, "err", err)
			}
		}()
	}
	wg.Wait()
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return c.writeAccount(ctx, acct, out)
}

func assumeKind(err error) collect.Kind {
	if k := Classify(err); k != collect.Failed {
		return k
	}
	return collect.Credentials
}
