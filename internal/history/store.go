package history

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite" // the "sqlite" database/sql driver
)

// Dialect is the database engine behind a Store.
type Dialect string

// The engines a Store runs on.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// ErrNotFound is returned for a run that does not exist.
var ErrNotFound = errors.New("not found")

// Store is a history store. Its methods are safe for concurrent use.
type Store struct {
	db      *sql.DB
	pool    *pgxpool.Pool // PostgreSQL only
	dialect Dialect
	dsn     string
	stmts   stmts
}

// IsPostgres reports whether dsn names a PostgreSQL database
// (postgres:// or postgresql:// URL).
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open opens the store dsn names and applies the migrations it lacks. A
// postgres:// or postgresql:// URL selects PostgreSQL; anything else is the
// path of an SQLite file (an optional sqlite: prefix is removed), created
// with its directory when absent.
func Open(ctx context.Context, dsn string) (*Store, error) {
	s, err := open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	if _, err := s.Migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// OpenExisting opens an SQLite store only when its file exists (readers
// should not create an empty history); PostgreSQL is opened as by Open.
func OpenExisting(ctx context.Context, dsn string) (*Store, error) {
	if !IsPostgres(dsn) {
		path := strings.TrimPrefix(dsn, "sqlite:")
		if _, err := os.Stat(path); err != nil {
			return nil, fmt.Errorf("no history at %s (record a run first: vigil history record): %w", path, err)
		}
	}
	return Open(ctx, dsn)
}

func open(ctx context.Context, dsn string) (*Store, error) {
	if IsPostgres(dsn) {
		pool, err := pgxpool.New(ctx, dsn)
		if err != nil {
			return nil, fmt.Errorf("history: %w", err)
		}
		if err := pool.Ping(ctx); err != nil {
			pool.Close()
			return nil, fmt.Errorf("history: connecting to PostgreSQL: %w", err)
		}
		db := stdlib.OpenDBFromPool(pool)
		// database/sql keeps 2 idle connections by default: under load
		// every other one would go back to the pool and be acquired again.
		n := int(pool.Config().MaxConns)
		db.SetMaxOpenConns(n)
		db.SetMaxIdleConns(n)
		return &Store{db: db, pool: pool, dialect: Postgres, dsn: dsn}, nil
	}
	path := strings.TrimPrefix(dsn, "sqlite:")
	if path == "" {
		return nil, errors.New("history: empty database path")
	}
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("history: %w", err)
		}
	}
	// WAL lets readers run beside the one writer; _txlock=immediate takes
	// the write lock when a transaction begins, so two recorders queue
	// (busy_timeout) instead of failing halfway.
	// mmap_size lets every connection read the file through one shared
	// mapping instead of copying pages into its own cache.
	q := "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=temp_store(MEMORY)&_pragma=cache_size(-65536)&_pragma=mmap_size(2147483648)&_txlock=immediate"
	db, err := sql.Open("sqlite", "file:"+path+q)
	if err != nil {
		return nil, fmt.Errorf("history: %w", err)
	}
	// A pool of connections kept open: readers run beside the one writer
	// (WAL), and none pays for opening a connection and warming its
	// cache (database/sql keeps only 2 idle connections by default, so
	// under 50 concurrent requests most were opened and closed per query).
	n := max(4, 2*runtime.GOMAXPROCS(0))
	db.SetMaxOpenConns(n)
	db.SetMaxIdleConns(n)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("history: opening %s: %w", path, err)
	}
	return &Store{db: db, dialect: SQLite, dsn: dsn}, nil
}

// Close closes the store's connections.
func (s *Store) Close() error {
	s.closeStmts()
	err := s.db.Close()
	if s.pool != nil {
		s.pool.Close()
	}
	return err
}

// DB is the store's database handle (on PostgreSQL, a database/sql view of
// Pool), for components that share the store.
func (s *Store) DB() *sql.DB { return s.db }

// Pool is the PostgreSQL connection pool, nil on SQLite.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// Dialect says which engine the store runs on.
func (s *Store) Dialect() Dialect { return s.dialect }

