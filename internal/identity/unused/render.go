package unused

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/vigil-sec/vigil/internal/identity/graph"
)

// ParseSince reads a window length: a Go duration (2160h, 90m) or a
// number of days or weeks (90d, 12w).
func ParseSince(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	for suffix, unit := range map[string]time.Duration{"d": 24 * time.Hour, "w": 7 * 24 * time.Hour} {
		if n, ok := strings.CutSuffix(s, suffix); ok {
			v, err := strconv.Atoi(n)
			if err != nil || v <= 0 {
				return 0, fmt.Errorf("bad duration %q: want a positive number of days (90d), weeks (12w) or a Go duration (2160h)", s)
			}
			return time.Duration(v) * unit, nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("bad duration %q: want a positive number of days (90d), weeks (12w) or a Go duration (2160h)", s)
	}
	return d, nil
}

// Formats are the output formats Write knows.
var Formats = []string{"text", "json"}

// Write writes the report as text or JSON.
func Write(w io.Writer, format string, r *Report) error {
	if format == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	}
	return writeText(w, r)
}

func stamp(t time.Time) string { return t.UTC().Format("2006-01-02 15:04Z") }

func writeText(w io.Writer, r *Report) error {
	b := &strings.Builder{}
	fmt.Fprintf(b, "window: %s .. %s (%s)\n", stamp(r.Window.Start), stamp(r.Window.End), days(r.Window.End.Sub(r.Window.Start)))
	if r.Logs != nil {
		fmt.Fprintf(b, "logs cover: %s .. %s (%s) in the inventory's accounts\n", stamp(r.Logs.Start), stamp(r.Logs.End), days(r.Logs.End.Sub(r.Logs.Start)))
	}
	for _, c := range r.Accounts {
		fmt.Fprintf(b, "  %s %s: %d events, %s .. %s\n", c.Provider, c.Account, c.Events, stamp(*c.First), stamp(*c.Last))
	}
	if len(r.NoLogs) > 0 {
		fmt.Fprintf(b, "no logs in the window (their principals are not called unused):\n")
		for _, c := range r.NoLogs {
			fmt.Fprintf(b, "  %s %s", c.Provider, c.Account)
			if c.Before != nil {
				fmt.Fprintf(b, " (logs end %s, before the window)", stamp(*c.Before))
			}
			b.WriteString("\n")
		}
	}
	var unused, admins, perms, keys []string
	noLogs := 0
	for i := range r.Principals {
		p := &r.Principals[i]
		switch p.Status {
		case NoLogs:
			noLogs++
			continue
		case Unused:
			unused = append(unused, fmt.Sprintf("  %s  %s  %s  holds: %s", p.ID, p.Kind, lastUse(p), holds(p)))
		}
		if p.AdminUse == AdminNone || p.AdminUse == AdminReadOnly {
			how := "not seen"
			if p.AdminUse == AdminReadOnly {
				how = "only read"
			}
			admins = append(admins, fmt.Sprintf("  %s  admin of %s  %s in the window", p.ID, strings.Join(p.AdminOf, ", "), how))
		}
		if p.Status == Used {
			if s := unusedPerms(p); s != "" {
				perms = append(perms, fmt.Sprintf("  %s  %s", p.ID, s))
			}
		}
		if s := keyLine(p); s != "" {
			keys = append(keys, "  "+p.ID+"  "+s)
		}
	}
	section := func(title string, lines []string) {
		fmt.Fprintf(b, "\n%s (%d)\n", title, len(lines))
		for _, l := range lines {
			b.WriteString(l + "\n")
		}
	}
	section("UNUSED PRINCIPALS: not seen in the window", unused)
	section("ADMINS NOT USING THEIR RIGHTS", admins)
	section("UNUSED PERMISSIONS of principals seen", perms)
	section("ACTIVE ACCESS KEYS NOT USED in the window (by the credential report's count)", keys)
	if noLogs > 0 {
		fmt.Fprintf(b, "\n%d principal(s) in accounts without logs: not judged\n", noLogs)
	}
	list := func(title string, ops []Operation, f func(Operation) string) {
		if len(ops) == 0 {
			return
		}
		fmt.Fprintf(b, "\n%s (%d)\n", title, len(ops))
		for i, op := range ops {
			if i == 10 {
				fmt.Fprintf(b, "  ... %d more (--format json lists them)\n", len(ops)-10)
				break
			}
			fmt.Fprintf(b, "  %s  %d calls, last %s\n", f(op), op.Count, stamp(op.Last))
		}
	}
	list("OPERATIONS NOT MAPPED TO A PERMISSION (not counted as any)", r.Unmapped, func(o Operation) string {
		return o.Provider + " " + o.Service + " " + o.Operation
	})
	list("ACTORS NOT IN THE INVENTORY", r.Strangers, func(o Operation) string { return o.Provider + " " + o.Actor })
	_, err := io.WriteString(w, b.String())
	return err
}

