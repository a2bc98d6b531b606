package tfmap_test

import (
	"testing"

	"github.com/vigil-sec/vigil/internal/iac/tfmap"
)

// TestIMDSDefault: an instance that leaves http_tokens unset requires
// IMDSv2 when the region's metadata defaults of the configuration say so
// or its AMI is an Amazon Linux 2023 image (ImdsSupport v2.0); otherwise
// the provider's default, optional.
func TestIMDSDefault(t *testing.T) {
	ami := func(name string) tfmap.Instance {
		d := res("aws_ami", "os", obj{"most_recent": true, "filter": blk(obj{"name": "name", "values": []any{name}})})
		d.Mode, d.Address = "data", "data.aws_ami.os"
		return d
	}
	vm := res("aws_instance", "vm", obj{"ami": ref("data.aws_ami.os"), "instance_type": "t3.micro"})
	for _, c := range []struct {
		name  string
		insts []tfmap.Instance
		want  bool
	}{
		{"amazon linux 2023", []tfmap.Instance{ami("al2023-ami-2023.*-x86_64"), vm}, true},
		{"amazon linux 2", []tfmap.Instance{ami("amzn2-ami-hvm-*-x86_64-gp2"), vm}, false},
		{"account defaults", []tfmap.Instance{ami("amzn2-ami-hvm-*"), vm, res("aws_ec2_instance_metadata_defaults", "d", obj{"http_tokens": "required"})}, true},
	} {
		got, _, _ := mapped(t, c.insts...)
		r := got["aws_instance.vm"]
		if r == nil || r.Facts.Compute == nil || r.Facts.Compute.MetadataV2Required == nil || *r.Facts.Compute.MetadataV2Required != c.want {
			t.Errorf("%s: metadata_v2_required %s, want %v", c.name, factsJSON(t, r), c.want)
		}
	}
}
