package logs

import (
	"time"

	"github.com/vigil-sec/vigil/internal/logs/azure"
	"github.com/vigil-sec/vigil/internal/logs/azureresource"
	"github.com/vigil-sec/vigil/internal/logs/cloudtrail"
	"github.com/vigil-sec/vigil/internal/logs/gcp"
	"github.com/vigil-sec/vigil/internal/logs/k8saudit"
	"github.com/vigil-sec/vigil/internal/logs/logsource"
	"github.com/vigil-sec/vigil/internal/logs/m365"
)

// Source names a log source. Sigma logsources and OCSF mappings are chosen by it.
type Source = logsource.Source

// The built-in sources' names (see Builtin).
const (
	AWSCloudTrail = cloudtrail.Name
	AzureActivity = azure.ActivityName
	AzureSignIn   = azure.SignInName
	AzureAudit    = azure.AuditName
	// AzureResource is the Azure resource logs (Key Vault AuditEvent,
	// Storage read/write/delete).
	AzureResource = azureresource.Name
	GCPAudit      = gcp.Name
	// K8sAudit is Kubernetes API server audit events (plain, EKS through
	// CloudWatch Logs, AKS diagnostic records and tables).
	K8sAudit = k8saudit.Name
	// M365Audit is the Microsoft 365 unified audit log as the Office 365
	// Management Activity API delivers it.
	M365Audit = m365.Name
)

// Record is one audit event as delivered.
type Record struct {
	Source Source
	// Raw is the event's own JSON object, exactly as in the input (one
	// element of Records/records, one line, one LogEntry), unless Shape
	// is set.
	Raw []byte
	// Shape, when not empty, names the other shape the event came in
	// ("Log Analytics OfficeActivity row", "CSV AuditData column"): Raw is
	// then the event converted to (or taken out of) that shape, a buffer
	// of its own, and Offset locates the original in the input.
	Shape string
	// File, Line (1-based, 0 when not line-oriented) and Offset (byte offset
	// of the event in the decompressed stream) locate the event.
	File   string
	Line   int
	Offset int64
	// Time is the event time (UTC) the reader found (see EventTime); zero
	// in records made otherwise.
	Time time.Time
	// Desc is the descriptor of Source in the registry that read the
	// record (nil in records made otherwise: DescriptorOf then looks the
	// name up among the built-in sources).
	Desc *Descriptor
	// Members, when not nil, locates the event's top-level members in
	// Raw, as the reader found them while validating the input (events
	// of an array or a {"Records":[...]} wrapper on a line, or one per
	// line of JSON lines): four offsets per
	// member, the key's text inside its quotes (start, end) and the raw
	// value (start, end). Matching then need not scan the event again
	// (sigma.JSONEvent.ResetMembers). It is valid only during the
	// callback the reader passes the record to (the reader reuses it):
	// a record kept longer must have it set to nil.
	Members []int32
	// MemberDots, with Members, tells whether a top-level member's key
	// holds a '.' (only then can a dotted path name a member whole; see
	// sigma.JSONEvent.ResetMembersDots).
	MemberDots bool
}
