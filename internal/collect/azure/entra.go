package azurecollect

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"

	"github.com/vigil-sec/vigil/internal/collect"
)

// graphScope is the token scope of Microsoft Graph's application and
// delegated permissions.
const graphScope = "https://graph.microsoft.com/.default"

// graphClient is a plain azcore client for the Microsoft Graph REST API:
// the bearer token policy, the retry policy (429 and 5xx, honouring
// Retry-After) and the recording policy, as the ARM clients have.
func (c *collector) graphClient(base azcore.ClientOptions) (*azcore.Client, error) {
	o := base
	return azcore.NewClient(moduleName+".graph", moduleVersion, runtime.PipelineOptions{
		PerRetry: []policy.Policy{runtime.NewBearerTokenPolicy(c.cred, []string{graphScope}, nil)},
	}, &o)
}

// entraList is one Microsoft Graph listing of the Entra ID export, and
// the listings made for each of its objects.
type entraList struct {
	path string
	// query selects the properties the importer reads that Graph does not
	// return by default; fallback is asked instead when query is denied
	// (signInActivity needs AuditLog.Read.All and an Entra ID P1 licence).
	query, fallback string
	members         []string // per-object paths: "/applications/{id}" + member
}

const userFields = "id,displayName,userPrincipalName,mail,userType,accountEnabled,createdDateTime,onPremisesSyncEnabled"

// entraLists are the paths internal/importer/entra reads.
var entraLists = []entraList{
	{path: "/users", query: "$select=" + userFields + ",signInActivity", fallback: "$select=" + userFields},
	{path: "/reports/authenticationMethods/userRegistrationDetails"},
	{path: "/groups", members: []string{"/members", "/owners"}},
	{path: "/servicePrincipals", members: []string{"/owners", "/appRoleAssignments"}},
	{path: "/applications", members: []string{"/owners", "/federatedIdentityCredentials"}},
	{path: "/directoryRoles", members: []string{"/members"}},
	{path: "/roleManagement/directory/roleDefinitions"},
	{path: "/roleManagement/directory/roleAssignments"},
	{path: "/roleManagement/directory/roleEligibilityScheduleInstances"},
	{path: "/identity/conditionalAccess/policies"},
	// The tenant's settings: single objects, not collections (no value,
	// no next link), kept as Graph returned them.
	{path: "/policies/identitySecurityDefaultsEnforcementPolicy"}, // Policy.Read.All
	{path: "/policies/deviceRegistrationPolicy"},                  // Policy.Read.DeviceConfiguration
}

// The tenant's diagnostic settings, which Azure Resource Manager, not
// Graph, lists at the tenant's root: Entra ID's (CIS Azure 6.0 6.1.1.7 and
// 6.1.1.8: audit, sign-in and Microsoft Graph activity logs sent
// somewhere) and Intune's (6.1.1.9: sent to Log Analytics). Reading them
// needs a directory role that may read them (Microsoft documents Security
// Reader, Reports Reader and Global Reader), not an Azure role: denied, the
// call is recorded and the controls stay unknown. Each listing is kept in
// the Entra ID export under its path, where internal/importer/entra reads
// it.
const entraDiagnosticsPath = "/providers/microsoft.aadiam/diagnosticSettings"

// tenantListing is an ARM listing at the tenant's root.
type tenantListing struct{ path, apiVersion string }

var tenantDiagnostics = []tenantListing{
	{entraDiagnosticsPath, "2017-04-01"},
	{"/providers/microsoft.intune/diagnosticSettings", "2017-04-01-preview"},
}

// entraExport is the Entra ID shape of issue 10: Microsoft Graph response
// bodies keyed by request path (with its query), verbatim; a listing of
// several pages is the list of its pages' bodies.
type entraExport struct {
	TenantID    string         `json:"tenantId"`
	APIVersion  string         `json:"apiVersion"`
	CollectedAt string         `json:"collectedAt"`
	Responses   map[string]any `json:"responses"`
}

