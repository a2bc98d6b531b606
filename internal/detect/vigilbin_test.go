package detect

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

// vigilBin is the vigil binary the kill tests run as a real process,
// built once per test run (linking it is most of a kill test's time).
var vigilBin struct {
	once sync.Once
	path string
	err  error
}

// vigilBinary builds cmd/vigil once and returns its path.
func vigilBinary(t *testing.T) string {
	t.Helper()
	vigilBin.once.Do(func() {
		dir, err := os.MkdirTemp("", "vigil-detect-test-")
		if err != nil {
			vigilBin.err = err
			return
		}
		vigilBin.path = filepath.Join(dir, "vigil")
		if out, err := exec.Command("go", "build", "-o", vigilBin.path, "github.com/vigil-sec/vigil/cmd/vigil").CombinedOutput(); err != nil {
			vigilBin.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if vigilBin.err != nil {
		t.Fatal(vigilBin.err)
	}
	return vigilBin.path
}

func TestMain(m *testing.M) {
	code := m.Run()
	if vigilBin.path != "" {
		os.RemoveAll(filepath.Dir(vigilBin.path))
	}
	os.Exit(code)
}