// rebind turns the ? placeholders of q into PostgreSQL's $1, $2, ...
// (queries carry no literal question marks).
func (s *Store) rebind(q string) string {
	if s.dialect != Postgres || !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

// writeTx is a write transaction on either engine, with bulk loading.
type writeTx interface {
	exec(ctx context.Context, q string, args ...any) (int64, error)
	query(ctx context.Context, q string, args []any, each func(scan func(dest ...any) error) error) error
	// load inserts rows into table; conflict, when set, is an
	// "ON CONFLICT ..." clause for them.
	load(ctx context.Context, table string, cols []string, rows [][]any, conflict string) error
	// update sets cols (after the key, cols[0]) of the rows whose key
	// matches each row's first value.
	update(ctx context.Context, table string, cols []string, rows [][]any) error
	// bulk prepares table for n rows written at once: when they are
	// many against what the table holds, its secondary indexes are dropped
	// (SQLite) and the returned function, to call after the writes, builds
	// them again (sorting the keys once costs less than inserting each into
	// a B-tree). It returns a function that does nothing otherwise.
	bulk(ctx context.Context, table string, n int) (func(context.Context) error, error)
	commit(ctx context.Context) error
	rollback(ctx context.Context) error
}

// bulkMin is the fewest rows for which bulk drops indexes.
const bulkMin = 10_000

func noRestore(context.Context) error { return nil }

// Advisory lock keys on PostgreSQL (SQLite serialises every writer).
const (
	// writersLock is held shared by every Record and exclusively by
	// Suppress, whose change spans sources: a run never computes its
	// lifecycle from suppressions that change under it.
	writersLock = 0x76696768 // "vigh"
	// migrationLock is held by Migrate.
	migrationLock = 0x76696769 // "vigi"
)

// lock is a PostgreSQL transaction advisory lock to take in begin.
type lock struct {
	key    int64
	shared bool
}

// begin starts a write transaction. On PostgreSQL it takes the advisory
// locks given, in order.
func (s *Store) begin(ctx context.Context, locks ...lock) (writeTx, error) {
	if s.dialect == Postgres {
		tx, err := s.pool.Begin(ctx)
		if err != nil {
			return nil, err
		}
		t := &pgTx{s: s, tx: tx}
		for _, l := range locks {
			fn := "pg_advisory_xact_lock"
			if l.shared {
				fn = "pg_advisory_xact_lock_shared"
			}
			if _, err := t.exec(ctx, "SELECT "+fn+"(?)", l.key); err != nil {
				tx.Rollback(ctx)
				return nil, err
			}
		}
		return t, nil
	}
	// One connection held for the transaction: its bulk writes reach the
	// driver's connection directly (Raw).
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		conn.Close()
		return nil, err
	}
	return &sqliteTx{conn: conn, tx: tx}, nil
}

type sqliteTx struct {
	conn *sql.Conn
	tx   *sql.Tx
}

func (t *sqliteTx) exec(ctx context.Context, q string, args ...any) (int64, error) {
	r, err := t.tx.ExecContext(ctx, q, args...)
	if err != nil {
		return 0, err
	}
	return r.RowsAffected()
}

func (t *sqliteTx) query(ctx context.Context, q string, args []any, each func(scan func(dest ...any) error) error) error {
	rows, err := t.tx.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := each(rows.Scan); err != nil {
			return err
		}
	}
	return rows.Err()
}

// load inserts rows, sqliteBatch at a time, with INSERT OR FAIL: one
// statement for many rows spares the driver's work per statement (the
// driver grows its list of a statement's text buffers from nothing each
// time), and OR FAIL spares SQLite the statement journal a multi-row
// statement that may abort takes (an error aborts the whole transaction
// anyway).
func (t *sqliteTx) load(ctx context.Context, table string, cols []string, rows [][]any, conflict string) error {
	if len(rows) == 0 {
		return nil
	}
	head := "INSERT OR FAIL INTO " + table + " (" + strings.Join(cols, ", ") + ") "
	if conflict != "" {
		head = "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") "
		conflict = " " + conflict
	}
	sqlFor := func(n int) string { return head + valuesSQL(len(cols), n) + conflict }
	if err := t.execRows(ctx, sqlFor, len(cols), rows); err != nil {
		return fmt.Errorf("inserting into %s: %w", table, err)
	}
	return nil
}

// sqliteBatch is how many rows one statement writes; at most 32,766
// parameters, SQLite's limit.
func sqliteBatch(cols int) int { return max(1, min(64, 32766/cols)) }

