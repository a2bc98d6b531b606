package report

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/resource"
)

// TestDataClassInCSVAndOCSF: a finding raised by the governance policy
// keeps its data class and the rule's own severity in CSV and OCSF too,
// not only in JSON.
func TestDataClassInCSVAndOCSF(t *testing.T) {
	rule := finding.RuleInfo{ID: "storage-unencrypted", Title: "Unencrypted", Severity: finding.High, Category: "encryption"}
	f := rule.New(resource.Ref{ID: "arn:aws:s3:::crm", Provider: resource.AWS}, finding.Fail, "no default encryption", nil)
	f.Severity, f.BaseSeverity, f.DataClass = finding.Critical, finding.High, "restricted (personal-data)"
	r := Build([]finding.Finding{f}, []finding.RuleInfo{rule}, time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC))
	ctx := context.Background()

	var b bytes.Buffer
	if err := Write(ctx, &b, "csv", r); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil || len(rows) != 2 {
		t.Fatalf("csv: %d rows, %v", len(rows), err)
	}
	got := map[string]string{}
	for i, c := range rows[0] {
		got[c] = rows[1][i]
	}
	if got["data_class"] != "restricted (personal-data)" || got["base_severity"] != "HIGH" || got["severity"] != "CRITICAL" {
		t.Errorf("csv row: data_class %q base_severity %q severity %q", got["data_class"], got["base_severity"], got["severity"])
	}

	b.Reset()
	if err := Write(ctx, &b, "ocsf", r); err != nil {
		t.Fatal(err)
	}
	var out []struct {
		Unmapped map[string]string `json:"unmapped"`
	}
	if err := json.Unmarshal(b.Bytes(), &out); err != nil || len(out) != 1 {
		t.Fatalf("ocsf: %v (%d)", err, len(out))
	}
	if out[0].Unmapped["data_class"] != "restricted (personal-data)" || out[0].Unmapped["base_severity"] != "HIGH" {
		t.Errorf("ocsf unmapped: %v", out[0].Unmapped)
	}
}
