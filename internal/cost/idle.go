package cost

import (
	"context"
	"database/sql"
	"sort"
	"strings"

	"github.com/vigil-sec/vigil/internal/resource"
)

// activityKeys are normalized SKU/usage-type fragments of charges that only
// exist when a resource is used: data transfer, requests, operations,
// invocations, queries. Capacity charges (instance hours, GB-months stored,
// node hours) accrue whether or not anything uses the resource.
var activityKeys = []string{
	"datatransfer", "dataxfer", "bandwidth", "egress", "transferout", "outbound", "request", "operation",
	"invocation", "gbsecond", "getobject", "putobject", "classa", "classb", "apicall", "query", "readcapacity",
	"writecapacity", "iorequest", "lbcu", "lcuusage", "processedbytes",
}

// IsActivity reports whether a charge's SKU is a usage-driven charge.
func IsActivity(sku string) bool {
	n := norm(sku)
	for _, k := range activityKeys {
		if strings.Contains(n, k) {
			return true
		}
	}
	return false
}

// IdleExposed is a publicly exposed resource that costs money but shows no
// use.
type IdleExposed struct {
	Resource     resource.Ref `json:"resource"`
	Rules        []string     `json:"rules"` // the failed exposure rules
	Cost         float64      `json:"cost"`
	Currency     string       `json:"currency"`
	ActivityCost float64      `json:"activity_cost"`
	Days         int          `json:"days"`
	BilledAs     []string     `json:"billed_as"` // the billing resource IDs matched
}

// IdleOptions tunes FindIdleExposed.
type IdleOptions struct {
	// MaxActivityShare is the largest share of a resource's spend in
	// activity charges for it to count as idle (default 0.01).
	MaxActivityShare float64
	DayFilter        ReportOptions // From and To only
}

// FindIdleExposed ranks by spend the resources that (1) have a failed
// finding of category "exposure" in the inventory (public access, open
// firewall, public IP, public snapshot...), (2) are billed in the cost view
// (matched as Inventory.Match says), and (3) look idle: at most
// MaxActivityShare of their spend is activity charges (IsActivity), so what
// they cost is capacity kept for nobody - storage, snapshots, provisioned
// instances without traffic.
func FindIdleExposed(ctx context.Context, db *sql.DB, inv *Inventory, opts IdleOptions) ([]IdleExposed, error) {
	if opts.MaxActivityShare <= 0 {
		opts.MaxActivityShare = 0.01
	}
	exposed := map[string][]string{} // lowercased resource ID -> rules
	for _, f := range inv.Findings {
		if f.Status != "FAIL" || f.Suppressed != nil || f.Category != "exposure" {
			continue
		}
		id := strings.ToLower(f.Resource.ID)
		if !contains(exposed[id], f.RuleID) {
			exposed[id] = append(exposed[id], f.RuleID)
		}
	}
	where, args := dayFilter(opts.DayFilter.From, opts.DayFilter.To)
	gs, err := groupRows(ctx, db, "SELECT provider, account, resource_id, sku, currency, CAST(count(DISTINCT day) AS VARCHAR), sum(cost) FROM cost WHERE resource_id <> '' AND "+where+" GROUP BY provider, account, resource_id, sku, currency", args)
	if err != nil {
		return nil, err
	}
	type acc struct {
		IdleExposed
		days map[string]bool
	}
	byRes := map[string]*acc{}
	for _, g := range gs {
		ref, ok := inv.Match(g.keys[0], g.keys[1], g.keys[2])
		if !ok {
			continue
		}
		id := strings.ToLower(ref.ID)
		rules, ok := exposed[id]
		if !ok {
			continue
		}
		k := id + "|" + g.keys[4]
		a := byRes[k]
		if a == nil {
			a = &acc{IdleExposed: IdleExposed{Resource: ref, Rules: rules, Currency: g.keys[4]}}
			byRes[k] = a
		}
		a.Cost += g.cost
		if IsActivity(g.keys[3]) {
			a.ActivityCost += g.cost
		}
		if !contains(a.BilledAs, g.keys[2]) {
			a.BilledAs = append(a.BilledAs, g.keys[2])
		}
		if n := atoi(g.keys[5]); n > a.Days {
			a.Days = n
		}
	}
	var out []IdleExposed
	for _, a := range byRes {
		if a.Cost <= 0 || a.ActivityCost > opts.MaxActivityShare*a.Cost {
			continue
		}
		a.Cost, a.ActivityCost = round(a.Cost), round(a.ActivityCost)
		sort.Strings(a.Rules)
		sort.Strings(a.BilledAs)
		out = append(out, a.IdleExposed)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Cost != out[j].Cost {
			return out[i].Cost > out[j].Cost
		}
		return out[i].Resource.ID < out[j].Resource.ID
	})
	return out, nil
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			return n
		}
		n = n*10 + int(c-'0')
	}
	return n
}