func days(d time.Duration) string {
	if d >= 24*time.Hour {
		return fmt.Sprintf("%.1f days", d.Hours()/24)
	}
	return d.Round(time.Minute).String()
}

func lastUse(p *Principal) string {
	if p.LastUsed == nil {
		return "never in the lake"
	}
	return "last used " + stamp(*p.LastUsed) + " (before the window)"
}

// holds summarises what a principal holds.
func holds(p *Principal) string {
	var parts []string
	if p.Kind == graph.AWSRoot {
		parts = append(parts, "the account's root user (every action)")
	}
	if p.GrantedActions > 0 {
		parts = append(parts, fmt.Sprintf("%d actions on %d services", p.GrantedActions, p.GrantedServices))
	}
	for i, g := range p.Grants {
		if i == 3 {
			parts = append(parts, fmt.Sprintf("%d more grants", len(p.Grants)-3))
			break
		}
		parts = append(parts, g.Role+" at "+g.Scope)
	}
	if p.Admin {
		parts = append(parts, "admin of "+strings.Join(p.AdminOf, ", "))
	}
	if len(parts) == 0 {
		return "nothing the inventory shows"
	}
	return strings.Join(parts, "; ")
}

// unusedPerms says what a principal seen did not use, "" when it used
// everything it holds.
func unusedPerms(p *Principal) string {
	var parts []string
	if svcs := p.UnusedServices(); len(svcs) > 0 {
		var used []string
		for _, s := range p.Services {
			if len(s.Used) > 0 {
				used = append(used, s.Service)
			}
		}
		names := make([]string, 0, 8)
		for i, s := range svcs {
			if i == 8 {
				names = append(names, fmt.Sprintf("... %d more", len(svcs)-8))
				break
			}
			names = append(names, s.Service)
		}
		parts = append(parts, fmt.Sprintf("granted %d actions on %d services, used %d actions on %d (%s); unused services: %s",
			p.GrantedActions, p.GrantedServices, p.UsedActions, p.UsedServices, strings.Join(used, ", "), strings.Join(names, ", ")))
	}
	for _, g := range p.UnusedGrants() {
		parts = append(parts, fmt.Sprintf("%s at %s unused", g.Role, g.Scope))
	}
	return strings.Join(parts, "; ")
}

// keyLine says how many of a user's active access keys signed no call in
// the window, "" when all did.
func keyLine(p *Principal) string {
	var seen []string
	for _, k := range p.AccessKeys {
		if k.Events > 0 {
			seen = append(seen, k.ID)
		}
	}
	if p.ActiveKeys <= len(seen) {
		return ""
	}
	s := fmt.Sprintf("%d active key(s), %d signed calls in the window", p.ActiveKeys, len(seen))
	if len(seen) > 0 {
		s += " (" + strings.Join(seen, ", ") + ")"
	}
	return s
}
