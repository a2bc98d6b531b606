package findings

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"
)

// Alert is what linking needs of a vigil detection alert (an OCSF
// Detection Finding as vigil detect writes it, one a line).
type Alert struct {
	UID        string
	Title      string
	Time       time.Time
	Principals []string
}

type ocsfUser struct {
	UID           string `json:"uid"`
	Name          string `json:"name"`
	EmailAddr     string `json:"email_addr"`
	CredentialUID string `json:"credential_uid"`
}

type ocsfActor struct {
	User *ocsfUser `json:"user"`
}

// ReadAlerts reads vigil detect's JSON lines; name is the input's name for
// errors, which give the line.
func ReadAlerts(r io.Reader, name string) ([]Alert, error) {
	var out []Alert
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 1<<20), 64<<20)
	for line := 1; sc.Scan(); line++ {
		b := sc.Bytes()
		if len(strings.TrimSpace(string(b))) == 0 {
			continue
		}
		var ev struct {
			Time        int64 `json:"time"`
			FindingInfo struct {
				UID   string `json:"uid"`
				Title string `json:"title"`
			} `json:"finding_info"`
			Actor     *ocsfActor `json:"actor"`
			Evidences []struct {
				Actor *ocsfActor `json:"actor"`
			} `json:"evidences"`
		}
		if err := json.Unmarshal(b, &ev); err != nil {
			return out, fmt.Errorf("%s: line %d: %w", name, line, err)
		}
		a := Alert{UID: ev.FindingInfo.UID, Title: ev.FindingInfo.Title, Time: time.UnixMilli(ev.Time).UTC()}
		actors := []*ocsfActor{ev.Actor}
		for _, e := range ev.Evidences {
			actors = append(actors, e.Actor)
		}
		for _, ac := range actors {
			if ac == nil || ac.User == nil {
				continue
			}
			for _, p := range []string{ac.User.UID, ac.User.EmailAddr, ac.User.CredentialUID} {
				if p != "" {
					a.Principals = append(a.Principals, p)
				}
			}
		}
		out = append(out, a)
	}
	return out, sc.Err()
}

// LinkAlerts links each threat finding to the alerts on one of its
// principals (compared without case) raised in the same hour as the
// finding's activity: from the hour of its first seen time to the end of
// the hour of its last seen time. It returns how many findings were
// linked.
func LinkAlerts(fs []Finding, alerts []Alert) int {
	byPrincipal := map[string][]int{}
	for i, a := range alerts {
		for _, p := range a.Principals {
			k := strings.ToLower(p)
			byPrincipal[k] = append(byPrincipal[k], i)
		}
	}
	n := 0
	for i := range fs {
		f := &fs[i]
		first, last := f.FirstSeen, f.LastSeen
		if first.IsZero() {
			first = last
		}
		if last.IsZero() {
			last = first
		}
		if first.IsZero() {
			continue
		}
		from, to := first.Truncate(time.Hour), last.Truncate(time.Hour).Add(time.Hour)
		seen := map[int]bool{}
		for _, p := range f.Principals {
			for _, ai := range byPrincipal[strings.ToLower(p)] {
				a := alerts[ai]
				if seen[ai] || a.Time.Before(from) || !a.Time.Before(to) {
					continue
				}
				seen[ai] = true
				f.LinkedAlerts = append(f.LinkedAlerts, a.UID)
			}
		}
		if len(f.LinkedAlerts) > 0 {
			n++
		}
	}
	return n
}
