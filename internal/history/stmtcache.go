package history

import (
	"context"
	"database/sql"
	"sync"
)

// maxStmts bounds the prepared statements a Store keeps: the explorer's
// queries take a few dozen shapes (a filter's columns and list lengths);
// beyond the bound a query is prepared per call as before.
const maxStmts = 512

// stmts are the read queries prepared once on SQLite, where parsing a
// query costs about as much as running the explorer's page query.
// PostgreSQL needs none: pgx caches prepared statements per connection.
type stmts struct {
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

// stmt returns q prepared, or nil when it is not to be cached.
func (s *Store) stmt(ctx context.Context, q string) *sql.Stmt {
	if s.dialect != SQLite {
		return nil
	}
	c := &s.stmts
	c.mu.Lock()
	defer c.mu.Unlock()
	if st, ok := c.m[q]; ok {
		return st
	}
	if c.m == nil {
		c.m = map[string]*sql.Stmt{}
	}
	if len(c.m) >= maxStmts {
		return nil
	}
	st, err := s.db.PrepareContext(ctx, q)
	if err != nil {
		return nil // the query reports it
	}
	c.m[q] = st
	return st
}

// closeStmts closes the prepared statements.
func (s *Store) closeStmts() {
	c := &s.stmts
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.m {
		st.Close()
	}
	c.m = nil
}

// Query runs a read query written with ? placeholders on either engine
// (prepared once on SQLite), for the store's readers and the server.
func (s *Store) Query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if st := s.stmt(ctx, q); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return s.db.QueryContext(ctx, s.rebind(q), args...)
}

// QueryRow is Query for a query answering at most one row.
func (s *Store) QueryRow(ctx context.Context, q string, args ...any) *sql.Row {
	if st := s.stmt(ctx, q); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return s.db.QueryRowContext(ctx, s.rebind(q), args...)
}
