package logs

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/ocsf"
)

// The same two Activity Log events (a Key Vault deleted, succeeded; the
// same call refused) in each shape the log comes in, written from the
// documented schemas: the diagnostic settings record (storage and Event
// Hub, "Azure Activity Log event schema", resource log schema section);
// a row of the Log Analytics AzureActivity table (its reference columns:
// OperationNameValue, ActivityStatusValue, CategoryValue, Claims_d,
// Authorization_d, Properties_d, TimeGenerated, Type; the deprecated
// Category column empty, as in current rows); and the REST API's EventData
// (Activity Logs - List, api-version 2015-04-01, which
// `az monitor activity-log list` prints as an array): operationName,
// status, category as {"value","localizedValue"}, eventTimestamp.
const (
	azSub     = "1c9e3b5a-7d2f-4e61-9a0b-3c5d7e9f1a2b"
	azVault   = "/subscriptions/" + azSub + "/resourceGroups/rg-sec/providers/Microsoft.KeyVault/vaults/kv-prod"
	azOID     = "9f1c2d3e-4b5a-6978-8a9b-0c1d2e3f4a5b"
	azClaims  = `{"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn":"mallory@contoso.com","http://schemas.microsoft.com/identity/claims/objectidentifier":"` + azOID + `","appid":"04b07795-8ddb-461a-bbee-02f9e1bf7b46","ipaddr":"203.0.113.7"}`
	azEvident = `{"role":"Owner","roleAssignmentScope":"/subscriptions/` + azSub + `","principalId":"` + azOID + `","principalType":"User"}`
)

func azDiag(status, id string) string {
	return `{"time":"2026-11-30T10:00:00.1234567Z","resourceId":"` + strings.ToUpper(azVault) + `","operationName":"MICROSOFT.KEYVAULT/VAULTS/DELETE","category":"Administrative","resultType":"` + status + `","resultSignature":"` + status + `.OK","durationMs":"0","callerIpAddress":"203.0.113.7","correlationId":"c0ffee00-0000-4000-8000-` + id + `","identity":{"authorization":{"scope":"` + azVault + `","action":"Microsoft.KeyVault/vaults/delete","evidence":` + azEvident + `},"claims":` + azClaims + `},"level":"Information","location":"global","properties":{"statusCode":"OK","eventCategory":"Administrative","entity":"` + azVault + `","message":"Microsoft.KeyVault/vaults/delete","hierarchy":"` + azSub + `","eventDataId":"e0000000-0000-4000-8000-` + id + `"}}`
}

func azRow(status, id string) string {
	return `{"TenantId":"72f988bf-86f1-41af-91ab-2d7cd011db47","SourceSystem":"Azure","CallerIpAddress":"203.0.113.7","CategoryValue":"Administrative","CorrelationId":"c0ffee00-0000-4000-8000-` + id + `","Authorization":"","Authorization_d":{"scope":"` + azVault + `","action":"Microsoft.KeyVault/vaults/delete","evidence":` + azEvident + `},"Claims":"","Claims_d":` + azClaims + `,"Level":"Informational","OperationNameValue":"MICROSOFT.KEYVAULT/VAULTS/DELETE","Properties":"","Properties_d":{"eventCategory":"Administrative","entity":"` + azVault + `","message":"Microsoft.KeyVault/vaults/delete","hierarchy":"` + azSub + `"},"Caller":"mallory@contoso.com","EventDataId":"e0000000-0000-4000-8000-` + id + `","EventSubmissionTimestamp":"2026-11-30T10:00:05.0000000Z","HTTPRequest":"","OperationId":"0a0b0c0d-0000-4000-8000-` + id + `","ResourceGroup":"RG-SEC","ResourceProviderValue":"MICROSOFT.KEYVAULT","ActivityStatusValue":"` + status + `","ActivitySubstatusValue":"OK","Hierarchy":"` + azSub + `","TimeGenerated":"2026-11-30T10:00:00.1234567Z","SubscriptionId":"` + azSub + `","OperationName":"Delete Key Vault","ActivityStatus":"","ActivitySubstatus":"","Category":"","ResourceId":"","ResourceProvider":"","Resource":"","Type":"AzureActivity","_ResourceId":"` + strings.ToLower(azVault) + `"}`
}

