package collect

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
)

// Sink receives the collected data as files in the clouds' own export
// formats, named by slash-separated paths relative to the output root
// ("aws/111122223333/AWSLogs/...", "azure/<subscription>/resources.json").
// Write may be called from many goroutines; a path is written once.
type Sink interface {
	Write(ctx context.Context, name string, data []byte) error
}

// Dir is a Sink writing under a directory.
type Dir string

// Write writes data to name under the directory, creating parents.
func (d Dir) Write(ctx context.Context, name string, data []byte) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	clean, err := cleanName(name)
	if err != nil {
		return err
	}
	p := filepath.Join(string(d), filepath.FromSlash(clean))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return fmt.Errorf("collect output: %w", err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		return fmt.Errorf("collect output: %w", err)
	}
	return nil
}

// Mem is a Sink keeping files in memory, for tests and small scans. The
// zero value is ready.
type Mem struct {
	mu    sync.Mutex
	files map[string][]byte
}

// Write keeps a copy of data under name.
func (m *Mem) Write(ctx context.Context, name string, data []byte) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	clean, err := cleanName(name)
	if err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.files == nil {
		m.files = map[string][]byte{}
	}
	m.files[clean] = slices.Clone(data)
	return nil
}

// Names returns the names written, sorted.
func (m *Mem) Names() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Sorted(maps.Keys(m.files))
}

// File returns the data written under name, nil if none.
func (m *Mem) File(name string) []byte {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.files[name]
}

// cleanName refuses names that would leave the output root: they come
// from cloud data (account IDs, project names) and are not trusted.
func cleanName(name string) (string, error) {
	c := path.Clean(name)
	if c == "." || path.IsAbs(c) || c == ".." || strings.HasPrefix(c, "../") || strings.ContainsRune(c, 0) || strings.Contains(c, `\`) {
		return "", fmt.Errorf("collect output: refusing file name %q", name)
	}
	return c, nil
}

// SafeSegment makes a value from the cloud (a project ID, a subscription
// name) safe as one path segment.
func SafeSegment(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '/' || r == '\\' || r == 0 || r == ':':
			return '_'
		}
		return r
	}, s)
	if s == "" || s == "." || s == ".." {
		return "_" + s
	}
	return s
}
