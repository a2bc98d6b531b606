package detect

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/logs"
)

// azureEvent writes one Activity Log event in one of its shapes (see
// internal/logs/azure: diagnostic settings record, Log Analytics
// AzureActivity row, REST API EventData as `az monitor activity-log list`
// prints it), with the fields those shapes document.
func azureEvent(shape, op, display, status, id string) string {
	const sub = "1c9e3b5a-7d2f-4e61-9a0b-3c5d7e9f1a2b"
	rid := "/subscriptions/" + sub + "/resourceGroups/rg-sec/providers/" + strings.Join(strings.Split(op, "/")[:2], "/") + "/x-" + id
	claims := `{"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn":"mallory@contoso.com","http://schemas.microsoft.com/identity/claims/objectidentifier":"9f1c2d3e-4b5a-6978-8a9b-0c1d2e3f4a5b"}`
	switch shape {
	case "diagnostic":
		st := map[string]string{"ok": "Success", "failed": "Failure"}[status]
		return `{"time":"2026-11-30T10:00:0` + id + `Z","resourceId":"` + strings.ToUpper(rid) + `","operationName":"` + strings.ToUpper(op) + `","category":"Administrative","resultType":"` + st + `","callerIpAddress":"203.0.113.7","identity":{"claims":` + claims + `},"level":"Information","location":"global","properties":{"eventDataId":"e-` + id + `"}}`
	case "azureactivity":
		st := map[string]string{"ok": "Success", "failed": "Failure"}[status]
		return `{"CallerIpAddress":"203.0.113.7","CategoryValue":"Administrative","Claims_d":` + claims + `,"Level":"Informational","OperationNameValue":"` + strings.ToUpper(op) + `","Properties_d":{"eventCategory":"Administrative"},"Caller":"mallory@contoso.com","EventDataId":"e-` + id + `","ResourceProviderValue":"` + strings.ToUpper(strings.Split(op, "/")[0]) + `","ActivityStatusValue":"` + st + `","TimeGenerated":"2026-11-30T10:00:0` + id + `Z","SubscriptionId":"` + sub + `","OperationName":"` + display + `","Category":"","ResourceId":"","Type":"AzureActivity","_ResourceId":"` + strings.ToLower(rid) + `"}`
	default: // rest
		st := map[string]string{"ok": "Succeeded", "failed": "Failed"}[status]
		return `{"caller":"mallory@contoso.com","claims":` + claims + `,"eventDataId":"e-` + id + `","eventName":{"value":"EndRequest","localizedValue":"End request"},"category":{"value":"Administrative","localizedValue":"Administrative"},"eventTimestamp":"2026-11-30T10:00:0` + id + `Z","httpRequest":{"clientIpAddress":"203.0.113.7","method":"DELETE"},"level":"Informational","operationName":{"value":"` + op + `","localizedValue":"` + display + `"},"properties":{"statusCode":"OK"},"resourceId":"` + rid + `","status":{"value":"` + st + `","localizedValue":"` + st + `"},"subscriptionId":"` + sub + `"}`
	}
}

// TestAzureActivityShapesAlert runs the built-in detections over the same
// Activity Log events in each shape: a Key Vault deleted (a rule on the
// raw event's operationName, failures filtered on resultType) and a
// diagnostic setting deleted (an OCSF rule on api.operation, behind the
// operation gate), each succeeded and refused. Each shape must raise the
// same alerts: both rules once (on the succeeded calls), none on the
// refused ones.
func TestAzureActivityShapesAlert(t *testing.T) {
	ops := []struct{ op, display string }{
		{"Microsoft.KeyVault/vaults/delete", "Delete Key Vault"},
		{"Microsoft.Insights/diagnosticSettings/delete", "Delete diagnostic setting"},
	}
	var want []string
	for _, shape := range []string{"diagnostic", "azureactivity", "rest"} {
		var evs []string
		n := 0
		for _, o := range ops {
			for _, st := range []string{"ok", "failed"} {
				n++
				evs = append(evs, azureEvent(shape, o.op, o.display, st, string(rune('0'+n))))
			}
		}
		var data string
		switch shape {
		case "diagnostic":
			data = `{"records":[` + strings.Join(evs, ",") + `]}`
		case "azureactivity": // Log Analytics data export: a row per line
			data = strings.Join(evs, "\n") + "\n"
		default: // az monitor activity-log list
			data = "[\n" + strings.Join(evs, ",\n") + "\n]\n"
		}
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, shape+".json"), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		eng, err := New(context.Background(), Config{})
		if err != nil {
			t.Fatal(err)
		}
		sink := &collectSink{}
		if err := eng.Run(context.Background(), []string{dir}, sink, RunOptions{OnInputError: func(ie logs.InputError) {
			t.Errorf("%s: %v", shape, ie)
		}}); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, a := range sink.alerts {
			got = append(got, a.Rule.Title)
			for _, ev := range a.Events {
				if strings.Contains(string(ev.Record.Raw), "Fail") {
					t.Errorf("%s: %q raised on a refused call: %s", shape, a.Rule.Title, ev.Record.Raw)
				}
			}
		}
		slices.Sort(got)
		for _, title := range []string{"Azure Key Vault Deleted", "Cloud Audit Logging Disabled"} {
			if c := countOf(got, title); c != 1 {
				t.Errorf("%s: %q raised %d times, want 1 (alerts: %q)", shape, title, c, got)
			}
		}
		if want == nil {
			want = got
		} else if !slices.Equal(got, want) {
			t.Errorf("%s shape raised %q, the diagnostic shape %q", shape, got, want)
		}
	}
}

func countOf(xs []string, x string) int {
	n := 0
	for _, y := range xs {
		if y == x {
			n++
		}
	}
	return n
}
