// Command traceparallel prints, for each user region of a Go execution
// trace (vigil bench --trace FILE), how long it lasted and how many
// goroutines were running meanwhile: how much of an import stage kept
// both cores of a two-core machine busy, and where a stage ran on one.
//
//	go run ./scripts/traceparallel [-all] FILE
//
// The import's regions are "read" (each file's "parse" and each batch's
// "merge" within it), "finish" and "derive" (internal/inventory,
// internal/importer). Without -all the regions of which a run has more
// than one are summed ("parse", "merge"), and the merges that ran after
// the last parse ended (the serial tail of the read) are counted. The
// counts are the Go scheduler's: a goroutine is running while it holds a
// P, which on a loaded machine is not a core.
package main

import (
	"cmp"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"time"

	"golang.org/x/exp/trace"
)

type span struct {
	name       string
	start, end trace.Time
}

// step is a change of the number of running goroutines at a time.
type step struct {
	t trace.Time
	d int
}

func main() {
	all := flag.Bool("all", false, "print every region, not the sums of the repeated ones")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: traceparallel [-all] TRACE")
		os.Exit(2)
	}
	if err := run(flag.Arg(0), *all, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "traceparallel:", err)
		os.Exit(1)
	}
}

func run(path string, all bool, w io.Writer) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	r, err := trace.NewReader(f)
	if err != nil {
		return err
	}
	var steps []step
	var spans []span
	open := map[string][]trace.Time{} // by goroutine and region
	var first, last trace.Time
	for {
		ev, err := r.ReadEvent()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		if first == 0 {
			first = ev.Time()
		}
		last = ev.Time()
		switch ev.Kind() {
		case trace.EventStateTransition:
			st := ev.StateTransition()
			if st.Resource.Kind != trace.ResourceGoroutine {
				continue
			}
			from, to := st.Goroutine()
			switch {
			case from != trace.GoRunning && to == trace.GoRunning:
				steps = append(steps, step{ev.Time(), 1})
			case from == trace.GoRunning && to != trace.GoRunning:
				steps = append(steps, step{ev.Time(), -1})
			}
		case trace.EventRegionBegin:
			k := fmt.Sprint(ev.Goroutine(), "/", ev.Region().Type)
			open[k] = append(open[k], ev.Time())
		case trace.EventRegionEnd:
			k := fmt.Sprint(ev.Goroutine(), "/", ev.Region().Type)
			if s := open[k]; len(s) > 0 {
				spans = append(spans, span{ev.Region().Type, s[len(s)-1], ev.Time()})
				open[k] = s[:len(s)-1]
			}
		}
	}
	slices.SortStableFunc(steps, func(a, b step) int { return cmp.Compare(a.t, b.t) })
	slices.SortStableFunc(spans, func(a, b span) int { return cmp.Compare(a.start, b.start) })
	fmt.Fprintf(w, "%-8s %9s %9s  %s\n", "region", "start", "wall", "time with 0 / 1 / 2 / more goroutines running, mean running")
	line := func(name string, start trace.Time, wall time.Duration, at [4]time.Duration, busy float64) {
		pct := func(d time.Duration) float64 { return 100 * d.Seconds() / max(wall.Seconds(), 1e-9) }
		fmt.Fprintf(w, "%-8s %8.3fs %8.3fs  %5.1f%% %5.1f%% %5.1f%% %5.1f%%  %.2f\n", name, time.Duration(start-first).Seconds(), wall.Seconds(),
			pct(at[0]), pct(at[1]), pct(at[2]), pct(at[3]), busy/max(wall.Seconds(), 1e-9))
	}
	at, busy := running(steps, first, last)
	line("whole", first, time.Duration(last-first), at, busy)
	type sum struct {
		n     int
		start trace.Time
		wall  time.Duration
		at    [4]time.Duration
		busy  float64
	}
	sums := map[string]*sum{}
	var names []string
	count := map[string]int{}
	for _, s := range spans {
		count[s.name]++
	}
	var lastParse trace.Time
	for _, s := range spans {
		if s.name == "parse" {
			lastParse = max(lastParse, s.end)
		}
	}
	tail, tailWall := 0, time.Duration(0)
	for _, s := range spans {
		at, busy := running(steps, s.start, s.end)
		if s.name == "merge" && s.start >= lastParse && lastParse != 0 {
			tail++
			tailWall += time.Duration(s.end - s.start)
		}
		if all || count[s.name] == 1 {
			line(s.name, s.start, time.Duration(s.end-s.start), at, busy)
			continue
		}
		if sums[s.name] == nil {
			sums[s.name] = &sum{start: s.start}
			names = append(names, s.name)
		}
		x := sums[s.name]
		x.n++
		x.wall += time.Duration(s.end - s.start)
		for i := range at {
			x.at[i] += at[i]
		}
		x.busy += busy
	}
	for _, n := range names {
		x := sums[n]
		line(fmt.Sprintf("%s×%d", n, x.n), x.start, x.wall, x.at, x.busy)
	}
	if lastParse != 0 {
		fmt.Fprintf(w, "merges after the last parse ended: %d, %.3fs\n", tail, tailWall.Seconds())
	}
	return nil
}

// running is how long 0, 1, 2 and more goroutines were running between
// from and to, and the integral of their number (goroutine-seconds).
func running(steps []step, from, to trace.Time) (at [4]time.Duration, busy float64) {
	n := 0
	prev := from
	for _, s := range steps {
		if s.t > to {
			break
		}
		if s.t > prev {
			d := time.Duration(s.t - prev)
			at[min(max(n, 0), 3)] += d
			busy += float64(max(n, 0)) * d.Seconds()
			prev = s.t
		}
		n += s.d
	}
	if to > prev {
		d := time.Duration(to - prev)
		at[min(max(n, 0), 3)] += d
		busy += float64(max(n, 0)) * d.Seconds()
	}
	return at, busy
}
