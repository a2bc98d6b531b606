package server

import (
	"context"
	"log/slog"
	"time"
)

// AuditEntry is one user action.
type AuditEntry struct {
	ID     int64     `json:"id"`
	At     time.Time `json:"at"`
	Actor  string    `json:"actor"`
	Action string    `json:"action"`
	Target string    `json:"target"`
	Detail string    `json:"detail"`
	IP     string    `json:"ip"`
}

// audit records an action; a failure to record is logged (the action has
// happened).
func (s *Server) audit(ctx context.Context, actor, action, target, detail, ip string) {
	if _, err := s.db.exec(ctx, "INSERT INTO audit_log (at_ms, actor, action, target, detail, ip) VALUES (?, ?, ?, ?, ?, ?)",
		s.now().UnixMilli(), actor, action, target, detail, ip); err != nil {
		s.log.ErrorContext(ctx, "audit log", slog.String("action", action), slog.Any("err", err))
	}
}

// auditLog returns the newest entries first.
func (s *Server) auditLog(ctx context.Context, limit, offset int) ([]AuditEntry, error) {
	rows, err := s.db.query(ctx, "SELECT id, at_ms, actor, action, target, detail, ip FROM audit_log ORDER BY id DESC LIMIT ? OFFSET ?", limit, offset)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []AuditEntry{}
	for rows.Next() {
		var e AuditEntry
		var at int64
		if err := rows.Scan(&e.ID, &at, &e.Actor, &e.Action, &e.Target, &e.Detail, &e.IP); err != nil {
			return nil, err
		}
		e.At = time.UnixMilli(at).UTC()
		out = append(out, e)
	}
	return out, rows.Err()
}
