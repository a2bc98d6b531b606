package trail

import "testing"

// TestGenesisHash: the constant is what its definition says.
func TestGenesisHash(t *testing.T) {
	if got := hashHex([]byte(Genesis)); got != GenesisHash {
		t.Fatalf("GenesisHash %s, hex(sha256(Genesis)) %s", GenesisHash, got)
	}
}
