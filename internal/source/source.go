package source

import (
	"context"
	"fmt"
	"strings"

	"github.com/vigil-sec/vigil/internal/resource"
)

// Source produces resources. Read calls emit once per batch (a file, an API
// page, an IaC module), from any number of goroutines only if the source
// documents it; the default is one goroutine. A Source reports problems with
// its input in the batches and returns an error only when it cannot go on
// (ctx cancelled, emit failed): the rest of a scan still runs on what was read.
type Source interface {
	// Name says what the source reads, for logs ("files", "terraform", "aws live").
	Name() string
	Read(ctx context.Context, emit func(Batch) error) error
}

// Batch is what one input of a source produced.
type Batch struct {
	// Input names the input: a file path, an API endpoint, a module.
	Input string
	// Format names the input's format ("aws-config", "terraform-plan"),
	// "" when the input was skipped or could not be read.
	Format    string
	Resources []*resource.Resource
	// Unsupported maps the ID of each resource the source read but does
	// not model to its native type; they are counted in the summary.
	Unsupported map[string]string
	Problems    []Problem
	// Skipped says why the input is not something the source reads (a
	// README beside the exports); "" when it was read.
	Skipped string
}

// Problem is an input problem located as precisely as the input allows:
// the file (or input), the line or byte offset, the resource and the field.
// The rest of the input is still read.
type Problem struct {
	// Path is the input the problem is in; a source may leave it empty in
	// a batch, whose Input it then is.
	Path   string `json:"path"`
	Line   int    `json:"line,omitempty"`   // 1-based, line-oriented inputs (NDJSON, CSV, IaC)
	Offset int64  `json:"offset,omitempty"` // byte offset in a JSON document
	// Resource and Field name the resource and the attribute a problem is
	// about (a field of the wrong type), when it is about one.
	Resource string `json:"resource,omitempty"`
	Field    string `json:"field,omitempty"`
	Err      string `json:"error"`
	// Warning marks a note about an input that was read (a Terraform
	// module from a registry, which is not fetched): reported, but not an
	// input error, so it does not change the exit status.
	Warning bool `json:"warning,omitempty"`
}

// Error formats the problem as path:line: resource: field: message,
// leaving out what the message already says.
func (p Problem) Error() string {
	var b strings.Builder
	b.WriteString(p.Path)
	switch {
	case p.Line > 0:
		fmt.Fprintf(&b, ":%d", p.Line)
	case p.Offset > 0:
		fmt.Fprintf(&b, ": at byte %d", p.Offset)
	}
	if p.Resource != "" && !strings.Contains(p.Err, p.Resource) {
		b.WriteString(": " + p.Resource)
	}
	if p.Field != "" && !strings.Contains(p.Err, p.Field) {
		b.WriteString(": " + p.Field)
	}
	b.WriteString(": " + p.Err)
	return b.String()
}

// Skipped is an input a source does not read, with the reason.
type Skipped struct {
	Path   string `json:"path"`
	Reason string `json:"reason"`
}

// Finisher is implemented by a source whose formats need the merged
// inventory to complete their own resources: attributing account-less
// outputs, joining child rows to their parents. It runs after every source
// has been read and merged, before provider-neutral derivation, over all
// resources (a finisher touches only what its formats produced) and returns
// resources to add and problems it found.
type Finisher interface {
	Finish(ctx context.Context, all []*resource.Resource) (added []*resource.Resource, problems []Problem)
}

// Sizer is implemented by a source that can tell, before Read, about how
// many resources it will emit (0 when it cannot): a hint the merge sizes
// its index by, instead of growing it (rehashing every ID) as batches come.
type Sizer interface {
	SizeHint() int
}

// Func adapts a function to a Source.
type Func struct {
	SourceName string
	ReadFunc   func(ctx context.Context, emit func(Batch) error) error
}

// Name returns the source's name.
func (f Func) Name() string { return f.SourceName }

// Read calls the function.
func (f Func) Read(ctx context.Context, emit func(Batch) error) error { return f.ReadFunc(ctx, emit) }

// Resources is a Source over resources already in memory, one batch.
func Resources(name string, rs []*resource.Resource) Source {
	return Func{SourceName: name, ReadFunc: func(ctx context.Context, emit func(Batch) error) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		return emit(Batch{Input: name, Format: name, Resources: rs})
	}}
}
