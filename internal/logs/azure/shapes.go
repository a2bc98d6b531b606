package azure

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/vigil-sec/vigil/internal/logs/internal/norm"
	"github.com/vigil-sec/vigil/internal/logs/logsource"
)

// Other shapes of Entra ID sign-in and audit events, converted to the
// bare Microsoft Graph signIn / directoryAudit objects the sources read:
//
//   - Microsoft Graph PowerShell output: Get-MgAuditLogSignIn and
//     Get-MgAuditLogDirectoryAudit (and their Beta twins) piped to
//     ConvertTo-Json. The SDK's model objects serialise with PascalCase
//     property names (CreatedDateTime, IPAddress, Status.ErrorCode), the
//     properties the model lacks under AdditionalProperties, and dates as
//     ISO 8601 (PowerShell 7) or "/Date(ms)/" (Windows PowerShell 5.1).
//     ConvertTo-Json's default -Depth 2 writes deeper objects as their type
//     name ("Microsoft.Graph.PowerShell.Models.MicrosoftGraphSignInStatus"):
//     an event whose status or initiator was cut so is an error saying to
//     export again with a larger -Depth.
//   - The Microsoft Entra admin center's Download (CSV) of the sign-in logs
//     (interactive, non-interactive, service principal and managed
//     identity sign-ins: "Date (UTC)", "Request ID", "Username", "Status",
//     "Sign-in error code"...) and of the audit logs ("Date (UTC)",
//     "CorrelationId", "Service", "Activity", "Result", "Actor*",
//     "Target1ModifiedProperty1NewValue"...), as the CSV reader hands them
//     over: one object of the row's columns.

// GraphPowerShellSignIn is the Graph PowerShell signIn shape.
func GraphPowerShellSignIn() logsource.Shape {
	return logsource.Shape{
		Name: "Graph PowerShell signIn",
		Recognise: func(p logsource.Probe) bool {
			return hasMember(p, "CreatedDateTime") && hasMember(p, "AppId") && hasMember(p, "Status") &&
				(hasMember(p, "UserPrincipalName") || hasMember(p, "ServicePrincipalId")) && !hasMember(p, "Category")
		},
		Convert: func(raw []byte) ([]byte, error) { return convertPowerShell(raw, "Status", "createdDateTime") },
	}
}

// GraphPowerShellAudit is the Graph PowerShell directoryAudit shape.
func GraphPowerShellAudit() logsource.Shape {
	return logsource.Shape{
		Name: "Graph PowerShell directoryAudit",
		Recognise: func(p logsource.Probe) bool {
			return hasMember(p, "ActivityDisplayName") && hasMember(p, "ActivityDateTime") &&
				(hasMember(p, "LoggedByService") || hasMember(p, "InitiatedBy")) && !hasMember(p, "Type")
		},
		Convert: func(raw []byte) ([]byte, error) { return convertPowerShell(raw, "InitiatedBy", "activityDateTime") },
	}
}

// psModels prefixes the type names ConvertTo-Json writes for objects
// deeper than its -Depth.
const psModels = "Microsoft.Graph."

// convertPowerShell converts a Graph PowerShell object to the Graph
// object: names camel-cased, AdditionalProperties merged, dates in RFC
// 3339. need names the member that must have survived ConvertTo-Json's
// depth, timeKey the Graph name of the event time.
func convertPowerShell(raw []byte, need, timeKey string) ([]byte, error) {
	m, err := norm.DecodeObject(raw)
	if err != nil {
		return nil, err
	}
	if s, ok := m[need].(string); ok && strings.HasPrefix(s, psModels) {
		return nil, fmt.Errorf("%s was written as its type name %q: ConvertTo-Json cut the objects at its default -Depth 2; export again with ConvertTo-Json -Depth 10", need, s)
	}
	if ib, ok := m[need].(map[string]any); ok {
		for k, v := range ib {
			if s, ok := v.(string); ok && strings.HasPrefix(s, psModels) {
				return nil, fmt.Errorf("%s.%s was written as its type name %q: ConvertTo-Json cut the objects at its default -Depth 2; export again with ConvertTo-Json -Depth 10", need, k, s)
			}
		}
	}
	out, _ := psValue(m).(map[string]any)
	// Neither model has a Properties member; a record's properties would
	// be read in place of the object (see props).
	delete(out, "properties")
	ts, err := norm.RFC3339(out[timeKey])
	if err != nil {
		return nil, fmt.Errorf("%s: %w", timeKey, err)
	}
	out[timeKey] = ts
	if a, ok := out["activityDisplayName"]; timeKey == "activityDateTime" && (!ok || a == "") {
		return nil, fmt.Errorf("%w: ActivityDisplayName", norm.ErrMissing)
	}
	return norm.Encode(out)
}

