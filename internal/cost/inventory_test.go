package cost

import (
	"testing"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/resource"
)

// TestInventoryClass: a resource's sensitivity class is the governance
// policy's (the findings' data_class of a scan with --governance) when the
// scan had one, else read from its classification tag.
func TestInventoryClass(t *testing.T) {
	gov := resource.Ref{ID: "arn:aws:s3:::crm", Provider: "aws", Tags: map[string]string{"Data-Classification": "Internal"}}
	tagged := resource.Ref{ID: "arn:aws:s3:::web", Provider: "aws", Tags: map[string]string{"Data-Classification": "Public"}}
	bare := resource.Ref{ID: "arn:aws:s3:::tmp", Provider: "aws"}
	inv := NewInventory([]finding.Finding{
		{RuleID: "a", Resource: gov},
		{RuleID: "b", Resource: gov, DataClass: "restricted (personal-data)"},
		{RuleID: "a", Resource: tagged},
		{RuleID: "a", Resource: bare},
	})
	for r, want := range map[*resource.Ref]string{&gov: "restricted (personal-data)", &tagged: "public", &bare: Unclassified} {
		if got := inv.Class(*r); got != want {
			t.Errorf("Class(%s) = %q, want %q", r.ID, got, want)
		}
	}
}
