package collect

import (
	"cmp"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
)

// Kind says why a call failed.
type Kind string

const (
	// Denied: the identity lacks the permission (AccessDenied, 403).
	Denied Kind = "denied"
	// Throttled: the cloud kept answering "slow down" after the SDK's retries.
	Throttled Kind = "throttled"
	// Timeout: the per-call deadline passed.
	Timeout Kind = "timeout"
	// Unsupported: the endpoint does not implement the call (NotImplemented,
	// an API not enabled in the project, a region that does not offer it).
	Unsupported Kind = "unsupported"
	// PaginationLoop: the service returned a page token it had returned before.
	PaginationLoop Kind = "pagination-loop"
	// Credentials: no usable credentials, or expired ones.
	Credentials Kind = "credentials"
	// Failed: anything else (5xx after retries, a malformed response).
	Failed Kind = "failed"
)

// Failure is one call that did not give its data. Resource is the ID of
// the resource the call was about, as the importers give it (an ARN, an
// Azure resource ID, a CAI name), "" for a list call.
type Failure struct {
	Cloud    string `json:"cloud"`
	Account  string `json:"account,omitempty"` // AWS account, Azure subscription, GCP project or organization
	Region   string `json:"region,omitempty"`
	Service  string `json:"service"`
	Call     string `json:"call"` // the API operation: s3:GetBucketEncryption, Microsoft.Storage/storageAccounts/read
	Resource string `json:"resource,omitempty"`
	Kind     Kind   `json:"kind"`
	Err      string `json:"error"`
}

// String formats the failure for a terminal.
func (f Failure) String() string {
	s := f.Cloud
	for _, p := range []string{f.Account, f.Region} {
		if p != "" {
			s += " " + p
		}
	}
	s += ": " + f.Call
	if f.Resource != "" {
		s += " on " + f.Resource
	}
	return fmt.Sprintf("%s: %s: %s", s, f.Kind, f.Err)
}

// Recorder counts calls and keeps failures; safe for concurrent use. The
// zero value is ready.
type Recorder struct {
	calls    atomic.Int64
	inFlight atomic.Int64
	peak     atomic.Int64
	mu       sync.Mutex
	failures []Failure
	progress *Progress
}

// NewRecorder returns a recorder that also reports to p (nil: none).
func NewRecorder(p *Progress) *Recorder { return &Recorder{progress: p} }

// Call counts one API call that starts now; the returned func ends it.
// Collectors call it around each SDK operation (an SDK middleware does it
// for every attempt, retries included).
func (r *Recorder) Call() (done func()) {
	r.calls.Add(1)
	n := r.inFlight.Add(1)
	for {
		p := r.peak.Load()
		if n <= p || r.peak.CompareAndSwap(p, n) {
			break
		}
	}
	return func() { r.inFlight.Add(-1) }
}

// Fail records a failure.
func (r *Recorder) Fail(f Failure) {
	r.mu.Lock()
	r.failures = append(r.failures, f)
	r.mu.Unlock()
	if r.progress != nil {
		r.progress.failed()
	}
}

// Calls is the number of API calls made so far.
func (r *Recorder) Calls() int64 { return r.calls.Load() }

// PeakInFlight is the most calls that were in flight at once.
func (r *Recorder) PeakInFlight() int64 { return r.peak.Load() }

// Failures returns the failures sorted by cloud, account, region, service,
// call and resource.
func (r *Recorder) Failures() []Failure {
	r.mu.Lock()
	fs := slices.Clone(r.failures)
	r.mu.Unlock()
	slices.SortFunc(fs, func(a, b Failure) int {
		return cmp.Or(cmp.Compare(a.Cloud, b.Cloud), cmp.Compare(a.Account, b.Account), cmp.Compare(a.Region, b.Region),
			cmp.Compare(a.Service, b.Service), cmp.Compare(a.Call, b.Call), cmp.Compare(a.Resource, b.Resource), cmp.Compare(a.Err, b.Err))
	})
	return fs
}

// PageGuard detects a pagination loop: a service returning a page token
// it returned before. The zero value is ready; use one per listing.
type PageGuard struct{ seen map[string]bool }

// Loop reports whether token was seen before in this listing, and
// remembers it. An empty token (the last page) is never a loop.
func (g *PageGuard) Loop(token string) bool {
	if token == "" {
		return false
	}
	if g.seen == nil {
		g.seen = map[string]bool{}
	}
	if g.seen[token] {
		return true
	}
	g.seen[token] = true
	return false
}
