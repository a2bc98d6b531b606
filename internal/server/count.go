package server

import (
	"context"
	"encoding/json"
	"sync"

	"github.com/vigil-sec/vigil/internal/history"
)

// counts caches the explorer's total per filter: counting tens of
// thousands of failing findings costs more than the page itself. An entry
// holds while the data version (the newest run and suppression, the only
// writes that change findings) stays the same.
type counts struct {
	mu      sync.Mutex
	version [2]int64
	m       map[string]int
}

const maxCachedCounts = 1000

// countFindings is Store.CountFindings, cached per data version.
func (s *Server) countFindings(ctx context.Context, q history.FindingQuery) (int, error) {
	v, err := s.store.DataVersion(ctx)
	if err != nil {
		return 0, err
	}
	q.Sort, q.Desc, q.Limit, q.Offset, q.After = "", false, 0, 0, 0
	b, err := json.Marshal(q)
	if err != nil {
		return 0, err
	}
	key := string(b)
	c := &s.counts
	c.mu.Lock()
	if c.m == nil || c.version != v || len(c.m) >= maxCachedCounts { // nil: an empty store's version is the zero one
		c.version, c.m = v, map[string]int{}
	}
	n, ok := c.m[key]
	c.mu.Unlock()
	if ok {
		return n, nil
	}
	if n, err = s.store.CountFindings(ctx, q); err != nil {
		return 0, err
	}
	c.mu.Lock()
	if c.version == v {
		c.m[key] = n
	}
	c.mu.Unlock()
	return n, nil
}
