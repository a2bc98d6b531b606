package azurecollect

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"

	"github.com/vigil-sec/vigil/internal/collect"
)

// An armList is one ARM list call per resource of a type (or per
// subscription), for what Resource Graph does not carry. Its rows are
// written as azure/<subscription>/<file> in the ARM list shape
// ({"value": [...]}) that the azure importer reads like Resource Graph
// rows, the child rows joined to their parents by ID.
type armList struct {
	file       string // output file
	parentType string // the resources table's type the call is made for; "" per subscription
	// moreParents: other types the call is made for too (one listing of
	// them all).
	moreParents []string
	suffix      string // appended to the parent's ID (or /subscriptions/<id>)
	apiVersion  string
	// onlyWithout: made only when the securityresources table gave no row
	// of this type (Defender plans are in Resource Graph).
	onlyWithout string
	// noKinds: parents of these kinds (the resources table's kind) have
	// no such child and are not asked (a blob-only account has no file
	// service: asking fails).
	noKinds []string
	// listing: the file is written even when the list is empty, and only
	// when every call succeeded (for children, when the resources table
	// was read whole), as the subscription's complete listing: the
	// importer reads azure/<subscription>/<file> holding {"value": []} as
	// "none" (locks.json: no lock) where a missing file is unknown.
	listing bool
}

var armLists = []armList{
	{file: "blobservices.json", parentType: "Microsoft.Storage/storageAccounts", suffix: "/blobServices", apiVersion: "2023-05-01"},
	{file: "blobcontainers.json", parentType: "Microsoft.Storage/storageAccounts", suffix: "/blobServices/default/containers", apiVersion: "2023-05-01"},
	// The file service's share soft delete and SMB settings (CIS Azure 6.0 9.1.1-9.1.3) are not in
	// Resource Graph.
	{file: "fileservices.json", parentType: "Microsoft.Storage/storageAccounts", suffix: "/fileServices", apiVersion: "2023-05-01",
		noKinds: []string{"BlobStorage", "BlockBlobStorage"}},
	{file: "keyvaultkeys.json", parentType: "Microsoft.KeyVault/vaults", suffix: "/keys", apiVersion: "2023-07-01"},
	{file: "keyvaultsecrets.json", parentType: "Microsoft.KeyVault/vaults", suffix: "/secrets", apiVersion: "2023-07-01"},
	{file: "sqlfirewallrules.json", parentType: "Microsoft.Sql/servers", suffix: "/firewallRules", apiVersion: "2021-11-01"},
	{file: "sqlauditingsettings.json", parentType: "Microsoft.Sql/servers", suffix: "/auditingSettings", apiVersion: "2021-11-01"},
	// Microsoft Defender for SQL threat detection (the server's security alert policy) is not in Resource Graph.
	{file: "sqlsecurityalertpolicies.json", parentType: "Microsoft.Sql/servers", suffix: "/securityAlertPolicies", apiVersion: "2021-11-01"},
	{file: "postgresfirewallrules.json", parentType: "Microsoft.DBforPostgreSQL/flexibleServers", suffix: "/firewallRules", apiVersion: "2022-12-01"},
	{file: "mysqlfirewallrules.json", parentType: "Microsoft.DBforMySQL/flexibleServers", suffix: "/firewallRules", apiVersion: "2023-12-30"},
	{file: "diagnosticsettings.json", suffix: "/providers/Microsoft.Insights/diagnosticSettings", apiVersion: "2021-05-01-preview"},
	{file: "pricings.json", suffix: "/providers/Microsoft.Security/pricings", apiVersion: "2024-01-01", onlyWithout: "Microsoft.Security/pricings"},
	// Defender for Cloud's settings (the WDATP endpoint protection integration, CIS Azure 6.0
	// 8.1.3.3) are not in Resource Graph.
	{file: "securitysettings.json", suffix: "/providers/Microsoft.Security/settings", apiVersion: "2022-05-01"},
	// Defender for Cloud's vulnerability assessment for machines (CIS Azure 6.0 8.1.3.2) is not in
	// Resource Graph; turning it off deletes the setting, so the empty listing is written too.
	{file: "servervulnerabilityassessmentssettings.json", suffix: "/providers/Microsoft.Security/serverVulnerabilityAssessmentsSettings",
		apiVersion: "2023-05-01", listing: true},
	// The associations of each network security perimeter (CIS Azure 6.0 7.16) are not in Resource
	// Graph; the listing says which PaaS resources no perimeter secures, so it is written even empty.
	{file: "nspassociations.json", parentType: "Microsoft.Network/networkSecurityPerimeters", suffix: "/resourceAssociations",
		apiVersion: "2024-07-01", listing: true},
	// The diagnostic settings of each key vault (CIS Azure 6.0 6.1.1.4, AuditEvent logs) and Azure
	// Databricks workspace (2.1.7), which Resource Graph lacks; one listing of both, written even when
	// empty: a vault without any setting is then known not to log.
	{file: "resourcediagnosticsettings.json", parentType: "Microsoft.KeyVault/vaults", moreParents: []string{"Microsoft.Databricks/workspaces"},
		suffix: "/providers/Microsoft.Insights/diagnosticSettings", apiVersion: "2021-05-01-preview", listing: true},
	// Management locks at and below the subscription (CIS Azure 6.0 9.3.9, 9.3.10).
	{file: "locks.json", suffix: "/providers/Microsoft.Authorization/locks", apiVersion: "2020-05-01", listing: true},
}