// execRows runs the statement sqlFor(n) gives for n rows, prepared once
// for sqliteBatch rows and once for the rest, on the driver's connection:
// database/sql would convert and check every value again, and the driver,
// given a context that can end, would start a goroutine to watch it for
// every statement (ctx is checked between statements instead). The rows'
// values are int, int64, float64, *float64, string or nil.
func (t *sqliteTx) execRows(ctx context.Context, sqlFor func(n int) string, cols int, rows [][]any) error {
	dctx := context.WithoutCancel(ctx)
	batch := sqliteBatch(cols)
	return t.conn.Raw(func(dc any) error {
		pc, ok := dc.(driver.ConnPrepareContext)
		if !ok {
			return fmt.Errorf("the SQLite driver's connection (%T) cannot prepare a statement", dc)
		}
		args := make([]driver.NamedValue, 0, batch*cols)
		var st driver.Stmt
		var stRows int
		defer func() {
			if st != nil {
				st.Close()
			}
		}()
		for len(rows) > 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
			chunk := rows[:min(batch, len(rows))]
			rows = rows[len(chunk):]
			if st == nil || stRows != len(chunk) {
				if st != nil {
					st.Close()
				}
				var err error
				if st, err = pc.PrepareContext(dctx, sqlFor(len(chunk))); err != nil {
					st = nil
					return err
				}
				stRows = len(chunk)
			}
			args = args[:0]
			for _, r := range chunk {
				if len(r) != cols {
					return fmt.Errorf("a row of %d values for %d columns", len(r), cols)
				}
				for _, v := range r {
					dv, err := driverValue(v)
					if err != nil {
						return err
					}
					args = append(args, driver.NamedValue{Ordinal: len(args) + 1, Value: dv})
				}
			}
			ex, ok := st.(driver.StmtExecContext)
			if !ok {
				return fmt.Errorf("the SQLite driver's statement (%T) cannot execute", st)
			}
			if _, err := ex.ExecContext(dctx, args); err != nil {
				return err
			}
		}
		return nil
	})
}

// driverValue is v as the driver takes it.
func driverValue(v any) (driver.Value, error) {
	switch x := v.(type) {
	case nil, int64, string, float64:
		return x, nil
	case int:
		return int64(x), nil
	case *float64:
		if x == nil {
			return nil, nil
		}
		return *x, nil
	}
	return driver.DefaultParameterConverter.ConvertValue(v)
}

// valuesSQL is VALUES with n rows of cols parameters.
func valuesSQL(cols, n int) string {
	var b strings.Builder
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", cols), ", ") + ")"
	b.Grow(7 + n*(len(row)+2))
	b.WriteString("VALUES ")
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(row)
	}
	return b.String()
}

// update writes sqliteBatch rows a statement, joined on their key:
// UPDATE OR FAIL table SET ... FROM (VALUES (...), ...) WHERE key matches.
func (t *sqliteTx) update(ctx context.Context, table string, cols []string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	sets := make([]string, len(cols)-1)
	for i, c := range cols[1:] {
		sets[i] = c + " = v.column" + strconv.Itoa(i+2)
	}
	head := "UPDATE OR FAIL " + table + " SET " + strings.Join(sets, ", ") + " FROM ("
	tail := ") AS v WHERE " + table + "." + cols[0] + " = v.column1"
	sqlFor := func(n int) string {
		return head + valuesSQL(len(cols), n) + tail
	}
	if err := t.execRows(ctx, sqlFor, len(cols), rows); err != nil {
		return fmt.Errorf("updating %s: %w", table, err)
	}
	return nil
}

