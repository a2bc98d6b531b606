package lake

import (
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/klauspost/compress/zstd"
	"github.com/parquet-go/parquet-go"
	pzstd "github.com/parquet-go/parquet-go/compress/zstd"
	"github.com/parquet-go/parquet-go/format"
)

// rowGroupSize bounds the rows per Parquet row group.
const rowGroupSize = 128 * 1024

// zstdCodec is the Parquet ZSTD codec of the part files: one klauspost
// encoder, with one internal encoder per concurrent writer, kept for a whole
// ingest. parquet-go's own codec keeps its encoders in a pool the garbage
// collector empties, so an ingest allocated a new encoder and its 1 MiB
// history a few hundred times (312 MB for 145,000 events); and the codec of
// the raw and ocsf columns' `zstd` tags, parquet-go's default level, spent
// 15-30% more time than the fastest level for 1-5% smaller columns (see
// docs/logs.md, Performance). Every column now uses the fastest level.
// Decoding is parquet-go's.
type zstdCodec struct {
	enc *zstd.Encoder
	dec pzstd.Codec
	// writers are the part files' Parquet writers, kept for reuse (see
	// writer).
	mu      sync.Mutex
	writers []*parquet.GenericWriter[Row]
}

// newZstdCodec returns a codec for up to concurrency simultaneous Encode
// calls (more wait). Close releases it.
func newZstdCodec(concurrency int) (*zstdCodec, error) {
	enc, err := zstd.NewWriter(nil,
		zstd.WithEncoderConcurrency(max(1, concurrency)),
		zstd.WithEncoderLevel(zstd.SpeedFastest),
		zstd.WithZeroFrames(true),
		zstd.WithEncoderCRC(false),
	)
	if err != nil {
		return nil, fmt.Errorf("lake: zstd: %w", err)
	}
	return &zstdCodec{enc: enc}, nil
}

// writer returns a Parquet writer of part files to out: one that wrote a
// part before, reset, or a new one. A new writer's buffers (column values,
// pages, dictionaries, encoders) grow while the first pages are written,
// for every part file; a reset one keeps them.
func (c *zstdCodec) writer(out io.Writer) *parquet.GenericWriter[Row] {
	c.mu.Lock()
	if n := len(c.writers); n > 0 {
		w := c.writers[n-1]
		c.writers = c.writers[:n-1]
		c.mu.Unlock()
		w.Reset(out)
		return w
	}
	c.mu.Unlock()
	return parquet.NewGenericWriter[Row](out,
		parquet.Compression(c),
		parquet.MaxRowsPerRowGroup(rowGroupSize),
		parquet.CreatedBy("vigil", "", ""),
		// No min/max bounds for the event bodies: they would copy whole
		// events (megabytes for a large one) into the page headers, column
		// index and footer, and no query filters on them.
		parquet.SkipPageBounds("raw"), parquet.SkipPageBounds("ocsf"),
		parquet.SkipPageStatistics("raw"), parquet.SkipPageStatistics("ocsf"),
	)
}

// putWriter takes back a writer closed without error.
func (c *zstdCodec) putWriter(w *parquet.GenericWriter[Row]) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.writers = append(c.writers, w)
}

func (c *zstdCodec) String() string                            { return "ZSTD" }
func (c *zstdCodec) CompressionCodec() format.CompressionCodec { return format.Zstd }
func (c *zstdCodec) Encode(dst, src []byte) ([]byte, error) {
	return c.enc.EncodeAll(src, dst[:0]), nil
}
func (c *zstdCodec) Decode(dst, src []byte) ([]byte, error) { return c.dec.Decode(dst, src) }
func (c *zstdCodec) Close()                                 { c.enc.Close() }