// details makes the ARM calls for what the Resource Graph tables lacked.
// Rows Resource Graph already gave (by ID) are not written again.
func (c *collector) details(ctx context.Context, s subscription, results []*tableResult) {
	have := map[string]bool{}
	var resources, security *tableResult
	for i, t := range tables {
		r := results[i]
		if r == nil {
			continue
		}
		for _, row := range r.rows {
			m, _ := row.(map[string]any)
			if id, _ := m["id"].(string); id != "" {
				have[strings.ToLower(id)] = true
			}
		}
		switch t.file {
		case "resources.json":
			resources = r
		case "securityresources.json":
			security = r
		}
	}
	var wg sync.WaitGroup
	if c.opts.KeyVaultCertificates && resources != nil {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.vaultCertificates(ctx, s, resources.rows)
		}()
	}
	var kinds map[string]string           // lower-case ID -> kind, for noKinds
	out := make([][][]any, len(armLists)) // list, parent: rows
	failed := make([]atomic.Bool, len(armLists))
	for li, l := range armLists {
		var parents []string
		switch {
		case l.parentType == "" && l.onlyWithout != "":
			if security != nil && security.complete && len(rowsOfType(security.rows, l.onlyWithout)) > 0 {
				continue
			}
			parents = []string{"/subscriptions/" + s.id}
		case l.parentType == "":
			parents = []string{"/subscriptions/" + s.id}
		case l.listing && (resources == nil || !resources.complete):
			continue // the parents are not all known: no listing of all their children
		case resources != nil:
			parents = rowsOfType(resources.rows, l.parentType)
			for _, t := range l.moreParents {
				parents = append(parents, rowsOfType(resources.rows, t)...)
			}
			if len(l.noKinds) > 0 {
				if kinds == nil {
					kinds = kindsOf(resources.rows)
				}
				parents = slices.DeleteFunc(parents, func(id string) bool {
					return slices.ContainsFunc(l.noKinds, func(k string) bool { return strings.EqualFold(k, kinds[strings.ToLower(id)]) })
				})
			}
		}
		out[li] = make([][]any, len(parents))
		for i, p := range parents {
			wg.Add(1)
			go func() {
				defer wg.Done()
				rows, ok := c.armChildren(ctx, s, p, l)
				if !ok && l.file == "blobservices.json" && c.opts.BlobDataPlane {
					rows = c.dataPlaneBlobService(ctx, s, p)
				}
				if !ok {
					failed[li].Store(true)
				}
				out[li][i] = rows
			}()
		}
	}
	wg.Wait()
	for li, l := range armLists {
		var rows []any
		for _, rs := range out[li] {
			for _, r := range rs {
				m, _ := r.(map[string]any)
				if id, _ := m["id"].(string); id != "" && have[strings.ToLower(id)] {
					continue
				}
				rows = append(rows, r)
			}
		}
		made := out[li] != nil // the list was asked for (onlyWithout may skip it)
		if l.listing && failed[li].Load() {
			continue // part of a listing would read as all of it
		}
		if len(rows) > 0 || (l.listing && made) {
			if rows == nil {
				rows = []any{}
			}
			c.write(ctx, s.id, "azure/"+collect.SafeSegment(s.id)+"/"+l.file, map[string]any{"value": rows})
		}
	}
}

// armChildren lists one parent's children (every page), or for a
// per-subscription list, the subscription's. A failure is recorded with
// the parent's ID and gives no row.
func (c *collector) armChildren(ctx context.Context, s subscription, parent string, l armList) ([]any, bool) {
	path := parent + l.suffix
	u := strings.TrimRight(c.arm.Endpoint(), "/") + pathEscape(path) + "?api-version=" + url.QueryEscape(l.apiVersion)
	resource := parent
	if l.parentType == "" {
		resource = ""
	}
	return c.armList(ctx, s.id, path, u, resource)
}

