package azurecollect

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resourcegraph/armresourcegraph"

	"github.com/vigil-sec/vigil/internal/collect"
	"github.com/vigil-sec/vigil/internal/findings/azuresec"
)

// table is one Resource Graph query of a batch of subscriptions, whose
// rows are written per subscription as azure/<subscription>/<file> in `az
// graph query -o json`'s shape (the queries of
// examples/org/azure/*/collect.sh), and the rows of no subscription
// (management groups, role definitions, assignments above subscriptions)
// once per tenant as azure/tenant-<tenant>/<file>.
type table struct {
	file  string
	query func(subs []string) string
	// auth: authorization resources above the subscriptions (management
	// groups, root) come too.
	auth bool
	// tenantScope: queried at the tenant root management group first, so
	// that the management groups above the subscriptions come too.
	tenantScope bool
	// findingsFile, when set: the rows that are Defender for Cloud
	// findings (isDefenderFinding) are written to this file instead, and
	// left out of the table's result.
	findingsFile string
	// partialOK: the rows of an incomplete listing are written (each row
	// stands alone); in the other tables part of the rows would read as
	// all of them (no Defender plan on, no role assignment).
	partialOK bool
}

const graphCall = "Microsoft.ResourceGraph/resources/read"

var tables = []table{
	{file: "resources.json", partialOK: true, query: func([]string) string { return "Resources" }},
	{file: "resourcecontainers.json", tenantScope: true, partialOK: true, query: func(subs []string) string {
		return "ResourceContainers | where type =~ 'microsoft.management/managementgroups' or subscriptionId in~ (" + quoteList(subs) + ")"
	}},
	{file: "authorizationresources.json", auth: true, query: func([]string) string {
		return "AuthorizationResources | where type in~ ('microsoft.authorization/roleassignments','microsoft.authorization/roledefinitions'," +
			"'microsoft.authorization/denyassignments')"
	}},
	// The policy assignments of the subscriptions and of the management
	// groups above them (CIS Azure 6.0 8.1.11 reads the Microsoft Cloud
	// Security Benchmark initiative's); not partialOK: part of them would
	// read as the initiative not assigned.
	{file: "policyresources.json", tenantScope: true, query: func(subs []string) string {
		return "PolicyResources | where type =~ 'microsoft.authorization/policyassignments' | where subscriptionId in~ (" +
			quoteList(subs) + ") or isempty(subscriptionId)"
	}},
	{file: "securityresources.json", findingsFile: "findings/defender-securityresources.json", query: func([]string) string {
		// Defender plans and contacts for the posture; Defender for
		// Cloud's alerts and its unhealthy recommendations
		// (assessments) and their sub-assessments (vulnerabilities) for
		// vigil findings import, written apart.
		return "SecurityResources | where type in~ ('microsoft.security/pricings','microsoft.security/securitycontacts'," +
			"'microsoft.security/locations/alerts','microsoft.security/assessments','microsoft.security/assessments/subassessments')" +
			" | where not(type in~ ('microsoft.security/assessments','microsoft.security/assessments/subassessments'))" +
			" or tostring(properties.status.code) =~ 'Unhealthy'"
	}},
}

// isDefenderFinding tells the rows of the security resources table that
// are Defender for Cloud findings (alerts, assessments, sub-assessments),
// which vigil findings import reads, from the posture's rows.
func isDefenderFinding(row any) bool {
	m, _ := row.(map[string]any)
	typ, _ := m["type"].(string)
	return azuresec.IsDefenderFinding(typ)
}

// batchSize bounds the subscriptions of one query (Resource Graph takes
// up to 1,000): one query per table and batch rather than per
// subscription keeps within Resource Graph's per-user quota (15 queries
// per 5 seconds).
const batchSize = 200

func quoteList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = "'" + strings.ReplaceAll(s, "'", "") + "'"
	}
	return strings.Join(q, ", ")
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

// queryTable runs one table's query for a batch of subscriptions of one
// tenant, every page, writes each subscription's rows (a partial result
// only for the tables whose rows stand alone; the failure names what is
// missing), keeps the rows of no subscription for the tenant's file, and
// returns each subscription's result.
func (c *collector) queryTable(ctx context.Context, tenant string, b []subscription, t table) map[string]*tableResult {
	ids := make([]string, len(b))
	scope := make([]*string, len(b))
	for i, s := range b {
		ids[i], scope[i] = s.id, to.Ptr(s.id)
	}
	req := armresourcegraph.QueryRequest{
		Query:         to.Ptr(t.query(ids)),
		Subscriptions: scope,
		Options:       &armresourcegraph.QueryRequestOptions{ResultFormat: to.Ptr(armresourcegraph.ResultFormatObjectArray), Top: to.Ptr[int32](1000)},
	}
	if t.auth {
		req.Options.AuthorizationScopeFilter = to.Ptr(armresourcegraph.AuthorizationScopeFilterAtScopeAboveAndBelow)
	}
	var res *tableResult
	if t.tenantScope && tenant != "" {
		mg := req
		mg.Subscriptions, mg.ManagementGroups = nil, []*string{to.Ptr(tenant)}
		res = c.pages(ctx, ids, t, mg)
	}
	if res == nil || (!res.complete && len(res.rows) == 0) {
		res = c.pages(ctx, ids, t, req)
	}
	bySub, findingsBySub := map[string][]any{}, map[string][]any{}
	for _, row := range res.rows {
		sub := strings.ToLower(rowSubscription(row))
		if t.findingsFile != "" && isDefenderFinding(row) {
			findingsBySub[sub] = append(findingsBySub[sub], row)
			continue
		}
		bySub[sub] = append(bySub[sub], row)
	}
	write := res.complete || t.partialOK
	if shared := bySub[""]; write && len(shared) > 0 {
		c.share(tenant, t.file, shared)
	}
	out := map[string]*tableResult{}
	for _, id := range ids {
		rows := bySub[id]
		out[id] = &tableResult{rows: rows, complete: res.complete}
		if res.complete || (t.partialOK && len(rows) > 0) {
			if rows == nil {
				rows = []any{}
			}
			c.write(ctx, id, "azure/"+collect.SafeSegment(id)+"/"+t.file, envelope{Count: len(rows), Data: rows, TotalRecords: int64(len(rows))})
			if fs := findingsBySub[id]; t.findingsFile != "" && len(fs) > 0 {
				c.write(ctx, id, "azure/"+collect.SafeSegment(id)+"/"+t.findingsFile, envelope{Count: len(fs), Data: fs, TotalRecords: int64(len(fs))})
			}
		}
	}
	return out
}

