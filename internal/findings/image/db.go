package image

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	v6 "github.com/anchore/grype/grype/db/v6"
	"github.com/anchore/grype/grype/vulnerability"
)

// sqliteMagic opens every SQLite 3 database file.
var sqliteMagic = []byte("SQLite format 3\x00")

// DB is an open Grype vulnerability database (schema v6), read-only.
type DB struct {
	// Path is the database file.
	Path string
	// Built is when the database was built, from its metadata.
	Built time.Time
	// Schema is the database's schema version, e.g. "v6.1.10".
	Schema string

	provider vulnerability.Provider
	tmp      string // a directory made to give the file the name Grype opens, removed by Close
}

// OpenDB opens the Grype vulnerability database at path, read-only: the
// vulnerability.db file itself (any name), a directory holding it, or
// Grype's cache directory (holding 6/vulnerability.db). Nothing is
// downloaded or updated. A missing, unreadable, corrupt or wrong-schema
// database is an error naming the path.
func OpenDB(path string) (*DB, error) {
	file, err := dbFile(path)
	if err != nil {
		return nil, err
	}
	if err := checkSQLite(file); err != nil {
		return nil, err
	}
	db := &DB{Path: file}
	dir := filepath.Dir(file)
	if filepath.Base(file) != v6.VulnerabilityDBFileName {
		// Grype opens <dir>/vulnerability.db: give the file that name
		// through a link in a directory of our own.
		if db.tmp, err = os.MkdirTemp("", "vigil-grype-db-"); err != nil {
			return nil, fmt.Errorf("vulnerability database %s: %w", file, err)
		}
		abs, err := filepath.Abs(file)
		if err == nil {
			err = os.Symlink(abs, filepath.Join(db.tmp, v6.VulnerabilityDBFileName))
		}
		if err != nil {
			db.Close()
			return nil, fmt.Errorf("vulnerability database %s: %w", file, err)
		}
		dir = db.tmp
	}
	rdr, err := openReader(dir)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("vulnerability database %s: not a readable Grype v%d database: %w", file, v6.ModelVersion, err)
	}
	meta, err := rdr.GetDBMetadata()
	if err != nil || meta == nil {
		rdr.Close()
		db.Close()
		if err == nil {
			err = errors.New("no metadata")
		}
		return nil, fmt.Errorf("vulnerability database %s: %w", file, err)
	}
	if meta.BuildTimestamp != nil {
		db.Built = meta.BuildTimestamp.UTC()
	}
	db.Schema = fmt.Sprintf("v%d.%d.%d", meta.Model, meta.Revision, meta.Addition)
	// A corrupt file can pass the open and the metadata read: read one
	// table the matchers need so that it fails here, naming the file.
	if _, err := rdr.GetArchitectureAliases(); err != nil {
		rdr.Close()
		db.Close()
		return nil, fmt.Errorf("vulnerability database %s: %w", file, err)
	}
	db.provider = v6.NewVulnerabilityProvider(rdr)
	return db, nil
}

// openReader opens the database in dir, turning a panic deep in the SQL
// driver on a damaged file into an error.
func openReader(dir string) (rdr v6.Reader, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("damaged database: %v", r)
		}
	}()
	return v6.NewReader(v6.Config{DBDirPath: dir})
}

// Close releases the database.
func (db *DB) Close() error {
	var err error
	if db.provider != nil {
		err = db.provider.Close()
		db.provider = nil
	}
	if db.tmp != "" {
		err = errors.Join(err, os.RemoveAll(db.tmp))
		db.tmp = ""
	}
	return err
}

// dbFile finds the database file path names.
func dbFile(path string) (string, error) {
	if path == "" {
		return "", errors.New("no vulnerability database given (a Grype v6 vulnerability.db file or its directory)")
	}
	st, err := os.Stat(path)
	if err != nil {
		return "", fmt.Errorf("vulnerability database %s: %w", path, err)
	}
	if !st.IsDir() {
		return path, nil
	}
	for _, p := range []string{
		filepath.Join(path, v6.VulnerabilityDBFileName),
		filepath.Join(path, fmt.Sprint(v6.ModelVersion), v6.VulnerabilityDBFileName),
	} {
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p, nil
		}
	}
	return "", fmt.Errorf("vulnerability database %s: a directory without %s (nor %d/%s)", path,
		v6.VulnerabilityDBFileName, v6.ModelVersion, v6.VulnerabilityDBFileName)
}

// checkSQLite rejects a file that is not a SQLite database before the
// driver sees it.
func checkSQLite(file string) error {
	f, err := os.Open(file)
	if err != nil {
		return fmt.Errorf("vulnerability database %s: %w", file, err)
	}
	defer f.Close()
	head := make([]byte, 100)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return fmt.Errorf("vulnerability database %s: %w", file, err)
	}
	if n < len(head) || !bytes.HasPrefix(head, sqliteMagic) {
		return fmt.Errorf("vulnerability database %s: not a SQLite database (a Grype v%d vulnerability.db is; an archive from Grype's listing must be unpacked first)", file, v6.ModelVersion)
	}
	return nil
}
