package gcprespond

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	crm "google.golang.org/api/cloudresourcemanager/v3"
	"google.golang.org/api/compute/v1"
	"google.golang.org/api/googleapi"
	iam "google.golang.org/api/iam/v1"
	"google.golang.org/api/option"
	"google.golang.org/api/storage/v1"

	"github.com/vigil-sec/vigil/internal/respond"
)

// Options configure the GCP actions' clients.
type Options struct {
	// ClientOptions are added to every client's options: credentials
	// (Application Default Credentials when none is given), a quota
	// project, a user agent.
	ClientOptions []option.ClientOption
	// Endpoint is one base URL for every service (tests): Cloud Storage
	// is spoken to under ENDPOINT/storage/v1/, Compute Engine under
	// ENDPOINT/compute/v1/, IAM and Resource Manager under ENDPOINT/. A
	// loopback endpoint is spoken to without credentials.
	Endpoint string
	// HTTPClient replaces the clients' HTTP client; it must then add the
	// credentials itself (Google's clients add none to it).
	HTTPClient *http.Client
	// Project is the project of a resource named without one when neither
	// the step's inputs nor the subject name one.
	Project string
	// MaxAttempts bounds the attempts of a throttled (429) or failing
	// (5xx) call (default 5); RetryBackoff is the first pause between them
	// (default 1s, doubling, or the Retry-After the service asks for).
	MaxAttempts  int
	RetryBackoff time.Duration
}

// Actions returns the GCP remediation actions; their clients are built on
// first use (one identity acts in every project it is granted on).
func Actions(opts Options) []respond.Action {
	c := &clients{opts: opts}
	return []respond.Action{
		&publicMembers{c: c, kind: bucketPolicy}, &publicMembers{c: c, kind: projectPolicy},
		&disableKey{c}, &disableFirewall{c},
	}
}

// clients builds each service's client once.
type clients struct {
	opts Options

	mu      sync.Mutex
	storage *storageAPI
	iam     *iamAPI
	compute *computeAPI
	crm     *crmAPI
}

// computeAPI, iamAPI, storageAPI and crmAPI are the calls the actions make,
// as closures over each API's *Service rather than the service itself: the
// actions are converted to an interface, and with reflect's by-name method
// calls linked (text/template, GORM), every type their fields reach keeps
// all its exported methods; a *Service reaches its whole API (Compute
// Engine: 8,900 methods, 5 MB of executable whose types the runtime reads
// at each start; docs/iac.md).
type computeAPI struct {
	getFirewall   func(ctx context.Context, project, name string) (*compute.Firewall, error)
	patchFirewall func(ctx context.Context, project, name string, fw *compute.Firewall) (*compute.Operation, error)
	waitGlobal    func(ctx context.Context, project, op string) (*compute.Operation, error)
}

func newComputeAPI(ctx context.Context, opts ...option.ClientOption) (*computeAPI, error) {
	svc, err := compute.NewService(ctx, opts...)
	if err != nil {
		return nil, err
	}
	return &computeAPI{
		getFirewall: func(ctx context.Context, project, name string) (*compute.Firewall, error) {
			return svc.Firewalls.Get(project, name).Context(ctx).Do()
		},
		patchFirewall: func(ctx context.Context, project, name string, fw *compute.Firewall) (*compute.Operation, error) {
			return svc.Firewalls.Patch(project, name, fw).Context(ctx).Do()
		},
		waitGlobal: func(ctx context.Context, project, op string) (*compute.Operation, error) {
			return svc.GlobalOperations.Wait(project, op).Context(ctx).Do()
		},
	}, nil
}

// options are a client's options; path is the service's base path under
// the endpoint override.
func (c *clients) options(path string) []option.ClientOption {
	var o []option.ClientOption
	if e := c.opts.Endpoint; e != "" {
		o = append(o, option.WithEndpoint(strings.TrimSuffix(e, "/")+"/"+path))
		if u, err := url.Parse(e); err == nil {
			if ip := net.ParseIP(u.Hostname()); u.Hostname() == "localhost" || ip != nil && ip.IsLoopback() {
				o = append(o, option.WithoutAuthentication())
			}
		}
	}
	if c.opts.HTTPClient != nil {
		o = append(o, option.WithHTTPClient(c.opts.HTTPClient))
	}
	return append(o, c.opts.ClientOptions...)
}

// service returns *slot, built with newFn on first use.
func service[T any](ctx context.Context, c *clients, slot **T, name, path string, newFn func(context.Context, ...option.ClientOption) (*T, error)) (*T, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if *slot != nil {
		return *slot, nil
	}
	s, err := newFn(context.WithoutCancel(ctx), c.options(path)...)
	if err != nil {
		return nil, fmt.Errorf("gcp: building the %s client (credentials: Application Default Credentials unless set): %w", name, err)
	}
	*slot = s
	return s, nil
}

type iamAPI struct {
	getKey func(ctx context.Context, name string) (*iam.ServiceAccountKey, error)
	setKey func(ctx context.Context, name string, disabled bool) error
}

func newIAMAPI(ctx context.Context, opts ...option.ClientOption) (*iamAPI, error) {
	svc, err := iam.NewService(ctx, opts...)
	if err != nil {
		return nil, err
	}
	keys := svc.Projects.ServiceAccounts.Keys
	return &iamAPI{
		getKey: func(ctx context.Context, name string) (*iam.ServiceAccountKey, error) {
			return keys.Get(name).Context(ctx).Do()
		},
		setKey: func(ctx context.Context, name string, disabled bool) error {
			var err error
			if disabled {
				_, err = keys.Disable(name, &iam.DisableServiceAccountKeyRequest{}).Context(ctx).Do()
			} else {
				_, err = keys.Enable(name, &iam.EnableServiceAccountKeyRequest{}).Context(ctx).Do()
			}
			return err
		},
	}, nil
}