// armList reads every page of an ARM listing (u, the request URL of
// path) for account (a subscription or, for a tenant-level listing, the
// tenant). A failure is recorded with resource and gives no row: part of
// a listing would read as all of it (the containers that came all
// private: the account private).
func (c *collector) armList(ctx context.Context, account, path, u, resource string) ([]any, bool) {
	call := Operation(http.MethodGet, path)
	rows, err := c.listPages(ctx, c.arm.Pipeline(), u, "nextLink")
	if err != nil {
		if pl, ok := err.(pageLoop); ok {
			c.rec.Fail(collect.Failure{Cloud: cloudName, Account: account, Service: serviceOf(call), Call: call, Resource: resource,
				Kind: collect.PaginationLoop, Err: pl.Error()})
		} else {
			c.fail(ctx, account, serviceOf(call), call, resource, err)
		}
		return nil, false
	}
	return rows, true
}

// serviceOf is the resource provider of an operation (Microsoft.Storage).
func serviceOf(op string) string {
	if i := strings.IndexByte(op, '/'); i > 0 {
		return op[:i]
	}
	return op
}

// pathEscape escapes each segment of an ARM resource path (resource names
// may hold characters that are not valid in a URL path).
func pathEscape(p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return strings.Join(segs, "/")
}

type pageLoop struct{ link string }

func (p pageLoop) Error() string { return "the same next page link returned twice: " + p.link }

// listPages GETs a list ({"value": [...], "<nextField>": "..."}) and its
// following pages (see readPage).
func (c *collector) listPages(ctx context.Context, pl runtime.Pipeline, first, nextField string) ([]any, error) {
	fu, err := url.Parse(first)
	if err != nil {
		return nil, err
	}
	var rows []any
	var guard collect.PageGuard
	for link := first; link != ""; {
		body, err := c.get(ctx, pl, link)
		if err != nil {
			return rows, err
		}
		_, v, next, err := readPage(body, nextField, fu, &guard)
		rows = append(rows, v...)
		if err != nil {
			return rows, err
		}
		link = next
	}
	return rows, nil
}

// readPage decodes one page of a list: the body, its rows (value) and the
// link to the next page ("" on the last). A link returned before is a
// pageLoop; a link to another host than the first request's is not
// followed (the token would go there): an error.
func readPage(body []byte, nextField string, first *url.URL, guard *collect.PageGuard) (map[string]any, []any, string, error) {
	var m map[string]any
	d := json.NewDecoder(bytes.NewReader(body))
	d.UseNumber() // numbers written back as they came
	if err := d.Decode(&m); err != nil {
		return nil, nil, "", fmt.Errorf("decoding the response: %w", err)
	}
	if m == nil {
		return nil, nil, "", fmt.Errorf("the response is null, not an object")
	}
	rows, ok := m["value"].([]any)
	if !ok && m["value"] != nil {
		return m, nil, "", fmt.Errorf("value is %T, not an array", m["value"])
	}
	next, ok := m[nextField].(string)
	if !ok && m[nextField] != nil {
		return m, rows, "", fmt.Errorf("%s is %T, not a link", nextField, m[nextField])
	}
	if next == "" {
		return m, rows, "", nil
	}
	if guard.Loop(next) {
		return m, rows, "", pageLoop{next}
	}
	if nu, err := url.Parse(next); err != nil || nu.Scheme != first.Scheme || nu.Host != first.Host {
		return m, rows, "", fmt.Errorf("next page link %q is not on %s: not followed", next, first.Host)
	}
	return m, rows, next, nil
}

// get makes one GET (retries included) and returns the body of a 200.
func (c *collector) get(ctx context.Context, pl runtime.Pipeline, u string) ([]byte, error) {
	req, err := runtime.NewRequest(ctx, http.MethodGet, u)
	if err != nil {
		return nil, err
	}
	req.Raw().Header.Set("Accept", "application/json")
	resp, err := pl.Do(req)
	if err != nil {
		return nil, err
	}
	if !runtime.HasStatusCode(resp, http.StatusOK) {
		return nil, runtime.NewResponseError(resp)
	}
	return runtime.Payload(resp)
}

// kindsOf maps the rows' lower-case IDs to their kinds, as the resources
// table gives them.
func kindsOf(rows []any) map[string]string {
	out := map[string]string{}
	for _, row := range rows {
		m, _ := row.(map[string]any)
		id, _ := m["id"].(string)
		k, _ := m["kind"].(string)
		if id != "" && k != "" {
			out[strings.ToLower(id)] = k
		}
	}
	return out
}
