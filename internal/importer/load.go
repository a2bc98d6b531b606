package importer

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"runtime/trace"
	"slices"
	"strings"
	"sync"

	"github.com/vigil-sec/vigil/internal/importer/awsconfig"
	"github.com/vigil-sec/vigil/internal/importer/azure"
	"github.com/vigil-sec/vigil/internal/importer/gcp"
	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/inventory"
	"github.com/vigil-sec/vigil/internal/resource"
	"github.com/vigil-sec/vigil/internal/source"
)

// Option configures Files (and Load).
type Option func(*options)

type options struct {
	logger  *slog.Logger
	workers int
	keepRaw bool
}

// WithLogger sets the logger the file source reports progress to (debug level).
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.logger = l } }

// WithWorkers sets how many files are parsed at once (default GOMAXPROCS).
func WithWorkers(n int) Option { return func(o *options) { o.workers = n } }

// KeepRaw makes Load keep every resource's Raw attributes (see
// inventory.Options.KeepRaw), and Files keep them whole. Without it the
// file source drops what no finisher reads as each file is parsed (see
// pruneRaw), and Load drops the rest once the formats' finishers ran: a
// caller of inventory.CollectWith with KeepRaw over Files needs this option
// too.
func KeepRaw() Option { return func(o *options) { o.keepRaw = true } }

// Files returns a source over every file under paths (files, or
// directories walked recursively). Each file's format is detected from its
// content; gzip is decompressed transparently; files are parsed in
// parallel and emitted in path order, one batch per file. Files that are
// not a recognised export are skipped batches; unreadable or malformed
// inputs are batches with problems, with what could be read still in them.
// The source is also a source.Finisher: the formats' own completion of the
// merged inventory (account-less CLI outputs, child rows joined to their
// parents, synthesized account resources).
func Files(paths []string, opts ...Option) *FileSource {
	o := options{logger: slog.New(slog.DiscardHandler), workers: runtime.GOMAXPROCS(0)}
	for _, opt := range opts {
		opt(&o)
	}
	return &FileSource{paths: paths, o: o}
}

// FileSource reads the clouds' export files: see Files.
type FileSource struct {
	paths []string
	o     options
	// unread are the inputs of the last Read reported as input problems
	// (not read, or read in part), for the finishers: what such a file
	// held is missing from the inventory, not absent from the cloud.
	unread []string
}

var (
	_ source.Source   = (*FileSource)(nil)
	_ source.Finisher = (*FileSource)(nil)
	_ source.Sizer    = (*FileSource)(nil)
)

// bytesPerResource is about what one resource takes in the exports (1,400
// to 1,550 bytes in the synthetic inventories replicating examples/org),
// for SizeHint.
const bytesPerResource = 1500

// SizeHint estimates how many resources Read will emit from the size of
// the files under the paths (see inputFile), for the merge to size its
// index (source.Sizer). It walks the paths as Read does (the merge it
// spares rehashed every ID a few times: about 1 CPU-s at 1,000,000
// resources).
func (s *FileSource) SizeHint() int {
	files, _ := s.walk(func(string, error) error { return nil })
	var total int64
	for _, f := range files {
		total += f.size
	}
	return int(min(total/bytesPerResource, math.MaxInt32))
}

// inputFile is a file to read and about how much it holds: its size,
// eight times that for a gzip file (by its name: a hint only).
type inputFile struct {
	path string
	size int64
}

// walk lists the regular files under the paths (and the files symbolic
// links name), in path order. A path that cannot be read is given to
// onErr, whose error stops the walk.
func (s *FileSource) walk(onErr func(path string, err error) error) ([]inputFile, error) {
	var files []inputFile
	for _, p := range s.paths {
		err := filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				if eerr := onErr(path, err); eerr != nil {
					return eerr
				}
				if d != nil && d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			var size int64
			switch {
			case d.Type().IsRegular():
				if info, err := d.Info(); err == nil {
					size = info.Size()
				} // else reading it reports the error
			case !d.IsDir() && d.Type()&fs.ModeSymlink != 0:
				info, err := os.Stat(path)
				if err != nil || !info.Mode().IsRegular() {
					return nil
				}
				size = info.Size()
			default:
				return nil
			}
			if strings.HasSuffix(path, ".gz") {
				size *= 8
			}
			files = append(files, inputFile{path, size})
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("walking %s: %w", p, err)
		}
	}
	return files, nil
}

// Name returns "files".
func (s *FileSource) Name() string { return "files" }

