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
	path    string
	members []string // per-object paths: "/applications/{id}" + member
}

var entraLists = []entraList{
	{path: "/users"},
	{path: "/groups", members: []string{"/members"}},
	{path: "/servicePrincipals"},
	{path: "/applications", members: []string{"/owners"}},
	{path: "/directoryRoles", members: []string{"/members"}},
	{path: "/roleManagement/directory/roleDefinitions"},
	{path: "/roleManagement/directory/roleAssignments"},
	{path: "/identity/conditionalAccess/policies"},
}

// entraExport is the Entra ID shape of issue 10: Microsoft Graph response
// bodies keyed by request path. A listing of several pages is one body:
// the first page's, with every page's value and no @odata.nextLink.
type entraExport struct {
	TenantID    string                    `json:"tenantId"`
	APIVersion  string                    `json:"apiVersion"`
	CollectedAt string                    `json:"collectedAt"`
	Responses   map[string]map[string]any `json:"responses"`
}

// entra reads the tenant's directory through Microsoft Graph and writes
// azure/entra-<tenant>.json. A listing that is denied (a Graph permission
// not granted) or fails is left out of the export and recorded; the
// others go on.
func (c *collector) entra(ctx context.Context, tenant string) {
	exp := entraExport{TenantID: tenant, APIVersion: graphAPIVersion, Responses: map[string]map[string]any{}}
	var mu sync.Mutex
	put := func(path string, body map[string]any) {
		mu.Lock()
		exp.Responses[path] = body
		mu.Unlock()
	}
	var wg sync.WaitGroup
	c.prog.Add(len(entraLists))
	for _, l := range entraLists {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer c.prog.Done()
			body, ok := c.graphGet(ctx, tenant, l.path, l.path, "")
			if !ok {
				return
			}
			put(l.path, body)
			if len(l.members) == 0 {
				return
			}
			objs, _ := body["value"].([]any)
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
						if b, ok := c.graphGet(ctx, tenant, p, l.path+"/{id}"+member, l.path+"/"+id); ok {
							put(p, b)
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

// graphGet reads every page of a Graph listing as one body. call names
// the request in failures (the path with {id}), resource the object.
func (c *collector) graphGet(ctx context.Context, tenant, path, call, resource string) (map[string]any, bool) {
	first := strings.TrimRight(c.opts.GraphEndpoint, "/") + "/" + graphAPIVersion + path
	fu, err := url.Parse(first)
	if err != nil {
		c.fail(ctx, tenant, "graph", "GET "+call, resource, err)
		return nil, false
	}
	var body map[string]any
	var all []any
	var guard collect.PageGuard
	for link := first; link != ""; {
		raw, err := c.get(ctx, c.graph.Pipeline(), link)
		var page map[string]any
		var rows []any
		if err == nil {
			page, rows, link, err = readPage(raw, "@odata.nextLink", fu, &guard)
		}
		if err != nil {
			// A partial listing would read as a complete one: none is kept.
			kind, msg := classify(ctx, err)
			if pl, ok := err.(pageLoop); ok {
				kind, msg = collect.PaginationLoop, pl.Error()
			}
			c.rec.Fail(collect.Failure{Cloud: cloudName, Account: tenant, Service: "graph", Call: "GET " + call, Resource: resource, Kind: kind, Err: msg})
			return nil, false
		}
		if body == nil {
			body = page
		}
		all = append(all, rows...)
	}
	if _, isList := body["value"]; isList {
		body["value"] = append([]any{}, all...)
	}
	delete(body, "@odata.nextLink")
	return body, true
}
