package logs

import (
	"fmt"

	"github.com/vigil-sec/vigil/internal/ocsf"
)

// Normalize maps a record to its OCSF 1.8.0 event with the normalizer of its
// source, raw_data a copy of the record's Raw. The error names no position;
// callers add the record's File/Line.
func Normalize(r Record) (ocsf.Event, error) {
	ev, err := NormalizeWithoutRaw(r)
	if err != nil {
		return nil, err
	}
	if b := ev.Common(); b.RawData == "" {
		b.RawData = string(r.Raw)
	}
	return ev, nil
}

// NormalizeWithoutRaw is Normalize for a caller that keeps the original
// event itself (the lake stores it in a column of its own): raw_data is
// left empty unless the source's normalizer sets it, which saves copying
// every event.
func NormalizeWithoutRaw(r Record) (ocsf.Event, error) {
	d, ok := DescriptorOf(r)
	if !ok {
		return nil, fmt.Errorf("no normalizer for source %q", r.Source)
	}
	return d.Normalize(r.Raw)
}