// Read parses the files and emits one batch per file, in path order.
func (s *FileSource) Read(ctx context.Context, emit func(source.Batch) error) error {
	s.unread = nil
	inputs, err := s.walk(func(path string, err error) error {
		return emit(source.Batch{Input: path, Problems: []source.Problem{{Path: path, Err: err.Error()}}})
	})
	if err != nil {
		return err
	}
	files := make([]string, len(inputs))
	for i, f := range inputs {
		files[i] = f.path
	}
	workers := max(1, min(s.o.workers, len(files)))
	order := parseOrder(inputs, workers)
	// Each worker's read buffer is made once for the largest plain file
	// it keeps a buffer for (parsed in path order, the files would
	// otherwise grow it a few times: about 60 MB more allocated over the
	// 100,000-resource synthetic inventory).
	var largest int64
	for _, f := range inputs {
		if !strings.HasSuffix(f.path, ".gz") && f.size+readSlack <= maxKeptBuffer {
			largest = max(largest, f.size)
		}
	}
	// Files are parsed on the workers and emitted in path order as soon as
	// each and those before it are parsed: the merge of the first files
	// overlaps the parsing of the others.
	results := make([]fileResult, len(files))
	done := make([]chan struct{}, len(files))
	for i := range done {
		done[i] = make(chan struct{})
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	parseCtx := ctx
	if !s.o.keepRaw {
		parseCtx = attr.WithRawDropped(ctx) // pruneRaw drops it below
	}
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var bufs readBuffers // this worker's, reused file after file
			if largest > 0 {
				bufs.file = make([]byte, 0, largest+readSlack)
			}
			for i := range next {
				parse := trace.StartRegion(ctx, "parse") // a file's, in an execution trace
				results[i] = parseFile(parseCtx, files[i], &bufs)
				parse.End()
				fr := results[i]
				if !s.o.keepRaw && fr.res != nil {
					pruneRaw(fr.res.Resources)
				}
				switch {
				case fr.err != nil && fr.res == nil:
					s.o.logger.Debug("input error", "path", files[i], "error", fr.err.Err)
				case fr.skip != "":
					s.o.logger.Debug("skipped file", "path", files[i], "reason", fr.skip)
				default:
					s.o.logger.Debug("imported file", "path", files[i], "format", fr.format, "resources", len(fr.res.Resources))
				}
				close(done[i])
			}
		}()
	}
	go func() {
		defer close(next)
		for _, i := range order {
			select {
			case next <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	defer func() {
		cancel() // an emit error: the files not parsed yet are not
		wg.Wait()
	}()
	for i := range files {
		select {
		case <-done[i]:
		case <-ctx.Done():
			return fmt.Errorf("importing: %w", ctx.Err())
		}
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("importing: %w", err)
		}
		b := results[i].batch(files[i])
		for _, p := range b.Problems {
			if !p.Warning {
				s.unread = append(s.unread, files[i])
				break
			}
		}
		if err := emit(b); err != nil {
			return err
		}
		results[i] = fileResult{} // the merge holds the resources now
	}
	return nil
}

// parseOrder is the order in which the workers take the inputs: the large
// ones first, largest first (a file holding more than 1/(2*workers) of
// the bytes, started late, would be parsed alone while the other cores
// wait), then the others in path order. The batches are merged in path
// order, on one core: parsed in that order, each is merged while the
// workers parse the next ones. Parsed largest first (as every file was
// before), the merges waited for the first files in path order and then
// ran one after another once the parsing was over: 16 of the 22 files of
// the 100,000-resource synthetic inventory, about 0.06 s of wall time
// with one core idle, and 96 of 202 at 1,000,000.
func parseOrder(inputs []inputFile, workers int) []int {
	var total int64
	for _, f := range inputs {
		total += f.size
	}
	large := func(f inputFile) bool { return f.size > total/int64(2*workers) }
	order := make([]int, len(inputs))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		la, lb := large(inputs[a]), large(inputs[b])
		switch {
		case la && lb:
			return cmp.Compare(inputs[b].size, inputs[a].size)
		case la:
			return -1
		case lb:
			return 1
		}
		return 0 // path order
	})
	return order
}

// batch converts a parsed file to the seam's batch.
func (fr fileResult) batch(path string) source.Batch {
	b := source.Batch{Input: path, Skipped: fr.skip}
	if fr.err != nil {
		b.Problems = append(b.Problems, *fr.err)
	}
	if fr.res != nil && fr.skip == "" {
		b.Format = fr.format
		b.Resources = fr.res.Resources
		b.Unsupported = fr.res.Unsupported
		b.Problems = append(b.Problems, fr.res.Problems...)
	}
	return b
}

