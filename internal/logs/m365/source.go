package m365

import (
	"github.com/vigil-sec/vigil/internal/logs/logsource"
)

// Name is the source name of Microsoft 365 unified audit log records.
const Name logsource.Source = "m365_audit"

// Descriptor describes the Microsoft 365 unified audit log as the Office 365
// Management Activity API delivers it (content blobs are JSON arrays).
func Descriptor() logsource.Descriptor {
	return logsource.Descriptor{
		Name:  Name,
		Title: "Microsoft 365 audit",
		// Microsoft Graph pages ({"@odata.context":...,"value":[...]}) of
		// audit log query records (GraphAuditRecord).
		AltWrappers: []string{"value"},
		Recognise:   Recognise,
		Normalize:   Normalize,
		Time:        []string{"CreationTime"},
		Actor:       []string{"UserId", "UserKey"},
		Operation:   "Operation",
		Shapes:      []logsource.Shape{OfficeActivity(), GraphAuditRecord()},
		// The Management Activity API, the Purview / Search-UnifiedAuditLog
		// exports' AuditData column, Graph audit queries and OfficeActivity
		// rows write one record in other bytes: copies are told by the
		// record's Id, time, operation, outcome and user (see Identity).
		Identity: Identity,
		// The "audit" rules use the records' own names; the exchange,
		// threat_management and threat_detection rules use
		// eventSource/eventName/status (the Workload, the alert name of
		// SecurityComplianceAlerts records or else the Operation, and the
		// outcome).
		Sigma: logsource.Sigma{
			LogSources: []logsource.LogSource{
				{Product: "m365", Service: "audit", Coverage: "m365 audit"},
				{Product: "m365", Service: "exchange", Coverage: "m365 audit"},
				{Product: "m365", Service: "threat_management", Coverage: "m365 audit"},
				{Product: "m365", Service: "threat_detection", Coverage: "m365 audit"},
			},
			Fields: map[string][]string{
				"eventsource": {"Workload"},
				"eventname":   {"Name", "Operation"},
				"status":      {"ResultStatus"},
				// Entra ID sign-in records carry RequestType, UserAgent etc.
				// in ExtendedProperties name/value pairs.
				"requesttype": {"ExtendedProperties[Name=RequestType].Value"},
				"useragent":   {"ExtendedProperties[Name=UserAgent].Value"},
				// Payload is the raw event text (as in QRadar): cmdlet name
				// and parameters of Security & Compliance cmdlet records.
				"payload": {logsource.RawPath},
			},
			Values: map[string]map[string][]string{
				"status": {
					"success": {"Succeeded", "Success", "True"},
					"failure": {"Failed", "Failure", "False"},
				},
			},
		},
		LakeView: string(Name),
	}
}

// Recognise knows a record by the Management Activity API common schema:
// CreationTime, Operation, RecordType and Workload or OrganizationId.
func Recognise(p logsource.Probe) ([]byte, bool) {
	for _, k := range []string{"CreationTime", "Operation", "RecordType"} {
		if _, ok := p.Member(k); !ok {
			return nil, false
		}
	}
	if _, ok := p.Member("Workload"); ok {
		return nil, true
	}
	_, ok := p.Member("OrganizationId")
	return nil, ok
}
