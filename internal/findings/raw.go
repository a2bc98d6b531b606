package findings

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sync"
	"time"
)

// RawFile is an input file whose raw records an import left where they
// are (see RawRef) instead of keeping them in memory: the writers read
// each record back when they write it. It is opened on first use and
// refuses to read once the file has changed since it was imported.
type RawFile struct {
	path    string
	size    int64
	modTime time.Time

	once sync.Once
	mu   sync.Mutex // guards f against Close
	f    *os.File
	err  error
}

// NewRawFile names the file at path whose content, as info describes it,
// the raw records were read from.
func NewRawFile(path string, info fs.FileInfo) *RawFile {
	return &RawFile{path: path, size: info.Size(), modTime: info.ModTime()}
}

// Path is the file's path.
func (r *RawFile) Path() string { return r.path }

func (r *RawFile) open() {
	f, err := os.Open(r.path)
	if err != nil {
		r.err = err
		return
	}
	info, err := f.Stat()
	if err == nil && (info.Size() != r.size || !info.ModTime().Equal(r.modTime)) {
		err = errors.New("changed since it was imported")
	}
	if err != nil {
		f.Close()
		r.err = fmt.Errorf("%s: %w", r.path, err)
		return
	}
	r.mu.Lock()
	r.f = f
	r.mu.Unlock()
}

// ReadAt fills p with the file's bytes from off.
func (r *RawFile) ReadAt(p []byte, off int64) error {
	r.once.Do(r.open)
	if r.err != nil {
		return r.err
	}
	r.mu.Lock()
	f := r.f
	r.mu.Unlock()
	if f == nil {
		return fmt.Errorf("%s: closed", r.path)
	}
	if _, err := f.ReadAt(p, off); err != nil {
		return fmt.Errorf("%s: raw record at byte %d: %w", r.path, off, err)
	}
	return nil
}

// Close closes the file if it was opened; the records cannot be read
// afterwards.
func (r *RawFile) Close() error {
	r.once.Do(func() { r.err = fmt.Errorf("%s: closed", r.path) })
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.f == nil {
		return nil
	}
	err := r.f.Close()
	r.f = nil
	return err
}

// RawRef locates a raw record left in its file: Len bytes from Off.
type RawRef struct {
	File *RawFile
	Off  int64
	Len  int
}

// RawRecord returns the finding's raw record: Raw, or the record RawAt
// locates, read into buf (grown as needed; the result may share its
// memory).
func (f *Finding) RawRecord(buf []byte) ([]byte, error) {
	if len(f.Raw) > 0 || f.RawAt.File == nil {
		return f.Raw, nil
	}
	if cap(buf) < f.RawAt.Len {
		buf = make([]byte, f.RawAt.Len)
	}
	buf = buf[:f.RawAt.Len]
	if err := f.RawAt.File.ReadAt(buf, f.RawAt.Off); err != nil {
		return nil, err
	}
	return buf, nil
}
