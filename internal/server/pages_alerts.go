package server

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/vigil-sec/vigil/internal/ocsf"
)

// Bounds of the alerts page: what is read of the alert files, and what is
// shown of one matched event.
const (
	maxAlerts     = 20_000
	maxAlertLine  = 8 << 20
	maxAlertBytes = 256 << 20
	maxEventShown = 8 << 10
)

// alertView is one alert as the timeline shows it.
type alertView struct {
	Time     time.Time
	Severity string // OCSF caption
	Rank     int    // severity_id
	Title    string
	Rule     string
	Actor    string
	API      string
	Cloud    string
	Message  string
	Events   []eventView
	File     string
}

// eventView is one matched event: who did what from where, and the event
// itself (indented JSON, cut at maxEventShown).
type eventView struct {
	Actor, API, Source string
	Data               string
	Cut                bool
}

// alertFiles lists the JSON lines files of the configured alert paths.
func (s *Server) alertFiles() []string {
	var out []string
	for _, p := range s.ws.cfg.Alerts {
		st, err := os.Stat(p)
		if err != nil {
			continue
		}
		if !st.IsDir() {
			out = append(out, p)
			continue
		}
		filepath.WalkDir(p, func(q string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && (strings.HasSuffix(q, ".jsonl") || strings.HasSuffix(q, ".ndjson")) {
				out = append(out, q)
			}
			return nil
		})
	}
	return out
}

// readAlerts reads the OCSF Detection Findings that vigil detect wrote,
// up to maxAlerts (the rest counted), with the lines that are not one.
func (s *Server) readAlerts(ctx context.Context) (alerts []alertView, more int, problems []string) {
	var read int64
	for _, name := range s.alertFiles() {
		f, err := os.Open(name)
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 64<<10), maxAlertLine)
		line := 0
		for sc.Scan() {
			line++
			read += int64(len(sc.Bytes()))
			if ctx.Err() != nil || read > maxAlertBytes {
				break
			}
			b := bytes.TrimSpace(sc.Bytes())
			if len(b) == 0 {
				continue
			}
			var df ocsf.DetectionFinding
			if err := json.Unmarshal(b, &df); err != nil || df.ClassUID != 2004 {
				if len(problems) < 20 {
					problems = append(problems, fmt.Sprintf("%s:%d: not an OCSF Detection Finding", name, line))
				}
				continue
			}
			if len(alerts) == maxAlerts {
				more++
				continue
			}
			alerts = append(alerts, alertOf(&df, name))
		}
		if err := sc.Err(); err != nil {
			problems = append(problems, fmt.Sprintf("%s:%d: %v", name, line+1, err))
		}
		f.Close()
		if read > maxAlertBytes {
			problems = append(problems, fmt.Sprintf("only the first %d MiB of alerts are read", maxAlertBytes>>20))
			break
		}
	}
	return alerts, more, problems
}

func alertOf(df *ocsf.DetectionFinding, file string) alertView {
	a := alertView{Time: time.UnixMilli(df.Time).UTC(), Severity: cmpOr(df.Severity, ocsf.SeverityName(df.SeverityID)), Rank: df.SeverityID,
		Title: df.FindingInfo.Title, Message: df.Message, Actor: actorText(df.Actor), API: apiText(df.API), File: filepath.Base(file)}
	if an := df.FindingInfo.Analytic; an != nil {
		a.Rule = cmpOr(an.Name, an.UID)
	}
	if c := df.Cloud; c != nil {
		a.Cloud = c.Provider
		if c.Account != nil {
			a.Cloud += " " + cmpOr(c.Account.UID, c.Account.Name)
		}
		if c.Region != "" {
			a.Cloud += " " + c.Region
		}
	}
	for _, ev := range df.Evidences {
		e := eventView{Actor: actorText(ev.Actor), API: apiText(ev.API)}
		if ep := ev.SrcEndpoint; ep != nil {
			e.Source = strings.TrimSpace(ep.IP + " " + ep.Domain + " " + ep.Hostname)
		}
		if len(ev.Data) > 0 {
			var buf bytes.Buffer
			if json.Indent(&buf, ev.Data, "", "  ") != nil {
				buf.Reset()
				buf.Write(ev.Data)
			}
			e.Data = buf.String()
			if len(e.Data) > maxEventShown {
				e.Data, e.Cut = strings.ToValidUTF8(e.Data[:maxEventShown], ""), true
			}
		}
		a.Events = append(a.Events, e)
	}
	return a
}