// entra reads the tenant's directory through Microsoft Graph, and its
// diagnostic settings through Azure Resource Manager, and writes
// azure/entra-<tenant>.json. A listing that is denied (a Graph permission
// not granted) or fails is left out of the export and recorded; the
// others go on.
func (c *collector) entra(ctx context.Context, tenant string) {
	exp := entraExport{TenantID: tenant, APIVersion: graphAPIVersion, Responses: map[string]any{}}
	var mu sync.Mutex
	put := func(key string, body any) {
		mu.Lock()
		exp.Responses[key] = body
		mu.Unlock()
	}
	var wg sync.WaitGroup
	c.prog.Add(len(entraLists))
	for _, l := range entraLists {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer c.prog.Done()
			key, body, objs, ok := c.graphList(ctx, tenant, l)
			if !ok {
				return
			}
			put(key, body)
			var reqs []graphReq
			for _, o := range objs {
				m, _ := o.(map[string]any)
				id, _ := m["id"].(string)
				if id == "" {
					continue
				}
				for _, member := range l.members {
					// the object's ID as internal/importer/entra gives it
					reqs = append(reqs, graphReq{path: l.path + "/" + url.PathEscape(id) + member, call: l.path + "/{id}" + member,
						resource: "/tenants/" + tenant + l.path + "/" + id})
				}
			}
			c.graphBatch(ctx, tenant, reqs, put)
		}()
	}
	for _, d := range tenantDiagnostics {
		wg.Add(1)
		c.prog.Add(1)
		go func() {
			defer wg.Done()
			defer c.prog.Done()
			u := strings.TrimRight(c.arm.Endpoint(), "/") + d.path + "?api-version=" + d.apiVersion
			if rows, ok := c.armList(ctx, tenant, d.path, u, "/tenants/"+tenant); ok {
				if rows == nil {
					rows = []any{}
				}
				put(d.path, map[string]any{"value": rows})
			}
		}()
	}
	wg.Wait()
	if len(exp.Responses) == 0 || ctx.Err() != nil {
		return
	}
	exp.CollectedAt = c.opts.Now().UTC().Format(time.RFC3339)
	c.write(ctx, tenant, "azure/entra-"+collect.SafeSegment(tenant)+".json", exp)
}

// graphList reads a listing with its query, or its fallback query when
// that is denied; it returns the export's key (the request path and
// query), the body and the objects.
func (c *collector) graphList(ctx context.Context, tenant string, l entraList) (string, any, []any, bool) {
	key := l.path
	if l.query != "" {
		key += "?" + l.query
	}
	body, objs, err := c.graphGet(ctx, key)
	if err != nil && l.fallback != "" {
		if kind, _ := classify(ctx, err); kind == collect.Denied {
			c.graphFail(ctx, tenant, "GET "+key, "", err)
			key = l.path + "?" + l.fallback
			body, objs, err = c.graphGet(ctx, key)
		}
	}
	if err != nil {
		c.graphFail(ctx, tenant, l.path, "", err)
		return "", nil, nil, false
	}
	return key, body, objs, true
}

// graphFail records a Graph call that did not give its data. call names
// the request (the path with {id}), resource the object.
func (c *collector) graphFail(ctx context.Context, tenant, call, resource string, err error) {
	if !strings.HasPrefix(call, "GET ") {
		call = "GET " + call
	}
	if pl, ok := err.(pageLoop); ok {
		c.rec.Fail(collect.Failure{Cloud: cloudName, Account: tenant, Service: "graph", Call: call, Resource: resource,
			Kind: collect.PaginationLoop, Err: pl.Error()})
		return
	}
	c.fail(ctx, tenant, "graph", call, resource, err)
}

// graphGet reads every page of a Graph request (a path and query): the
// body, or the list of the pages' bodies when there are several, and the
// objects of all pages; a single object (a policy) is its one body, with
// no objects. A listing that fails on a page gives an error and
// nothing: part of it would read as all of it.
func (c *collector) graphGet(ctx context.Context, pathQuery string) (any, []any, error) {
	first := strings.TrimRight(c.opts.GraphEndpoint, "/") + "/" + graphAPIVersion + pathQuery
	fu, err := url.Parse(first)
	if err != nil {
		return nil, nil, err
	}
	return c.graphPages(ctx, fu, nil, first)
}

// graphPages reads the pages of a Graph listing from link on, after the
// first page's body when it came already (a $batch answer).
func (c *collector) graphPages(ctx context.Context, fu *url.URL, first map[string]any, link string) (any, []any, error) {
	var bodies, objs []any
	var guard collect.PageGuard
	if first != nil {
		raw, err := json.Marshal(first)
		if err != nil {
			return nil, nil, err
		}
		page, rows, next, err := readPage(raw, "@odata.nextLink", fu, &guard)
		if err != nil {
			return nil, nil, err
		}
		bodies, objs, link = append(bodies, page), append(objs, rows...), next
	}
	for link != "" {
		raw, err := c.get(ctx, c.graph.Pipeline(), link)
		if err != nil {
			return nil, nil, err
		}
		page, rows, next, err := readPage(raw, "@odata.nextLink", fu, &guard)
		if err != nil {
			return nil, nil, err
		}
		bodies = append(bodies, page)
		objs = append(objs, rows...)
		link = next
	}
	if len(bodies) == 1 {
		return bodies[0], objs, nil
	}
	return bodies, objs, nil
}

// graphReq is one per-object Graph request: its path, the call it is in
// failures (the path with {id}) and the object it is about.
type graphReq struct{ path, call, resource string }

const (
	batchMax     = 20 // requests in one Microsoft Graph $batch
	batchRetries = 3  // rounds for the requests a batch answered 429
)

