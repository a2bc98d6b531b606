package logs

import (
	"fmt"

	"github.com/vigil-sec/vigil/internal/logs/azure"
	"github.com/vigil-sec/vigil/internal/logs/cloudtrail"
	"github.com/vigil-sec/vigil/internal/logs/gcp"
	"github.com/vigil-sec/vigil/internal/logs/m365"
	"github.com/vigil-sec/vigil/internal/ocsf"
)

// Normalize maps a record to its OCSF 1.8.0 event with the normalizer of its
// source. The error names no position; callers add the record's File/Line.
func Normalize(r Record) (ocsf.Event, error) {
	switch r.Source {
	case AWSCloudTrail:
		return cloudtrail.Normalize(r.Raw)
	case AzureActivity:
		return azure.NormalizeActivity(r.Raw)
	case AzureSignIn:
		return azure.NormalizeSignIn(r.Raw)
	case AzureAudit:
		return azure.NormalizeAudit(r.Raw)
	case GCPAudit:
		return gcp.Normalize(r.Raw)
	case M365Audit:
		return m365.Normalize(r.Raw)
	}
	return nil, fmt.Errorf("no normalizer for source %q", r.Source)
}
