package cloudformation

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
const Format = "cloudformation"

// Detect reports whether the file at path (relative to the scanned root,
// slash-separated), whose first bytes are head (at most 8 KiB), is a
// CloudFormation or SAM template: a .yaml, .yml, .json or .template file
// that names AWSTemplateFormatVersion, or has a Resources section with an
// AWS:: resource type. Kubernetes manifests (apiVersion and kind), ARM
// templates ($schema of a deployment template) and Terraform plans are not.
func Detect(p string, head []byte) bool {
	switch strings.ToLower(path.Ext(p)) {
	case ".yaml", ".yml", ".json", ".template":
	default:
		return false
	}
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")) // a UTF-8 byte order mark
	if bytes.Contains(head, []byte("deploymentTemplate.json")) || bytes.Contains(head, []byte(`"terraform_version"`)) ||
		bytes.Contains(head, []byte(`"format_version"`)) {
		return false
	}
	if bytes.Contains(head, []byte("AWSTemplateFormatVersion")) {
		return true
	}
	if bytes.Contains(head, []byte("AWS::Serverless-2016-10-31")) {
		return true
	}
	json := bytes.HasPrefix(bytes.TrimSpace(head), []byte("{"))
	if json {
		return bytes.Contains(head, []byte(`"Resources"`)) && bytes.Contains(head, []byte(`"Type"`)) &&
			bytes.Contains(head, []byte(`"AWS::`)) && !bytes.Contains(head, []byte(`"apiVersion"`))
	}
	resources, kube := false, false
	for line := range bytes.Lines(head) {
		switch {
		case bytes.HasPrefix(line, []byte("Resources:")):
			resources = true
		case bytes.HasPrefix(line, []byte("apiVersion:")), bytes.HasPrefix(line, []byte("kind:")):
			kube = true
		}
	}
	return resources && !kube && bytes.Contains(head, []byte("AWS::"))
}

// Options are the reader's options; the zero value is usable.
type Options struct {
	// Parameters override the templates' parameter defaults (name ->
	// value; list parameters comma-separated).
	Parameters map[string]string
	// Region, AccountID, Partition and StackName are the values of the
	// pseudo parameters AWS::Region, AWS::AccountId, AWS::Partition and
	// AWS::StackName; "" leaves them unknown. Region and AccountID are also
	// the resources' region and account.
	Region, AccountID, Partition, StackName string
	// MaxFileBytes: a larger file is reported and not read; 0 means
	// DefaultMaxFileBytes.
	MaxFileBytes int64

	// load reads a template of a nested stack (a path relative to the
	// scanned root); nil: nested stacks are not read.
	load func(file string) ([]byte, error)
}

// New returns the source reading the templates files (relative to root,
// slash-separated) under root, one batch per file.
func New(root string, files []string, opts Options) source.Source {
	return &reader{root: root, files: files, opts: opts}
}

type reader struct {
	root  string
	files []string
	opts  Options
}

func (r *reader) Name() string { return "cloudformation" }

func (r *reader) Read(ctx context.Context, emit func(source.Batch) error) error {
	limit := r.opts.MaxFileBytes
	if limit <= 0 {
		limit = DefaultMaxFileBytes
	}
	load := func(f string) ([]byte, error) {
		return iacfile.Read(filepath.Join(r.root, filepath.FromSlash(f)), limit)
	}
	// Templates deploying nested stacks are read first: the templates they
	// deploy are read in their batch, with the parameters they pass, and
	// not alone.
	opts := r.opts
	opts.load = load
	parents := map[string]*source.Batch{}
	nested := map[string]bool{}
	for _, f := range r.files {
		if err := ctx.Err(); err != nil {
			return err
		}
		data, err := load(f)
		if err != nil || !bytes.Contains(data, []byte("AWS::CloudFormation::Stack")) && !bytes.Contains(data, []byte("AWS::Serverless::Application")) {
			continue
		}
		batch := &source.Batch{Input: f, Format: Format}
		for _, n := range read(f, data, opts, nil, batch) {
			nested[n] = true
		}
		parents[f] = batch
	}
	for _, f := range r.files {
		if err := ctx.Err(); err != nil {
			return err
		}
		if nested[f] {
			continue
		}
		batch := parents[f]
		if batch == nil {
			batch = &source.Batch{Input: f, Format: Format}
			if data, err := load(f); err != nil {
				batch.Problems = append(batch.Problems, source.Problem{Path: f, Err: err.Error()})
			} else {
				read(f, data, opts, nil, batch)
			}
		}
		if err := emit(*batch); err != nil {
			return err
		}
	}
	return nil
}
