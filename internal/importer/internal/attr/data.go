package attr

import (
	"strings"

	"github.com/vigil-sec/vigil/internal/resource"
)

// Replicate records that a replication path copies r's data to region
// (as the cloud names it; "" when the source cannot tell and derivation
// may) through path (a resource.DataLocation Path such as
// "s3-replication"), into target when the path names a destination
// resource. The same (region, path, target) is recorded once; a path
// with neither region nor target says nothing and is dropped.
func Replicate(r *resource.Resource, region, path, target string) {
	region = strings.TrimSpace(region)
	if region == "" && target == "" {
		return
	}
	r.AddDataLocation(region, path, target)
}