// psNames are the Graph names camelCase does not derive from the SDK's.
var psNames = map[string]string{
	"RiskEventTypesV2": "riskEventTypes_v2",
	"IPAddress":        "ipAddress",
}

// psValue rewrites one decoded PowerShell value as Graph writes it.
func psValue(v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, x := range t {
			if k == "AdditionalProperties" {
				continue
			}
			if s, ok := x.(string); ok && strings.HasPrefix(s, psModels) {
				continue // an object cut by ConvertTo-Json's depth
			}
			name, ok := psNames[k]
			if !ok {
				name = camelCase(k)
			}
			out[name] = psValue(x)
		}
		// Properties the SDK's model lacks keep their Graph names.
		if ap, ok := t["AdditionalProperties"].(map[string]any); ok {
			for k, x := range ap {
				if _, dup := out[k]; !dup {
					out[k] = x
				}
			}
		}
		return out
	case []any:
		for i := range t {
			t[i] = psValue(t[i])
		}
		return t
	case string:
		if ts, ok := msDate(t); ok {
			return ts
		}
	}
	return v
}

// camelCase lower-cases a PascalCase name's leading capital, or its
// leading acronym but the capital starting the next word
// (UserPrincipalName -> userPrincipalName, IPAddress -> ipAddress, ID -> id).
func camelCase(k string) string {
	r := []rune(k)
	n := 0
	for n < len(r) && unicode.IsUpper(r[n]) {
		n++
	}
	switch {
	case n == 0:
		return k
	case n > 1 && n < len(r):
		n-- // the last capital starts the next word
	}
	for i := range n {
		r[i] = unicode.ToLower(r[i])
	}
	return string(r)
}

// msDate reads the "/Date(1715072411912)/" form Windows PowerShell 5.1's
// ConvertTo-Json writes DateTime values in (with an optional +hhmm offset,
// the milliseconds being UTC either way).
func msDate(s string) (string, bool) {
	in, ok := strings.CutPrefix(s, "/Date(")
	if !ok {
		return "", false
	}
	in, ok = strings.CutSuffix(in, ")/")
	if !ok || in == "" {
		return "", false
	}
	if i := strings.IndexAny(in[1:], "+-"); i >= 0 {
		in = in[:i+1]
	}
	ms, err := strconv.ParseInt(in, 10, 64)
	if err != nil {
		return "", false
	}
	return time.UnixMilli(ms).UTC().Format(time.RFC3339Nano), true
}

// PortalSignInCSV is the Entra admin center's sign-in log CSV download.
func PortalSignInCSV() logsource.Shape {
	return logsource.Shape{
		Name: "Entra admin center sign-in CSV",
		Recognise: func(p logsource.Probe) bool {
			// The CSV reader leaves empty cells out: these columns are
			// filled in every row of every sign-in download.
			return hasMember(p, "Date (UTC)") && hasMember(p, "Request ID") && hasMember(p, "Status")
		},
		Convert: convertPortalSignIn,
	}
}

// PortalAuditCSV is the Entra admin center's audit log CSV download.
func PortalAuditCSV() logsource.Shape {
	return logsource.Shape{
		Name: "Entra admin center audit CSV",
		Recognise: func(p logsource.Probe) bool {
			return hasMember(p, "Date (UTC)") && hasMember(p, "Activity") && hasMember(p, "Service") && hasMember(p, "Result")
		},
		Convert: convertPortalAudit,
	}
}

