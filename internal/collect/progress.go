package collect

import (
	"fmt"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"
)

// Progress tracks units of collection work (a service in an account and
// region) and shows them: a line rewritten on a terminal, or a structured
// log record every interval otherwise. A nil *Progress does nothing.
type Progress struct {
	total, done, fails atomic.Int64
	w                  io.Writer // a terminal, or nil
	log                *slog.Logger
	stop               chan struct{}
	wg                 sync.WaitGroup
}

// NewProgress starts showing progress: on tty when it is not nil (stderr
// on a terminal), else as log records at info level every interval.
func NewProgress(tty io.Writer, log *slog.Logger, interval time.Duration) *Progress {
	p := &Progress{w: tty, log: log, stop: make(chan struct{})}
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-p.stop:
				return
			case <-t.C:
				p.show(false)
			}
		}
	}()
	return p
}

// Add announces n more units of work.
func (p *Progress) Add(n int) {
	if p != nil {
		p.total.Add(int64(n))
	}
}

// Done marks one unit finished.
func (p *Progress) Done() {
	if p != nil {
		p.done.Add(1)
	}
}

func (p *Progress) failed() {
	if p != nil {
		p.fails.Add(1)
	}
}

// Stop shows the final state and stops the display.
func (p *Progress) Stop() {
	if p == nil {
		return
	}
	close(p.stop)
	p.wg.Wait()
	p.show(true)
}

func (p *Progress) show(final bool) {
	done, total, fails := p.done.Load(), p.total.Load(), p.fails.Load()
	switch {
	case p.w != nil:
		end := ""
		if final {
			end = "\n"
		}
		fmt.Fprintf(p.w, "\rcollecting: %d/%d done, %d failed calls%s", done, total, fails, end)
	case p.log != nil:
		p.log.Info("collecting", "done", done, "total", total, "failed_calls", fails)
	}
}
