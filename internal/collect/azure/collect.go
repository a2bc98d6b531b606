package azurecollect

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resourcegraph/armresourcegraph"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resources/armsubscriptions"

	"github.com/vigil-sec/vigil/internal/collect"
)

// Options configures a collection. The zero value collects every
// subscription the default credential chain's identity can read, from the
// Azure public cloud.
type Options struct {
	// Subscriptions limits the collection to these subscription IDs
	// (empty: every subscription the identity can list).
	Subscriptions []string
	// TenantID is the Entra ID tenant whose directory is read through
	// Microsoft Graph (empty: the tenant of the subscriptions) and the
	// tenant the default credential authenticates to.
	TenantID string
	// Endpoint overrides, for tests: Azure Resource Manager, Resource Graph
	// (default: the ARM endpoint), Microsoft Graph and the Entra ID token
	// authority. Base URLs, https; tokens are asked for the public cloud's
	// audiences.
	ARMEndpoint, ResourceGraphEndpoint, GraphEndpoint, AuthorityHost string
	// Endpoint sets ARMEndpoint, GraphEndpoint and AuthorityHost that are
	// not set: one server answering them all (azuretest, vigil's CLI tests).
	Endpoint string
	// CAFile is a PEM file of certificates trusted besides the system's
	// (a TLS-inspecting proxy, a test server); with HTTPClient unset.
	CAFile string
	// Credential replaces azidentity's default credential chain.
	Credential azcore.TokenCredential
	// Concurrency bounds the HTTP requests in flight (default 64).
	Concurrency int
	// CallTimeout bounds each attempt of a call (the call and each of its
	// retries), from when it has a concurrency slot (default 60s).
	CallTimeout time.Duration
	// MaxRetries and RetryDelay tune the SDK's retry policy for throttling
	// and 5xx answers (0: the SDK's defaults, 3 retries from 800ms; a
	// negative MaxRetries: none).
	MaxRetries int32
	RetryDelay time.Duration
	// BlobDataPlane: when ARM's blob service properties of a storage
	// account are denied or fail, read them from the storage data plane
	// (Get Blob Service Properties; needs a data-plane role or BlobKey).
	// The row it gives says isVersioningEnabled null, which the importer
	// must read as unknown.
	BlobDataPlane bool
	// BlobEndpoint returns an account's blob endpoint (nil:
	// https://<account>.blob.core.windows.net/; Azurite in tests).
	BlobEndpoint func(account string) string
	// BlobKey returns an account's shared key for the data plane ("" or
	// nil: the token credential).
	BlobKey func(account string) string
	// KeyVaultCertificates: list each key vault's certificates and read
	// their policies from the Key Vault data plane (keyvaultcertificates.json;
	// CIS Azure 6.0 8.3.11). Needs a data-plane role (Key Vault Reader,
	// or an access policy allowing certificates list and get) and network
	// access to the vault; a vault that refuses is a recorded failure.
	KeyVaultCertificates bool
	// KeyVaultEndpoint returns a vault's data-plane base URL (nil: its
	// vaultUri, else https://<vault>.vault.azure.net; a test server in tests).
	KeyVaultEndpoint func(vault string) string
	// HTTPClient sends the requests (nil: the SDK's default transport).
	HTTPClient *http.Client
	// Logger receives debug records (nil: slog.Default()).
	Logger *slog.Logger
	// Now stamps the Entra ID export (nil: time.Now).
	Now func() time.Time
}

const (
	cloudName       = "azure"
	defaultARM      = "https://management.azure.com"
	defaultGraph    = "https://graph.microsoft.com"
	graphAPIVersion = "v1.0"
)

// collector is one run of Collect.
type collector struct {
	opts  Options
	sink  collect.Sink
	rec   *collect.Recorder
	prog  *collect.Progress
	log   *slog.Logger
	cred  azcore.TokenCredential
	armO  *arm.ClientOptions
	rgO   *arm.ClientOptions
	slots chan struct{}
	arm   *arm.Client
	graph *azcore.Client
	query *armresourcegraph.Client
	wg    sync.WaitGroup

	mu          sync.Mutex
	shared      map[string]map[string]any // tenant/file -> ID -> row of no subscription
	sharedOrder map[string][]string       // tenant/file -> IDs in the order they came
}

