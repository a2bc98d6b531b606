package ocsf

// Event classes audit logs normalize to (OCSF 1.8.0): API Activity (6003),
// Authentication (3002) and Account Change (3001). The attributes every class
// shares, including the cloud profile's cloud and api, live in Base.

// Class and category identifiers.
const (
	CategoryIAM         = 3
	CategoryApplication = 6

	ClassAccountChange  = 3001
	ClassAuthentication = 3002
	ClassAPIActivity    = 6003
)

// Status IDs (OCSF status_id).
const (
	StatusUnknown = 0
	StatusSuccess = 1
	StatusFailure = 2
	StatusOther   = 99
)

// API Activity activity_id values.
const (
	APICreate = 1
	APIRead   = 2
	APIUpdate = 3
	APIDelete = 4
	APIOther  = 99
)

// Authentication activity_id values.
const (
	AuthLogon   = 1
	AuthLogoff  = 2
	AuthTicket  = 3
	AuthPreauth = 6
	AuthOther   = 99
)

// Account Change activity_id values.
const (
	AccountCreate          = 1
	AccountEnable          = 2
	AccountPasswordChange  = 3
	AccountPasswordReset   = 4
	AccountDisable         = 5
	AccountDelete          = 6
	AccountAttachPolicy    = 7
	AccountDetachPolicy    = 8
	AccountLock            = 9
	AccountMFAFactorEnable = 10
	AccountMFADisable      = 11
	AccountOther           = 99
)

// Event is one normalized audit event of any class.
type Event interface {
	// Common returns the attributes shared by all classes.
	Common() *Base
	// ResourceUIDs lists the identifiers of the resources the event acts on
	// (API Activity resources, Account Change target user).
	ResourceUIDs() []string
}

// Base holds the OCSF base event attributes plus the cloud profile.
type Base struct {
	ActivityID   int          `json:"activity_id"`
	ActivityName string       `json:"activity_name,omitempty"`
	CategoryUID  int          `json:"category_uid"`
	CategoryName string       `json:"category_name"`
	ClassUID     int          `json:"class_uid"`
	ClassName    string       `json:"class_name"`
	TypeUID      int          `json:"type_uid"`
	TypeName     string       `json:"type_name,omitempty"`
	Time         int64        `json:"time"` // milliseconds since the Unix epoch
	SeverityID   int          `json:"severity_id"`
	Severity     string       `json:"severity,omitempty"`
	StatusID     int          `json:"status_id"`
	Status       string       `json:"status,omitempty"`
	StatusCode   string       `json:"status_code,omitempty"`
	StatusDetail string       `json:"status_detail,omitempty"`
	Message      string       `json:"message,omitempty"`
	Metadata     Metadata     `json:"metadata"`
	Cloud        *Cloud       `json:"cloud,omitempty"`
	API          *API         `json:"api,omitempty"`
	Actor        *Actor       `json:"actor,omitempty"`
	SrcEndpoint  *Endpoint    `json:"src_endpoint,omitempty"`
	HTTPRequest  *HTTPRequest `json:"http_request,omitempty"`
	// RawData is the original event, unmodified.
	RawData  string         `json:"raw_data,omitempty"`
	Unmapped map[string]any `json:"unmapped,omitempty"`
}

// Common implements Event.
func (b *Base) Common() *Base { return b }

// HTTPRequest is the OCSF http_request object (the parts audit logs carry).
type HTTPRequest struct {
	UserAgent  string `json:"user_agent,omitempty"`
	HTTPMethod string `json:"http_method,omitempty"`
}

// Policy is the OCSF policy object.
type Policy struct {
	UID  string `json:"uid,omitempty"`
	Name string `json:"name,omitempty"`
	Desc string `json:"desc,omitempty"`
}

// APIActivity is OCSF class 6003.
type APIActivity struct {
	Base
	Resources []ResourceDetails `json:"resources,omitempty"`
}

