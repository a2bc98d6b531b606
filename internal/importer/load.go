package importer

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"sync"

	"github.com/vigil-sec/vigil/internal/importer/awsconfig"
	"github.com/vigil-sec/vigil/internal/importer/azure"
	"github.com/vigil-sec/vigil/internal/importer/gcp"
	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

// Option configures Load.
type Option func(*options)

type options struct {
	logger  *slog.Logger
	workers int
}

// WithLogger sets the logger Load reports progress to (debug level).
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.logger = l } }

// WithWorkers sets how many files are parsed at once (default GOMAXPROCS).
func WithWorkers(n int) Option { return func(o *options) { o.workers = n } }

// Load imports every file under paths (files, or directories walked
// recursively). Each file's format is detected from its content; gzip is
// decompressed transparently. Files that are not a recognised export are
// listed in Inventory.Skipped; unreadable or malformed inputs in
// Inventory.Errors, with the rest of the input still imported. The returned
// error is non-nil only when ctx is cancelled.
func Load(ctx context.Context, paths []string, opts ...Option) (*Inventory, error) {
	o := options{logger: slog.New(slog.DiscardHandler), workers: runtime.GOMAXPROCS(0)}
	for _, opt := range opts {
		opt(&o)
	}
	inv := &Inventory{Files: map[string]int{}, Unsupported: map[string]int{}}
	var files []string
	for _, p := range paths {
		err := filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				inv.Errors = append(inv.Errors, InputError{Path: path, Err: err.Error()})
				if d != nil && d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if d.Type().IsRegular() {
				files = append(files, path)
			} else if !d.IsDir() && d.Type()&fs.ModeSymlink != 0 {
				if st, err := os.Stat(path); err == nil && st.Mode().IsRegular() {
					files = append(files, path)
				}
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("walking %s: %w", p, err)
		}
	}
	results := make([]fileResult, len(files))
	workers := max(1, min(o.workers, len(files)))
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				results[i] = parseFile(ctx, files[i])
				fr := results[i]
				switch {
				case fr.err != nil && fr.res == nil:
					o.logger.Debug("input error", "path", files[i], "error", fr.err.Err)
				case fr.skip != "":
					o.logger.Debug("skipped file", "path", files[i], "reason", fr.skip)
				default:
					o.logger.Debug("imported file", "path", files[i], "format", fr.format, "resources", len(fr.res.Resources))
				}
			}
		}()
	}
feed:
	for i := range files {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("importing: %w", err)
	}

	m := newMerger(len(files) * 64)
	for i, fr := range results {
		path := files[i]
		if fr.err != nil {
			inv.Errors = append(inv.Errors, *fr.err)
			if fr.res == nil {
				continue
			}
		}
		if fr.skip != "" {
			inv.Skipped = append(inv.Skipped, Skipped{Path: path, Reason: fr.skip})
			continue
		}
		inv.Files[fr.format]++
		for _, p := range fr.res.Problems {
			inv.Errors = append(inv.Errors, problemError(path, p))
		}
		for _, r := range fr.res.Resources {
			m.add(r)
		}
		for id, typ := range fr.res.Unsupported {
			m.unsupported[mergeKeyOf(providerOf(fr.format), id)] = typ
		}
	}
	for _, fin := range finalizers {
		added, problems := fin(m.list)
		for _, r := range added {
			m.add(r)
		}
		for _, p := range problems {
			inv.Errors = append(inv.Errors, problemError(p.Path, p))
		}
	}
	for _, typ := range m.unsupported {
		inv.Unsupported[typ]++
	}
	inv.Resources = m.list
	return inv, nil
}

func problemError(path string, p attr.Problem) InputError {
	if p.Path != "" {
		path = p.Path
	}
	return InputError{Path: path, Line: p.Line, Offset: p.Offset, Err: p.Err}
}

// finalizers complete the merged inventory per provider (cross-resource
// facts, synthesized account resources).
var finalizers = []func([]*resource.Resource) ([]*resource.Resource, []attr.Problem){
	awsconfig.Finalize,
	azure.Finalize,
	gcp.Finalize,
}

type fileResult struct {
	format string
	res    *attr.Result
	skip   string
	err    *InputError
}

// maxDecompressed bounds what one gzip input may expand to.
const maxDecompressed = 8 << 30

func parseFile(ctx context.Context, path string) fileResult {
	data, err := os.ReadFile(path)
	if err != nil {
		return fileResult{err: &InputError{Path: path, Err: err.Error()}}
	}
	if len(data) >= 2 && data[0] == 0x1f && data[1] == 0x8b {
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			return fileResult{err: &InputError{Path: path, Err: "gzip: " + err.Error()}}
		}
		data, err = io.ReadAll(io.LimitReader(zr, maxDecompressed))
		if err != nil {
			return fileResult{err: &InputError{Path: path, Err: "gzip: " + err.Error()}}
		}
	}
	return parseData(ctx, path, data)
}
