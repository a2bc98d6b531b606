package lake

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

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
	rows = sortRows(rows)
	h := sha256.New()
	for i := range rows {
		io.WriteString(h, rows[i].EventHash)
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
	w := parquet.NewGenericWriter[Row](tmp,
		parquet.Compression(codec),
		parquet.MaxRowsPerRowGroup(rowGroupSize),
		parquet.CreatedBy("vigil", "", ""),
		// No min/max bounds for the event bodies: they would copy whole
		// events (megabytes for a large one) into the page headers, column
		// index and footer, and no query filters on them.
		parquet.SkipPageBounds("raw"), parquet.SkipPageBounds("ocsf"),
		parquet.SkipPageStatistics("raw"), parquet.SkipPageStatistics("ocsf"),
	)
	for off := 0; off < len(rows); off += rowGroupSize {
		end := min(off+rowGroupSize, len(rows))
		if _, err := w.Write(rows[off:end]); err != nil {
			return "", fmt.Errorf("lake: write %s: %w", final, err)
		}
	}
	if err := w.Close(); err != nil {
		return "", fmt.Errorf("lake: write %s: %w", final, err)
	}
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

// sortRows returns rows ordered by time, then event hash. Rows are large
// (sort.Slice's swaps of them were 4% of ingest's CPU time): their keys are
// sorted, then the rows copied once in that order, unless already sorted.
func sortRows(rows []Row) []Row {
	cmp := func(at, bt time.Time, ah, bh string) int {
		if c := at.Compare(bt); c != 0 {
			return c
		}
		return strings.Compare(ah, bh)
	}
	sorted := true
	for i := 1; i < len(rows) && sorted; i++ {
		sorted = cmp(rows[i-1].Time, rows[i].Time, rows[i-1].EventHash, rows[i].EventHash) <= 0
	}
	if sorted {
		return rows
	}
	type key struct {
		t time.Time
		h string
		i int
	}
	keys := make([]key, len(rows))
	for i := range rows {
		keys[i] = key{rows[i].Time, rows[i].EventHash, i}
	}
	slices.SortFunc(keys, func(a, b key) int { return cmp(a.t, b.t, a.h, b.h) })
	out := make([]Row, len(rows))
	for i, k := range keys {
		out[i] = rows[k.i]
	}
	return out
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
func readHashes(path string, set map[eventKey]struct{}) error {
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
							set[k] = struct{}{}
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