type storageAPI struct {
	getPolicy func(ctx context.Context, bucket string) (*storage.Policy, error)
	setPolicy func(ctx context.Context, bucket string, p *storage.Policy) error
}

func newStorageAPI(ctx context.Context, opts ...option.ClientOption) (*storageAPI, error) {
	svc, err := storage.NewService(ctx, opts...)
	if err != nil {
		return nil, err
	}
	return &storageAPI{
		getPolicy: func(ctx context.Context, bucket string) (*storage.Policy, error) {
			return svc.Buckets.GetIamPolicy(bucket).OptionsRequestedPolicyVersion(3).Context(ctx).Do()
		},
		setPolicy: func(ctx context.Context, bucket string, p *storage.Policy) error {
			_, err := svc.Buckets.SetIamPolicy(bucket, p).Context(ctx).Do()
			return err
		},
	}, nil
}

type crmAPI struct {
	getPolicy func(ctx context.Context, resource string) (*crm.Policy, error)
	setPolicy func(ctx context.Context, resource string, p *crm.Policy) error
}

func newCRMAPI(ctx context.Context, opts ...option.ClientOption) (*crmAPI, error) {
	svc, err := crm.NewService(ctx, opts...)
	if err != nil {
		return nil, err
	}
	return &crmAPI{
		getPolicy: func(ctx context.Context, resource string) (*crm.Policy, error) {
			return svc.Projects.GetIamPolicy(resource, &crm.GetIamPolicyRequest{Options: &crm.GetPolicyOptions{RequestedPolicyVersion: 3}}).Context(ctx).Do()
		},
		setPolicy: func(ctx context.Context, resource string, p *crm.Policy) error {
			_, err := svc.Projects.SetIamPolicy(resource, &crm.SetIamPolicyRequest{Policy: p, UpdateMask: "bindings,etag"}).Context(ctx).Do()
			return err
		},
	}, nil
}

func (c *clients) storageSvc(ctx context.Context) (*storageAPI, error) {
	return service(ctx, c, &c.storage, "Cloud Storage", "storage/v1/", newStorageAPI)
}

func (c *clients) iamSvc(ctx context.Context) (*iamAPI, error) {
	return service(ctx, c, &c.iam, "IAM", "", newIAMAPI)
}

func (c *clients) computeSvc(ctx context.Context) (*computeAPI, error) {
	return service(ctx, c, &c.compute, "Compute Engine", "compute/v1/", newComputeAPI)
}

func (c *clients) crmSvc(ctx context.Context) (*crmAPI, error) {
	return service(ctx, c, &c.crm, "Resource Manager", "", newCRMAPI)
}

// do makes one call through env (rate limit, trail), each attempt
// recorded; a throttled or failing call is tried again. An answer 404 is
// respond.ErrGone, 401 and 403 respond.ErrDenied.
func (c *clients) do(ctx context.Context, env *respond.Env, call respond.Call, fn func(ctx context.Context) error) error {
	attempts := cmp.Or(c.opts.MaxAttempts, 5)
	pause := cmp.Or(c.opts.RetryBackoff, time.Second)
	for attempt := 1; ; attempt++ {
		err := env.Do(ctx, call, fn)
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		code, after := status(err)
		if retryable(code) && attempt < attempts {
			wait := cmp.Or(after, pause)
			pause *= 2
			select {
			case <-time.After(wait):
				continue
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		ce := &callError{call: call.Service + " " + call.Operation + " " + call.Target, err: err}
		switch code {
		case http.StatusNotFound:
			ce.kind = respond.ErrGone
		case http.StatusUnauthorized, http.StatusForbidden:
			ce.kind = respond.ErrDenied
		}
		return ce
	}
}

// status is an API error's HTTP status (0 for another error) and the
// delay its Retry-After header asks for.
func status(err error) (int, time.Duration) {
	var ge *googleapi.Error
	if !errors.As(err, &ge) {
		return 0, 0
	}
	var after time.Duration
	if s, err := strconv.Atoi(ge.Header.Get("Retry-After")); err == nil && s > 0 {
		after = time.Duration(s) * time.Second
	}
	return ge.Code, after
}

func retryable(code int) bool {
	return code == http.StatusTooManyRequests || code == http.StatusInternalServerError ||
		code == http.StatusBadGateway || code == http.StatusServiceUnavailable || code == http.StatusGatewayTimeout
}

// conflict reports whether err is a stale etag's answer: 412 (Cloud
// Storage) or 409 ABORTED (Resource Manager).
func conflict(err error) bool {
	code, _ := status(err)
	return code == http.StatusPreconditionFailed || code == http.StatusConflict
}

// callError is a failed call: its kind (respond.ErrGone, ErrDenied) and
// the client's error.
type callError struct {
	call string
	kind error
	err  error
}

func (e *callError) Error() string {
	s := e.call + ": " + e.err.Error()
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

// in is a step input without surrounding white space.
func in(req *respond.Request, name string) string { return strings.TrimSpace(req.Inputs[name]) }

func required(req *respond.Request, action, name string) (string, error) {
	if v := in(req, name); v != "" {
		return v, nil
	}
	return "", fmt.Errorf("%w: %s: input %q is required", respond.ErrInput, action, name)
}

// project is the project a request acts in when its resource name does
// not say: the input "project", else the subject's account (a GCP
// subject's project), else Options.Project.
func (c *clients) project(req *respond.Request) string {
	var sub string
	if s := req.Subject; s != nil && (s.Provider == "gcp" || s.Provider == "") {
		sub = s.Account
	}
	return cmp.Or(in(req, "project"), sub, c.opts.Project)
}
