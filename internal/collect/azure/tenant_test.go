package azurecollect

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/collect"
	"github.com/vigil-sec/vigil/internal/importer"
	"github.com/vigil-sec/vigil/internal/importer/entra"
	"github.com/vigil-sec/vigil/internal/resource"
)

const (
	securityDefaultsCall   = "GET /policies/identitySecurityDefaultsEnforcementPolicy"
	deviceRegistrationCall = "GET /policies/deviceRegistrationPolicy"
)

// collectTenant runs the collector against routes and returns the Entra
// ID export, the tenant's settings imported from it (nil without the
// tenant's resource) and the failures recorded.
func collectTenant(t *testing.T, routes map[string]route) (entraExport, *resource.EntraTenant, []collect.Failure) {
	t.Helper()
	f := newFakeAzure(t, filepath.Join("testdata", "server"), routes)
	mem, rec, err := run(t, f, f.options())
	if err != nil {
		t.Fatalf("Collect: %v", err)
	}
	name := "azure/entra-" + tenantID + ".json"
	var exp entraExport
	if err := json.Unmarshal(mem.File(name), &exp); err != nil {
		t.Fatalf("entra export: %v", err)
	}
	dir := t.TempDir()
	if err := collect.Dir(dir).Write(context.Background(), name, mem.File(name)); err != nil {
		t.Fatal(err)
	}
	inv, err := importer.Load(context.Background(), []string{filepath.Join(dir, filepath.FromSlash(name))})
	if err != nil {
		t.Fatalf("importing the Entra ID export: %v", err)
	}
	if len(inv.Errors) > 0 {
		t.Errorf("the Entra ID export has input problems: %v", inv.Errors)
	}
	for _, r := range inv.Resources {
		if r.Type == entra.TypeTenant && r.Facts.OrgUnit != nil {
			return exp, r.Facts.OrgUnit.Tenant, rec.Failures()
		}
	}
	return exp, nil, rec.Failures()
}

// failureOf is the failure recorded for a call of the tenant.
func failureOf(fails []collect.Failure, call string) *collect.Failure {
	for i, fl := range fails {
		if fl.Call == call {
			return &fails[i]
		}
	}
	return nil
}

// TestTenantPolicies: the collector reads the tenant's two policy objects
// (security defaults, device registration) into the Entra ID export as
// Graph returned them, where internal/importer/entra reads them; a policy
// denied (403) or not found (404) is left out, recorded as a failure
// naming the tenant and the call, and its fact stays unknown, never false.
func TestTenantPolicies(t *testing.T) {
	t.Run("device registration denied", func(t *testing.T) {
		exp, tenant, fails := collectTenant(t, loadRoutes(t))
		if _, ok := exp.Responses["/policies/identitySecurityDefaultsEnforcementPolicy"].(map[string]any); !ok {
			t.Errorf("the security defaults policy is not in the export as one object: %v", exp.Responses["/policies/identitySecurityDefaultsEnforcementPolicy"])
		}
		if _, ok := exp.Responses["/policies/deviceRegistrationPolicy"]; ok {
			t.Error("the denied device registration policy is in the export")
		}
		fl := failureOf(fails, deviceRegistrationCall)
		if fl == nil || fl.Kind != collect.Denied || fl.Account != tenantID || fl.Service != "graph" {
			t.Errorf("the denied device registration policy is recorded as %+v, want denied on tenant %s", fl, tenantID)
		} else if s := fl.String(); !strings.Contains(s, tenantID) || !strings.Contains(s, deviceRegistrationCall) || !strings.Contains(s, "403") {
			t.Errorf("the failure %q does not name the tenant, the call and the status", s)
		}
		if fl := failureOf(fails, securityDefaultsCall); fl != nil {
			t.Errorf("the security defaults policy served is recorded as failed: %s", fl)
		}
		if tenant == nil {
			t.Fatal("no tenant resource imported from the export")
		}
		if tenant.SecurityDefaults == nil || *tenant.SecurityDefaults {
			t.Errorf("security_defaults = %v, want false as served", tenant.SecurityDefaults)
		}
		if tenant.DeviceJoinMFA != nil {
			t.Errorf("device_join_mfa = %v although its policy was denied, want unknown", *tenant.DeviceJoinMFA)
		}
	})
	t.Run("security defaults not found", func(t *testing.T) {
		routes := loadRoutes(t)
		routes["GET /v1.0/policies/identitySecurityDefaultsEnforcementPolicy"] = route{Status: []int{404}} // errors/graph-404.json
		routes["GET /v1.0/policies/deviceRegistrationPolicy"] = route{File: "graph/deviceregistration.json"}
		exp, tenant, fails := collectTenant(t, routes)
		if _, ok := exp.Responses["/policies/identitySecurityDefaultsEnforcementPolicy"]; ok {
			t.Error("the security defaults policy not found is in the export")
		}
		fl := failureOf(fails, securityDefaultsCall)
		if fl == nil || fl.Kind != collect.Failed || fl.Account != tenantID || !strings.Contains(fl.Err, "404") {
			t.Errorf("the security defaults policy not found is recorded as %+v, want a 404 failure on tenant %s", fl, tenantID)
		}
		if tenant == nil {
			t.Fatal("no tenant resource imported from the export")
		}
		if tenant.SecurityDefaults != nil {
			t.Errorf("security_defaults = %v although its policy was not found, want unknown", *tenant.SecurityDefaults)
		}
		if tenant.DeviceJoinMFA == nil || !*tenant.DeviceJoinMFA {
			t.Errorf("device_join_mfa = %v, want true (multiFactorAuthConfiguration required)", tenant.DeviceJoinMFA)
		}
	})
}