func (t *sqliteTx) bulk(ctx context.Context, table string, n int) (func(context.Context) error, error) {
	if n < bulkMin {
		return noRestore, nil
	}
	// Rebuilding pays when the table holds fewer rows than are written
	// (counted up to that bound only): building the indexes of 100,000
	// findings costs about what updating them for 60,000 does.
	var held int
	if err := t.tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM (SELECT 1 FROM "+table+" LIMIT ?)", n).Scan(&held); err != nil {
		return nil, err
	}
	if held >= n {
		return noRestore, nil
	}
	// The indexes as the migrations defined them (automatic ones, for
	// primary keys, have no SQL and stay).
	rows, err := t.tx.QueryContext(ctx, "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL ORDER BY name", table)
	if err != nil {
		return nil, err
	}
	var names, defs []string
	for rows.Next() {
		var name, def string
		if err := rows.Scan(&name, &def); err != nil {
			rows.Close()
			return nil, err
		}
		names, defs = append(names, name), append(defs, def)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, name := range names {
		if _, err := t.tx.ExecContext(ctx, `DROP INDEX "`+name+`"`); err != nil {
			return nil, err
		}
	}
	return func(ctx context.Context) error {
		for _, def := range defs {
			if _, err := t.tx.ExecContext(ctx, def); err != nil {
				return fmt.Errorf("rebuilding an index of %s: %w", table, err)
			}
		}
		return nil
	}, nil
}

func (t *sqliteTx) commit(context.Context) error {
	err := t.tx.Commit()
	t.conn.Close()
	return err
}

func (t *sqliteTx) rollback(context.Context) error {
	err := t.tx.Rollback()
	t.conn.Close()
	return err
}

type pgTx struct {
	s     *Store
	tx    pgx.Tx
	stage int
}

func (t *pgTx) exec(ctx context.Context, q string, args ...any) (int64, error) {
	tag, err := t.tx.Exec(ctx, t.s.rebind(q), args...)
	if err != nil {
		return 0, err
	}
	return tag.RowsAffected(), nil
}

func (t *pgTx) query(ctx context.Context, q string, args []any, each func(scan func(dest ...any) error) error) error {
	rows, err := t.tx.Query(ctx, t.s.rebind(q), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := each(rows.Scan); err != nil {
			return err
		}
	}
	return rows.Err()
}

// stageTable creates a temporary table shaped like table's cols, dropped
// at commit, and copies rows into it.
func (t *pgTx) stageTable(ctx context.Context, table string, cols []string, rows [][]any) (string, error) {
	t.stage++
	name := fmt.Sprintf("stage_%s_%d", table, t.stage)
	if _, err := t.tx.Exec(ctx, "CREATE TEMP TABLE "+name+" ON COMMIT DROP AS SELECT "+strings.Join(cols, ", ")+" FROM "+table+" WITH NO DATA"); err != nil {
		return "", err
	}
	if _, err := t.tx.CopyFrom(ctx, pgx.Identifier{name}, cols, pgx.CopyFromRows(rows)); err != nil {
		return "", fmt.Errorf("copying into %s: %w", table, err)
	}
	return name, nil
}

// load copies rows straight into table (COPY), or, with a conflict
// clause, into a staging table and from there with INSERT ... SELECT.
func (t *pgTx) load(ctx context.Context, table string, cols []string, rows [][]any, conflict string) error {
	if len(rows) == 0 {
		return nil
	}
	if conflict == "" {
		if _, err := t.tx.CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromRows(rows)); err != nil {
			return fmt.Errorf("copying into %s: %w", table, err)
		}
		return nil
	}
	name, err := t.stageTable(ctx, table, cols, rows)
	if err != nil {
		return err
	}
	list := strings.Join(cols, ", ")
	_, err = t.tx.Exec(ctx, "INSERT INTO "+table+" ("+list+") SELECT "+list+" FROM "+name+" "+conflict)
	return err
}

func (t *pgTx) update(ctx context.Context, table string, cols []string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	name, err := t.stageTable(ctx, table, cols, rows)
	if err != nil {
		return err
	}
	sets := make([]string, len(cols)-1)
	for i, c := range cols[1:] {
		sets[i] = c + " = s." + c
	}
	_, err = t.tx.Exec(ctx, "UPDATE "+table+" SET "+strings.Join(sets, ", ")+" FROM "+name+" s WHERE "+table+"."+cols[0]+" = s."+cols[0])
	return err
}

// bulk keeps PostgreSQL's indexes: dropping one locks the table against
// every reader until the commit.
func (t *pgTx) bulk(context.Context, string, int) (func(context.Context) error, error) {
	return noRestore, nil
}

func (t *pgTx) commit(ctx context.Context) error   { return t.tx.Commit(ctx) }
func (t *pgTx) rollback(ctx context.Context) error { return t.tx.Rollback(ctx) }