// writePart writes rows (all of one partition) to a new part file under dir
// atomically: a hidden temporary file in the same directory is written,
// synced and renamed, then the directory is synced. Readers never see a
// partial file; a crash leaves at most a hidden .tmp file that no query reads.
// The file name is derived from the rows' event hashes, so writing the same
// rows again yields the same name. It returns the file's path.
func writePart(dir string, rows []Row, codec *zstdCodec) (string, error) {
	if len(rows) == 0 {
		return "", nil
	}
	order := sortOrder(rows)
	at := func(i int) *Row {
		if order != nil {
			return &rows[order[i]]
		}
		return &rows[i]
	}
	h := sha256.New()
	var hb []byte
	for i := range rows {
		hb = append(hb, at(i).EventHash...)
		if len(hb) >= 32<<10 || i == len(rows)-1 {
			h.Write(hb)
			hb = hb[:0]
		}
	}
	name := "part-" + hex.EncodeToString(h.Sum(nil)[:12]) + ".parquet"
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("lake: %w", err)
	}
	final := filepath.Join(dir, name)
	if _, err := os.Stat(final); err == nil {
		return final, nil // same content already stored
	}
	tmp, err := os.CreateTemp(dir, ".tmp-"+name+"-*")
	if err != nil {
		return "", fmt.Errorf("lake: %w", err)
	}
	ok := false
	defer func() {
		if !ok {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	w := codec.writer(tmp)
	// Rows sorted in place are written as they are; otherwise they are
	// copied in order through a small window (the writer starts a new row
	// group every rowGroupSize rows itself).
	if order == nil {
		if _, err := w.Write(rows); err != nil {
			return "", fmt.Errorf("lake: write %s: %w", final, err)
		}
	} else {
		window := make([]Row, 0, min(len(rows), 1024))
		for i, k := range order {
			window = append(window, rows[k])
			if len(window) == cap(window) || i == len(order)-1 {
				if _, err := w.Write(window); err != nil {
					return "", fmt.Errorf("lake: write %s: %w", final, err)
				}
				window = window[:0]
			}
		}
	}
	if err := w.Close(); err != nil {
		return "", fmt.Errorf("lake: write %s: %w", final, err)
	}
	codec.putWriter(w)
	if err := tmp.Sync(); err != nil {
		return "", fmt.Errorf("lake: sync %s: %w", final, err)
	}
	if err := tmp.Close(); err != nil {
		return "", fmt.Errorf("lake: %w", err)
	}
	if err := os.Rename(tmp.Name(), final); err != nil {
		return "", fmt.Errorf("lake: %w", err)
	}
	ok = true
	syncDir(dir)
	return final, nil
}

// sortOrder returns the order of rows by time, then event hash, as
// indexes into rows, or nil when rows are in that order already. Rows are
// large (copying them into a sorted slice, and before that swapping them,
// was 4% of ingest's CPU time), so compact keys are sorted instead: the
// time's seconds and nanoseconds and the event hash's first 16 characters
// as two integers (the hash's order; the whole hash only breaks ties).
func sortOrder(rows []Row) []int32 {
	type key struct {
		sec    int64
		h1, h2 uint64
		nsec   int32
		i      int32
	}
	keyOf := func(i int) key {
		r := &rows[i]
		var p [16]byte
		copy(p[:], r.EventHash)
		return key{sec: r.Time.Unix(), nsec: int32(r.Time.Nanosecond()), i: int32(i),
			h1: binary.BigEndian.Uint64(p[:8]), h2: binary.BigEndian.Uint64(p[8:])}
	}
	cmpKeys := func(a, b key) int {
		if c := cmp.Compare(a.sec, b.sec); c != 0 {
			return c
		}
		if c := cmp.Compare(a.nsec, b.nsec); c != 0 {
			return c
		}
		if c := cmp.Compare(a.h1, b.h1); c != 0 {
			return c
		}
		if c := cmp.Compare(a.h2, b.h2); c != 0 {
			return c
		}
		return strings.Compare(rows[a.i].EventHash, rows[b.i].EventHash)
	}
	sorted := true
	for i := 1; i < len(rows) && sorted; i++ {
		sorted = cmpKeys(keyOf(i-1), keyOf(i)) <= 0
	}
	if sorted {
		return nil
	}
	keys := make([]key, len(rows))
	for i := range rows {
		keys[i] = keyOf(i)
	}
	slices.SortFunc(keys, cmpKeys)
	order := make([]int32, len(keys))
	for i, k := range keys {
		order[i] = k.i
	}
	return order
}

// syncDir makes a rename durable (best effort: not every OS supports it).
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}

// writeFileAtomic writes data to path through a temporary file and rename.
func writeFileAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".tmp-"+filepath.Base(path)+"-*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	syncDir(dir)
	return nil
}

// partFiles lists the committed part files of a partition directory.
func partFiles(dir string) ([]string, error) {
	ents, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range ents {
		n := e.Name()
		if !e.IsDir() && strings.HasSuffix(n, ".parquet") && !strings.HasPrefix(n, ".") {
			out = append(out, filepath.Join(dir, n))
		}
	}
	return out, nil
}

// readHashes adds the event_hash values stored in a part file to set. A
// value that is not 32 hex digits is left out: no event's hash can equal
// it.
func readHashes(path string, set *keySet) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	pf, err := parquet.OpenFile(f, st.Size())
	if err != nil {
		return fmt.Errorf("lake: %s: %w", path, err)
	}
	leaf, ok := pf.Schema().Lookup("event_hash")
	if !ok {
		return fmt.Errorf("lake: %s: no event_hash column", path)
	}
	buf := make([]parquet.Value, 4096)
	for _, rg := range pf.RowGroups() {
		pages := rg.ColumnChunks()[leaf.ColumnIndex].Pages()
		for {
			p, err := pages.ReadPage()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				pages.Close()
				return fmt.Errorf("lake: %s: %w", path, err)
			}
			vr := p.Values()
			for {
				n, err := vr.ReadValues(buf)
				for _, v := range buf[:n] {
					var k eventKey
					if b := v.ByteArray(); len(b) == 2*len(k) {
						if _, err := hex.Decode(k[:], b); err == nil {
							set.add(k)
						}
					}
				}
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					parquet.Release(p)
					pages.Close()
					return fmt.Errorf("lake: %s: %w", path, err)
				}
				if n == 0 {
					break
				}
			}
			parquet.Release(p)
		}
		pages.Close()
	}
	return nil
}
