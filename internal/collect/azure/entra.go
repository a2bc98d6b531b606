package azurecollect

import (
	"context"
	"net/url"
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

// entra reads the tenant's directory through Microsoft Graph and writes
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
			for _, o := range objs {
				m, _ := o.(map[string]any)
				id, _ := m["id"].(string)
				if id == "" {
					continue
				}
				for _, member := range l.members {
					p := l.path + "/" + url.PathEscape(id) + member
					wg.Add(1)
					go func() {
						defer wg.Done()
						if b, _, err := c.graphGet(ctx, p); err == nil {
							put(p, b)
						} else {
							// the object's ID as internal/importer/entra gives it
							c.graphFail(ctx, tenant, l.path+"/{id}"+member, "/tenants/"+tenant+l.path+"/"+id, err)
						}
					}()
				}
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
// objects of all pages. A listing that fails on a page gives an error and
// nothing: part of it would read as all of it.
func (c *collector) graphGet(ctx context.Context, pathQuery string) (any, []any, error) {
	first := strings.TrimRight(c.opts.GraphEndpoint, "/") + "/" + graphAPIVersion + pathQuery
	fu, err := url.Parse(first)
	if err != nil {
		return nil, nil, err
	}
	var bodies, objs []any
	var guard collect.PageGuard
	for link := first; link != ""; {
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
