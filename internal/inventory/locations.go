package inventory

import (
	"slices"
	"strings"

	"github.com/vigil-sec/vigil/internal/regions"
	"github.com/vigil-sec/vigil/internal/resource"
)

// dataClasses are the classes of data-bearing resources: every resource
// of one of them gets a data location (facts.data.locations) from its
// region. This is the one list; DataClasses returns it.
var dataClasses = []resource.Class{
	resource.ClassObjectStorage, // S3 bucket, storage account, GCS bucket
	resource.ClassDatabase,      // RDS, DynamoDB, Azure SQL, Cosmos DB, Cloud SQL...
	resource.ClassDisk,          // EBS volume, managed disk, persistent disk
	resource.ClassSnapshot,      // EBS snapshot, AMI, disk snapshot, image
	resource.ClassQueue,         // SQS, SNS, Service Bus, Event Hubs, Pub/Sub
	resource.ClassSecret,        // Secrets Manager, Key Vault secret, Secret Manager
	resource.ClassKeyVault,      // Azure Key Vault
	resource.ClassDataWarehouse, // Redshift, Synapse, BigQuery dataset
	resource.ClassBackupVault,   // AWS Backup, Recovery Services, Backup and DR vaults
}

// DataClasses returns the classes of data-bearing resources, in a stable
// order.
func DataClasses() []resource.Class { return slices.Clone(dataClasses) }

// DataBearing reports whether resources of class c hold data whose
// location governance checks.
func DataBearing(c resource.Class) bool { return slices.Contains(dataClasses, c) }

// locations completes facts.data.locations:
//
//   - a data-bearing resource (DataClasses) whose data facts have no
//     primary location gets one, its own region (none when the resource
//     has no region);
//   - every location gets the country and jurisdiction of its region from
//     the region table (package regions); a region the table does not know
//     keeps them empty (unknown, never guessed);
//   - a multi-region, dual-region or Azure geography (GCS EU, NAM4) is
//     followed by its member regions, each a location with the same path
//     and target, each region once (see places.fill).
//
// It is idempotent. The table is read once per distinct region, and new
// primary locations are carved from shared slabs, so a resource costs no
// allocation of its own unless it has a multi-region to expand.
func (d *deriver) locations() {
	var (
		p   places
		mem slab
	)
	for _, c := range dataClasses {
		for _, r := range d.byClass[c] {
			data := r.Facts.Data
			if r.Region != "" && !hasPrimary(data) {
				primary := mem.location(r.Region)
				if data == nil {
					data = mem.data()
					data.Locations = primary
					r.Facts.Data = data
				} else {
					// Replication paths without the resource's own place: it goes first.
					data.Locations = append(primary, data.Locations...)
				}
			}
			if data != nil {
				p.fill(r.Provider, data)
			}
		}
	}
	// Data facts a source set on a class outside the list.
	for c, rs := range d.byClass {
		if DataBearing(c) {
			continue
		}
		for _, r := range rs {
			if r.Facts.Data != nil {
				p.fill(r.Provider, r.Facts.Data)
			}
		}
	}
}

// copies records, on a snapshot or image another one was copied from
// (RelCopyOf) into another region, the copy's region as a place its data
// is in: PathImageCopy for an image, PathSnapshotCopy otherwise, with the
// copy as the target. A source missing from the inventory is left alone
// (the copy itself is judged by its own primary location).
func (d *deriver) copies() {
	for _, r := range d.byClass[resource.ClassSnapshot] {
		for _, t := range targets(r, resource.RelCopyOf) {
			src := d.resolve(r, t)
			if src == nil || src == r || src.Class != resource.ClassSnapshot || r.Region == "" || strings.EqualFold(src.Region, r.Region) {
				continue
			}
			path := resource.PathSnapshotCopy
			if f := r.Facts.Snapshot; f != nil && f.Kind == "image" {
				path = resource.PathImageCopy
			}
			src.AddDataLocation(r.Region, path, r.ID)
		}
	}
}

