// Package azuresec tells which rows of Azure Resource Graph's
// securityresources table are Defender for Cloud findings. It has no
// dependencies, so the inventory importer, the Azure collector and the
// findings reader all ask it and agree.
package azuresec

import "strings"

// IsDefenderFinding reports whether an ARM type (compared without case)
// is one of the Defender for Cloud findings vigil findings import reads:
// an alert (microsoft.security/alerts, microsoft.security/locations/alerts),
// an assessment, or a sub-assessment. Other security types (pricings,
// security contacts, assessment metadata, governance assignments) are
// not.
func IsDefenderFinding(typ string) bool {
	typ = strings.ToLower(typ)
	rest, ok := strings.CutPrefix(typ, "microsoft.security/")
	return ok && (rest == "alerts" || strings.HasSuffix(rest, "/alerts") || rest == "assessments" || rest == "assessments/subassessments")
}