func actorText(a *ocsf.Actor) string {
	if a == nil {
		return ""
	}
	if u := a.User; u != nil {
		return cmpOr(u.UID, cmpOr(u.Name, u.EmailAddr))
	}
	return cmpOr(a.AppName, a.InvokedBy)
}

func apiText(a *ocsf.API) string {
	if a == nil {
		return ""
	}
	s := a.Operation
	if a.Service != nil && a.Service.Name != "" {
		s = a.Service.Name + " " + s
	}
	if a.Response != nil && a.Response.Error != "" {
		s += " (" + a.Response.Error + ")"
	}
	return s
}

// dayGroup is one day of the timeline.
type dayGroup struct {
	Day    string
	Alerts []alertView
}

// alertsPage is the timeline of detection alerts, newest first, grouped by
// day, each with its matched events; a summary per rule lists the worst
// first. ?min= keeps alerts of that severity and above, ?rule= one rule.
func (s *Server) alertsPage(w http.ResponseWriter, r *http.Request, p *principal) {
	q := r.URL.Query()
	minSev, rule := q.Get("min"), q.Get("rule")
	sevs := []string{"Critical", "High", "Medium", "Low", "Informational"}
	minRank := 0
	if minSev != "" {
		i := slices.Index(sevs, minSev)
		if i < 0 {
			s.errorPage(w, r, p, http.StatusBadRequest, "min: want one of "+strings.Join(sevs, ", "))
			return
		}
		minRank = 5 - i
	}
	v := map[string]any{"Configured": len(s.ws.cfg.Alerts) > 0, "Paths": s.ws.cfg.Alerts, "Min": minSev, "Rule": rule, "Sevs": sevs}
	if len(s.ws.cfg.Alerts) == 0 {
		s.render(w, r, p, http.StatusOK, "alerts", "Alerts", v)
		return
	}
	all, more, problems := s.readAlerts(r.Context())
	type ruleCount struct {
		Rule, Worst string
		Rank, Count int
		Last        time.Time
	}
	byRule := map[string]*ruleCount{}
	var shown []alertView
	for _, a := range all {
		rc := byRule[a.Rule]
		if rc == nil {
			rc = &ruleCount{Rule: a.Rule}
			byRule[a.Rule] = rc
		}
		rc.Count++
		if a.Rank > rc.Rank {
			rc.Rank, rc.Worst = a.Rank, a.Severity
		}
		if a.Time.After(rc.Last) {
			rc.Last = a.Time
		}
		if a.Rank >= minRank && (rule == "" || a.Rule == rule) {
			shown = append(shown, a)
		}
	}
	var rules []ruleCount
	for _, rc := range byRule {
		rules = append(rules, *rc)
	}
	slices.SortFunc(rules, func(a, b ruleCount) int {
		if d := b.Rank - a.Rank; d != 0 {
			return d
		}
		if d := b.Count - a.Count; d != 0 {
			return d
		}
		return strings.Compare(a.Rule, b.Rule)
	})
	// Newest first; at one time, the worst first.
	slices.SortStableFunc(shown, func(a, b alertView) int {
		if c := b.Time.Compare(a.Time); c != 0 {
			return c
		}
		return b.Rank - a.Rank
	})
	total := len(shown)
	shown = shown[:min(len(shown), maxListed)]
	var days []dayGroup
	for _, a := range shown {
		d := a.Time.Format("2006-01-02")
		if len(days) == 0 || days[len(days)-1].Day != d {
			days = append(days, dayGroup{Day: d})
		}
		days[len(days)-1].Alerts = append(days[len(days)-1].Alerts, a)
	}
	v["Days"], v["Rules"], v["Total"], v["All"], v["More"], v["Problems"] = days, rules, total, len(all), more, problems
	s.render(w, r, p, http.StatusOK, "alerts", "Alerts", v)
}
