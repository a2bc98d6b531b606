package live

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/vigil-sec/vigil/internal/collect"
	awscollect "github.com/vigil-sec/vigil/internal/collect/aws"
	azurecollect "github.com/vigil-sec/vigil/internal/collect/azure"
	gcpcollect "github.com/vigil-sec/vigil/internal/collect/gcp"
)

// SummaryFile is the name, under the output root, of the summary of a
// collection: what was collected, how many calls, every failed call. The
// importer skips it (it is not a cloud export).
const SummaryFile = "vigil-collect-summary.json"

// Options says which clouds to collect and how; a nil cloud is not collected.
type Options struct {
	AWS   *awscollect.Options
	Azure *azurecollect.Options
	GCP   *gcpcollect.Options
	// Progress shows the work as it goes (nil: nothing shown).
	Progress *collect.Progress
}

// Summary is the record of one collection.
type Summary struct {
	Started      time.Time         `json:"started"`
	Seconds      float64           `json:"seconds"`
	Calls        int64             `json:"api_calls"`
	PeakInFlight int64             `json:"peak_calls_in_flight"`
	Clouds       []Cloud           `json:"clouds"`
	Failures     []collect.Failure `json:"failed_calls"`
}

// Cloud is one cloud's outcome: Error is why it could not be collected at
// all (no credentials), "" when it was (perhaps with failed calls).
type Cloud struct {
	Name  string `json:"name"`
	Error string `json:"error,omitempty"`
}

// Failed reports whether a cloud could not be collected at all.
func (s *Summary) Failed() bool {
	for _, c := range s.Clouds {
		if c.Error != "" {
			return true
		}
	}
	return false
}

// Reached reports whether at least one cloud could be collected.
func (s *Summary) Reached() bool {
	for _, c := range s.Clouds {
		if c.Error == "" {
			return true
		}
	}
	return false
}

// Collect runs the requested clouds' collectors concurrently into sink and
// writes the summary there too. A cloud that cannot be collected (no
// credentials, nothing visible) is recorded in the summary and the others
// go on; the error is only for a cancelled context or a sink that cannot
// be written.
func Collect(ctx context.Context, opts Options, sink collect.Sink) (*Summary, error) {
	start := time.Now()
	rec := collect.NewRecorder(opts.Progress)
	type run struct {
		name string
		fn   func() error
	}
	var runs []run
	if opts.AWS != nil {
		runs = append(runs, run{"aws", func() error { return awscollect.Collect(ctx, *opts.AWS, sink, rec, opts.Progress) }})
	}
	if opts.Azure != nil {
		runs = append(runs, run{"azure", func() error { return azurecollect.Collect(ctx, *opts.Azure, sink, rec, opts.Progress) }})
	}
	if opts.GCP != nil {
		runs = append(runs, run{"gcp", func() error { return gcpcollect.Collect(ctx, *opts.GCP, sink, rec, opts.Progress) }})
	}
	clouds := make([]Cloud, len(runs))
	var wg sync.WaitGroup
	for i, r := range runs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			clouds[i].Name = r.name
			if err := r.fn(); err != nil {
				clouds[i].Error = err.Error()
			}
		}()
	}
	wg.Wait()
	opts.Progress.Stop()
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("collecting: %w", err)
	}
	s := &Summary{
		Started: start.UTC(), Seconds: time.Since(start).Seconds(), Calls: rec.Calls(), PeakInFlight: rec.PeakInFlight(),
		Clouds: clouds, Failures: rec.Failures(),
	}
	if s.Failures == nil {
		s.Failures = []collect.Failure{}
	}
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := sink.Write(ctx, SummaryFile, append(b, '\n')); err != nil {
		return nil, err
	}
	return s, nil
}
