package logs

import (
	"fmt"

	"github.com/vigil-sec/vigil/internal/ocsf"
)

// Normalize maps a record to its OCSF 1.8.0 event with the normalizer of its
// source. The error names no position; callers add the record's File/Line.
func Normalize(r Record) (ocsf.Event, error) {
	d, ok := DescriptorOf(r)
	if !ok {
		return nil, fmt.Errorf("no normalizer for source %q", r.Source)
	}
	return d.Normalize(r.Raw)
}