// Finish runs each format's completion of the merged inventory. Each
// provider's finalizer reads and changes only its provider's resources
// (it skips the others by their Provider, which nothing changes), so they
// run at once; what they add and report is returned in their order.
func (s *FileSource) Finish(_ context.Context, all []*resource.Resource) (added []*resource.Resource, problems []source.Problem) {
	type finished struct {
		added    []*resource.Resource
		problems []source.Problem
	}
	out := make([]finished, len(finalizers))
	var wg sync.WaitGroup
	for i, fin := range finalizers {
		wg.Go(func() {
			out[i].added, out[i].problems = fin(all[:len(all):len(all)], s.unread)
		})
	}
	wg.Wait()
	for _, f := range out {
		added = append(added, f.added...)
		problems = append(problems, f.problems...)
	}
	return added, problems
}

// Load imports every file under paths into a merged, derived inventory:
// inventory.Collect over Files(paths). Input problems are in
// Inventory.Errors, with the rest of the input still imported; the error
// is non-nil only when ctx is cancelled. Resources' Raw attributes are
// dropped after the finishers unless KeepRaw is given.
func Load(ctx context.Context, paths []string, opts ...Option) (*Inventory, error) {
	src := Files(paths, opts...)
	return inventory.CollectWith(ctx, inventory.Options{KeepRaw: src.o.keepRaw}, src)
}

// pruneRaw drops what no finisher reads of each resource's Raw attributes
// as soon as its file is parsed: the decoded exports are most of an
// import's memory, and kept whole until every file is merged they were
// about 4.5 KiB per resource (5 GiB live at 1,000,000 resources).
func pruneRaw(rs []*resource.Resource) {
	var gcpRaw gcp.RawPruner
	for _, r := range rs {
		if r == nil || r.Raw == nil {
			continue
		}
		switch r.Provider {
		case resource.AWS:
			r.Raw = awsconfig.FinishRaw(r)
		case resource.Azure:
			r.Raw = azure.FinishRaw(r)
		case resource.GCP:
			r.Raw = gcpRaw.FinishRaw(r)
		}
	}
}

// finalizers complete the merged inventory per provider (export-specific
// joins, account-less outputs, synthesized account resources), told the
// inputs that were not read whole (FileSource.unread). Each reads and
// changes the resources of its provider only: FileSource.Finish runs them
// at once.
var finalizers = []func(all []*resource.Resource, unread []string) ([]*resource.Resource, []attr.Problem){
	awsconfig.FinalizeUnread,
	azure.FinalizeUnread,
	func(all []*resource.Resource, _ []string) ([]*resource.Resource, []attr.Problem) {
		return gcp.Finalize(all)
	},
}

type fileResult struct {
	format string
	res    *attr.Result
	skip   string
	err    *InputError
}

// maxDecompressed bounds what one gzip input may expand to.
const maxDecompressed = 8 << 30

// maxKeptBuffer is the largest read buffer a worker keeps for its next
// file.
const maxKeptBuffer = 64 << 20

// readBuffers are a worker's read buffer and decompression buffer.
type readBuffers struct{ file, unzipped []byte }

// parseFile reads and parses one file. bufs are the caller's buffers,
// reused from file to file: nothing parsed refers to the file's bytes (the
// decoders copy what they keep), and an import of many files then reads
// and decompresses them into the same memory instead of fresh pages each
// time (io.ReadAll of each gzip file allocated about twice its size).
func parseFile(ctx context.Context, path string, bufs *readBuffers) fileResult {
	data, err := readFile(path, bufs.file[:0])
	if cap(data) <= maxKeptBuffer {
		bufs.file = data[:0]
	}
	if err != nil {
		return fileResult{err: &InputError{Path: path, Err: err.Error()}}
	}
	if len(data) >= 2 && data[0] == 0x1f && data[1] == 0x8b {
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			return fileResult{err: &InputError{Path: path, Err: "gzip: " + err.Error()}}
		}
		data, err = readAll(io.LimitReader(zr, maxDecompressed), bufs.unzipped[:0])
		if cap(data) <= maxKeptBuffer {
			bufs.unzipped = data[:0]
		}
		if err != nil {
			return fileResult{err: &InputError{Path: path, Err: "gzip: " + err.Error()}}
		}
	}
	return parseData(ctx, path, data)
}

// readAll is io.ReadAll into buf.
func readAll(r io.Reader, buf []byte) ([]byte, error) {
	if cap(buf) == 0 {
		buf = make([]byte, 0, 64<<10)
	}
	for {
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err != nil {
			if err == io.EOF {
				err = nil
			}
			return buf, err
		}
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
	}
}

// readSlack is what readFile's buffer holds beyond the file's size (a
// file that grew since it was listed is still read in one go).
const readSlack = 512

// readFile is os.ReadFile into buf (its errors are the same).
func readFile(path string, buf []byte) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return buf, err
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil {
		if size := st.Size(); size > 0 && int64(cap(buf)) < size+readSlack {
			buf = make([]byte, 0, size+readSlack)
		}
	}
	if cap(buf) == 0 {
		buf = make([]byte, 0, 512)
	}
	return readAll(f, buf)
}
