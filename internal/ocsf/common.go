package ocsf

// Version is the OCSF schema version vigil writes.
const Version = "1.8.0"

// Metadata is the OCSF metadata object.
type Metadata struct {
	Version        string   `json:"version"`
	Product        Product  `json:"product"`
	UID            string   `json:"uid,omitempty"`
	CorrelationUID string   `json:"correlation_uid,omitempty"`
	LogName        string   `json:"log_name,omitempty"`
	LogProvider    string   `json:"log_provider,omitempty"`
	OriginalTime   string   `json:"original_time,omitempty"`
	EventCode      string   `json:"event_code,omitempty"`
	Profiles       []string `json:"profiles,omitempty"`
	Labels         []string `json:"labels,omitempty"`
}

// Product is the OCSF product object.
type Product struct {
	Name       string `json:"name"`
	VendorName string `json:"vendor_name"`
	Version    string `json:"version,omitempty"`
	UID        string `json:"uid,omitempty"`
}

// VigilProduct describes vigil as the product writing a finding.
func VigilProduct(version string) Product {
	return Product{Name: "vigil", VendorName: "vigil", Version: version}
}

// Cloud is the OCSF cloud object.
type Cloud struct {
	Provider string   `json:"provider"`
	Region   string   `json:"region,omitempty"`
	Account  *Account `json:"account,omitempty"`
}

// Account is the OCSF account object.
type Account struct {
	UID    string `json:"uid,omitempty"`
	Name   string `json:"name,omitempty"`
	Type   string `json:"type,omitempty"`
	TypeID int    `json:"type_id,omitempty"`
}

// User is the OCSF user object.
type User struct {
	UID           string   `json:"uid,omitempty"`
	UIDAlt        string   `json:"uid_alt,omitempty"`
	Name          string   `json:"name,omitempty"`
	FullName      string   `json:"full_name,omitempty"`
	Type          string   `json:"type,omitempty"`
	TypeID        int      `json:"type_id,omitempty"`
	EmailAddr     string   `json:"email_addr,omitempty"`
	CredentialUID string   `json:"credential_uid,omitempty"`
	Account       *Account `json:"account,omitempty"`
}

// Session is the OCSF session object.
type Session struct {
	UID         string `json:"uid,omitempty"`
	Issuer      string `json:"issuer,omitempty"`
	IsMFA       *bool  `json:"is_mfa,omitempty"`
	CreatedTime int64  `json:"created_time,omitempty"`
}

// Actor is the OCSF actor object.
type Actor struct {
	User      *User    `json:"user,omitempty"`
	Session   *Session `json:"session,omitempty"`
	InvokedBy string   `json:"invoked_by,omitempty"`
	AppName   string   `json:"app_name,omitempty"`
	AppUID    string   `json:"app_uid,omitempty"`
	IDP       *IDP     `json:"idp,omitempty"`
}

// IDP is the OCSF identity provider object.
type IDP struct {
	Name string `json:"name,omitempty"`
	UID  string `json:"uid,omitempty"`
}

// Endpoint is the OCSF network endpoint object.
type Endpoint struct {
	IP       string    `json:"ip,omitempty"`
	Domain   string    `json:"domain,omitempty"`
	Hostname string    `json:"hostname,omitempty"`
	Location *Location `json:"location,omitempty"`
}

// Location is the OCSF geo location object.
type Location struct {
	City    string `json:"city,omitempty"`
	Country string `json:"country,omitempty"`
	Region  string `json:"region,omitempty"`
}

// API is the OCSF api object.
type API struct {
	Operation string       `json:"operation"`
	Service   *Service     `json:"service,omitempty"`
	Version   string       `json:"version,omitempty"`
	Request   *APIRequest  `json:"request,omitempty"`
	Response  *APIResponse `json:"response,omitempty"`
}

// Service is the OCSF service object.
type Service struct {
	Name string `json:"name,omitempty"`
	UID  string `json:"uid,omitempty"`
}

// APIRequest is the OCSF request object.
type APIRequest struct {
	UID  string         `json:"uid,omitempty"`
	Data map[string]any `json:"data,omitempty"`
}