// signInColumns maps the sign-in download's columns to Graph signIn paths.
var signInColumns = map[string]string{
	"Request ID":                             "id",
	"User agent":                             "userAgent",
	"Correlation ID":                         "correlationId",
	"User ID":                                "userId",
	"User":                                   "userDisplayName",
	"Username":                               "userPrincipalName",
	"Cross tenant access type":               "crossTenantAccessType",
	"Incoming token type":                    "incomingTokenType",
	"Authentication Protocol":                "authenticationProtocol",
	"Unique token identifier":                "uniqueTokenIdentifier",
	"Original transfer method":               "originalTransferMethod",
	"Client credential type":                 "clientCredentialType",
	"Application":                            "appDisplayName",
	"Application ID":                         "appId",
	"Resource":                               "resourceDisplayName",
	"Resource ID":                            "resourceId",
	"Resource tenant ID":                     "resourceTenantId",
	"Home tenant ID":                         "homeTenantId",
	"Home tenant name":                       "homeTenantName",
	"IP address":                             "ipAddress",
	"Failure reason":                         "status.failureReason",
	"Multifactor authentication result":      "status.additionalDetails",
	"Client app":                             "clientAppUsed",
	"Device ID":                              "deviceDetail.deviceId",
	"Browser":                                "deviceDetail.browser",
	"Operating System":                       "deviceDetail.operatingSystem",
	"Join Type":                              "deviceDetail.trustType",
	"Multifactor authentication auth method": "mfaDetail.authMethod",
	"Multifactor authentication auth detail": "mfaDetail.authDetail",
	"Sign-in identifier":                     "signInIdentifier",
	"Session ID":                             "sessionId",
	"IP address (seen by resource)":          "ipAddressFromResourceProvider",
	"Autonomous system number":               "autonomousSystemNumber",
	"Token issuer type":                      "tokenIssuerType",
	"Token issuer name":                      "tokenIssuerName",
	"Managed Identity type":                  "managedIdentityType",
	"Service principal ID":                   "servicePrincipalId",
	"Service principal name":                 "servicePrincipalName",
	"Credential key ID":                      "servicePrincipalCredentialKeyId",
	"Credential thumbprint":                  "servicePrincipalCredentialThumbprint",
}

// portalWords maps the download's display words to Graph's enum values.
var portalWords = map[string]map[string]string{
	"conditionalAccessStatus":   {"success": "success", "failure": "failure", "not applied": "notApplied"},
	"authenticationRequirement": {"single-factor authentication": "singleFactorAuthentication", "multifactor authentication": "multiFactorAuthentication", "multi-factor authentication": "multiFactorAuthentication"},
}

