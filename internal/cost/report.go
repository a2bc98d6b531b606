package cost

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/vigil-sec/vigil/internal/lake"
)

// Line is one row of a spend breakdown. Share is the fraction of the
// total spend in the same currency.
type Line struct {
	Provider string  `json:"provider,omitempty"`
	Account  string  `json:"account,omitempty"`
	Service  string  `json:"service,omitempty"`
	Tag      string  `json:"tag,omitempty"`
	Class    string  `json:"class,omitempty"`
	Cost     float64 `json:"cost"`
	Currency string  `json:"currency"`
	Share    float64 `json:"share"`
}

// Report is the spend report of the cost view.
type Report struct {
	From          string   `json:"from"` // first and last day with spend
	To            string   `json:"to"`
	Rows          int64    `json:"rows"`
	Total         []Line   `json:"total"`
	ByProvider    []Line   `json:"by_provider"`
	ByAccount     []Line   `json:"by_account"`
	ByService     []Line   `json:"by_service"`
	ByTagKey      []Line   `json:"by_tag_key"` // spend of rows carrying each tag key
	Untagged      []Line   `json:"untagged"`   // spend of rows with no tags at all
	MissingTag    []Line   `json:"missing_required_tag,omitempty"`
	BySensitivity []Line   `json:"by_sensitivity,omitempty"`
	Security      []Line   `json:"security_services"`
	SecurityTotal []Line   `json:"security_total"`
	Notes         []string `json:"notes,omitempty"`
}

// ReportOptions tunes BuildReport.
type ReportOptions struct {
	From, To    time.Time // days to include (zero: no bound)
	RequireTags []string  // tag keys every charge should carry (case-insensitive)
	Inventory   *Inventory
	Top         int // lines per breakdown (0: 20); totals are never cut
}

// DB opens the lake's views (including cost).
func DB(ctx context.Context, lakeDir string) (*sql.DB, error) {
	return (&lake.Lake{Dir: lakeDir}).DB(ctx)
}

func dayFilter(from, to time.Time) (string, []any) {
	var conds []string
	var args []any
	if !from.IsZero() {
		conds = append(conds, "day >= ?")
		args = append(args, from.Format("2006-01-02"))
	}
	if !to.IsZero() {
		conds = append(conds, "day <= ?")
		args = append(args, to.Format("2006-01-02"))
	}
	if len(conds) == 0 {
		return "true", nil
	}
	return strings.Join(conds, " AND "), args
}

