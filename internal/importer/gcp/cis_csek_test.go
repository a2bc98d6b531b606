package gcp

import (
	"context"
	"strings"
	"testing"
)

// TestDiskCustomerSuppliedKey: a disk's customer_supplied from its
// diskEncryptionKey: a CSEK's hash, a Cloud KMS key, none, and a field of
// the wrong type (unknown).
func TestDiskCustomerSuppliedKey(t *testing.T) {
	disk := func(name, key string) string {
		return `{"name":"//compute.googleapis.com/projects/p/zones/us-central1-a/disks/` + name + `","asset_type":"compute.googleapis.com/Disk",` +
			`"resource":{"data":{"name":"` + name + `"` + key + `}},"ancestors":["projects/p"]}`
	}
	lines := []string{
		disk("csek", `,"diskEncryptionKey":{"sha256":"n4Hf2Qk5AbC0dE1fG2hI3jK4lM5nO6pQ7rS8tU9vW0x="}`),
		disk("cmek", `,"diskEncryptionKey":{"kmsKeyName":"projects/p/locations/us/keyRings/r/cryptoKeys/k/cryptoKeyVersions/1"}`),
		disk("google", ``),
		disk("odd", `,"diskEncryptionKey":{"sha256":5}`),
		disk("wrong", `,"diskEncryptionKey":"csek"`),
	}
	res := ParseNDJSON(context.Background(), "disks.ndjson", []byte(strings.Join(lines, "\n")))
	got := map[string]string{}
	for _, r := range res.Resources {
		if r.Facts.Disk != nil {
			got[r.Name] = show(r.Facts.Disk.CustomerSupplied)
		}
	}
	for name, want := range map[string]string{"csek": "true", "cmek": "false", "google": "false", "odd": "unknown", "wrong": "unknown"} {
		if got[name] != want {
			t.Errorf("disk %s: customer_supplied %s, want %s", name, got[name], want)
		}
	}
}
