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