// Collect reads every subscription the identity can see (or
// opts.Subscriptions) through Resource Graph and the ARM calls Resource
// Graph lacks, and the tenant's directory through Microsoft Graph, and
// writes them to sink as azure/<subscription>/*.json, the Resource Graph
// rows of no subscription (management groups, role definitions,
// assignments above subscriptions) as azure/tenant-<tenant>/*.json, and
// azure/entra-<tenant>.json. Resource Graph is asked once per table for
// up to batchSize subscriptions of a tenant. Every call is counted in rec; a call that did
// not give its data is recorded there and the rest goes on. The returned
// error is for what stops the whole collection: no usable credentials, or
// no subscription listing and none given.
func Collect(ctx context.Context, opts Options, sink collect.Sink, rec *collect.Recorder, prog *collect.Progress) error {
	c, err := newCollector(opts, sink, rec, prog)
	if err != nil {
		return err
	}
	subs, tenants, err := c.subscriptions(ctx)
	if err != nil {
		return err
	}
	tenant := opts.TenantID
	if tenant == "" && len(tenants) > 0 {
		tenant = tenants[0]
		if len(tenants) > 1 {
			c.log.Warn("azure: subscriptions of several tenants; Entra ID is read for one", "tenant", tenant, "tenants", tenants)
		}
	}
	if len(subs) == 0 && tenant == "" {
		return errors.New("azure: the identity can read no subscription and no tenant was given: nothing to collect")
	}
	for _, b := range batches(subs) {
		c.batch(ctx, b)
	}
	if tenant != "" {
		c.wg.Add(1)
		go func() {
			defer c.wg.Done()
			c.entra(ctx, tenant)
		}()
	}
	if tenant != "" && len(subs) > 0 {
		c.wg.Add(1)
		c.prog.Add(1)
		go func() {
			defer c.wg.Done()
			defer c.prog.Done()
			c.mcsbDefinition(ctx, tenant)
		}()
	}
	c.wg.Wait()
	c.writeShared(ctx)
	return ctx.Err()
}

// batches groups subscriptions by tenant, at most batchSize a batch.
func batches(subs []subscription) [][]subscription {
	var out [][]subscription
	byTenant := map[string]int{} // tenant -> index of its open batch
	for _, s := range subs {
		i, ok := byTenant[s.tenant]
		if !ok || len(out[i]) == batchSize {
			out = append(out, nil)
			i = len(out) - 1
			byTenant[s.tenant] = i
		}
		out[i] = append(out[i], s)
	}
	return out
}

