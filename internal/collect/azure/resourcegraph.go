package azurecollect

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resourcegraph/armresourcegraph"

	"github.com/vigil-sec/vigil/internal/collect"
)

// table is one Resource Graph query of a subscription, written as
// azure/<subscription>/<file> in `az graph query -o json`'s shape (the
// queries of examples/org/azure/*/collect.sh).
type table struct {
	file  string
	query func(sub string) string
	// auth: authorization resources above the subscription (management
	// groups, root) come too.
	auth bool
	// tenantScope: queried at the tenant root management group first, so
	// that the management groups above the subscription come too.
	tenantScope bool
	// partialOK: the rows of an incomplete listing are written (each row
	// stands alone); in the other tables part of the rows would read as
	// all of them (no Defender plan on, no role assignment).
	partialOK bool
}

const graphCall = "Microsoft.ResourceGraph/resources/read"

var tables = []table{
	{file: "resources.json", partialOK: true, query: func(sub string) string {
		return "Resources | where subscriptionId == '" + sub + "'"
	}},
	{file: "resourcecontainers.json", tenantScope: true, partialOK: true, query: func(sub string) string {
		return "ResourceContainers | where type =~ 'microsoft.management/managementgroups' or subscriptionId == '" + sub + "'"
	}},
	{file: "authorizationresources.json", auth: true, query: func(sub string) string {
		return "AuthorizationResources | where type in~ ('microsoft.authorization/roleassignments','microsoft.authorization/roledefinitions'," +
			"'microsoft.authorization/denyassignments') | where subscriptionId in ('" + sub + "', '')"
	}},
	{file: "securityresources.json", query: func(string) string {
		return "SecurityResources | where type in~ ('microsoft.security/pricings','microsoft.security/securitycontacts')"
	}},
}

// tableResult is what a query gave: the rows, and whether all of them came.
type tableResult struct {
	rows     []any
	complete bool
}

// envelope is `az graph query -o json`'s output.
type envelope struct {
	Count        int     `json:"count"`
	Data         []any   `json:"data"`
	SkipToken    *string `json:"skip_token"`
	TotalRecords int64   `json:"total_records"`
}

// queryTable runs one table's query for a subscription, every page, and
// writes what came (a partial result only for the tables whose rows stand
// alone; the failure names what is missing).
func (c *collector) queryTable(ctx context.Context, s subscription, t table) *tableResult {
	sub := s.id
	req := armresourcegraph.QueryRequest{
		Query:         to.Ptr(t.query(sub)),
		Subscriptions: []*string{to.Ptr(sub)},
		Options:       &armresourcegraph.QueryRequestOptions{ResultFormat: to.Ptr(armresourcegraph.ResultFormatObjectArray), Top: to.Ptr[int32](1000)},
	}
	if t.auth {
		req.Options.AuthorizationScopeFilter = to.Ptr(armresourcegraph.AuthorizationScopeFilterAtScopeAboveAndBelow)
	}
	var res *tableResult
	var total int64
	if t.tenantScope && s.tenant != "" {
		mg := req
		mg.Subscriptions, mg.ManagementGroups = nil, []*string{to.Ptr(s.tenant)}
		res, total = c.pages(ctx, sub, t, mg)
	}
	if res == nil || (!res.complete && len(res.rows) == 0) {
		res, total = c.pages(ctx, sub, t, req)
	}
	if res.complete || (t.partialOK && len(res.rows) > 0) {
		c.write(ctx, sub, "azure/"+collect.SafeSegment(sub)+"/"+t.file, envelope{Count: len(res.rows), Data: res.rows, TotalRecords: max(total, int64(len(res.rows)))})
	}
	return res
}

// pages runs a query to its last page. A $skipToken returned twice ends
// it as a pagination loop.
func (c *collector) pages(ctx context.Context, sub string, t table, req armresourcegraph.QueryRequest) (*tableResult, int64) {
	res := &tableResult{rows: []any{}}
	var guard collect.PageGuard
	var total int64
	opts := *req.Options
	req.Options = &opts
	// A query is a list call: the failure names no resource, and says
	// which table and scope in its message.
	fail := func(kind collect.Kind, msg string) {
		c.rec.Fail(collect.Failure{Cloud: cloudName, Account: sub, Service: "resourcegraph", Call: graphCall, Kind: kind,
			Err: strings.TrimSuffix(t.file, ".json") + " table " + scopeOf(req) + ": " + msg})
	}
	for {
		resp, err := c.query.Resources(ctx, req, nil)
		if err != nil {
			fail(classify(ctx, err))
			return res, total
		}
		rows, ok := resp.Data.([]any)
		if !ok && resp.Data != nil {
			fail(collect.Failed, fmt.Sprintf("data is %T, not an array of rows", resp.Data))
			return res, total
		}
		res.rows = append(res.rows, rows...)
		if resp.TotalRecords != nil {
			total = *resp.TotalRecords
		}
		if resp.SkipToken == nil || *resp.SkipToken == "" {
			if resp.ResultTruncated != nil && *resp.ResultTruncated == armresourcegraph.ResultTruncatedTrue {
				fail(collect.Failed, fmt.Sprintf("result truncated at %d of %d rows with no $skipToken", len(res.rows), total))
				return res, total
			}
			res.complete = true
			return res, total
		}
		if guard.Loop(*resp.SkipToken) {
			fail(collect.PaginationLoop, "$skipToken returned twice")
			return res, total
		}
		opts.SkipToken = resp.SkipToken
	}
}

func scopeOf(req armresourcegraph.QueryRequest) string {
	if len(req.ManagementGroups) > 0 {
		return "(management group " + *req.ManagementGroups[0] + ")"
	}
	return "(subscription)"
}

// write writes v as indented JSON; a sink error is a failure of the file.
func (c *collector) write(ctx context.Context, sub, name string, v any) {
	data, err := json.MarshalIndent(v, "", "  ")
	if err == nil {
		err = c.sink.Write(ctx, name, append(data, '\n'))
	}
	if err != nil {
		c.rec.Fail(collect.Failure{Cloud: cloudName, Account: sub, Service: "output", Call: "write " + name, Kind: collect.Failed, Err: err.Error()})
	}
}

// rowsOfType returns the IDs of the rows of a type (case-insensitive),
// each once.
func rowsOfType(rows []any, typ string) []string {
	var ids []string
	seen := map[string]bool{}
	for _, r := range rows {
		m, _ := r.(map[string]any)
		t, _ := m["type"].(string)
		id, _ := m["id"].(string)
		if id != "" && strings.EqualFold(t, typ) && !seen[strings.ToLower(id)] {
			seen[strings.ToLower(id)] = true
			ids = append(ids, id)
		}
	}
	return ids
}
