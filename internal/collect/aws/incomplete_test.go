package awscollect

import (
	"slices"
	"testing"

	"github.com/vigil-sec/vigil/internal/collect"
)

// TestDropIncomplete: when one region's GetEbsEncryptionByDefault failed,
// the other regions' answers are kept only if one says "off" (the account
// is then certainly not encrypting everywhere); all "on" would pass the
// account on a region nobody read. Other accounts are untouched.
func TestDropIncomplete(t *testing.T) {
	for _, c := range []struct {
		name string
		on   map[string]bool
		want []string
	}{
		{"all others on", map[string]bool{"us-east-1": true, "eu-west-1": true}, nil},
		{"one off", map[string]bool{"us-east-1": true, "eu-west-1": false}, []string{"ebs-encryption-by-default.eu-west-1.json", "ebs-encryption-by-default.us-east-1.json"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := collect.NewRecorder(nil)
			rec.Fail(collect.Failure{Cloud: "aws", Account: "111122223333", Region: "ap-south-1", Call: "ec2:GetEbsEncryptionByDefault", Kind: collect.Denied})
			out := &accountOut{cli: map[string]any{}}
			other := &accountOut{cli: map[string]any{"ebs-encryption-by-default.us-east-1.json": map[string]any{"EbsEncryptionByDefault": true}}}
			for region, on := range c.on {
				out.cli["ebs-encryption-by-default."+region+".json"] = map[string]any{"EbsEncryptionByDefault": on}
			}
			col := &collector{rec: rec}
			col.dropIncomplete("111122223333", out)
			col.dropIncomplete("444455556666", other)
			got := sortedKeys(out.cli)
			if !slices.Equal(got, c.want) {
				t.Errorf("kept %v, want %v", got, c.want)
			}
			if len(other.cli) != 1 {
				t.Error("another account's outputs were dropped")
			}
		})
	}
}
