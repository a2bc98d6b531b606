package iac

import (
	"context"
	"fmt"
	"strings"

	"github.com/vigil-sec/vigil/internal/source"
)

// Input is what Open found under the paths.
type Input struct {
	Tree *Tree
	// Sources are the readers' sources over the files they recognised.
	Sources []source.Source
	// Read counts the files each reader was given.
	Read map[string]int
	// Unrecognised lists the files no reader recognised.
	Unrecognised []string
	// Warnings are files left out of the walk or that could not be read.
	Warnings []string
}

// Open walks paths and assigns each file to its reader, returning the
// readers' sources: Scan wraps them with the ignore comments and evaluates
// the rules; a caller that only collects the resources (vigil drift) uses
// them as they are. When no file is an input of any reader the error wraps
// ErrNoInput and the Input is still returned; nil on a walk error.
func Open(ctx context.Context, paths []string, readers []Reader) (*Input, error) {
	if readers == nil {
		readers = Builtin(ReaderOptions{})
	}
	tree, err := Walk(paths)
	if err != nil {
		return nil, err
	}
	in := &Input{Tree: tree, Read: map[string]int{}}
	for _, s := range tree.Skipped {
		in.Warnings = append(in.Warnings, fmt.Sprintf("%s: skipped: %s", s.Path, s.Reason))
	}
	files, unrec, warns, err := dispatch(ctx, tree, readers)
	if err != nil {
		return nil, err
	}
	in.Warnings = append(in.Warnings, warns...)
	in.Unrecognised = unrec
	for i, r := range readers {
		if len(files[i]) == 0 {
			continue
		}
		in.Read[r.Name] += len(files[i])
		in.Sources = append(in.Sources, r.New(tree.Root, files[i]))
	}
	if len(in.Sources) == 0 {
		return in, fmt.Errorf("%w under %s: %d files, none a Terraform, CloudFormation, ARM, Kubernetes or Helm input",
			ErrNoInput, strings.Join(paths, ", "), len(unrec))
	}
	return in, nil
}
