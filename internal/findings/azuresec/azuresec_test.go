package azuresec

import "testing"

func TestIsDefenderFinding(t *testing.T) {
	for typ, want := range map[string]bool{
		"microsoft.security/alerts": true, "Microsoft.Security/locations/alerts": true,
		"microsoft.security/assessments": true, "Microsoft.Security/assessments/subAssessments": true,
		"microsoft.security/pricings": false, "microsoft.security/securitycontacts": false,
		"microsoft.security/assessments/governanceassignments": false, "microsoft.security/assessmentmetadata": false,
		"microsoft.security/locations/myalerts": false, "microsoft.alertsmanagement/alerts": false, "": false,
	} {
		if got := IsDefenderFinding(typ); got != want {
			t.Errorf("%s: %v, want %v", typ, got, want)
		}
	}
}