// share keeps rows of no subscription for the tenant's file, each ID once.
func (c *collector) share(tenant, file string, rows []any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	k := tenant + "/" + file
	if c.shared[k] == nil {
		c.shared[k] = map[string]any{}
	}
	for _, r := range rows {
		m, _ := r.(map[string]any)
		id, _ := m["id"].(string)
		if _, dup := c.shared[k][strings.ToLower(id)]; !dup {
			c.shared[k][strings.ToLower(id)] = r
			c.sharedOrder[k] = append(c.sharedOrder[k], strings.ToLower(id))
		}
	}
}

// writeShared writes the tenants' files of rows of no subscription.
func (c *collector) writeShared(ctx context.Context) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, order := range c.sharedOrder {
		tenant, file, _ := strings.Cut(k, "/")
		rows := make([]any, len(order))
		for i, id := range order {
			rows[i] = c.shared[k][id]
		}
		seg := tenant
		if seg == "" {
			seg = "unknown"
		}
		c.write(ctx, "", "azure/tenant-"+collect.SafeSegment(seg)+"/"+file, envelope{Count: len(rows), Data: rows, TotalRecords: int64(len(rows))})
	}
}

// pages runs a query to its last page. A $skipToken returned twice ends
// it as a pagination loop.
func (c *collector) pages(ctx context.Context, subs []string, t table, req armresourcegraph.QueryRequest) *tableResult {
	res := &tableResult{rows: []any{}}
	var guard collect.PageGuard
	var total int64
	opts := *req.Options
	req.Options = &opts
	// A query is a list call: the failure names no resource, and says
	// which table and scope in its message; it is one per subscription of
	// the query.
	fail := func(kind collect.Kind, msg string) {
		for _, sub := range subs {
			c.rec.Fail(collect.Failure{Cloud: cloudName, Account: sub, Service: "resourcegraph", Call: graphCall, Kind: kind,
				Err: strings.TrimSuffix(t.file, ".json") + " table " + scopeOf(req) + ": " + msg})
		}
	}
	for {
		resp, err := c.query.Resources(ctx, req, nil)
		if err != nil {
			if ctx.Err() == nil { // a cancelled collection is Collect's error
				fail(classify(ctx, err))
			}
			return res
		}
		rows, ok := resp.Data.([]any)
		if !ok && resp.Data != nil {
			fail(collect.Failed, fmt.Sprintf("data is %T, not an array of rows", resp.Data))
			return res
		}
		res.rows = append(res.rows, rows...)
		if resp.TotalRecords != nil {
			total = *resp.TotalRecords
		}
		if resp.SkipToken == nil || *resp.SkipToken == "" {
			if resp.ResultTruncated != nil && *resp.ResultTruncated == armresourcegraph.ResultTruncatedTrue {
				fail(collect.Failed, fmt.Sprintf("result truncated at %d of %d rows with no $skipToken", len(res.rows), total))
				return res
			}
			res.complete = true
			return res
		}
		if guard.Loop(*resp.SkipToken) {
			fail(collect.PaginationLoop, "$skipToken returned twice")
			return res
		}
		opts.SkipToken = resp.SkipToken
	}
}

func scopeOf(req armresourcegraph.QueryRequest) string {
	if len(req.ManagementGroups) > 0 {
		return "(management group " + *req.ManagementGroups[0] + ")"
	}
	return "(subscriptions)"
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

// rowSubscription is a row's subscriptionId, else the subscription of its
// ID, else "" (a management group, a role definition, an assignment above
// subscriptions).
func rowSubscription(row any) string {
	m, _ := row.(map[string]any)
	if sub, _ := m["subscriptionId"].(string); sub != "" {
		return sub
	}
	id, _ := m["id"].(string)
	const p = "/subscriptions/"
	if len(id) > len(p) && strings.EqualFold(id[:len(p)], p) {
		sub, _, _ := strings.Cut(id[len(p):], "/")
		return sub
	}
	return ""
}
