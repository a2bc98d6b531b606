package history

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/vigil-sec/vigil/internal/ocsf"
)

// Alert is a detection alert as the history keeps it: the fields it is
// filtered by, and the OCSF Detection Finding itself (Data).
type Alert struct {
	UID      string          `json:"uid"`
	Time     time.Time       `json:"time"`
	Rank     int             `json:"severity_id"`
	Severity string          `json:"severity"`
	Rule     string          `json:"rule"`
	Title    string          `json:"title"`
	Cloud    string          `json:"cloud"`
	Account  string          `json:"account"`
	Actor    string          `json:"actor"`
	API      string          `json:"api"`
	Origin   string          `json:"origin"`
	Recorded time.Time       `json:"recorded"`
	Data     json.RawMessage `json:"data"`
}

// maxAlertLine bounds one alert's JSON.
const maxAlertLine = 8 << 20

// ParseAlert reads one OCSF Detection Finding (a line of vigil detect's
// output); origin says where it came from.
func ParseAlert(line []byte, origin string) (Alert, error) {
	var df ocsf.DetectionFinding
	if err := json.Unmarshal(line, &df); err != nil {
		return Alert{}, fmt.Errorf("not an OCSF Detection Finding: %w", err)
	}
	if df.ClassUID != ocsf.DetectionFindingClassUID || df.FindingInfo.UID == "" {
		return Alert{}, errors.New("not an OCSF Detection Finding (class 2004 with a finding_info.uid)")
	}
	a := Alert{UID: df.FindingInfo.UID, Time: msTime(df.Time), Rank: df.SeverityID,
		Severity: cmp.Or(df.Severity, ocsf.SeverityName(df.SeverityID)), Title: df.FindingInfo.Title, Origin: origin,
		Data: json.RawMessage(bytes.Clone(line))}
	if an := df.FindingInfo.Analytic; an != nil {
		a.Rule = cmp.Or(an.Name, an.UID)
	}
	if c := df.Cloud; c != nil {
		a.Cloud = c.Provider
		if c.Account != nil {
			a.Account = cmp.Or(c.Account.UID, c.Account.Name)
		}
	}
	if ac := df.Actor; ac != nil {
		if u := ac.User; u != nil {
			a.Actor = cmp.Or(u.UID, u.Name, u.EmailAddr)
		} else {
			a.Actor = cmp.Or(ac.AppName, ac.InvokedBy)
		}
	}
	if api := df.API; api != nil {
		a.API = api.Operation
		if api.Service != nil && api.Service.Name != "" {
			a.API = api.Service.Name + " " + a.API
		}
	}
	return a, nil
}

// ReadAlerts reads a JSON lines file of alerts (vigil detect --output),
// each line an OCSF Detection Finding; the lines that are not one are
// returned as problems (name:line: why), at most 20.
func ReadAlerts(r io.Reader, name string) (alerts []Alert, problems []string, err error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), maxAlertLine)
	line := 0
	for sc.Scan() {
		line++
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		a, err := ParseAlert(b, name)
		if err != nil {
			if len(problems) < 20 {
				problems = append(problems, fmt.Sprintf("%s:%d: %v", name, line, err))
			}
			continue
		}
		alerts = append(alerts, a)
	}
	if err := sc.Err(); err != nil {
		return alerts, problems, fmt.Errorf("%s:%d: %w", name, line+1, err)
	}
	return alerts, problems, nil
}

var alertCols = []string{"uid", "time_ms", "sev_rank", "severity", "rule", "title", "cloud", "account", "actor", "api", "origin", "recorded_ms", "data"}