// ResourceUIDs implements Event.
func (a *APIActivity) ResourceUIDs() []string {
	var out []string
	for _, r := range a.Resources {
		if r.UID != "" {
			out = append(out, r.UID)
		} else if r.Name != "" {
			out = append(out, r.Name)
		}
	}
	return out
}

// Authentication is OCSF class 3002.
type Authentication struct {
	Base
	User         *User     `json:"user,omitempty"`
	IsMFA        *bool     `json:"is_mfa,omitempty"`
	AuthProtocol string    `json:"auth_protocol,omitempty"`
	LogonType    string    `json:"logon_type,omitempty"`
	Service      *Service  `json:"service,omitempty"`
	Session      *Session  `json:"session,omitempty"`
	DstEndpoint  *Endpoint `json:"dst_endpoint,omitempty"`
}

// ResourceUIDs implements Event: the service signed in to.
func (a *Authentication) ResourceUIDs() []string {
	if a.Service != nil && a.Service.UID != "" {
		return []string{a.Service.UID}
	}
	return nil
}

// AccountChange is OCSF class 3001.
type AccountChange struct {
	Base
	// User is the account that was changed.
	User   *User   `json:"user,omitempty"`
	Policy *Policy `json:"policy,omitempty"`
}

// ResourceUIDs implements Event: the changed account.
func (a *AccountChange) ResourceUIDs() []string {
	if a.User == nil {
		return nil
	}
	if a.User.UID != "" {
		return []string{a.User.UID}
	}
	if a.User.Name != "" {
		return []string{a.User.Name}
	}
	return nil
}

var (
	apiActivityNames = map[int]string{0: "Unknown", 1: "Create", 2: "Read", 3: "Update", 4: "Delete", 99: "Other"}
	authNames        = map[int]string{0: "Unknown", 1: "Logon", 2: "Logoff", 3: "Authentication Ticket", 4: "Service Ticket Request", 5: "Service Ticket Renew", 6: "Preauth", 99: "Other"}
	accountNames     = map[int]string{0: "Unknown", 1: "Create", 2: "Enable", 3: "Password Change", 4: "Password Reset", 5: "Disable", 6: "Delete", 7: "Attach Policy", 8: "Detach Policy", 9: "Lock", 10: "MFA Factor Enable", 11: "MFA Factor Disable", 99: "Other"}
	severityNames    = map[int]string{0: "Unknown", 1: "Informational", 2: "Low", 3: "Medium", 4: "High", 5: "Critical", 6: "Fatal", 99: "Other"}
	statusNames      = map[int]string{0: "Unknown", 1: "Success", 2: "Failure", 99: "Other"}
)

// SetClass fills the class, category, activity and type attributes for
// class uid and activity id.
func (b *Base) SetClass(classUID, activityID int) {
	b.ClassUID, b.ActivityID = classUID, activityID
	var names map[int]string
	switch classUID {
	case ClassAPIActivity:
		b.ClassName, b.CategoryUID, b.CategoryName, names = "API Activity", CategoryApplication, "Application Activity", apiActivityNames
	case ClassAuthentication:
		b.ClassName, b.CategoryUID, b.CategoryName, names = "Authentication", CategoryIAM, "Identity & Access Management", authNames
	case ClassAccountChange:
		b.ClassName, b.CategoryUID, b.CategoryName, names = "Account Change", CategoryIAM, "Identity & Access Management", accountNames
	}
	b.ActivityName = names[activityID]
	b.TypeUID = classUID*100 + activityID
	b.TypeName = b.ClassName + ": " + b.ActivityName
}

// SetSeverity sets severity_id and its caption.
func (b *Base) SetSeverity(id int) { b.SeverityID, b.Severity = id, severityNames[id] }

// SetStatus sets status_id and its caption; for Other the caption is
// the source's own status word when given.
func (b *Base) SetStatus(id int, word string) {
	b.StatusID, b.Status = id, statusNames[id]
	if id == StatusOther && word != "" {
		b.Status = word
	}
}
