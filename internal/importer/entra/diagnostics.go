package entra

import (
	"slices"
	"strings"

	"github.com/vigil-sec/vigil/internal/resource"
)

// CIS Azure 6.0 6.1.1.7 and 6.1.1.8: the tenant's diagnostic settings,
// which Azure Resource Manager (not Graph) lists at tenant scope:
//
//	GET https://management.azure.com/providers/microsoft.aadiam/diagnosticSettings?api-version=2017-04-01
//	{"value":[{"id":"/providers/microsoft.aadiam/diagnosticSettings/to-law","type":"microsoft.aadiam/diagnosticSettings",
//	  "name":"to-law","properties":{"workspaceId":"/subscriptions/.../workspaces/law",
//	  "logs":[{"category":"AuditLogs","enabled":true},{"category":"SignInLogs","enabled":true},
//	          {"category":"MicrosoftGraphActivityLogs","enabled":false}]}}]}
//
// The response is kept in the tenant's document under that path (az rest
// --method get --url ...; `vigil collect` lists it too). A category
// counts when a setting with a destination (a Log Analytics workspace, a
// storage account, an event hub or a partner solution) enables it, or
// enables the allLogs category group.

// pathEntraDiagnostics is the tenant's diagnostic settings listing.
const pathEntraDiagnostics = "/providers/microsoft.aadiam/diagnosticSettings"

// The categories CIS 6.1.1.8 (the activity logs: audit and sign-ins) and
// 6.1.1.7 (Microsoft Graph activity) want sent.
var (
	activityLogCategories = []string{"AuditLogs", "SignInLogs"}
	graphActivityCategory = "MicrosoftGraphActivityLogs"
)

// diagnostics sets the tenant's exported-log facts from the listing: known
// when it was read whole, every setting readable (an empty listing is a
// tenant without settings).
func (rd *reader) diagnostics(t *resource.EntraTenant) {
	items, known := rd.values(pathEntraDiagnostics)
	if !known {
		return
	}
	sent := map[string]bool{}
	good := true
	for _, it := range items {
		before := it.C.Count()
		p := it.O("properties")
		dest := false
		for _, k := range []string{"workspaceId", "storageAccountId", "eventHubAuthorizationRuleId", "serviceBusRuleId", "marketplacePartnerId"} {
			dest = dest || p.S(k) != ""
		}
		logs, _ := p.Objs("logs")
		for _, l := range logs {
			if on := l.B("enabled"); on == nil || !*on || !dest {
				continue
			}
			if strings.EqualFold(l.S("categoryGroup"), "allLogs") {
				sent["*"] = true
			}
			if c := l.S("category"); c != "" {
				sent[strings.ToLower(c)] = true
			}
		}
		good = good && it.C.Count() == before
		rd.finish(it)
	}
	var missing []string
	for _, c := range append(slices.Clone(activityLogCategories), graphActivityCategory) {
		if !sent["*"] && !sent[strings.ToLower(c)] {
			missing = append(missing, c)
		}
	}
	activity := !slices.ContainsFunc(activityLogCategories, func(c string) bool { return slices.Contains(missing, c) })
	graph := !slices.Contains(missing, graphActivityCategory)
	if !good { // a setting not read may send what is missing
		if activity {
			t.ActivityLogsExported = resource.Bool(true)
		}
		if graph {
			t.GraphActivityLogsExported = resource.Bool(true)
		}
		return
	}
	t.ActivityLogsExported, t.GraphActivityLogsExported = resource.Bool(activity), resource.Bool(graph)
	t.MissingActivityLogs = missing
}