// TestTenantDiagnostics: the collector lists the tenant's diagnostic
// settings (Entra ID's and Intune's) through Azure Resource Manager, not
// Graph, into the Entra ID export, where the importer judges CIS Azure
// 6.1.1.7-6.1.1.9 from them (audit and sign-in logs sent, Graph activity
// not; Intune's archived to storage, not Log Analytics); a denied listing
// is recorded against the tenant and its facts stay unknown, never false.
func TestTenantDiagnostics(t *testing.T) {
	const call = "microsoft.aadiam/diagnosticSettings/read"
	t.Run("listed", func(t *testing.T) {
		exp, tenant, fails := collectTenant(t, loadRoutes(t))
		body, ok := exp.Responses[entraDiagnosticsPath].(map[string]any)
		if !ok {
			t.Fatalf("the diagnostic settings are not in the export: %v", exp.Responses[entraDiagnosticsPath])
		}
		if rows, _ := body["value"].([]any); len(rows) != 1 {
			t.Errorf("the diagnostic settings listing holds %d settings, want 1", len(rows))
		}
		if fl := failureOf(fails, call); fl != nil {
			t.Errorf("the listing served is recorded as failed: %s", fl)
		}
		if tenant == nil {
			t.Fatal("no tenant resource imported from the export")
		}
		if tenant.ActivityLogsExported == nil || !*tenant.ActivityLogsExported {
			t.Errorf("activity_logs_exported = %v, want true (AuditLogs and SignInLogs sent to a workspace)", tenant.ActivityLogsExported)
		}
		if tenant.GraphActivityLogsExported == nil || *tenant.GraphActivityLogsExported {
			t.Errorf("graph_activity_logs_exported = %v, want false (MicrosoftGraphActivityLogs disabled)", tenant.GraphActivityLogsExported)
		}
		if _, ok := exp.Responses["/providers/microsoft.intune/diagnosticSettings"].(map[string]any); !ok {
			t.Fatalf("Intune's diagnostic settings are not in the export: %v", exp.Responses["/providers/microsoft.intune/diagnosticSettings"])
		}
		if tenant.IntuneLogsExported == nil || *tenant.IntuneLogsExported {
			t.Errorf("intune_logs_exported = %v, want false (sent to a storage account, not Log Analytics)", tenant.IntuneLogsExported)
		}
	})
	t.Run("denied", func(t *testing.T) {
		routes := loadRoutes(t)
		routes["GET /providers/microsoft.aadiam/diagnosticSettings"] = route{File: "errors/arm-403.json", Status: []int{403}}
		exp, tenant, fails := collectTenant(t, routes)
		if _, ok := exp.Responses[entraDiagnosticsPath]; ok {
			t.Error("the denied listing is in the export")
		}
		fl := failureOf(fails, call)
		if fl == nil || fl.Kind != collect.Denied || fl.Account != tenantID {
			t.Errorf("the denied listing is recorded as %+v, want denied on tenant %s", fl, tenantID)
		}
		if tenant == nil {
			t.Fatal("no tenant resource imported from the export")
		}
		if tenant.ActivityLogsExported != nil || tenant.GraphActivityLogsExported != nil {
			t.Errorf("activity/graph logs exported = %v/%v although the listing was denied, want unknown",
				tenant.ActivityLogsExported, tenant.GraphActivityLogsExported)
		}
		if tenant.IntuneLogsExported == nil {
			t.Error("Intune's listing, served, is unknown after the Entra listing was denied")
		}
	})
}
