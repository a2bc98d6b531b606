package azurerespond

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"

	"github.com/vigil-sec/vigil/internal/respond"
)

// Options configure the Azure actions' clients.
type Options struct {
	// Credential replaces azidentity's default credential chain.
	Credential azcore.TokenCredential
	// TenantID is the Entra ID tenant the default credential authenticates
	// to (empty: the credential's own).
	TenantID string
	// Endpoint overrides (tests, private clouds): Azure Resource Manager,
	// Microsoft Graph and the Entra ID token authority base URLs; Endpoint
	// sets those not set (one server answering them all, as azuretest).
	ARMEndpoint, GraphEndpoint, AuthorityHost, Endpoint string
	// CAFile is a PEM file of certificates trusted besides the system's,
	// with HTTPClient unset.
	CAFile string
	// HTTPClient replaces the SDK's transport.
	HTTPClient *http.Client
	// MaxRetries and RetryDelay tune the SDK's retry policy (429 honouring
	// Retry-After, 5xx); 0: the SDK's defaults, 3 retries from 800ms.
	MaxRetries int32
	RetryDelay time.Duration
}

// Actions returns the Azure remediation actions; their clients are built
// on first use and shared.
func Actions(opts Options) []respond.Action {
	c := &clients{opts: opts}
	return []respond.Action{
		&disallowBlobPublicAccess{c}, &deleteNSGRule{c},
		&removeSPCredential{c}, &removeRoleAssignment{c},
	}
}

const (
	moduleName    = "vigil.respond.azure"
	moduleVersion = "v1.0.0"
	defaultARM    = "https://management.azure.com"
	defaultGraph  = "https://graph.microsoft.com"
	graphScope    = "https://graph.microsoft.com/.default"
)

// clients builds the ARM and Graph pipelines once.
type clients struct {
	opts Options

	once       sync.Once
	err        error
	arm, graph runtime.Pipeline
	armBase    string
	graphBase  string
}

func (c *clients) init() error {
	c.once.Do(func() { c.err = c.build() })
	return c.err
}

func (c *clients) build() error {
	o := c.opts
	for _, p := range []*string{&o.ARMEndpoint, &o.GraphEndpoint, &o.AuthorityHost} {
		if *p == "" {
			*p = o.Endpoint
		}
	}
	c.armBase = strings.TrimRight(cmpOr(o.ARMEndpoint, defaultARM), "/")
	c.graphBase = strings.TrimRight(cmpOr(o.GraphEndpoint, defaultGraph), "/")
	if o.CAFile != "" && o.HTTPClient == nil {
		hc, err := caClient(o.CAFile)
		if err != nil {
			return err
		}
		o.HTTPClient = hc
	}
	base := azcore.ClientOptions{Cloud: cloud.AzurePublic}
	if o.AuthorityHost != "" {
		base.Cloud.ActiveDirectoryAuthorityHost = o.AuthorityHost
	}
	if o.HTTPClient != nil {
		base.Transport = o.HTTPClient
	}
	base.Retry.MaxRetries = o.MaxRetries
	base.Retry.RetryDelay = o.RetryDelay
	base.Telemetry.ApplicationID = "vigil"
	cred := o.Credential
	if cred == nil {
		do := &azidentity.DefaultAzureCredentialOptions{TenantID: o.TenantID, DisableInstanceDiscovery: o.AuthorityHost != ""}
		do.ClientOptions = base
		var err error
		if cred, err = azidentity.NewDefaultAzureCredential(do); err != nil {
			return fmt.Errorf("azure: no usable credentials: %w", err)
		}
	}
	ao := &arm.ClientOptions{ClientOptions: base, DisableRPRegistration: true}
	ao.Cloud.Services = map[cloud.ServiceName]cloud.ServiceConfiguration{
		cloud.ResourceManager: {Endpoint: c.armBase, Audience: cloud.AzurePublic.Services[cloud.ResourceManager].Audience},
	}
	a, err := arm.NewClient(moduleName+".arm", moduleVersion, cred, ao)
	if err != nil {
		return fmt.Errorf("azure: %w", err)
	}
	c.arm = a.Pipeline()
	g, err := azcore.NewClient(moduleName+".graph", moduleVersion, runtime.PipelineOptions{
		PerRetry: []policy.Policy{runtime.NewBearerTokenPolicy(cred, []string{graphScope}, nil)},
	}, &base)
	if err != nil {
		return fmt.Errorf("azure: %w", err)
	}
	c.graph = g.Pipeline()
	return nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// caClient is an HTTP client trusting the certificates of a PEM file
// besides the system's.
func caClient(file string) (*http.Client, error) {
	pemData, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("azure: CA file: %w", err)
	}
	pool, err := x509.SystemCertPool()
	if err != nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pemData) {
		return nil, fmt.Errorf("azure: CA file %s: no PEM certificate in it", file)
	}
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	return &http.Client{Transport: t}, nil
}

// req is one REST call: ARM (an ID and api-version) or Graph (a path
// under /v1.0).
type req struct {
	graph      bool
	method     string
	path       string // ARM ID or Graph path, unescaped
	apiVersion string
	query      url.Values
	body       any
	escaped    bool // path is already escaped (Graph's alternate keys: applications(appId='…'))
}

// errNotFound marks a 404 before callers decide what it means (ErrGone,
// or a no-op when the thing to remove is already absent).
var errNotFound = errors.New("not found")

