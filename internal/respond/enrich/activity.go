package enrich

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/vigil-sec/vigil/internal/lake"
	"github.com/vigil-sec/vigil/internal/respond"
)

// activity is enrich.activity.
type activity struct {
	readOnly
	opts Options
}

func (a *activity) Spec() respond.Spec {
	return respond.Spec{Name: "enrich.activity", Class: respond.Enrich, Reversible: true,
		Description: "a principal's recent activity in the audit-log lake (outputs events, failed, first, last, services, operations, source_ips, since)",
		Inputs: []respond.Input{
			{Name: "lake", Description: "the lake directory (default " + lake.DefaultDir + ")"},
			{Name: "principal", Description: "the actor's user uid or name (an ARN, a UPN, a service account; default: the subject's principal)"},
			{Name: "since", Description: "the window: a duration before now (24h, 90m, 7d) or an RFC 3339 time (default 24h)"},
			{Name: "max", Description: "how many services, operations and source IPs to name, most frequent first (default 10)"},
		}}
}

// since reads the window's start: a duration before now or a time.
func since(v string, now time.Time) (time.Time, error) {
	v = cmp.Or(v, "24h")
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t.UTC(), nil
	}
	if days, ok := strings.CutSuffix(v, "d"); ok {
		if n, err := strconv.Atoi(days); err == nil && n > 0 {
			return now.Add(-time.Duration(n) * 24 * time.Hour), nil
		}
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return time.Time{}, fmt.Errorf("%q is neither a positive duration (24h, 7d) nor an RFC 3339 time", v)
	}
	return now.Add(-d), nil
}

// Plan queries the lake (one read-only call) and returns what it found
// as outputs.
func (a *activity) Plan(ctx context.Context, env *respond.Env, req *respond.Request) (*respond.Change, error) {
	const name = "enrich.activity"
	principal := in(req, "principal")
	if principal == "" && req.Subject != nil {
		principal = req.Subject.Principal
	}
	if principal == "" {
		return nil, fmt.Errorf("%w: %s: input principal: none given and the subject has no principal", respond.ErrInput, name)
	}
	now := time.Now
	if a.opts.Now != nil {
		now = a.opts.Now
	}
	until := now().UTC()
	from, err := since(in(req, "since"), until)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: input since: %v", respond.ErrInput, name, err)
	}
	max, err := count(req, name, "max", 10)
	if err != nil {
		return nil, err
	}
	dir := cmp.Or(in(req, "lake"), lake.DefaultDir)
	// lake.Open creates a missing directory: a mistyped path must be an
	// error, not an empty lake.
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return nil, fmt.Errorf("%w: %s: input lake: %s is not a lake directory (vigil logs ingest --lake %s)", respond.ErrInput, name, dir, dir)
	}
	l, err := lake.Open(dir)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	var sum summary
	call := respond.Call{Service: "lake", Operation: "SELECT events", Target: dir, ReadOnly: true,
		Params: map[string]any{"principal": principal, "since": from.Format(time.RFC3339), "until": until.Format(time.RFC3339)}}
	err = env.Do(ctx, call, func(ctx context.Context) error {
		var err error
		sum, err = query(ctx, l, principal, from, until, max)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("%s: lake %s: %w", name, dir, err)
	}
	out := map[string]string{"events": strconv.Itoa(sum.events), "failed": strconv.Itoa(sum.failed), "first": sum.first, "last": sum.last,
		"services": strings.Join(sum.services, ", "), "operations": strings.Join(sum.operations, ", "),
		"source_ips": strings.Join(sum.ips, ", "), "since": from.Format(time.RFC3339)}
	reason := fmt.Sprintf("%d events by %s since %s", sum.events, principal, from.Format(time.RFC3339))
	if sum.events > 0 {
		reason += fmt.Sprintf(" (%d failed; services %s; from %s)", sum.failed, out["services"], out["source_ips"])
	}
	return change(name, principal, reason, out), nil
}

type summary struct {
	events, failed            int
	first, last               string
	services, operations, ips []string
}

// query reads the principal's events in [from, until] from the lake's
// events view (every source).
func query(ctx context.Context, l *lake.Lake, principal string, from, until time.Time, max int) (summary, error) {
	var s summary
	db, err := l.DB(ctx)
	if err != nil {
		return s, err
	}
	defer db.Close()
	const layout = "2006-01-02 15:04:05.000"
	const where = ` FROM events WHERE (lower(actor_user_uid) = lower($1) OR lower(actor_user_name) = lower($1))
		AND time >= CAST($2 AS TIMESTAMP) AND time <= CAST($3 AS TIMESTAMP)`
	args := []any{principal, from.UTC().Format(layout), until.UTC().Format(layout)}
	var first, last sql.NullTime
	err = db.QueryRowContext(ctx, `SELECT count(*), count(*) FILTER (WHERE status = 'Failure'), min(time), max(time)`+where, args...).
		Scan(&s.events, &s.failed, &first, &last)
	if err != nil {
		return s, err
	}
	if first.Valid {
		s.first, s.last = first.Time.UTC().Format(time.RFC3339), last.Time.UTC().Format(time.RFC3339)
	}
	top := func(col string) ([]string, error) {
		rows, err := db.QueryContext(ctx, `SELECT `+col+`, count(*) AS n`+where+` AND `+col+` IS NOT NULL AND `+col+` <> ''
			GROUP BY 1 ORDER BY n DESC, 1 LIMIT `+strconv.Itoa(max), args...)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var v string
			var n int
			if err := rows.Scan(&v, &n); err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, rows.Err()
	}
	if s.services, err = top("api_service"); err != nil {
		return s, err
	}
	if s.operations, err = top("api_operation"); err != nil {
		return s, err
	}
	s.ips, err = top("src_ip")
	return s, err
}
