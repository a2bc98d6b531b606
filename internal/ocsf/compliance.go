package ocsf

// Compliance Finding class constants (OCSF 1.8.0, Findings category 2).
const (
	ComplianceFindingClassUID = 2003
	// Finding activities (activity_id).
	FindingActivityCreate = 1
	FindingActivityUpdate = 2
	FindingActivityClose  = 3
	// ComplianceFindingCreate is type_uid for activity Create (class_uid*100 + activity_id).
	ComplianceFindingCreate = ComplianceFindingClassUID*100 + FindingActivityCreate
)

// Finding lifecycle status (status_id of the finding classes).
const (
	FindingStatusNew        = 1
	FindingStatusInProgress = 2
	FindingStatusSuppressed = 3
	FindingStatusResolved   = 4
	FindingStatusOther      = 99
)

// Compliance check status (compliance.status_id).
const (
	ComplianceStatusPass    = 1
	ComplianceStatusWarning = 2 // no result: missing information
	ComplianceStatusFail    = 3
)

// ComplianceFinding is the OCSF 1.8.0 Compliance Finding class (class_uid
// 2003): the result of evaluating a resource against a control.
type ComplianceFinding struct {
	FindingHeader
	Metadata Metadata `json:"metadata"`
	// Compliance is the control evaluated and its outcome.
	Compliance  Compliance        `json:"compliance"`
	FindingInfo FindingInfo       `json:"finding_info"`
	Resources   []ResourceDetails `json:"resources,omitempty"`
	Cloud       *Cloud            `json:"cloud,omitempty"`
	Remediation *Remediation      `json:"remediation,omitempty"`
	Unmapped    map[string]any    `json:"unmapped,omitempty"`
}

// Compliance is the OCSF compliance object.
type Compliance struct {
	// Standards names the frameworks, e.g. "CIS Amazon Web Services Foundations Benchmark v7.0.0".
	Standards []string `json:"standards"`
	// Requirements lists the requirement IDs, e.g. "cis-aws-7.0:3.1.4".
	Requirements []string `json:"requirements,omitempty"`
	// Control is the check that was evaluated (vigil's rule ID).
	Control      string `json:"control,omitempty"`
	StatusID     int    `json:"status_id,omitempty"`
	Status       string `json:"status,omitempty"`
	StatusCode   string `json:"status_code,omitempty"`
	StatusDetail string `json:"status_detail,omitempty"`
}

// ComplianceStatusName returns the caption of a compliance status_id.
func ComplianceStatusName(id int) string {
	switch id {
	case ComplianceStatusPass:
		return "Pass"
	case ComplianceStatusWarning:
		return "Warning"
	case ComplianceStatusFail:
		return "Fail"
	case 99:
		return "Other"
	}
	return "Unknown"
}

// FindingStatusName returns the caption of a finding status_id.
func FindingStatusName(id int) string {
	switch id {
	case FindingStatusNew:
		return "New"
	case FindingStatusInProgress:
		return "In Progress"
	case FindingStatusSuppressed:
		return "Suppressed"
	case FindingStatusResolved:
		return "Resolved"
	case FindingStatusOther:
		return "Other"
	}
	return "Unknown"
}
