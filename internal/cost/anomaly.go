package cost

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"sort"
	"time"
)

// AnomalyOptions tunes the anomaly detection (see Detect).
type AnomalyOptions struct {
	Window     int     // trailing days of the baseline (default 14)
	MinHistory int     // days of history needed before a day is judged (default 7)
	K          float64 // MADs above the median (default 5)
	MinDelta   float64 // smallest increase over the median that counts, in currency units (default 20)
	MinRatio   float64 // smallest day/median ratio that counts (default 1.5)
	From, To   time.Time
}

func (o *AnomalyOptions) defaults() {
	if o.Window <= 0 {
		o.Window = 14
	}
	if o.MinHistory <= 0 {
		o.MinHistory = 7
	}
	if o.K <= 0 {
		o.K = 5
	}
	if o.MinDelta <= 0 {
		o.MinDelta = 20
	}
	if o.MinRatio <= 0 {
		o.MinRatio = 1.5
	}
}

// Anomaly is a day whose spend on a service of an account departs from its
// trailing baseline.
type Anomaly struct {
	Provider  string  `json:"provider"`
	Account   string  `json:"account"`
	Service   string  `json:"service"`
	Category  string  `json:"service_category,omitempty"`
	Day       string  `json:"day"`
	Cost      float64 `json:"cost"`
	Baseline  float64 `json:"baseline"` // median of the trailing window
	MAD       float64 `json:"mad"`      // median absolute deviation of the window
	Threshold float64 `json:"threshold"`
	Currency  string  `json:"currency"`
	// Resources are the resources whose spend grew most that day against
	// their own median over the window (new resources included).
	Resources []ResourceDelta `json:"resources,omitempty"`
}

// ResourceDelta is a resource's spend on the anomaly day and its increase.
type ResourceDelta struct {
	ID       string  `json:"id"`
	Cost     float64 `json:"cost"`
	Increase float64 `json:"increase"`
}

type seriesKey struct{ provider, account, service, currency string }

// Detect finds spend anomalies in the cost view. For each (provider,
// account, service, currency) it builds the daily spend series (days without
// rows count as 0 between the series' first and last day) and flags a day d
// when, with m the median and MAD the median absolute deviation of the
// Window days before d (at least MinHistory of them):
//
//	cost(d) - m > max(K * 1.4826 * MAD, MinDelta)  and  cost(d) >= MinRatio * m
//
// 1.4826*MAD estimates the standard deviation robustly (one spike in the
// window moves neither m nor MAD), MinDelta keeps cent-level services quiet
// and MinRatio keeps big steady services from flagging on a few percent.
// Only increases are anomalies.
func Detect(ctx context.Context, db *sql.DB, opts AnomalyOptions) ([]Anomaly, error) {
	opts.defaults()
	gs, err := groupRows(ctx, db, "SELECT provider, account, service, currency, strftime(day, '%Y-%m-%d'), sum(cost) FROM cost GROUP BY ALL", nil)
	if err != nil {
		return nil, err
	}
	series := map[seriesKey]map[string]float64{}
	cats := map[seriesKey]string{}
	for _, g := range gs {
		k := seriesKey{g.keys[0], g.keys[1], g.keys[2], g.keys[3]}
		if series[k] == nil {
			series[k] = map[string]float64{}
			cats[k] = Category(k.provider, k.service)
		}
		series[k][g.keys[4]] += g.cost
	}
	var out []Anomaly
	for k, days := range series {
		for _, a := range detectSeries(days, opts) {
			a.Provider, a.Account, a.Service, a.Currency, a.Category = k.provider, k.account, k.service, k.currency, cats[k]
			out = append(out, a)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Day != b.Day {
			return a.Day < b.Day
		}
		return a.Provider+a.Account+a.Service < b.Provider+b.Account+b.Service
	})
	for i := range out {
		if out[i].Resources, err = resourceDeltas(ctx, db, &out[i], opts.Window); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// detectSeries applies the rule to one daily series (day -> cost).
func detectSeries(byDay map[string]float64, opts AnomalyOptions) []Anomaly {
	if len(byDay) == 0 {
		return nil
	}
	var first, last time.Time
	for d := range byDay {
		t, err := time.Parse("2006-01-02", d)
		if err != nil {
			continue
		}
		if first.IsZero() || t.Before(first) {
			first = t
		}
		if t.After(last) {
			last = t
		}
	}
	var vals []float64
	var days []string
	for t := first; !t.After(last); t = t.AddDate(0, 0, 1) {
		d := t.Format("2006-01-02")
		days = append(days, d)
		vals = append(vals, byDay[d])
	}
	var out []Anomaly
	for i := range vals {
		if i < opts.MinHistory {
			continue
		}
		t, _ := time.Parse("2006-01-02", days[i])
		if (!opts.From.IsZero() && t.Before(opts.From)) || (!opts.To.IsZero() && t.After(opts.To)) {
			continue
		}
		win := vals[max(0, i-opts.Window):i]
		m := median(win)
		dev := make([]float64, len(win))
		for j, v := range win {
			dev[j] = math.Abs(v - m)
		}
		mad := median(dev)
		thr := m + math.Max(opts.K*1.4826*mad, opts.MinDelta)
		if x := vals[i]; x > thr && x >= opts.MinRatio*m {
			out = append(out, Anomaly{Day: days[i], Cost: round(x), Baseline: round(m), MAD: round(mad), Threshold: round(thr)})
		}
	}
	return out
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// resourceDeltas lists the (up to 5) resources of an anomaly's series whose
// spend that day exceeds their median over the window most.
func resourceDeltas(ctx context.Context, db *sql.DB, a *Anomaly, window int) ([]ResourceDelta, error) {
	day, _ := time.Parse("2006-01-02", a.Day)
	start := day.AddDate(0, 0, -window).Format("2006-01-02")
	gs, err := groupRows(ctx, db, "SELECT resource_id, strftime(day, '%Y-%m-%d'), sum(cost) FROM cost WHERE provider = ? AND account = ? AND service = ? AND currency = ? AND day >= ? AND day <= ? AND resource_id <> '' GROUP BY ALL",
		[]any{a.Provider, a.Account, a.Service, a.Currency, start, a.Day})
	if err != nil {
		return nil, fmt.Errorf("cost anomalies: %w", err)
	}
	per := map[string]map[string]float64{}
	for _, g := range gs {
		if per[g.keys[0]] == nil {
			per[g.keys[0]] = map[string]float64{}
		}
		per[g.keys[0]][g.keys[1]] += g.cost
	}
	var out []ResourceDelta
	for id, days := range per {
		var hist []float64
		for t := day.AddDate(0, 0, -window); t.Before(day); t = t.AddDate(0, 0, 1) {
			hist = append(hist, days[t.Format("2006-01-02")])
		}
		today := days[a.Day]
		// A resource counts when it explains at least a tenth of the excess.
		if inc := today - median(hist); inc > 0 && today > 0 && inc >= 0.1*(a.Cost-a.Baseline) {
			out = append(out, ResourceDelta{ID: id, Cost: round(today), Increase: round(inc)})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Increase != out[j].Increase {
			return out[i].Increase > out[j].Increase
		}
		return out[i].ID < out[j].ID
	})
	if len(out) > 5 {
		out = out[:5]
	}
	return out, nil
}