// insertAlerts writes alerts not yet recorded (by uid).
func insertAlerts(ctx context.Context, tx writeTx, alerts []Alert, now time.Time) error {
	rows := make([][]any, 0, len(alerts))
	seen := make(map[string]bool, len(alerts))
	for _, a := range alerts {
		if seen[a.UID] {
			continue
		}
		seen[a.UID] = true
		rows = append(rows, []any{a.UID, a.Time.UnixMilli(), a.Rank, a.Severity, a.Rule, a.Title, a.Cloud, a.Account, a.Actor, a.API,
			a.Origin, now.UnixMilli(), string(a.Data)})
	}
	for len(rows) > 0 {
		n := min(len(rows), 1000)
		if err := tx.load(ctx, "alerts", alertCols, rows[:n], "ON CONFLICT (uid) DO NOTHING"); err != nil {
			return err
		}
		rows = rows[n:]
	}
	return nil
}

// RecordAlerts stores alerts the history does not hold yet (an alert
// recorded before, by its uid, is left as it is).
func (s *Store) RecordAlerts(ctx context.Context, alerts []Alert) error {
	if len(alerts) == 0 {
		return nil
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return fmt.Errorf("history: %w", err)
	}
	defer tx.rollback(ctx)
	if err := insertAlerts(ctx, tx, alerts, time.Now()); err != nil {
		return fmt.Errorf("history: alerts: %w", err)
	}
	return tx.commit(ctx)
}

// AlertQuery selects alerts; zero fields do not filter.
type AlertQuery struct {
	MinRank       int // severity_id and above
	Rule, Cloud   string
	Account       string
	Since, Until  time.Time // Since <= time < Until
	Limit, Offset int
}

// Alerts returns the alerts q selects, newest first, and how many it
// selects in all.
func (s *Store) Alerts(ctx context.Context, q AlertQuery) ([]Alert, int, error) {
	where := []string{"1 = 1"}
	var args []any
	add := func(cond string, v any) {
		where = append(where, cond)
		args = append(args, v)
	}
	if q.MinRank > 0 {
		add("sev_rank >= ?", q.MinRank)
	}
	if q.Rule != "" {
		add("rule = ?", q.Rule)
	}
	if q.Cloud != "" {
		add("cloud = ?", q.Cloud)
	}
	if q.Account != "" {
		add("account = ?", q.Account)
	}
	if !q.Since.IsZero() {
		add("time_ms >= ?", q.Since.UnixMilli())
	}
	if !q.Until.IsZero() {
		add("time_ms < ?", q.Until.UnixMilli())
	}
	cond := strings.Join(where, " AND ")
	var total int
	if err := s.db.QueryRowContext(ctx, s.rebind("SELECT COUNT(*) FROM alerts WHERE "+cond), args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("history: %w", err)
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 100
	}
	rows, err := s.db.QueryContext(ctx, s.rebind(alertSelect+"WHERE "+cond+" ORDER BY time_ms DESC, uid LIMIT ? OFFSET ?"), append(args, limit, q.Offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("history: %w", err)
	}
	defer rows.Close()
	out := []Alert{}
	for rows.Next() {
		a, err := scanAlert(rows.Scan)
		if err != nil {
			return nil, 0, fmt.Errorf("history: %w", err)
		}
		out = append(out, a)
	}
	return out, total, rows.Err()
}

// alertSelect reads the columns scanAlert scans.
const alertSelect = `SELECT uid, time_ms, sev_rank, severity, rule, title, cloud, account, actor, api, origin, recorded_ms, data FROM alerts `

func scanAlert(scan func(...any) error) (Alert, error) {
	var a Alert
	var at, rec int64
	var data string
	if err := scan(&a.UID, &at, &a.Rank, &a.Severity, &a.Rule, &a.Title, &a.Cloud, &a.Account, &a.Actor, &a.API, &a.Origin, &rec, &data); err != nil {
		return a, err
	}
	a.Time, a.Recorded, a.Data = msTime(at), msTime(rec), json.RawMessage(data)
	return a, nil
}

// AlertByUID returns one alert (ErrNotFound when absent).
func (s *Store) AlertByUID(ctx context.Context, uid string) (*Alert, error) {
	a, err := scanAlert(s.db.QueryRowContext(ctx, s.rebind(alertSelect+"WHERE uid = ?"), uid).Scan)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("history: %w", err)
	}
	return &a, nil
}
