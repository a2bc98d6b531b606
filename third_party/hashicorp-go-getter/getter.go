// Package getter stands in for github.com/hashicorp/go-getter, which Syft
// and Grype import only to download: Grype's vulnerability database
// (listing and archive) and Syft's snaps from the Snap Store. vigil does
// neither (`vigil findings scan-image` reads a local Grype database and
// local or registry images, which go through go-containerregistry), yet
// linking the real module brings its Google Cloud Storage and S3 getters
// and through them gRPC's xDS, Envoy's protos and OpenTelemetry's SDK:
// about 190 packages whose initializers, type descriptors and itabs every
// vigil command paid for at start (docs/iac.md, "Start-up census").
//
// This module is put in go-getter's place by a replace directive in
// vigil's go.mod. It has the names those two importers use
// (grype/internal/file and syft/internal/file), and every download fails
// with ErrNotBuiltIn: nothing is fetched, nothing is decompressed.
package getter

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
)

// ErrNotBuiltIn is the error of every download.
var ErrNotBuiltIn = errors.New("downloading is not built into vigil (go-getter is replaced by a stand-in): give a local file")

// Getter downloads a URL into a destination.
type Getter interface {
	// Get downloads u into the directory dst.
	Get(dst string, u *url.URL) error
	// GetFile downloads u into the file dst.
	GetFile(dst string, u *url.URL) error
}

// HttpGetter is the HTTP(S) getter's configuration.
type HttpGetter struct {
	Client *http.Client
	Header http.Header
}

// Get fails: see ErrNotBuiltIn.
func (g *HttpGetter) Get(dst string, u *url.URL) error { return notBuiltIn(u) }

// GetFile fails: see ErrNotBuiltIn.
func (g *HttpGetter) GetFile(dst string, u *url.URL) error { return notBuiltIn(u) }

// FileGetter, GitGetter, GCSGetter, HgGetter and S3Getter are the other
// getters' names; each fails as HttpGetter does.
type (
	FileGetter struct{ HttpGetter }
	GitGetter  struct{ HttpGetter }
	GCSGetter  struct{ HttpGetter }
	HgGetter   struct{ HttpGetter }
	S3Getter   struct{ HttpGetter }
)

// Client is a download request.
type Client struct {
	Src, Dst string
	Dir      bool
	Getters  map[string]Getter
	Options  []ClientOption

	ProgressListener ProgressTracker
	Decompressors    map[string]Decompressor
}

// Get fails: see ErrNotBuiltIn.
func (c *Client) Get() error {
	return fmt.Errorf("getting %s: %w", c.Src, ErrNotBuiltIn)
}

func notBuiltIn(u *url.URL) error {
	return fmt.Errorf("getting %s: %w", u.Redacted(), ErrNotBuiltIn)
}

// ClientOption configures a Client.
type ClientOption func(*Client) error

// ProgressTracker tracks a download's progress.
type ProgressTracker interface {
	TrackProgress(src string, currentSize, totalSize int64, stream io.ReadCloser) io.ReadCloser
}

// WithProgress sets the client's progress tracker.
func WithProgress(pl ProgressTracker) func(*Client) error {
	return func(c *Client) error {
		c.ProgressListener = pl
		return nil
	}
}

// Decompressor unpacks a downloaded archive.
type Decompressor interface {
	Decompress(dst, src string, dir bool, umask os.FileMode) error
}

// WithDecompressors sets the client's decompressors.
func WithDecompressors(decompressors map[string]Decompressor) ClientOption {
	return func(c *Client) error {
		c.Decompressors = decompressors
		return nil
	}
}

// notDecompressed is every stand-in decompressor.
type notDecompressed struct{}

func (notDecompressed) Decompress(dst, src string, dir bool, umask os.FileMode) error {
	return fmt.Errorf("decompressing %s: %w", src, ErrNotBuiltIn)
}

// LimitedDecompressors returns go-getter's decompressors by extension (the
// extensions are go-getter's: Grype accepts a database archive URL by
// them); none decompresses.
func LimitedDecompressors(filesLimit int, fileSizeLimit int64) map[string]Decompressor {
	out := map[string]Decompressor{}
	for _, ext := range []string{"bz2", "gz", "xz", "tar", "tar.bz2", "tar.gz", "tar.xz", "tar.zst", "tbz2", "tgz", "txz", "tzst", "zip", "zst"} {
		out[ext] = notDecompressed{}
	}
	return out
}

// Decompressors are the decompressors by extension.
var Decompressors = LimitedDecompressors(0, 0)