func newCollector(opts Options, sink collect.Sink, rec *collect.Recorder, prog *collect.Progress) (*collector, error) {
	if opts.Concurrency <= 0 {
		opts.Concurrency = 64
	}
	if opts.CallTimeout <= 0 {
		opts.CallTimeout = 60 * time.Second
	}
	for _, p := range []*string{&opts.ARMEndpoint, &opts.GraphEndpoint, &opts.AuthorityHost} {
		if *p == "" {
			*p = opts.Endpoint
		}
	}
	if opts.ARMEndpoint == "" {
		opts.ARMEndpoint = defaultARM
	}
	if opts.CAFile != "" && opts.HTTPClient == nil {
		client, err := caClient(opts.CAFile, opts.Concurrency)
		if err != nil {
			return nil, err
		}
		opts.HTTPClient = client
	}
	if opts.ResourceGraphEndpoint == "" {
		opts.ResourceGraphEndpoint = opts.ARMEndpoint
	}
	if opts.GraphEndpoint == "" {
		opts.GraphEndpoint = defaultGraph
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if rec == nil {
		rec = collect.NewRecorder(prog)
	}
	c := &collector{opts: opts, sink: sink, rec: rec, prog: prog, log: opts.Logger, slots: make(chan struct{}, opts.Concurrency),
		shared: map[string]map[string]any{}, sharedOrder: map[string][]string{}}
	if c.log == nil {
		c.log = slog.Default()
	}
	base := c.clientOptions()
	cr := opts.Credential
	if cr == nil {
		// A token authority of one's own (tests, private clouds) is not
		// checked against the public cloud's instance list.
		o := &azidentity.DefaultAzureCredentialOptions{TenantID: opts.TenantID, DisableInstanceDiscovery: opts.AuthorityHost != ""}
		o.ClientOptions = base
		o.ClientOptions.PerRetryPolicies = nil // token requests are not API calls
		var err error
		if cr, err = azidentity.NewDefaultAzureCredential(o); err != nil {
			return nil, noCredentials(err)
		}
	}
	c.cred = credential{cr}
	c.armO = &arm.ClientOptions{ClientOptions: base}
	c.armO.Cloud.Services = map[cloud.ServiceName]cloud.ServiceConfiguration{
		cloud.ResourceManager: {Endpoint: opts.ARMEndpoint, Audience: armAudience},
	}
	c.rgO = &arm.ClientOptions{ClientOptions: base}
	c.rgO.PerRetryPolicies = append([]policy.Policy{quotaPolicy{}}, base.PerRetryPolicies...)
	c.rgO.Cloud.Services = map[cloud.ServiceName]cloud.ServiceConfiguration{
		cloud.ResourceManager: {Endpoint: opts.ResourceGraphEndpoint, Audience: armAudience},
	}
	var err error
	if c.arm, err = arm.NewClient(moduleName+".arm", moduleVersion, c.cred, c.armO); err != nil {
		return nil, fmt.Errorf("azure: %w", err)
	}
	if c.query, err = armresourcegraph.NewClient(c.cred, c.rgO); err != nil {
		return nil, fmt.Errorf("azure: %w", err)
	}
	if c.graph, err = c.graphClient(base); err != nil {
		return nil, fmt.Errorf("azure: %w", err)
	}
	return c, nil
}

// caClient is an HTTP client trusting the certificates of a PEM file
// besides the system's.
func caClient(file string, conns int) (*http.Client, error) {
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
	t.MaxIdleConnsPerHost = conns
	return &http.Client{Transport: t}, nil
}

// armAudience is the token audience of Azure Resource Manager (and of
// Resource Graph, which is part of it).
var armAudience = cloud.AzurePublic.Services[cloud.ResourceManager].Audience

const (
	moduleName    = "vigil.collect.azure"
	moduleVersion = "v1.0.0"
)

// clientOptions are what every client of the collector shares: the cloud,
// transport, retry policy and the recording policy.
func (c *collector) clientOptions() azcore.ClientOptions {
	o := azcore.ClientOptions{
		Cloud:            cloud.AzurePublic,
		PerRetryPolicies: []policy.Policy{&callPolicy{rec: c.rec, slots: c.slots, timeout: c.opts.CallTimeout}},
	}
	o.Cloud.Services = nil
	if c.opts.AuthorityHost != "" {
		o.Cloud.ActiveDirectoryAuthorityHost = c.opts.AuthorityHost
	}
	if c.opts.HTTPClient != nil {
		o.Transport = c.opts.HTTPClient
	}
	o.Retry.MaxRetries = c.opts.MaxRetries
	o.Retry.RetryDelay = c.opts.RetryDelay
	o.Telemetry.ApplicationID = "vigil"
	return o
}

// noCredentials is the one error Collect returns when no credential works.
func noCredentials(err error) error {
	return fmt.Errorf("%w: %s. Run `az login`, or set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET "+
		"(or AZURE_CLIENT_CERTIFICATE_PATH, or AZURE_FEDERATED_TOKEN_FILE), or run with a managed identity",
		errNoCredentials, strings.TrimSuffix(oneLine(err.Error(), 800), "."))
}

// errNoCredentials is wrapped by the error Collect returns when no
// credential could get a token.
var errNoCredentials = errors.New("azure: no usable credentials")

// fail records a call that did not give its data; nothing when the whole
// collection was cancelled (Collect returns that).
func (c *collector) fail(ctx context.Context, sub, service, call, resource string, err error) {
	if ctx.Err() != nil {
		return
	}
	kind, msg := classify(ctx, err)
	c.rec.Fail(collect.Failure{Cloud: cloudName, Account: sub, Service: service, Call: call, Resource: resource, Kind: kind, Err: msg})
	c.log.Debug("azure call failed", "subscription", sub, "call", call, "resource", resource, "kind", kind, "error", msg)
}

type subscription struct{ id, tenant string }

// subscriptions lists the subscriptions the identity can read, filtered
// by opts.Subscriptions, and the tenants they belong to. A credential
// failure on this first call is the one error of a collection without
// credentials.
func (c *collector) subscriptions(ctx context.Context) ([]subscription, []string, error) {
	client, err := armsubscriptions.NewClient(c.cred, c.armO)
	if err != nil {
		return nil, nil, fmt.Errorf("azure: %w", err)
	}
	want := map[string]bool{}
	for _, s := range c.opts.Subscriptions {
		want[strings.ToLower(s)] = true
	}
	var subs []subscription
	seen := map[string]bool{}
	var guard collect.PageGuard
	listed := true
	pager := client.NewListPager(nil)
	for pager.More() {
		page, err := pager.NextPage(ctx)
		if err != nil {
			kind, _ := classify(ctx, err)
			if kind == collect.Credentials {
				return nil, nil, noCredentials(err)
			}
			c.fail(ctx, "", "subscriptions", "Microsoft.Resources/subscriptions/read", "", err)
			if len(want) == 0 {
				return nil, nil, fmt.Errorf("azure: listing subscriptions: %s", responseOrLine(err))
			}
			listed = false
			subs = nil // the given subscriptions are collected as given
			for _, s := range c.opts.Subscriptions {
				subs = append(subs, subscription{id: strings.ToLower(s), tenant: c.opts.TenantID})
			}
			break
		}
		for _, s := range page.Value {
			if s == nil || s.SubscriptionID == nil {
				continue
			}
			id := strings.ToLower(*s.SubscriptionID)
			if (len(want) > 0 && !want[id]) || seen[id] {
				continue
			}
			seen[id] = true
			t := ""
			if s.TenantID != nil {
				t = strings.ToLower(*s.TenantID)
			}
			subs = append(subs, subscription{id: id, tenant: t})
		}
		if next := page.NextLink; next != nil && guard.Loop(*next) {
			c.rec.Fail(collect.Failure{Cloud: cloudName, Service: "subscriptions", Call: "Microsoft.Resources/subscriptions/read",
				Kind: collect.PaginationLoop, Err: "nextLink returned twice: " + *next})
			break
		}
	}
	for s := range want {
		if !seen[s] && listed {
			c.rec.Fail(collect.Failure{Cloud: cloudName, Account: s, Service: "subscriptions", Call: "Microsoft.Resources/subscriptions/read",
				Kind: collect.Denied, Err: "the subscription is not among those the identity can read"})
		}
	}
	slices.SortFunc(subs, func(a, b subscription) int { return strings.Compare(a.id, b.id) })
	var tenants []string
	for _, s := range subs {
		if s.tenant != "" && !slices.Contains(tenants, s.tenant) {
			tenants = append(tenants, s.tenant)
		}
	}
	return subs, tenants, nil
}

func responseOrLine(err error) string {
	var re *azcore.ResponseError
	if errors.As(err, &re) {
		return responseMessage(re)
	}
	return firstLine(err.Error())
}

// batch starts the collection of a batch of subscriptions of one tenant:
// the four Resource Graph tables, then for each subscription the ARM
// calls for what the resources table lacks.
func (c *collector) batch(ctx context.Context, b []subscription) {
	c.prog.Add(len(tables) + len(b))
	results := make([]map[string]*tableResult, len(tables))
	var tw sync.WaitGroup
	for i, t := range tables {
		tw.Add(1)
		go func() {
			defer tw.Done()
			defer c.prog.Done()
			results[i] = c.queryTable(ctx, b[0].tenant, b, t)
		}()
	}
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		tw.Wait()
		for _, s := range b {
			c.wg.Add(1)
			go func() {
				defer c.wg.Done()
				defer c.prog.Done()
				per := make([]*tableResult, len(tables))
				for i := range tables {
					per[i] = results[i][s.id]
				}
				c.details(ctx, s, per)
			}()
		}
	}()
}