// APIResponse is the OCSF response object.
type APIResponse struct {
	Code    int    `json:"code,omitempty"`
	Error   string `json:"error,omitempty"`
	Message string `json:"message,omitempty"`
}

// ResourceDetails is the OCSF resource_details object.
type ResourceDetails struct {
	UID            string            `json:"uid,omitempty"`
	Name           string            `json:"name,omitempty"`
	Type           string            `json:"type,omitempty"`
	Region         string            `json:"region,omitempty"`
	CloudPartition string            `json:"cloud_partition,omitempty"`
	Labels         []string          `json:"labels,omitempty"`
	Data           map[string]any    `json:"data,omitempty"`
	Owner          *User             `json:"owner,omitempty"`
	Tags           map[string]string `json:"-"`
}

// Remediation is the OCSF remediation object.
type Remediation struct {
	Desc       string   `json:"desc"`
	References []string `json:"references,omitempty"`
}

// FindingInfo is the OCSF finding_info object.
type FindingInfo struct {
	UID           string    `json:"uid"`
	Title         string    `json:"title"`
	Desc          string    `json:"desc,omitempty"`
	Types         []string  `json:"types,omitempty"`
	CreatedTime   int64     `json:"created_time,omitempty"`
	FirstSeenTime int64     `json:"first_seen_time,omitempty"`
	LastSeenTime  int64     `json:"last_seen_time,omitempty"`
	Analytic      *Analytic `json:"analytic,omitempty"`
	Attacks       []Attack  `json:"attacks,omitempty"`
}

// Analytic is the OCSF analytic object (the rule that produced a finding).
type Analytic struct {
	UID    string `json:"uid,omitempty"`
	Name   string `json:"name,omitempty"`
	Type   string `json:"type,omitempty"`
	TypeID int    `json:"type_id"`
	Desc   string `json:"desc,omitempty"`
}

// Attack is the OCSF MITRE ATT&CK object.
type Attack struct {
	Version   string     `json:"version,omitempty"`
	Tactic    *Technique `json:"tactic,omitempty"`
	Technique *Technique `json:"technique,omitempty"`
}

// Technique names an ATT&CK tactic or technique.
type Technique struct {
	UID  string `json:"uid,omitempty"`
	Name string `json:"name,omitempty"`
}

// Severity IDs (OCSF severity_id).
const (
	SeverityUnknown       = 0
	SeverityInformational = 1
	SeverityLow           = 2
	SeverityMedium        = 3
	SeverityHigh          = 4
	SeverityCritical      = 5
)

// SeverityIDOf returns the severity_id of one of vigil's severity names
// (CRITICAL, HIGH, MEDIUM, LOW, INFO); SeverityUnknown for any other.
func SeverityIDOf(name string) int {
	switch name {
	case "CRITICAL":
		return SeverityCritical
	case "HIGH":
		return SeverityHigh
	case "MEDIUM":
		return SeverityMedium
	case "LOW":
		return SeverityLow
	case "INFO":
		return SeverityInformational
	}
	return SeverityUnknown
}

// FindingHeader holds the fields every OCSF finding class starts with:
// classification (activity, category, class, type), time, message, severity
// and status. Finding classes embed it.
type FindingHeader struct {
	ActivityID   int    `json:"activity_id"`
	ActivityName string `json:"activity_name,omitempty"`
	CategoryUID  int    `json:"category_uid"`
	CategoryName string `json:"category_name,omitempty"`
	ClassUID     int    `json:"class_uid"`
	ClassName    string `json:"class_name,omitempty"`
	TypeUID      int    `json:"type_uid"`
	TypeName     string `json:"type_name,omitempty"`
	// Time is milliseconds since the epoch: when a compliance finding was
	// created, or the event time of a detection's last matched event.
	Time       int64  `json:"time"`
	Message    string `json:"message,omitempty"`
	SeverityID int    `json:"severity_id"`
	Severity   string `json:"severity,omitempty"`
	StatusID   int    `json:"status_id,omitempty"`
	Status     string `json:"status,omitempty"`
}
