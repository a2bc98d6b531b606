package arm

import (
	"bytes"
	"context"
	"github.com/vigil-sec/vigil/internal/iac/iacfile"
	"path"
	"path/filepath"
	"strings"

	"github.com/vigil-sec/vigil/internal/source"
)

// Format is the batches' format name.
const Format = "arm"

// DefaultMaxFileBytes is the largest template read when Options.MaxFileBytes
// is 0 (Azure accepts templates of at most 4 MB).
const DefaultMaxFileBytes = 20 << 20

// Detect reports whether the file at p (relative to the scanned root,
// slash-separated), whose first bytes are head (at most 8 KiB), is an ARM
// template: a .json or .jsonc file whose $schema names a deployment
// template, or that has "resources" and "contentVersion". Parameter files
// (deploymentParameters schema) are not templates.
func Detect(p string, head []byte) bool {
	switch strings.ToLower(path.Ext(p)) {
	case ".json", ".jsonc":
	default:
		return false
	}
	lower := bytes.ToLower(head)
	if bytes.Contains(lower, []byte("deploymentparameters.json")) {
		return false
	}
	if bytes.Contains(lower, []byte("deploymenttemplate.json")) {
		return true
	}
	return bytes.Contains(head, []byte(`"contentVersion"`)) && bytes.Contains(head, []byte(`"resources"`))
}

// Options are the reader's options; the zero value is usable.
type Options struct {
	// Parameters override the parameter values of every template (name ->
	// value as text: arrays and objects as JSON, booleans as true/false),
	// after the parameter files.
	Parameters map[string]string
	// ParameterFiles are deployment parameter files (paths as given, not
	// relative to the root) applied to every template after the file
	// beside each template (NAME.parameters.json beside NAME.json).
	ParameterFiles []string
	// SubscriptionID, ResourceGroup, Location and TenantID are the
	// deployment's context (subscription().subscriptionId,
	// resourceGroup().name and .location, tenant().tenantId); "" leaves
	// them unknown. SubscriptionID is also the resources' account.
	SubscriptionID, ResourceGroup, Location, TenantID string
	// MaxFileBytes: a larger file is reported and not read; 0 means
	// DefaultMaxFileBytes.
	MaxFileBytes int64
}

// New returns the source reading the template files (relative to root,
// slash-separated) under root, one batch per file.
func New(root string, files []string, opts Options) source.Source {
	return &reader{root: root, files: files, opts: opts}
}

type reader struct {
	root  string
	files []string
	opts  Options
}

func (r *reader) Name() string { return "arm" }

func (r *reader) Read(ctx context.Context, emit func(source.Batch) error) error {
	limit := r.opts.MaxFileBytes
	if limit <= 0 {
		limit = DefaultMaxFileBytes
	}
	shared, probs := r.loadParameterFiles(limit)
	for _, f := range r.files {
		if err := ctx.Err(); err != nil {
			return err
		}
		batch := source.Batch{Input: f, Format: Format, Problems: probs}
		probs = nil // the given parameter files' problems are reported once
		data, err := iacfile.Read(filepath.Join(r.root, filepath.FromSlash(f)), limit)
		if err != nil {
			batch.Problems = append(batch.Problems, source.Problem{Path: f, Err: err.Error()})
		} else {
			params := r.parametersFor(f, limit, &batch)
			params = append(params, shared...)
			Read(ctx, f, data, r.opts, params, &batch)
		}
		if err := emit(batch); err != nil {
			return err
		}
	}
	return nil
}
