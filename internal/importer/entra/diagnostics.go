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

// CIS Azure 6.0 6.1.1.9: Intune's logs sent to Log Analytics. Intune's
// diagnostic settings are the same ARM shape at the tenant's root, under
// its own provider:
//
//	GET https://management.azure.com/providers/microsoft.intune/diagnosticSettings?api-version=2017-04-01-preview
//
// The control wants the audit and operational logs and the device and
// compliance inventories (AuditLogs, OperationalLogs, DeviceComplianceOrg,
// Devices) in a Log Analytics workspace: a setting counts only with a
// workspaceId.
const pathIntuneDiagnostics = "/providers/microsoft.intune/diagnosticSettings"

var intuneLogCategories = []string{"AuditLogs", "OperationalLogs", "DeviceComplianceOrg", "Devices"}

// The destinations of a diagnostic setting; anyDestination for the Entra
// logs (6.1.1.7, 6.1.1.8: sent anywhere they are kept), workspaceOnly for
// Intune's (6.1.1.9: "sent to Log Analytics").
var (
	anyDestination = []string{"workspaceId", "storageAccountId", "eventHubAuthorizationRuleId", "serviceBusRuleId", "marketplacePartnerId"}
	workspaceOnly  = []string{"workspaceId"}
)

// sentLogs reads a tenant-level diagnostic settings listing: of want, the
// categories no setting with one of dests sends (missing), and whether
// every setting was read (whole). known is false when the listing is
// absent, denied or unreadable (an empty listing is a tenant without
// settings: all missing).
func (rd *reader) sentLogs(path string, dests, want []string) (missing []string, whole, known bool) {
	items, known := rd.values(path)
	if !known {
		return nil, false, false
	}
	sent := map[string]bool{}
	whole = true
	for _, it := range items {
		before := it.C.Count()
		p := it.O("properties")
		dest := slices.ContainsFunc(dests, func(k string) bool { return p.S(k) != "" })
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
		whole = whole && it.C.Count() == before
		rd.finish(it)
	}
	for _, c := range want {
		if !sent["*"] && !sent[strings.ToLower(c)] {
			missing = append(missing, c)
		}
	}
	return missing, whole, true
}

// sentFact is the fact "every category of want is sent": true when none
// is missing; false only when every setting was read (a setting not read
// may send what is missing); unknown without the listing.
func sentFact(missing, want []string, whole, known bool) *bool {
	all := !slices.ContainsFunc(want, func(c string) bool { return slices.Contains(missing, c) })
	switch {
	case !known, !whole && !all:
		return nil
	default:
		return resource.Bool(all)
	}
}

// diagnostics sets the tenant's exported-log facts from the Entra and
// Intune listings.
func (rd *reader) diagnostics(t *resource.EntraTenant) {
	graph := []string{graphActivityCategory}
	missing, whole, known := rd.sentLogs(pathEntraDiagnostics, anyDestination, append(slices.Clone(activityLogCategories), graphActivityCategory))
	t.ActivityLogsExported = sentFact(missing, activityLogCategories, whole, known)
	t.GraphActivityLogsExported = sentFact(missing, graph, whole, known)
	if known && whole {
		t.MissingActivityLogs = missing
	}
	missing, whole, known = rd.sentLogs(pathIntuneDiagnostics, workspaceOnly, intuneLogCategories)
	t.IntuneLogsExported = sentFact(missing, intuneLogCategories, whole, known)
	if known && whole {
		t.MissingIntuneLogs = missing
	}
}
