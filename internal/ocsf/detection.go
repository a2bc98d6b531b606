package ocsf

import "encoding/json"

// Detection Finding class constants (OCSF 1.8.0, Findings category).
const (
	DetectionFindingClassUID = 2004
	FindingsCategoryUID      = 2
	// DetectionFindingCreate is type_uid for activity Create (class_uid*100 + activity_id).
	DetectionFindingCreate = DetectionFindingClassUID*100 + 1
)

// DetectionFinding is the OCSF 1.8.0 Detection Finding class (class_uid
// 2004): an alert raised by a detection rule over one or more events.
type DetectionFinding struct {
	FindingHeader
	IsAlert  bool     `json:"is_alert"`
	Metadata Metadata `json:"metadata"`
	// FindingInfo names the finding and the rule (analytic) that raised it.
	FindingInfo FindingInfo `json:"finding_info"`
	Cloud       *Cloud      `json:"cloud,omitempty"`
	Actor       *Actor      `json:"actor,omitempty"`
	// SrcEndpoint is the (last) matched event's source, for the message;
	// src_endpoint is not an attribute of Detection Finding, so it is
	// written only in each of the Evidences.
	SrcEndpoint *Endpoint `json:"-"`
	API         *API      `json:"api,omitempty"`
	// Resources are the resources the (last) matched event acted on.
	Resources []ResourceDetails `json:"resources,omitempty"`
	// Evidences holds one artifact per matched event.
	Evidences []Evidence `json:"evidences,omitempty"`
	// RawData is the matched event's original JSON (for a correlation, the
	// event that completed it; all events are in Evidences).
	RawData    string          `json:"raw_data,omitempty"`
	Unmapped   json.RawMessage `json:"unmapped,omitempty"`
	Confidence string          `json:"confidence,omitempty"`
}

// Evidence is the OCSF evidences object: the artifacts of one matched event.
type Evidence struct {
	Actor       *Actor    `json:"actor,omitempty"`
	API         *API      `json:"api,omitempty"`
	SrcEndpoint *Endpoint `json:"src_endpoint,omitempty"`
	// Data holds the matched event: its original JSON and, when it was
	// normalized, its OCSF form.
	Data json.RawMessage `json:"data,omitempty"`
}

// SeverityName returns the OCSF caption of a severity_id.
func SeverityName(id int) string {
	switch id {
	case SeverityInformational:
		return "Informational"
	case SeverityLow:
		return "Low"
	case SeverityMedium:
		return "Medium"
	case SeverityHigh:
		return "High"
	case SeverityCritical:
		return "Critical"
	case 6:
		return "Fatal"
	case 99:
		return "Other"
	}
	return "Unknown"
}