// slab hands out data facts and one-location slices from shared blocks.
type slab struct {
	datas []resource.Data
	locs  []resource.DataLocation
}

const slabSize = 1024

func (s *slab) data() *resource.Data {
	if len(s.datas) == cap(s.datas) {
		s.datas = make([]resource.Data, 0, slabSize)
	}
	s.datas = append(s.datas, resource.Data{})
	return &s.datas[len(s.datas)-1]
}

// location returns a primary location in region, in a slice of capacity
// one: appending to it copies, so resources never share locations.
func (s *slab) location(region string) []resource.DataLocation {
	if len(s.locs) == cap(s.locs) {
		s.locs = make([]resource.DataLocation, 0, slabSize)
	}
	s.locs = append(s.locs, resource.DataLocation{Region: region, Path: resource.LocationPrimary})
	n := len(s.locs)
	return s.locs[n-1 : n : n]
}

// place is what the region table says about one region of one provider.
type place struct {
	country, jurisdiction string
	members               []string
	found                 bool
}

type placeKey struct {
	provider resource.Provider
	region   string
}

// places memoizes region table lookups.
type places struct {
	cache   map[placeKey]place
	lastKey placeKey
	last    place
	ok      bool
}

func (p *places) get(provider resource.Provider, region string) place {
	k := placeKey{provider, region}
	if p.ok && p.lastKey == k {
		return p.last
	}
	pl, ok := p.cache[k]
	if !ok {
		if reg, found := regions.Lookup(string(provider), region); found {
			pl = place{country: reg.Country, jurisdiction: reg.Jurisdiction, members: reg.Members, found: true}
		}
		if p.cache == nil {
			p.cache = map[placeKey]place{}
		}
		p.cache[k] = pl
	}
	p.lastKey, p.last, p.ok = k, pl, true
	return pl
}

// fill sets the country and jurisdiction of data's locations and adds the
// members of its multi-regions. A member region is listed once: a
// replication path's multi-region is expanded before the primary one (the
// path then names how the data gets there: gcs-multi-region rather than
// primary), and a member any location already names is not repeated.
func (p *places) fill(provider resource.Provider, data *resource.Data) {
	n := len(data.Locations) // members appended below are complete
	multi := false
	for i := 0; i < n; i++ {
		l := &data.Locations[i]
		pl := p.get(provider, l.Region)
		if !pl.found {
			continue
		}
		l.Country, l.Jurisdiction = pl.country, pl.jurisdiction
		multi = multi || len(pl.members) > 0
	}
	if !multi {
		return
	}
	for _, primary := range []bool{false, true} {
		for i := 0; i < n; i++ {
			l := data.Locations[i]
			if (l.Path == resource.LocationPrimary) != primary {
				continue
			}
			pl := p.get(provider, l.Region)
			missing := 0
			for _, m := range pl.members {
				if !hasRegion(data.Locations, m) {
					missing++
				}
			}
			if missing == 0 {
				continue
			}
			data.Locations = slices.Grow(data.Locations, missing)
			for _, m := range pl.members {
				if hasRegion(data.Locations, m) {
					continue
				}
				mp := p.get(provider, m)
				data.Locations = append(data.Locations, resource.DataLocation{
					Region: m, Path: l.Path, Target: l.Target, Country: mp.country, Jurisdiction: mp.jurisdiction,
				})
			}
		}
	}
}

// hasPrimary reports whether data already names the resource's own place.
func hasPrimary(data *resource.Data) bool {
	if data == nil {
		return false
	}
	for _, l := range data.Locations {
		if l.Path == resource.LocationPrimary {
			return true
		}
	}
	return false
}

// hasRegion reports whether a location of locs is in region (as the
// table names it; regions.Lookup folds case, and member names are the
// table's).
func hasRegion(locs []resource.DataLocation, region string) bool {
	for _, l := range locs {
		if l.Region == region {
			return true
		}
	}
	return false
}
