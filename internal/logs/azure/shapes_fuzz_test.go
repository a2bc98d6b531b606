package azure

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// FuzzShapes: Graph PowerShell objects and the Entra admin center's CSV
// rows (as the CSV reader hands them over: an object of the row's
// columns) convert to a Graph object the sources normalize, or to an
// error, never a panic.
func FuzzShapes(f *testing.F) {
	for _, s := range []string{"azure_signin_graph_powershell.json", "azure_audit_graph_powershell.json"} {
		if d, err := os.ReadFile(filepath.Join("..", "testdata", "shapes", s)); err == nil {
			var objs []json.RawMessage
			if json.Unmarshal(d, &objs) == nil {
				for _, o := range objs {
					f.Add([]byte(o))
				}
			}
		}
	}
	for _, s := range []string{"azure_signin_portal.csv", "azure_signin_portal_serviceprincipals.csv", "azure_audit_portal.csv"} {
		fh, err := os.Open(filepath.Join("..", "testdata", "shapes", s))
		if err != nil {
			continue
		}
		rows, _ := csv.NewReader(fh).ReadAll()
		fh.Close()
		for _, r := range rows[min(1, len(rows)):] {
			obj := map[string]string{}
			for i, c := range r {
				if c != "" && i < len(rows[0]) {
					obj[rows[0][i]] = c
				}
			}
			b, _ := json.Marshal(obj)
			f.Add(b)
		}
	}
	f.Add([]byte(`{"CreatedDateTime":"/Date(1710406692345+0100)/","AppId":"a","Status":{"ErrorCode":0,"AdditionalProperties":{"x":1}},"UserPrincipalName":"u"}`))
	f.Add([]byte(`{"Date (UTC)":"3/14/2024, 8:58:12 AM","Request ID":"r","Status":"Interrupted","Application ID":"a","Location":",,"}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		// The PowerShell conversion takes any object: it is held to
		// normalizing only for objects its shape recognises.
		var keys map[string]json.RawMessage
		_ = json.Unmarshal(raw, &keys)
		has := func(ks ...string) bool {
			for _, k := range ks {
				if _, ok := keys[k]; !ok {
					return false
				}
			}
			return true
		}
		convs := []struct {
			conv      func([]byte) ([]byte, error)
			normalize func([]byte) (any, error)
			applies   bool
		}{
			{func(b []byte) ([]byte, error) { return convertPowerShell(b, "Status", "createdDateTime") }, signIn, has("CreatedDateTime", "AppId", "Status")},
			{func(b []byte) ([]byte, error) { return convertPowerShell(b, "InitiatedBy", "activityDateTime") }, audit, has("ActivityDisplayName", "ActivityDateTime")},
			{convertPortalSignIn, signIn, true},
			{convertPortalAudit, audit, true},
		}
		for _, c := range convs {
			if !c.applies {
				continue
			}
			out, err := c.conv(raw)
			if err != nil {
				continue
			}
			if !json.Valid(out) {
				t.Fatalf("converted event is not JSON: %s", out)
			}
			if _, err := c.normalize(out); err != nil {
				t.Fatalf("converted event does not normalize: %v: %s", err, out)
			}
		}
	})
}

func signIn(b []byte) (any, error) { return NormalizeSignIn(b) }
func audit(b []byte) (any, error)  { return NormalizeAudit(b) }
