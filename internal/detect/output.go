package detect

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"time"

	"github.com/cenkalti/backoff/v5"
	"github.com/tidwall/gjson"

	"github.com/vigil-sec/vigil/internal/ocsf"
)

// Sink receives alerts. Write may buffer; Flush makes everything written so
// far durable (for a file: written and fsynced) before it returns.
type Sink interface {
	Write(ctx context.Context, a *Alert) error
	Flush(ctx context.Context) error
	Close() error
}

// JSONLSink writes one OCSF Detection Finding per line.
type JSONLSink struct {
	w    *bufio.Writer
	f    *os.File // nil for a plain writer
	sync bool
}

// NewJSONLWriter writes JSON lines to w (e.g. stdout). Flush flushes the
// buffer; it fsyncs only when w is a regular *os.File.
func NewJSONLWriter(w io.Writer) *JSONLSink {
	s := &JSONLSink{w: bufio.NewWriterSize(w, 64<<10)}
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
			s.f, s.sync = f, true
		}
	}
	return s
}

// OpenJSONLFile opens (creating, appending to) a JSON lines alert file.
// Close closes the file.
func OpenJSONLFile(path string) (*JSONLSink, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open alert output: %w", err)
	}
	s := &JSONLSink{w: bufio.NewWriterSize(f, 64<<10), f: f}
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
		s.sync = true // not for /dev/null, pipes, ...
	}
	return s, nil
}

// MarshalFinding encodes a's finding as one JSON line (no trailing newline),
// as goccy/go-json writes it with HTML escaping off (see appendFinding).
func MarshalFinding(a *Alert) ([]byte, error) {
	return marshalFinding(make([]byte, 0, findingSizeHint(&a.Finding)), a)
}

// marshalFinding is MarshalFinding appending to b.
func marshalFinding(b []byte, a *Alert) ([]byte, error) {
	var attacks []byte
	if at := a.Finding.FindingInfo.Attacks; a.Rule != nil && len(at) > 0 {
		// The rule's list, encoded once, when the finding still holds it.
		if ra := a.Rule.attackList(); len(ra) == len(at) && &ra[0] == &at[0] {
			attacks = a.Rule.attacksJSON()
		}
	}
	b, err := appendFinding(b, &a.Finding, attacks, a.made)
	if err != nil {
		return nil, fmt.Errorf("encode alert %s: %w", a.Finding.FindingInfo.UID, err)
	}
	return b, nil
}

// findingSizeHint is a first guess of the finding's encoded size: the
// raw event twice (raw_data escaped, evidence data) and room for the rest.
func findingSizeHint(f *ocsf.DetectionFinding) int {
	n := 2*len(f.RawData) + len(f.Unmapped) + 2048
	for i := range f.Evidences {
		n += len(f.Evidences[i].Data) + 256
	}
	return n
}

func (s *JSONLSink) Write(_ context.Context, a *Alert) error {
	if a.encoded == nil {
		if err := a.Encode(); err != nil {
			return err
		}
	}
	if _, err := s.w.Write(a.encoded); err != nil {
		return fmt.Errorf("write alert: %w", err)
	}
	if err := s.w.WriteByte('\n'); err != nil {
		return fmt.Errorf("write alert: %w", err)
	}
	return nil
}

func (s *JSONLSink) Flush(context.Context) error {
	if err := s.w.Flush(); err != nil {
		return fmt.Errorf("write alerts: %w", err)
	}
	if s.sync {
		if err := s.f.Sync(); err != nil {
			return fmt.Errorf("sync alerts: %w", err)
		}
	}
	return nil
}

func (s *JSONLSink) Close() error {
	err := s.Flush(context.Background())
	if s.f != nil && s.f != os.Stdout {
		if cerr := s.f.Close(); err == nil {
			err = cerr
		}
	}
	return err
}

// WebhookSink POSTs each alert (one OCSF Detection Finding, JSON) to a URL,
// retrying transport errors, 408, 429 and 5xx answers with exponential
// backoff (honouring Retry-After). Other 4xx answers are not retried.
type WebhookSink struct {
	URL    string
	Client *http.Client
	// MaxTries bounds the attempts per alert (default 6); InitialInterval and
	// MaxInterval shape the backoff (defaults 500ms and 30s).
	MaxTries        uint
	InitialInterval time.Duration
	MaxInterval     time.Duration
	// MaxElapsed bounds the time spent on one alert (default 2 minutes).
	MaxElapsed time.Duration
}

// NewWebhookSink returns a webhook sink with default retry settings.
func NewWebhookSink(url string) *WebhookSink {
	return &WebhookSink{URL: url, Client: &http.Client{Timeout: 30 * time.Second}}
}