// azREST is an EventData; withCategory false leaves out category, as the
// REST API's own example response does.
func azREST(status, id string, withCategory bool) string {
	cat := ""
	if withCategory {
		cat = `"category":{"value":"Administrative","localizedValue":"Administrative"},`
	}
	return `{"authorization":{"action":"Microsoft.KeyVault/vaults/delete","scope":"` + azVault + `","evidence":` + azEvident + `},"caller":"mallory@contoso.com","channels":"Operation","claims":` + azClaims + `,"correlationId":"c0ffee00-0000-4000-8000-` + id + `","description":"",` +
		`"eventDataId":"e0000000-0000-4000-8000-` + id + `","eventName":{"value":"EndRequest","localizedValue":"End request"},` + cat +
		`"eventTimestamp":"2026-11-30T10:00:00.1234567Z","httpRequest":{"clientRequestId":"27003b25-91d3-418f-8eb1-29e537dcb249","clientIpAddress":"203.0.113.7","method":"DELETE"},` +
		`"id":"` + azVault + `/events/e0000000-0000-4000-8000-` + id + `/ticks/639000000001234567","level":"Informational","operationId":"0a0b0c0d-0000-4000-8000-` + id + `",` +
		`"operationName":{"value":"Microsoft.KeyVault/vaults/delete","localizedValue":"Delete Key Vault"},"properties":{"statusCode":"OK","eventCategory":"Administrative","entity":"` + azVault + `","message":"Microsoft.KeyVault/vaults/delete","hierarchy":"` + azSub + `"},` +
		`"resourceGroupName":"rg-sec","resourceProviderName":{"value":"Microsoft.KeyVault","localizedValue":"Microsoft.KeyVault"},"resourceId":"` + azVault + `","resourceType":{"value":"Microsoft.KeyVault/vaults","localizedValue":"Microsoft.KeyVault/vaults"},` +
		`"status":{"value":"` + status + `","localizedValue":"` + status + `"},"subStatus":{"value":"OK","localizedValue":"OK (HTTP Status Code: 200)"},"submissionTimestamp":"2026-11-30T10:00:05.0000000Z","subscriptionId":"` + azSub + `","tenantId":"72f988bf-86f1-41af-91ab-2d7cd011db47"}`
}

// azureActivityShapes returns the files of each shape: name -> content
// (one succeeded and one refused event each).
func azureActivityShapes() map[string]string {
	return map[string]string{
		// Diagnostic settings to a storage account / Event Hub.
		"diagnostic.json": `{"records":[` + azDiag("Success", "000000000001") + `,` + azDiag("Failure", "000000000002") + `]}`,
		// Log Analytics data export (one row per line) and query results
		// (an array of rows).
		"azureactivity-export.json": azRow("Success", "000000000001") + "\n" + azRow("Failure", "000000000002") + "\n",
		"azureactivity-query.json":  "[" + azRow("Success", "000000000001") + ",\n" + azRow("Failure", "000000000002") + "]\n",
		// A REST API page, and `az monitor activity-log list` output.
		"rest-page.json": `{"value":[` + azREST("Succeeded", "000000000001", true) + `,` + azREST("Failed", "000000000002", false) + `],"nextLink":null}`,
		"az-cli.json":    "[\n  " + azREST("Succeeded", "000000000001", true) + ",\n  " + azREST("Failed", "000000000002", true) + "\n]\n",
	}
}

// TestAzureActivityShapes reads each shape and checks that its events
// are Azure Activity Log events with the same OCSF reading: operation,
// status (succeeded, then failed), time, caller and address,
// subscription, resource, event id.
func TestAzureActivityShapes(t *testing.T) {
	dir := t.TempDir()
	for name, data := range azureActivityShapes() {
		p := writeFile(t, dir, name, []byte(data))
		c := collect(t, p)
		if len(c.errs) > 0 {
			t.Errorf("%s: %v", name, c.errs)
		}
		if len(c.recs) != 2 {
			t.Fatalf("%s: %d events read, want 2", name, len(c.recs))
		}
		for i, r := range c.recs {
			where := filepath.Base(name) + " event " + string(rune('1'+i))
			if r.Source != AzureActivity {
				t.Errorf("%s: source %s, want %s", where, r.Source, AzureActivity)
				continue
			}
			if want := time.Date(2026, 11, 30, 10, 0, 0, 123456700, time.UTC); !r.Time.Equal(want) {
				t.Errorf("%s: time %v, want %v", where, r.Time, want)
			}
			ev, err := Normalize(r)
			if err != nil {
				t.Fatalf("%s: normalize: %v", where, err)
			}
			a, ok := ev.(*ocsf.APIActivity)
			if !ok {
				t.Fatalf("%s: %T, want API Activity", where, ev)
			}
			wantStatus := ocsf.StatusSuccess
			if i == 1 {
				wantStatus = ocsf.StatusFailure
			}
			checks := []struct{ what, got, want string }{
				{"api.operation", strings.ToLower(a.API.Operation), "microsoft.keyvault/vaults/delete"},
				{"api.service", strings.ToLower(a.API.Service.Name), "microsoft.keyvault"},
				{"status_id", string(rune('0' + a.StatusID)), string(rune('0' + wantStatus))},
				{"src_endpoint.ip", a.SrcEndpoint.IP, "203.0.113.7"},
				{"cloud.account.uid", a.Cloud.Account.UID, azSub},
				{"actor.user.name", a.Actor.User.Name, "mallory@contoso.com"},
				{"actor.user.uid", a.Actor.User.UID, azOID},
				{"actor.user.type", a.Actor.User.Type, "User"},
				{"actor.app_uid", a.Actor.AppUID, "04b07795-8ddb-461a-bbee-02f9e1bf7b46"},
				{"resources[0].uid", strings.ToLower(a.Resources[0].UID), strings.ToLower(azVault)},
				{"metadata.uid", a.Metadata.UID, "e0000000-0000-4000-8000-00000000000" + string(rune('1'+i))},
				{"metadata.log_name", a.Metadata.LogName, map[bool]string{true: "Administrative", false: ""}[name != "rest-page.json" || i == 0]},
				{"message", a.Message, "Microsoft.KeyVault/vaults/delete"},
			}
			for _, c := range checks {
				if c.got != c.want {
					t.Errorf("%s: %s = %q, want %q", where, c.what, c.got, c.want)
				}
			}
		}
	}
}
