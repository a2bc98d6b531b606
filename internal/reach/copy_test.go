package reach_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// copyWithout copies the account directory src to dst, leaving the
// configuration items of resource type typ out of its Config snapshots.
func copyWithout(t *testing.T, src, dst, typ string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		var snap map[string]any
		if json.Unmarshal(b, &snap) == nil {
			if items, ok := snap["configurationItems"].([]any); ok {
				kept := items[:0]
				for _, it := range items {
					if m, _ := it.(map[string]any); m["resourceType"] != typ {
						kept = append(kept, it)
					}
				}
				snap["configurationItems"] = kept
				if b, err = json.Marshal(snap); err != nil {
					return err
				}
			}
		}
		out := filepath.Join(dst, rel)
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			return err
		}
		return os.WriteFile(out, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}
