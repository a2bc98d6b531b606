package gcp

import (
	"strings"

	"github.com/vigil-sec/vigil/internal/resource"
)

// CIS GCP 5.0 2.4: the Cloud Storage buckets log sinks export to keep
// their objects under a locked retention policy (Bucket Lock).

func init() {
	base := normalizers[TypeBucket]
	normalizers[TypeBucket] = func(f *file, r *resource.Resource, d, asset node) {
		base(f, r, d, asset)
		if s := r.Facts.Storage; s != nil && d.present() {
			switch rp, st := d.obj("retentionPolicy"); st {
			case absent:
				s.RetentionLocked = boolp(false)
			case ok:
				s.RetentionLocked = rp.flag("isLocked")
			}
		}
	}
}

// sinkBucketPrefix starts a log sink destination that is a Cloud Storage
// bucket (storage.googleapis.com/BUCKET).
const sinkBucketPrefix = "storage.googleapis.com/"

// finishLogBuckets sets each bucket's LogSinkDestination when the export
// holds log sinks: true for a bucket a sink (of a project, folder or
// organization) writes to; false for the others, unless a sink's
// destination could not be read.
func finishLogBuckets(all []*resource.Resource) {
	dests := map[string]bool{}
	sinks, unreadable := false, false
	for _, r := range all {
		if r.Provider != resource.GCP || r.Type != TypeLogSink {
			continue
		}
		sinks = true
		d := read(r)
		dest, st := d.str("destination")
		if !d.present() || st == bad {
			unreadable = true
			continue
		}
		if name, found := strings.CutPrefix(dest, sinkBucketPrefix); found {
			dests[strings.TrimSuffix(name, "/")] = true
		}
	}
	if !sinks {
		return
	}
	for _, r := range all {
		if r.Provider != resource.GCP || r.Type != TypeBucket || r.Facts.Storage == nil {
			continue
		}
		name := strings.TrimPrefix(r.ID, "//storage.googleapis.com/")
		switch {
		case dests[name]:
			r.Facts.Storage.LogSinkDestination = boolp(true)
		case !unreadable:
			r.Facts.Storage.LogSinkDestination = boolp(false)
		}
	}
}
