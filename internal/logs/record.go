package logs

// Source names a log source. Sigma logsources and OCSF mappings are chosen by it.
type Source string

const (
	AWSCloudTrail Source = "aws_cloudtrail"
	AzureActivity Source = "azure_activitylogs"
	AzureSignIn   Source = "azure_signinlogs"
	AzureAudit    Source = "azure_auditlogs"
	GCPAudit      Source = "gcp_audit"
	// M365Audit is the Microsoft 365 unified audit log as the Office 365
	// Management Activity API delivers it.
	M365Audit Source = "m365_audit"
)

// Record is one audit event as delivered.
type Record struct {
	Source Source
	// Raw is the event's own JSON object, exactly as in the input (one
	// element of Records/records, one line, one LogEntry).
	Raw []byte
	// File, Line (1-based, 0 when not line-oriented) and Offset (byte offset
	// of the event in the decompressed stream) locate the event.
	File   string
	Line   int
	Offset int64
}
