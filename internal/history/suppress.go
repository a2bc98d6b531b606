package history

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Suppression mutes a failing finding: one rule on one resource, or on
// every resource ("*"), in one source or in all (""). It applies until it
// expires (never, when Expires is zero).
type Suppression struct {
	ID         int64     `json:"id,omitempty"`
	Source     string    `json:"source,omitempty"`
	RuleID     string    `json:"rule_id"`
	ResourceID string    `json:"resource_id"`
	Reason     string    `json:"reason"`
	Owner      string    `json:"owner"`
	Expires    time.Time `json:"expires,omitzero"`
	Created    time.Time `json:"created,omitzero"`
}

// Suppress stores a suppression and applies it at once to the failing
// findings it matches; later runs apply it until it expires. It returns the
// suppression with its ID and how many findings it muted now.
func (s *Store) Suppress(ctx context.Context, sp Suppression, now time.Time) (Suppression, int, error) {
	sp.RuleID, sp.ResourceID = strings.TrimSpace(sp.RuleID), strings.TrimSpace(sp.ResourceID)
	sp.Reason, sp.Owner = strings.TrimSpace(sp.Reason), strings.TrimSpace(sp.Owner)
	switch {
	case sp.RuleID == "":
		return sp, 0, errors.New("a suppression needs a rule")
	case sp.ResourceID == "":
		return sp, 0, errors.New(`a suppression needs a resource (or "*" for every resource of the rule)`)
	case sp.Reason == "":
		return sp, 0, errors.New("a suppression needs a reason")
	case sp.Owner == "":
		return sp, 0, errors.New("a suppression needs an owner")
	case !sp.Expires.IsZero() && !sp.Expires.After(now):
		return sp, 0, fmt.Errorf("the suppression would expire at %s, before now", sp.Expires.Format(timeFormat))
	}
	sp.Created = now.UTC().Truncate(time.Millisecond)
	var expires any
	if !sp.Expires.IsZero() {
		sp.Expires = sp.Expires.UTC().Truncate(time.Millisecond)
		expires = sp.Expires.UnixMilli()
	}
	tx, err := s.begin(ctx, lock{key: writersLock})
	if err != nil {
		return sp, 0, fmt.Errorf("history: %w", err)
	}
	defer tx.rollback(ctx)
	if err := tx.query(ctx, `INSERT INTO suppressions (source, rule_id, resource_id, reason, owner, expires_ms, created_ms)
VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, []any{sp.Source, sp.RuleID, sp.ResourceID, sp.Reason, sp.Owner, expires, sp.Created.UnixMilli()},
		func(scan func(...any) error) error { return scan(&sp.ID) }); err != nil {
		return sp, 0, fmt.Errorf("history: %w", err)
	}
	n, err := tx.exec(ctx, `UPDATE findings SET state = 'suppressed', suppress_reason = ?, suppress_owner = ?, suppress_expires_ms = ?
WHERE state IN ('new', 'open', 'reopened') AND rule_id = ? AND (? = '*' OR resource_id = ?) AND (? = '' OR source = ?)`,
		sp.Reason, sp.Owner, expires, sp.RuleID, sp.ResourceID, sp.ResourceID, sp.Source, sp.Source)
	if err != nil {
		return sp, 0, fmt.Errorf("history: %w", err)
	}
	if n > 0 {
		if err := recount(ctx, tx, sp.RuleID, sp.Source); err != nil {
			return sp, 0, fmt.Errorf("history: %w", err)
		}
	}
	return sp, int(n), tx.commit(ctx)
}

// Suppressions lists the stored suppressions, the expired ones too, oldest
// first.
func (s *Store) Suppressions(ctx context.Context) ([]Suppression, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, source, rule_id, resource_id, reason, owner, expires_ms, created_ms FROM suppressions ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("history: %w", err)
	}
	defer rows.Close()
	out := []Suppression{}
	for rows.Next() {
		var sp Suppression
		var expires *int64
		var created int64
		if err := rows.Scan(&sp.ID, &sp.Source, &sp.RuleID, &sp.ResourceID, &sp.Reason, &sp.Owner, &expires, &created); err != nil {
			return nil, fmt.Errorf("history: %w", err)
		}
		if expires != nil {
			sp.Expires = msTime(*expires)
		}
		sp.Created = msTime(created)
		out = append(out, sp)
	}
	return out, rows.Err()
}

// recount rewrites the finding_counts rows of one rule (in one source, or
// in every source for ""), from the findings (read through their rule
// index).
func recount(ctx context.Context, tx writeTx, rule, source string) error {
	if _, err := tx.exec(ctx, "DELETE FROM finding_counts WHERE rule_id = ? AND (? = '' OR source = ?)", rule, source, source); err != nil {
		return err
	}
	_, err := tx.exec(ctx, `INSERT INTO finding_counts (source, rule_id, provider, account, sev_rank, state, n)
SELECT source, rule_id, provider, account, sev_rank, state, COUNT(*) FROM findings WHERE rule_id = ? AND (? = '' OR source = ?)
GROUP BY source, rule_id, provider, account, sev_rank, state`, rule, source, source)
	return err
}