func convertPortalSignIn(raw []byte) ([]byte, error) {
	row, ts, err := portalRow(raw)
	if err != nil {
		return nil, err
	}
	out := map[string]any{"createdDateTime": ts}
	for col, v := range row {
		s := cell(v)
		if s == "" {
			continue
		}
		// Column names vary in spacing between downloads ("Application ID ",
		// "Autonomous system  number").
		col = strings.Join(strings.Fields(col), " ")
		switch col {
		case "User type":
			out["userType"] = s // Member, Guest: as Graph writes them
		case "Conditional Access":
			setWord(out, "conditionalAccessStatus", s)
		case "Authentication requirement":
			setWord(out, "authenticationRequirement", s)
		case "Compliant", "Managed":
			if b, ok := yesNo(s); ok {
				setPath(out, "deviceDetail.is"+col, b)
			}
		case "Flagged for review":
			if b, ok := yesNo(s); ok {
				out["flaggedForReview"] = b
			}
		case "Latency":
			if n, err := strconv.Atoi(strings.TrimSuffix(s, "ms")); err == nil {
				out["processingTimeInMilliseconds"] = n
			}
		case "Location":
			setLocation(out, s)
		default:
			if path, ok := signInColumns[col]; ok {
				setPath(out, path, s)
			}
		}
	}
	// The error code decides success (0) or failure; Status words alone
	// (Success, Failure, Interrupted) when the column is missing.
	code := cell(row["Sign-in error code"])
	if code == "" {
		switch strings.ToLower(cell(row["Status"])) {
		case "success":
			code = "0"
		case "":
			return nil, fmt.Errorf("%w: Status, Sign-in error code", norm.ErrMissing)
		}
	}
	if code != "" {
		n, err := strconv.Atoi(code)
		if err != nil {
			return nil, fmt.Errorf("Sign-in error code %q: not a number", code)
		}
		setPath(out, "status.errorCode", n)
	} else {
		setPath(out, "status.failureReason", norm.First(cell(row["Failure reason"]), cell(row["Status"])))
	}
	if _, ok := out["appId"]; !ok {
		return nil, fmt.Errorf("%w: Application ID", norm.ErrMissing)
	}
	if _, ok := out["userPrincipalName"]; !ok {
		if _, ok := out["servicePrincipalId"]; !ok {
			return nil, fmt.Errorf("%w: Username or Service principal ID", norm.ErrMissing)
		}
		// The service principal and managed identity downloads: the
		// diagnostic category tells the normalizer the actor is the
		// service principal.
		out["category"] = "ServicePrincipalSignInLogs"
		if _, ok := out["managedIdentityType"]; ok {
			out["category"] = "ManagedIdentitySignInLogs"
		}
	}
	return norm.Encode(out)
}

func convertPortalAudit(raw []byte) ([]byte, error) {
	row, ts, err := portalRow(raw)
	if err != nil {
		return nil, err
	}
	get := func(col string) string { return cell(row[col]) }
	activity := get("Activity")
	if activity == "" {
		return nil, fmt.Errorf("%w: Activity", norm.ErrMissing)
	}
	out := map[string]any{
		"activityDateTime":    ts,
		"activityDisplayName": activity,
		"loggedByService":     get("Service"),
		"category":            get("Category"),
		"correlationId":       get("CorrelationId"),
		"result":              strings.ToLower(get("Result")),
		"resultReason":        get("ResultReason"),
		"operationType":       auditOperationType(activity),
	}
	switch strings.ToLower(get("ActorType")) {
	case "application", "serviceprincipal", "service principal", "app":
		out["initiatedBy"] = map[string]any{"app": map[string]any{
			"servicePrincipalId":   norm.First(get("ActorServicePrincipalId"), get("ActorObjectId")),
			"displayName":          norm.First(get("ActorDisplayName"), get("ActorServicePrincipalName")),
			"servicePrincipalName": get("ActorServicePrincipalName"),
		}}
	default:
		out["initiatedBy"] = map[string]any{"user": map[string]any{
			"id":                get("ActorObjectId"),
			"displayName":       get("ActorDisplayName"),
			"userPrincipalName": get("ActorUserPrincipalName"),
			"ipAddress":         get("IPAddress"),
		}}
	}
	var targets []any
	for n := 1; ; n++ {
		pre := "Target" + strconv.Itoa(n)
		if _, ok := row[pre+"Type"]; !ok {
			break
		}
		t := map[string]any{
			"type":              get(pre + "Type"),
			"displayName":       get(pre + "DisplayName"),
			"id":                get(pre + "ObjectId"),
			"userPrincipalName": get(pre + "UserPrincipalName"),
		}
		var mods []any
		for k := 1; ; k++ {
			mp := pre + "ModifiedProperty" + strconv.Itoa(k)
			if _, ok := row[mp+"Name"]; !ok {
				break
			}
			if name := get(mp + "Name"); name != "" {
				mods = append(mods, map[string]any{"displayName": name, "oldValue": get(mp + "OldValue"), "newValue": get(mp + "NewValue")})
			}
		}
		if len(mods) > 0 {
			t["modifiedProperties"] = mods
		}
		if t["type"] != "" || t["displayName"] != "" || t["id"] != "" {
			targets = append(targets, t)
		}
	}
	out["targetResources"] = targets
	var details []any
	if ua := get("User Agent"); ua != "" {
		details = append(details, map[string]any{"key": "User-Agent", "value": ua})
	}
	for n := 1; ; n++ {
		k := "AdditionalDetail" + strconv.Itoa(n)
		if _, ok := row[k+"Key"]; !ok {
			break
		}
		if key := get(k + "Key"); key != "" {
			details = append(details, map[string]any{"key": key, "value": get(k + "Value")})
		}
	}
	out["additionalDetails"] = details
	return norm.Encode(out)
}