func (s *WebhookSink) Write(ctx context.Context, a *Alert) error {
	body := a.encoded
	if body == nil {
		var err error
		if body, err = MarshalFinding(a); err != nil {
			return err
		}
	}
	bo := backoff.NewExponentialBackOff()
	bo.InitialInterval = orDur(s.InitialInterval, 500*time.Millisecond)
	bo.MaxInterval = orDur(s.MaxInterval, 30*time.Second)
	tries := s.MaxTries
	if tries == 0 {
		tries = 6
	}
	client := s.Client
	if client == nil {
		client = http.DefaultClient
	}
	attempt := 0
	_, err := backoff.Retry(ctx, func() (struct{}, error) {
		attempt++
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.URL, bytes.NewReader(body))
		if err != nil {
			return struct{}{}, backoff.Permanent(err)
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("User-Agent", "vigil-detect")
		req.Header.Set("Idempotency-Key", a.Finding.FindingInfo.UID)
		resp, err := client.Do(req)
		if err != nil {
			if ctx.Err() != nil {
				return struct{}{}, backoff.Permanent(ctx.Err())
			}
			return struct{}{}, err
		}
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
		switch {
		case resp.StatusCode >= 200 && resp.StatusCode < 300:
			return struct{}{}, nil
		case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusRequestTimeout || resp.StatusCode >= 500:
			if ra, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && ra > 0 && ra <= 300 {
				return struct{}{}, backoff.RetryAfter(ra)
			}
			return struct{}{}, fmt.Errorf("HTTP %s", resp.Status)
		default:
			return struct{}{}, backoff.Permanent(fmt.Errorf("HTTP %s", resp.Status))
		}
	}, backoff.WithBackOff(bo), backoff.WithMaxTries(tries), backoff.WithMaxElapsedTime(orDur(s.MaxElapsed, 2*time.Minute)))
	if err != nil {
		return fmt.Errorf("webhook %s: alert %s not delivered after %d attempt(s): %w", s.URL, a.Finding.FindingInfo.UID, attempt, err)
	}
	return nil
}

func (s *WebhookSink) Flush(context.Context) error { return nil }
func (s *WebhookSink) Close() error                { return nil }

func orDur(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

// MultiSink writes every alert to each sink in turn.
type MultiSink []Sink

func (m MultiSink) Write(ctx context.Context, a *Alert) error {
	var errs []error
	for _, s := range m {
		if err := s.Write(ctx, a); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func (m MultiSink) Flush(ctx context.Context) error {
	var errs []error
	for _, s := range m {
		errs = append(errs, s.Flush(ctx))
	}
	return errors.Join(errs...)
}

func (m MultiSink) Close() error {
	var errs []error
	for _, s := range m {
		errs = append(errs, s.Close())
	}
	return errors.Join(errs...)
}

// RepairJSONL truncates a partial last line (left by a kill mid-write) from
// an alert file and returns the file's size afterwards (0 if it does not
// exist).
func RepairJSONL(path string) (int64, error) {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("repair alert output: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return 0, fmt.Errorf("repair alert output: %w", err)
	}
	size := st.Size()
	// Scan back for the last newline.
	const chunk = 64 << 10
	end := size
	for end > 0 {
		start := max(end-chunk, 0)
		buf := make([]byte, end-start)
		if _, err := f.ReadAt(buf, start); err != nil && !errors.Is(err, io.EOF) {
			return 0, fmt.Errorf("repair alert output: %w", err)
		}
		if i := bytes.LastIndexByte(buf, '\n'); i >= 0 {
			keep := start + int64(i) + 1
			if keep != size {
				if err := f.Truncate(keep); err != nil {
					return 0, fmt.Errorf("repair alert output: %w", err)
				}
			}
			return keep, nil
		}
		end = start
	}
	if size != 0 {
		if err := f.Truncate(0); err != nil {
			return 0, fmt.Errorf("repair alert output: %w", err)
		}
	}
	return 0, nil
}

// AlertIDsSince returns the finding uids of the alert lines in path from byte
// offset from to the end: the alerts written after the last checkpoint.
func AlertIDsSince(path string, from int64) (map[string]bool, error) {
	ids := map[string]bool{}
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return ids, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read alert output: %w", err)
	}
	defer f.Close()
	if _, err := f.Seek(from, io.SeekStart); err != nil {
		return nil, fmt.Errorf("read alert output: %w", err)
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 1<<20), 256<<20)
	for sc.Scan() {
		if id := gjson.GetBytes(sc.Bytes(), "finding_info.uid").Str; id != "" {
			ids[id] = true
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read alert output %s: %w", path, err)
	}
	return ids, nil
}
