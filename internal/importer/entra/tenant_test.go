package entra

import (
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/resource"
)

func tenantOf(t *testing.T, responses string) (*resource.EntraTenant, string) {
	t.Helper()
	res := parse(t, responses)
	for _, r := range res.Resources {
		if r.Type == TypeTenant {
			if r.ID != "/tenants/"+tenant || r.Class != resource.ClassOrgUnit || r.Facts.OrgUnit == nil || r.Facts.OrgUnit.Kind != "tenant" {
				t.Fatalf("tenant resource %+v", r)
			}
			return r.Facts.OrgUnit.Tenant, problems(res)
		}
	}
	return nil, problems(res)
}

func caPolicy(id, state, users, apps, actions, grant string) string {
	return `{"id":"` + id + `","state":"` + state + `","conditions":{"users":{"includeUsers":` + users + `,"excludeUsers":["breakglass"]},` +
		`"applications":{"includeApplications":` + apps + `,"includeUserActions":` + actions + `}},"grantControls":` + grant + `}`
}

// TestTenantSettings: security defaults and device registration MFA from
// the two policy objects, and what the conditional access policies
// require; each unknown when its response is absent, denied or of the
// wrong shape, never false.
func TestTenantSettings(t *testing.T) {
	sdOn := `"/policies/identitySecurityDefaultsEnforcementPolicy":{"id":"00000000-0000-0000-0000-000000000005","isEnabled":true}`
	sdOff := `"/policies/identitySecurityDefaultsEnforcementPolicy":{"isEnabled":false}`
	drReq := `"/policies/deviceRegistrationPolicy":{"id":"deviceRegistrationPolicy","multiFactorAuthConfiguration":"required"}`
	drNot := `"/v1.0/policies/deviceRegistrationPolicy/":{"multiFactorAuthConfiguration":"notRequired","userDeviceQuota":50}`
	mfaAll := caPolicy("p1", "enabled", `["All"]`, `["All"]`, `[]`, `{"operator":"OR","builtInControls":["mfa"]}`)
	mfaDevice := caPolicy("p2", "enabled", `["All"]`, `[]`, `["urn:user:registerdevice"]`, `{"operator":"OR","builtInControls":[],"authenticationStrength":{"id":"00000000-0000-0000-0000-000000000002"}}`)
	reportOnly := caPolicy("p3", "enabledForReportingButNotEnforced", `["All"]`, `["All"]`, `[]`, `{"operator":"OR","builtInControls":["mfa"]}`)
	mfaOrDevice := caPolicy("p4", "enabled", `["All"]`, `["All"]`, `[]`, `{"operator":"OR","builtInControls":["mfa","compliantDevice"]}`)
	mfaAndDevice := caPolicy("p5", "enabled", `["All"]`, `["All"]`, `[]`, `{"operator":"AND","builtInControls":["mfa","compliantDevice"]}`)
	someUsers := caPolicy("p6", "enabled", `["u1"]`, `["All"]`, `[]`, `{"operator":"OR","builtInControls":["mfa"]}`)
	ca := func(ps ...string) string { return `"/identity/conditionalAccess/policies":` + coll(ps...) }
	tests := []struct {
		name, responses string
		want            string // security_defaults device_join_mfa conditional_access_mfa conditional_access_device_mfa
		problem         string
	}{
		{"on, required, no policies", sdOn + "," + drReq + "," + ca(), "true true false false", ""},
		{"off, not required, CA for all and for devices", sdOff + "," + drNot + "," + ca(mfaAll, mfaDevice), "false false true true", ""},
		{"report-only, one of two controls, some users: none counts", sdOff + "," + ca(reportOnly, mfaOrDevice, someUsers), "false unknown false false", ""},
		{"both controls required", sdOff + "," + ca(mfaAndDevice), "false unknown true false", ""},
		{"CA not read", sdOff + "," + drNot, "false false unknown unknown", ""},
		{"CA found despite a bad policy", sdOn + "," + ca(mfaAll, `{"id":"p9","state":7}`), "true unknown true unknown", "state: want string"},
		{"denied policy", `"/policies/identitySecurityDefaultsEnforcementPolicy":{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges"}}` + "," + drReq,
			"unknown true unknown unknown", "Authorization_RequestDenied"},
		{"wrong types", `"/policies/identitySecurityDefaultsEnforcementPolicy":{"isEnabled":"yes"},"/policies/deviceRegistrationPolicy":[{"multiFactorAuthConfiguration":"required"},{}]`,
			"unknown unknown unknown unknown", "isEnabled: want boolean"},
		{"a list of one page", `"/policies/deviceRegistrationPolicy":[{"multiFactorAuthConfiguration":"required"}]`, "unknown true unknown unknown", ""},
		{"a list of pages", `"/policies/deviceRegistrationPolicy":[{"multiFactorAuthConfiguration":"required"},{}]`, "unknown unknown unknown unknown", "a list where one object"},
		{"not an object", `"/policies/identitySecurityDefaultsEnforcementPolicy":"on"`, "unknown unknown unknown unknown", "want object (a Graph policy), got string"},
		{"unknown enum value", `"/policies/deviceRegistrationPolicy":{"multiFactorAuthConfiguration":"unknownFutureValue"}`, "unknown unknown unknown unknown", "neither required nor notRequired"},
		{"enum of the wrong type", `"/policies/deviceRegistrationPolicy":{"multiFactorAuthConfiguration":true}`, "unknown unknown unknown unknown", "multiFactorAuthConfiguration: want string"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ten, probs := tenantOf(t, tc.responses)
			if ten == nil {
				t.Fatalf("no tenant resource (problems: %s)", probs)
			}
			got := strings.Join([]string{tri(ten.SecurityDefaults), tri(ten.DeviceJoinMFA), tri(ten.ConditionalAccessMFA), tri(ten.ConditionalAccessDeviceMFA)}, " ")
			if got != tc.want {
				t.Errorf("got %s, want %s (problems: %s)", got, tc.want, probs)
			}
			if tc.problem == "" && probs != "" || !strings.Contains(probs, tc.problem) {
				t.Errorf("problems %q, want %q", probs, tc.problem)
			}
		})
	}
}

// TestTenantWithoutPolicies: a file without the tenant's policy objects
// (both calls denied: the collector leaves them out) still has the tenant,
// with its policy settings unknown (its rules UNKNOWN, not silent) and what
// the conditional access policies tell.
func TestTenantWithoutPolicies(t *testing.T) {
	ten, probs := tenantOf(t, `"/users":`+coll(`{"id":"u1"}`)+`,"/identity/conditionalAccess/policies":`+coll())
	if ten == nil {
		t.Fatalf("no tenant resource (problems %s)", probs)
	}
	got := strings.Join([]string{tri(ten.SecurityDefaults), tri(ten.DeviceJoinMFA), tri(ten.ConditionalAccessMFA), tri(ten.ConditionalAccessDeviceMFA)}, " ")
	if got != "unknown unknown false false" {
		t.Errorf("got %s, want unknown unknown false false", got)
	}
	if ten, _ := tenantOf(t, `"/users":`+coll(`{"id":"u1"}`)); ten == nil || ten.ConditionalAccessMFA != nil {
		t.Errorf("tenant without any policy read: %+v, want one with conditional access unknown", ten)
	}
}