// BuildReport computes the spend report from the lake's cost view.
func BuildReport(ctx context.Context, db *sql.DB, opts ReportOptions) (*Report, error) {
	if opts.Top <= 0 {
		opts.Top = 20
	}
	where, args := dayFilter(opts.From, opts.To)
	rep := &Report{}
	var from, to sql.NullTime
	if err := db.QueryRowContext(ctx, "SELECT min(day), max(day), count(*) FROM cost WHERE "+where, args...).Scan(&from, &to, &rep.Rows); err != nil {
		return nil, fmt.Errorf("cost report: %w", err)
	}
	if rep.Rows == 0 {
		return rep, nil
	}
	rep.From, rep.To = from.Time.Format("2006-01-02"), to.Time.Format("2006-01-02")
	totals := map[string]float64{}
	q := func(sel, group string, set func(l *Line, keys []string), extraWhere string, top int) ([]Line, error) {
		w := where
		if extraWhere != "" {
			w += " AND " + extraWhere
		}
		s := fmt.Sprintf("SELECT %s, currency, sum(cost) AS c FROM cost WHERE %s GROUP BY %s, currency ORDER BY c DESC, %s", sel, w, group, group)
		if sel == "" {
			s = fmt.Sprintf("SELECT currency, sum(cost) AS c FROM cost WHERE %s GROUP BY currency ORDER BY c DESC", w)
		}
		gs, err := groupRows(ctx, db, s, args)
		if err != nil {
			return nil, err
		}
		out := make([]Line, 0, len(gs))
		for _, g := range gs {
			keys := g.keys[:len(g.keys)-1]
			l := Line{Currency: g.keys[len(g.keys)-1], Cost: round(g.cost)}
			set(&l, keys)
			out = append(out, l)
		}
		if top > 0 && len(out) > top {
			out = out[:top]
		}
		return out, nil
	}
	var err error
	if rep.Total, err = q("", "", func(*Line, []string) {}, "", 0); err != nil {
		return nil, err
	}
	for i := range rep.Total {
		totals[rep.Total[i].Currency] = rep.Total[i].Cost
	}
	share := func(ls []Line) []Line {
		for i := range ls {
			if t := totals[ls[i].Currency]; t != 0 {
				ls[i].Share = round4(ls[i].Cost / t)
			}
		}
		return ls
	}
	share(rep.Total)
	if rep.ByProvider, err = q("provider", "provider", func(l *Line, k []string) { l.Provider = k[0] }, "", 0); err != nil {
		return nil, err
	}
	if rep.ByAccount, err = q("provider, account", "provider, account", func(l *Line, k []string) { l.Provider, l.Account = k[0], k[1] }, "", opts.Top); err != nil {
		return nil, err
	}
	if rep.ByService, err = q("provider, service", "provider, service", func(l *Line, k []string) { l.Provider, l.Service = k[0], k[1] }, "", opts.Top); err != nil {
		return nil, err
	}
	// Tag keys: one line per key, the spend of the rows that carry it.
	if rep.ByTagKey, err = tagKeys(ctx, db, where, args, opts.Top); err != nil {
		return nil, err
	}
	if rep.Untagged, err = q("", "", func(*Line, []string) {}, "cardinality(tags) = 0", 0); err != nil {
		return nil, err
	}
	for _, t := range opts.RequireTags {
		ls, err := q("", "", func(l *Line, _ []string) { l.Tag = t }, "NOT list_contains(list_transform(map_keys(tags), x -> lower(x)), "+sqlQuote(strings.ToLower(t))+")", 0)
		if err != nil {
			return nil, err
		}
		for i := range ls {
			ls[i].Tag = t
		}
		rep.MissingTag = append(rep.MissingTag, ls...)
	}
	// Security services: matched in Go on the distinct services and SKUs.
	svc, err := groupRows(ctx, db, "SELECT provider, service, sku, currency, sum(cost) FROM cost WHERE "+where+" GROUP BY ALL", args)
	if err != nil {
		return nil, err
	}
	sec := map[[3]string]float64{}
	secTotal := map[string]float64{}
	for _, g := range svc {
		if name := SecurityServiceOf(g.keys[0], g.keys[1], g.keys[2]); name != "" {
			sec[[3]string{g.keys[0], name, g.keys[3]}] += g.cost
			secTotal[g.keys[3]] += g.cost
		}
	}
	for k, c := range sec {
		rep.Security = append(rep.Security, Line{Provider: k[0], Service: k[1], Currency: k[2], Cost: round(c)})
	}
	sortLines(rep.Security)
	for cur, c := range secTotal {
		rep.SecurityTotal = append(rep.SecurityTotal, Line{Currency: cur, Cost: round(c)})
	}
	sortLines(rep.SecurityTotal)
	if opts.Inventory != nil {
		res, err := groupRows(ctx, db, "SELECT provider, account, resource_id, currency, sum(cost) FROM cost WHERE "+where+" GROUP BY ALL", args)
		if err != nil {
			return nil, err
		}
		cls := map[[2]string]float64{}
		for _, g := range res {
			class := "(no resource id)"
			if g.keys[2] != "" {
				class = "(not in inventory)"
				if r, ok := opts.Inventory.Match(g.keys[0], g.keys[1], g.keys[2]); ok {
					class = opts.Inventory.Class(r)
				}
			}
			cls[[2]string{class, g.keys[3]}] += g.cost
		}
		for k, c := range cls {
			rep.BySensitivity = append(rep.BySensitivity, Line{Class: k[0], Currency: k[1], Cost: round(c)})
		}
		sortLines(rep.BySensitivity)
	} else {
		rep.Notes = append(rep.Notes, "spend by sensitivity class omitted: give --findings (a vigil scan --format json output) to join resource IDs with the inventory")
	}
	for _, ls := range [][]Line{rep.ByProvider, rep.ByAccount, rep.ByService, rep.ByTagKey, rep.Untagged, rep.MissingTag, rep.BySensitivity, rep.Security, rep.SecurityTotal} {
		share(ls)
	}
	if len(totals) > 1 {
		rep.Notes = append(rep.Notes, "several currencies: every line and share is per currency, never converted")
	}
	return rep, nil
}

func tagKeys(ctx context.Context, db *sql.DB, where string, args []any, top int) ([]Line, error) {
	gs, err := groupRows(ctx, db, "SELECT k, currency, sum(cost) FROM (SELECT unnest(map_keys(tags)) AS k, currency, cost FROM cost WHERE "+where+") GROUP BY ALL", args)
	if err != nil {
		return nil, err
	}
	var out []Line
	for _, g := range gs {
		out = append(out, Line{Tag: g.keys[0], Currency: g.keys[1], Cost: round(g.cost)})
	}
	sortLines(out)
	if len(out) > top {
		out = out[:top]
	}
	return out, nil
}

type group struct {
	keys []string
	cost float64
}

// groupRows runs a query whose last column is a sum and the others text.
func groupRows(ctx context.Context, db *sql.DB, query string, args []any) ([]group, error) {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("cost: %w", err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []group
	for rows.Next() {
		vals := make([]sql.NullString, len(cols)-1)
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		var c sql.NullFloat64
		ptrs[len(cols)-1] = &c
		if err := rows.Scan(ptrs...); err != nil {
			return nil, fmt.Errorf("cost: %w", err)
		}
		g := group{keys: make([]string, len(vals)), cost: c.Float64}
		for i := range vals {
			g.keys[i] = vals[i].String
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

func sortLines(ls []Line) {
	sort.SliceStable(ls, func(i, j int) bool {
		if ls[i].Cost != ls[j].Cost {
			return ls[i].Cost > ls[j].Cost
		}
		a := ls[i].Provider + ls[i].Account + ls[i].Service + ls[i].Tag + ls[i].Class + ls[i].Currency
		b := ls[j].Provider + ls[j].Account + ls[j].Service + ls[j].Tag + ls[j].Class + ls[j].Currency
		return a < b
	})
}

func sqlQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// round keeps amounts to 1/10000 of a currency unit, so reports do not
// change with the summing order of floating-point values.
func round(v float64) float64  { return math.Round(v*1e4) / 1e4 }
func round4(v float64) float64 { return math.Round(v*1e4) / 1e4 }