// graphBatch makes per-object requests twenty to a JSON $batch request.
// Each answer is kept (its further pages read one by one) or recorded as
// a failure; the answers throttled (429) are asked again after their
// Retry-After, up to batchRetries rounds, then recorded as throttled.
func (c *collector) graphBatch(ctx context.Context, tenant string, reqs []graphReq, put func(string, any)) {
	endpoint := strings.TrimRight(c.opts.GraphEndpoint, "/") + "/" + graphAPIVersion
	fu, err := url.Parse(endpoint + "/$batch")
	if err != nil {
		for _, r := range reqs {
			c.graphFail(ctx, tenant, r.call, r.resource, err)
		}
		return
	}
	for round := 0; len(reqs) > 0; round++ {
		var mu sync.Mutex
		var again []graphReq
		var againErrs []error
		wait := time.Duration(0)
		var wg sync.WaitGroup
		for start := 0; start < len(reqs); start += batchMax {
			chunk := reqs[start:min(start+batchMax, len(reqs))]
			wg.Add(1)
			go func() {
				defer wg.Done()
				answers, err := c.postBatch(ctx, fu.String(), chunk)
				if err != nil {
					for _, r := range chunk {
						c.graphFail(ctx, tenant, r.call, r.resource, err)
					}
					return
				}
				for i, r := range chunk {
					a := answers[strconv.Itoa(i)]
					switch {
					case a == nil:
						c.graphFail(ctx, tenant, r.call, r.resource, errors.New("no answer in the $batch response"))
					case a.Status == http.StatusOK:
						body, _, err := c.graphPages(ctx, fu, a.Body, "")
						if err != nil {
							c.graphFail(ctx, tenant, r.call, r.resource, err)
							continue
						}
						put(r.path, body)
					case a.Status == http.StatusTooManyRequests:
						mu.Lock()
						again, againErrs = append(again, r), append(againErrs, a.err(endpoint+r.path))
						if d, err := strconv.Atoi(a.header("Retry-After")); err == nil && time.Duration(d)*time.Second > wait {
							wait = min(time.Duration(d)*time.Second, time.Minute)
						}
						mu.Unlock()
					default:
						c.graphFail(ctx, tenant, r.call, r.resource, a.err(endpoint+r.path))
					}
				}
			}()
		}
		wg.Wait()
		if len(again) == 0 {
			return
		}
		if round == batchRetries {
			for i, r := range again {
				c.graphFail(ctx, tenant, r.call, r.resource, againErrs[i])
			}
			return
		}
		if wait == 0 {
			wait = c.opts.RetryDelay << round
			if c.opts.RetryDelay == 0 {
				wait = time.Second << round
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		reqs = again
	}
}

// batchAnswer is one answer of a $batch response.
type batchAnswer struct {
	ID      string            `json:"id"`
	Status  int               `json:"status"`
	Headers map[string]string `json:"headers"`
	Body    map[string]any    `json:"body"`
}

// header is a header of the answer, by its name in any case.
func (a *batchAnswer) header(name string) string {
	for k, v := range a.Headers {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return ""
}

// err is the answer as the error a plain request would have given.
func (a *batchAnswer) err(u string) error {
	body, _ := json.Marshal(a.Body)
	h := http.Header{}
	for k, v := range a.Headers {
		h.Set(k, v)
	}
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	return runtime.NewResponseError(&http.Response{StatusCode: a.Status, Status: http.StatusText(a.Status), Header: h,
		Body: io.NopCloser(bytes.NewReader(body)), Request: req})
}

// postBatch sends one $batch request of GETs, keyed by their index.
func (c *collector) postBatch(ctx context.Context, u string, chunk []graphReq) (map[string]*batchAnswer, error) {
	type sub struct {
		ID     string `json:"id"`
		Method string `json:"method"`
		URL    string `json:"url"`
	}
	body := struct {
		Requests []sub `json:"requests"`
	}{}
	for i, r := range chunk {
		body.Requests = append(body.Requests, sub{ID: strconv.Itoa(i), Method: http.MethodGet, URL: r.path})
	}
	req, err := runtime.NewRequest(ctx, http.MethodPost, u)
	if err != nil {
		return nil, err
	}
	if err := runtime.MarshalAsJSON(req, body); err != nil {
		return nil, err
	}
	resp, err := c.graph.Pipeline().Do(req)
	if err != nil {
		return nil, err
	}
	if !runtime.HasStatusCode(resp, http.StatusOK) {
		return nil, runtime.NewResponseError(resp)
	}
	raw, err := runtime.Payload(resp)
	if err != nil {
		return nil, err
	}
	var out struct {
		Responses []*batchAnswer `json:"responses"`
	}
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	if err := d.Decode(&out); err != nil {
		return nil, fmt.Errorf("decoding the $batch response: %w", err)
	}
	answers := map[string]*batchAnswer{}
	for _, a := range out.Responses {
		if a != nil {
			answers[a.ID] = a
		}
	}
	return answers, nil
}