// send makes one call through env.Do and decodes a JSON answer into out
// (when not nil). A 404 wraps errNotFound and respond.ErrGone, a 401 or
// 403 respond.ErrDenied.
func (c *clients) send(ctx context.Context, env *respond.Env, call respond.Call, r req, out any) error {
	if err := c.init(); err != nil {
		return err
	}
	return env.Do(ctx, call, func(ctx context.Context) error {
		pl, base := c.arm, c.armBase
		if r.graph {
			pl, base = c.graph, c.graphBase+"/v1.0"
		}
		q := url.Values{}
		for k, v := range r.query {
			q[k] = v
		}
		if r.apiVersion != "" {
			q.Set("api-version", r.apiVersion)
		}
		u := base + escapePath(r.path)
		if r.escaped {
			u = base + r.path
		}
		if len(q) > 0 {
			u += "?" + strings.ReplaceAll(q.Encode(), "+", "%20")
		}
		hr, err := runtime.NewRequest(ctx, r.method, u)
		if err != nil {
			return err
		}
		if r.body != nil {
			b, err := json.Marshal(r.body)
			if err != nil {
				return err
			}
			if err := hr.SetBody(streaming(b), "application/json"); err != nil {
				return err
			}
		}
		resp, err := pl.Do(hr)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		if resp.StatusCode >= 300 {
			return classify(r, runtime.NewResponseError(resp))
		}
		if r.method == http.MethodDelete || r.method == http.MethodPut {
			// An ARM long-running operation: wait for it as the SDK does.
			if resp.StatusCode == http.StatusAccepted || resp.Header.Get("Azure-AsyncOperation") != "" || resp.Header.Get("Location") != "" {
				p, err := runtime.NewPoller[json.RawMessage](resp, pl, nil)
				if err != nil {
					return err
				}
				raw, err := p.PollUntilDone(ctx, &runtime.PollUntilDoneOptions{Frequency: time.Second})
				if err != nil {
					return classify(r, err)
				}
				if out != nil && len(raw) > 0 {
					return json.Unmarshal(raw, out)
				}
				return nil
			}
		}
		if out == nil || resp.StatusCode == http.StatusNoContent {
			return nil
		}
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			return err
		}
		if err := json.Unmarshal(b, out); err != nil {
			return fmt.Errorf("%s %s: the answer is not the JSON expected: %w", r.method, r.path, err)
		}
		return nil
	})
}

// classify wraps err with the respond errors of its HTTP status.
func classify(r req, err error) error {
	var re *azcore.ResponseError
	if !errors.As(err, &re) {
		return err
	}
	msg := fmt.Sprintf("%s %s: %d %s", r.method, r.path, re.StatusCode, re.ErrorCode)
	switch re.StatusCode {
	case http.StatusNotFound:
		err = fmt.Errorf("%s: %w (%w)", msg, respond.ErrGone, errNotFound)
	case http.StatusUnauthorized, http.StatusForbidden:
		err = fmt.Errorf("%s: %w", msg, respond.ErrDenied)
	default:
		err = fmt.Errorf("%s: %w", msg, err)
	}
	return statusError{re.StatusCode, err}
}

// statusError carries an answer's HTTP status (HTTPStatusCode, read by the
// engine to name a failed call in the trail: denied, gone, throttled).
type statusError struct {
	status int
	err    error
}

func (e statusError) Error() string       { return e.err.Error() }
func (e statusError) Unwrap() error       { return e.err }
func (e statusError) HTTPStatusCode() int { return e.status }

func streaming(b []byte) io.ReadSeekCloser { return nopCloser{bytes.NewReader(b)} }

type nopCloser struct{ *bytes.Reader }

func (nopCloser) Close() error { return nil }

// escapePath escapes each segment of an ARM ID or Graph path.
func escapePath(p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return strings.Join(segs, "/")
}

// resourceInput returns the ARM ID input (resource_id, else the subject's
// resource), checked to start with /subscriptions/ and to have the type
// segments wanted (case-insensitively), e.g. "providers/Microsoft.Storage/storageAccounts".
func resourceInput(r *respond.Request, typ string) (string, error) {
	id := strings.TrimSpace(r.Inputs["resource_id"])
	if id == "" && r.Subject != nil {
		id = r.Subject.Resource.ID
	}
	if id == "" {
		return "", fmt.Errorf("%w: resource_id is required (an Azure resource ID)", respond.ErrInput)
	}
	id = "/" + strings.Trim(id, "/")
	segs := strings.Split(id, "/")
	if len(segs) < 9 || !strings.EqualFold(segs[1], "subscriptions") || !strings.EqualFold(segs[3], "resourceGroups") ||
		!strings.EqualFold(segs[5], "providers") || !strings.EqualFold(segs[6]+"/"+segs[7], typ) {
		return "", fmt.Errorf("%w: resource_id %q is not a %s resource ID (/subscriptions/<id>/resourceGroups/<group>/providers/%s/<name>)",
			respond.ErrInput, id, typ, typ)
	}
	return id, nil
}

// subscriptionOf returns an ARM ID's subscription.
func subscriptionOf(id string) string {
	segs := strings.Split(strings.TrimPrefix(id, "/"), "/")
	if len(segs) >= 2 && strings.EqualFold(segs[0], "subscriptions") {
		return segs[1]
	}
	return ""
}

// change starts a Change for a.
func change(spec respond.Spec, r *respond.Request, resource string) *respond.Change {
	return &respond.Change{Action: spec.Name, Resource: resource, Provider: "azure", Account: subscriptionOf(resource),
		Inputs: r.Inputs, Reversible: spec.Reversible}
}

// stateOf decodes a change's State.
func stateOf(ch *respond.Change, v any) error {
	if err := json.Unmarshal(ch.State, v); err != nil {
		return fmt.Errorf("%w: %s: the change's state is not readable: %v", respond.ErrInput, ch.Action, err)
	}
	return nil
}

func mustJSON(v any) json.RawMessage {
	b, _ := json.Marshal(v)
	return b
}