// auditOperationType is the operationType Graph gives an activity, from
// its first word (the download has no column for it).
func auditOperationType(activity string) string {
	w, _, _ := strings.Cut(activity, " ")
	switch strings.ToLower(w) {
	case "add", "create", "invite", "register":
		return "Add"
	case "update", "set", "change", "reset", "enable", "disable", "consent", "restore":
		return "Update"
	case "delete", "remove", "hard":
		return "Delete"
	case "assign":
		return "Assign"
	case "unassign":
		return "Unassign"
	}
	return "Other"
}

// cell returns a CSV cell as text: the CSV reader hands columns holding
// JSON arrays or objects over as those values (a modified property's
// ["x"]), which Graph keeps as JSON text.
func cell(v any) string {
	switch t := v.(type) {
	case nil:
		return ""
	case string:
		return strings.TrimSpace(t)
	case json.Number:
		return t.String()
	default:
		b, err := json.Marshal(t)
		if err != nil {
			return ""
		}
		return string(b)
	}
}

// portalDate reads the download's "Date (UTC)": ISO 8601 (2025-12-04T08:19:41Z,
// or with +00:00), else the US display form the older downloads wrote
// (12/4/2025, 8:19:41 AM), in UTC either way.
// portalRow decodes a row of an Entra admin center download and reads its
// "Date (UTC)" column, which every one of its downloads has.
func portalRow(raw []byte) (map[string]any, string, error) {
	row, err := norm.DecodeObject(raw)
	if err != nil {
		return nil, "", err
	}
	ts, err := portalDate(row["Date (UTC)"])
	if err != nil {
		return nil, "", fmt.Errorf("Date (UTC): %w", err)
	}
	return row, ts, nil
}

func portalDate(v any) (string, error) {
	s := cell(v)
	if ts, err := norm.RFC3339(s); err == nil {
		return ts, nil
	}
	for _, layout := range []string{"1/2/2006, 3:04:05 PM", "1/2/2006 3:04:05 PM", "1/2/2006, 15:04:05", "1/2/2006 15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC().Format(time.RFC3339Nano), nil
		}
	}
	if s == "" {
		return "", norm.ErrMissing
	}
	return "", fmt.Errorf("bad time %q", s)
}

func setWord(out map[string]any, key, s string) {
	if w, ok := portalWords[key][strings.ToLower(s)]; ok {
		out[key] = w
		return
	}
	out[key] = s
}

func yesNo(s string) (bool, bool) {
	switch strings.ToLower(s) {
	case "yes", "true":
		return true, true
	case "no", "false":
		return false, true
	}
	return false, false
}

// setLocation splits "City, State, CC" (the download's Location) into
// Graph's location object.
func setLocation(out map[string]any, s string) {
	parts := strings.Split(s, ",")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	loc := map[string]any{"countryOrRegion": parts[len(parts)-1]}
	if len(parts) >= 2 {
		loc["city"] = parts[0]
	}
	if len(parts) >= 3 {
		loc["state"] = strings.Join(parts[1:len(parts)-1], ", ")
	}
	out["location"] = loc
}

// setPath sets a dotted path's value, making the objects on the way.
func setPath(out map[string]any, path string, v any) {
	head, rest, ok := strings.Cut(path, ".")
	if !ok {
		out[path] = v
		return
	}
	sub, _ := out[head].(map[string]any)
	if sub == nil {
		sub = map[string]any{}
		out[head] = sub
	}
	setPath(sub, rest, v)
}
