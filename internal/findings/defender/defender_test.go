package defender

import (
	"testing"
	"unsafe"

	"github.com/vigil-sec/vigil/internal/findings"
)

// TestParseRefersToRecord checks that with findings.Refer the strings of
// a Resource Graph row's finding refer to the record itself: an import
// that copies them out of its read buffer (load.WithoutRaw, RawInFiles)
// only copies strings that are part of the buffer, so a string referring
// to a copy of the properties kept that whole copy alive with the finding.
func TestParseRefersToRecord(t *testing.T) {
	for name, rec := range map[string]string{
		"alert": `{"id":"/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Security/locations/eastus/alerts/a1",
			"type":"microsoft.security/locations/alerts","location":"eastus","subscriptionId":"s1",
			"properties":{"status":"Active","severity":"High","alertType":"VM_RDPBruteForceSuccess","systemAlertId":"a1",
			"alertDisplayName":"Successful RDP brute force attack","description":"Several remote desktop login attempts."}}`,
		"assessment": `{"id":"/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st1/providers/Microsoft.Security/assessments/x1",
			"type":"microsoft.security/assessments","subscriptionId":"s1",
			"properties":{"displayName":"Storage accounts should restrict network access","description":"Restrict it.",
			"status":{"code":"Unhealthy","severity":"Medium"},"resourceDetails":{"id":"/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st1"}}}`,
	} {
		raw := []byte(rec)
		f, err := Parse(raw, findings.Refer)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		lo := uintptr(unsafe.Pointer(&raw[0]))
		for field, s := range map[string]string{"title": f.Title, "description": f.Description, "original severity": f.OriginalSeverity} {
			p := uintptr(unsafe.Pointer(unsafe.StringData(s)))
			if s == "" || p < lo || p >= lo+uintptr(len(raw)) {
				t.Errorf("%s: the %s %q is not a part of the record", name, field, s)
			}
		}
	}
}

// TestParseErrors checks that a record whose properties are not an
// object is an error, not a finding.
func TestParseErrors(t *testing.T) {
	for _, rec := range []string{
		`{"id":"/subscriptions/s1/x","type":"microsoft.security/locations/alerts","properties":"High"}`,
		`{"id":"/subscriptions/s1/x","type":"microsoft.security/assessments","properties":{"status":"Unhealthy"}}`,
		`{"id":"/subscriptions/s1/x","type":"microsoft.security/pricings","properties":{}}`,
	} {
		if _, err := Parse([]byte(rec), findings.Refer); err == nil {
			t.Errorf("%s: no error", rec)
		}
	}
}
