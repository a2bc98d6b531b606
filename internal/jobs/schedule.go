package jobs

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	"github.com/robfig/cron/v3"
	"gopkg.in/yaml.v3"
)

// Schedule is a schedule file: the sources to scan and when (see
// docs/jobs.md).
//
//	sources:
//	  - name: prod-aws            # the history source of its runs
//	    path: exports/prod/aws    # an export folder (relative to the file)
//	    accounts: ["111122223333", "444455556666"]   # one job per account (optional)
//	    region: eu-west-1         # keep one region (optional)
//	    every: 6h                 # an interval (Go duration, at least 1m) ...
//	  - name: gcp
//	    path: exports/gcp
//	    cron: "30 2 * * *"        # ... or a cron expression (5 fields, or @daily, @every 2h)
//	    run_on_start: true        # also once when the schedule starts
type Schedule struct {
	Sources []ScheduledSource `yaml:"sources"`
}

// ScheduledSource is one source of a schedule.
type ScheduledSource struct {
	Name       string   `yaml:"name"`
	Path       string   `yaml:"path"`
	Accounts   []string `yaml:"accounts"`
	Region     string   `yaml:"region"`
	Every      string   `yaml:"every"`
	Cron       string   `yaml:"cron"`
	RunOnStart bool     `yaml:"run_on_start"`

	schedule river.PeriodicSchedule
}

// MinInterval is the shortest interval a schedule takes.
const MinInterval = time.Minute

// LoadSchedule reads a schedule file; relative paths in it are taken from
// the file's directory.
func LoadSchedule(path string) (*Schedule, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	s, err := ParseSchedule(b, filepath.Dir(path))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

// ParseSchedule reads a schedule (YAML, or JSON, which is YAML too);
// relative source paths are joined to dir.
func ParseSchedule(data []byte, dir string) (*Schedule, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var s Schedule
	if err := dec.Decode(&s); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("empty schedule: list the sources to scan under sources:")
		}
		return nil, err
	}
	if len(s.Sources) == 0 {
		return nil, errors.New("no sources: list the sources to scan under sources:")
	}
	names := map[string]bool{}
	for i := range s.Sources {
		src := &s.Sources[i]
		where := fmt.Sprintf("source %d", i+1)
		if src.Name != "" {
			where += " (" + src.Name + ")"
		}
		if src.Path == "" {
			return nil, fmt.Errorf("%s: path is required (an export folder)", where)
		}
		if !filepath.IsAbs(src.Path) && dir != "" {
			src.Path = filepath.Join(dir, src.Path)
		}
		if src.Name == "" {
			src.Name = src.Path
		}
		if names[src.Name] {
			return nil, fmt.Errorf("%s: two sources are named %q", where, src.Name)
		}
		names[src.Name] = true
		switch {
		case src.Every != "" && src.Cron != "":
			return nil, fmt.Errorf("%s: give every or cron, not both", where)
		case src.Every != "":
			d, err := time.ParseDuration(src.Every)
			if err != nil {
				return nil, fmt.Errorf("%s: every: %w", where, err)
			}
			if d < MinInterval {
				return nil, fmt.Errorf("%s: every %s is shorter than %s", where, d, MinInterval)
			}
			src.schedule = river.PeriodicInterval(d)
		case src.Cron != "":
			cs, err := cron.ParseStandard(src.Cron)
			if err != nil {
				return nil, fmt.Errorf("%s: cron %q: %w", where, src.Cron, err)
			}
			src.schedule = cs
		default:
			return nil, fmt.Errorf("%s: give when to scan: every (e.g. 6h) or cron (e.g. \"0 3 * * *\")", where)
		}
		seen := map[string]bool{}
		for _, a := range src.Accounts {
			if strings.TrimSpace(a) == "" || seen[a] {
				return nil, fmt.Errorf("%s: accounts: empty or repeated account %q", where, a)
			}
			seen[a] = true
		}
	}
	return &s, nil
}

// Jobs returns the scan jobs one tick of the source enqueues: one per
// account, or one for the whole source.
func (src *ScheduledSource) Jobs() []ScanArgs {
	if len(src.Accounts) == 0 {
		return []ScanArgs{{Path: src.Path, Source: src.Name, Region: src.Region}}
	}
	out := make([]ScanArgs, 0, len(src.Accounts))
	for _, a := range src.Accounts {
		out = append(out, ScanArgs{Path: src.Path, Source: src.Name + "#" + a, Account: a, Region: src.Region})
	}
	return out
}

// scheduledUnique keeps a scheduled scan from being enqueued again while
// the last one is still waiting or running (scans slower than their
// interval, or a new leader's run on start).
var scheduledUnique = river.UniqueOpts{ByArgs: true, ByState: []rivertype.JobState{
	rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRetryable,
	rivertype.JobStateRunning, rivertype.JobStateScheduled,
}}

// periodicJobs are River's periodic jobs of the schedule, and their names.
func (s *Schedule) periodicJobs() ([]*river.PeriodicJob, []string) {
	var out []*river.PeriodicJob
	var names []string
	for i := range s.Sources {
		src := &s.Sources[i]
		when := "every " + src.Every
		if src.Cron != "" {
			when = "cron " + src.Cron
		}
		for _, a := range src.Jobs() {
			args := a
			out = append(out, river.NewPeriodicJob(src.schedule, func() (river.JobArgs, *river.InsertOpts) {
				return args, &river.InsertOpts{UniqueOpts: scheduledUnique}
			}, &river.PeriodicJobOpts{RunOnStart: src.RunOnStart}))
			names = append(names, args.Source+" ("+when+")")
		}
	}
	return out, names
}
