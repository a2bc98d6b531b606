package m365

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/vigil-sec/vigil/internal/logs/internal/norm"
	"github.com/vigil-sec/vigil/internal/logs/logsource"
)

// OfficeActivity is the shape of Microsoft 365 audit records as Microsoft
// Sentinel / Log Analytics keeps them (the OfficeActivity table, exported
// or returned by a query): the common schema with TimeGenerated for
// CreationTime, OfficeWorkload for Workload, OfficeId for Id,
// OfficeObjectId for ObjectId, RecordType and UserType by name, and nested
// values (Parameters, ModifiedProperties, ExtendedProperties...) as JSON
// text.
func OfficeActivity() logsource.Shape {
	return logsource.Shape{
		Name:      "Log Analytics OfficeActivity row",
		Recognise: recogniseOfficeActivity,
		Convert:   convertOfficeActivity,
	}
}

func recogniseOfficeActivity(p logsource.Probe) bool {
	if t, ok := p.Member("Type"); ok {
		return string(t) == `"OfficeActivity"`
	}
	_, w := p.Member("OfficeWorkload")
	_, op := p.Member("Operation")
	_, tg := p.Member("TimeGenerated")
	return w && op && tg
}

// laColumns are Log Analytics' own columns, not the record's.
var laColumns = map[string]bool{
	"Type": true, "TenantId": true, "SourceSystem": true, "MG": true, "ManagementGroupName": true,
	"Computer": true, "_ResourceId": true, "_SubscriptionId": true, "_BilledSize": true,
	"_IsBillable": true, "_ItemId": true, "_Internal_WorkspaceResourceId": true, "TimeGenerated": true,
}

// renamed are the OfficeActivity columns whose record property has another
// name.
var renamed = map[string]string{
	"OfficeWorkload": "Workload",
	"OfficeId":       "Id",
	"OfficeObjectId": "ObjectId",
	"OfficeTenantId": "OrganizationId",
}

func convertOfficeActivity(raw []byte) ([]byte, error) {
	row, err := norm.DecodeObject(raw)
	if err != nil {
		return nil, err
	}
	out := make(map[string]any, len(row))
	for k, v := range row {
		if laColumns[k] {
			continue
		}
		if to, ok := renamed[k]; ok {
			if _, dup := row[to]; dup {
				continue
			}
			k = to
		}
		if s, ok := v.(string); ok && s == "" {
			continue // a column the record does not have
		}
		out[k] = norm.Embedded(v)
	}
	if op, _ := out["Operation"].(string); op == "" {
		return nil, fmt.Errorf("%w: Operation", norm.ErrMissing)
	}
	if _, ok := out["CreationTime"]; !ok {
		t, err := norm.RFC3339(row["TimeGenerated"])
		if err != nil {
			return nil, fmt.Errorf("TimeGenerated: %w", err)
		}
		out["CreationTime"] = t
	}
	if rt, ok := out["RecordType"]; ok {
		out["RecordType"] = byName(rt, recordTypeNumbers)
	}
	if ut, ok := out["UserType"]; ok {
		out["UserType"] = byName(ut, userTypeNumbers)
	}
	if _, w := out["Workload"]; !w {
		if _, o := out["OrganizationId"]; !o {
			return nil, errors.New("neither OfficeWorkload nor OrganizationId")
		}
	}
	return norm.Encode(out)
}

// byName returns the number of an enumeration value written by name
// ("ExchangeAdmin", "Regular") or as a numeric string, else v.
func byName(v any, numbers map[string]int) any {
	s, ok := v.(string)
	if !ok {
		return v
	}
	if n, ok := numbers[strings.ToLower(s)]; ok {
		return n
	}
	if _, err := strconv.Atoi(s); err == nil {
		return json.Number(s)
	}
	return v
}

func inverse(m map[int]string) map[string]int {
	out := make(map[string]int, len(m))
	for n, s := range m {
		out[strings.ToLower(s)] = n
	}
	return out
}

var (
	recordTypeNumbers = inverse(recordTypes)
	userTypeNumbers   = inverse(userTypes)
)

// GraphAuditRecord is the shape of Microsoft 365 audit records returned by
// the Microsoft Purview audit search API of Microsoft Graph
// (security/auditLog/queries/{id}/records: microsoft.graph.security
// auditLogRecord), as Microsoft-Extractor-Suite's Get-UALGraph and other
// collectors save them: an envelope (id, createdDateTime,
// auditLogRecordType, operation, service, userId, userPrincipalName,
// clientIp...) around auditData, which is the record in the common schema
// with OData annotations ("@odata.type", "RecordType@odata.type": "#Int64")
// at every depth. The record is auditData without the annotations; what it
// lacks is taken from the envelope (whose userId is the record's UserKey
// and userPrincipalName its UserId).
func GraphAuditRecord() logsource.Shape {
	return logsource.Shape{
		Name: "Microsoft Graph audit log query record",
		Recognise: func(p logsource.Probe) bool {
			_, rt := p.Member("auditLogRecordType")
			d, ad := p.Member("auditData")
			return rt && ad && len(d) > 0 && d[0] == '{'
		},
		Convert: convertGraphAuditRecord,
	}
}

// graphEnvelope maps envelope members to the record's names, for records
// whose auditData lacks them.
var graphEnvelope = [][2]string{
	{"createdDateTime", "CreationTime"},
	{"id", "Id"},
	{"operation", "Operation"},
	{"organizationId", "OrganizationId"},
	{"service", "Workload"},
	{"userPrincipalName", "UserId"},
	{"userId", "UserKey"},
	{"clientIp", "ClientIP"},
	{"objectId", "ObjectId"},
}

func convertGraphAuditRecord(raw []byte) ([]byte, error) {
	env, err := norm.DecodeObject(raw)
	if err != nil {
		return nil, err
	}
	data, ok := env["auditData"].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%w: auditData", norm.ErrMissing)
	}
	rec, _ := withoutAnnotations(data).(map[string]any)
	for _, m := range graphEnvelope {
		if _, has := rec[m[1]]; has {
			continue
		}
		if v, ok := env[m[0]].(string); ok && v != "" {
			rec[m[1]] = v
		}
	}
	if _, has := rec["RecordType"]; !has {
		if rt, ok := env["auditLogRecordType"].(string); ok && rt != "" {
			rec["RecordType"] = byName(rt, recordTypeNumbers)
		}
	}
	if _, has := rec["UserType"]; !has {
		if ut, ok := env["userType"].(string); ok && ut != "" {
			rec["UserType"] = byName(ut, userTypeNumbers)
		}
	}
	if op, _ := rec["Operation"].(string); op == "" {
		return nil, fmt.Errorf("%w: operation", norm.ErrMissing)
	}
	if t, _ := rec["CreationTime"].(string); t == "" {
		return nil, fmt.Errorf("%w: createdDateTime", norm.ErrMissing)
	}
	if _, w := rec["Workload"]; !w {
		if _, o := rec["OrganizationId"]; !o {
			return nil, errors.New("neither service nor organizationId")
		}
	}
	return norm.Encode(rec)
}

// withoutAnnotations returns v without OData annotations: members named
// "@odata.*" or "NAME@odata.*", at every depth.
func withoutAnnotations(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			if strings.Contains(k, "@odata.") {
				continue
			}
			out[k] = withoutAnnotations(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = withoutAnnotations(e)
		}
		return out
	}
	return v
}
