package inventory

import (
	"regexp"
	"strings"

	"github.com/vigil-sec/vigil/internal/resource"
)

// Dangling DNS records: dns.dangling_records of a zone whose records the
// inventory holds (dns.records), from typed data only (record names, types
// and targets; the target resources' provider, account, type, name and
// aliases).
//
// A CNAME or alias record whose target is a cloud-hosted name (an S3 bucket
// endpoint, an Elastic Beanstalk environment, an Azure web app, storage
// account, cloudapp or Traffic Manager name, a Cloud Storage bucket) points
// at a resource of one native type with one name. It dangles when the
// inventory does not hold that resource while it holds resources of that
// type for the zone's account (the export covers the type there, so the
// resource would be in it). When it holds none, whether the record dangles
// is unknown: the zone's fact stays unknown unless another record dangles.
// A zone whose records point at no cloud-hosted name has none (an empty
// list).
//
// Some names do not tell the resource's name: an Elastic Beanstalk CNAME
// prefix, a public IP's DNS label, a Traffic Manager relative name may all
// differ from the resource's name. For those, a resource is found by its
// name or by an alias equal to the host name, and a record is decided
// dangling only when the resources of that type for the account carry
// host-name aliases (so a missing one is evidence).

// hostKind is a family of cloud-hosted names.
type hostKind struct {
	provider resource.Provider
	// types are the native types (compared case-insensitively) of the
	// resources the names belong to.
	types []string
	// suffix ends every host name of the kind (for host-name aliases).
	suffix string
	// re matches a host name; its first group is the resource's name,
	// empty when the name is the record's own name.
	re *regexp.Regexp
	// byName: the resource's name is the one the host name carries, so
	// its absence from a covered inventory is decisive.
	byName bool
}

const awsRegion = `[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-[0-9]`

var hostKinds = []hostKind{
	// S3 website endpoints: <bucket>.s3-website-<region>.amazonaws.com,
	// <bucket>.s3-website.<region>.amazonaws.com; a Route 53 alias to a
	// website endpoint names only s3-website-<region>.amazonaws.com, the
	// bucket being the record's name.
	{resource.AWS, []string{"AWS::S3::Bucket"}, ".amazonaws.com",
		regexp.MustCompile(`^(?:(.+)\.)?s3-website[.-]` + awsRegion + `\.amazonaws\.com(?:\.cn)?$`), true},
	// S3 REST endpoints: <bucket>.s3.amazonaws.com, <bucket>.s3.<region>...,
	// <bucket>.s3-<region>..., <bucket>.s3.dualstack.<region>...
	{resource.AWS, []string{"AWS::S3::Bucket"}, ".amazonaws.com",
		regexp.MustCompile(`^(.+)\.s3(?:\.dualstack)?(?:[.-]` + awsRegion + `|-external-1)?\.amazonaws\.com(?:\.cn)?$`), true},
	// Elastic Beanstalk: <cname-prefix>[.<region>].elasticbeanstalk.com.
	{resource.AWS, []string{"AWS::ElasticBeanstalk::Environment"}, ".elasticbeanstalk.com",
		regexp.MustCompile(`^([a-z0-9-]+)\.(?:` + awsRegion + `\.)?elasticbeanstalk\.com$`), false},
	// Azure App Service: <app>.azurewebsites.net (a slot: <app>-<slot>).
	{resource.Azure, []string{"Microsoft.Web/sites", "Microsoft.Web/sites/slots"}, ".azurewebsites.net",
		regexp.MustCompile(`^([a-z0-9-]+)\.azurewebsites\.net$`), true},
	// Azure Storage: <account>.blob.core.windows.net, static websites
	// <account>.z<n>.web.core.windows.net.
	{resource.Azure, []string{"Microsoft.Storage/storageAccounts"}, ".core.windows.net",
		regexp.MustCompile(`^([a-z0-9]+)\.(?:blob|z[0-9]+\.web)\.core\.windows\.net$`), true},
	// Azure public IP DNS labels and classic cloud services:
	// <label>.<region>.cloudapp.azure.com, <name>.cloudapp.net.
	{resource.Azure, []string{"Microsoft.Network/publicIPAddresses", "Microsoft.ClassicCompute/domainNames"}, ".cloudapp.azure.com",
		regexp.MustCompile(`^([a-z0-9-]+)\.(?:[a-z0-9]+\.cloudapp\.azure\.com|cloudapp\.net)$`), false},
	// Azure Traffic Manager: <relative-name>.trafficmanager.net.
	{resource.Azure, []string{"Microsoft.Network/trafficManagerProfiles"}, ".trafficmanager.net",
		regexp.MustCompile(`^([a-z0-9-]+)\.trafficmanager\.net$`), false},
	// Cloud Storage: c.storage.googleapis.com (the bucket is the record's
	// name), <bucket>.storage.googleapis.com.
	{resource.GCP, []string{"storage.googleapis.com/Bucket"}, ".storage.googleapis.com",
		regexp.MustCompile(`^(?:c|(.+))\.storage\.googleapis\.com$`), true},
}

// hostedName is what a record's target names: a resource of a kind.
type hostedName struct {
	kind int
	name string // lower case
	host string // the target host name, lower case
}

// hostedTarget reports the cloud-hosted resource a record's target names,
// ok false when the target is not a cloud-hosted name. The name is empty
// when it cannot be told (a wildcard record whose name would be the
// resource's: every name under it is served by whoever claims it).
func hostedTarget(record, target string) (hostedName, bool) {
	target = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(target)), ".")
	record = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(record)), ".")
	target = strings.TrimPrefix(target, "dualstack.")
	for i, k := range hostKinds {
		m := k.re.FindStringSubmatch(target)
		if m == nil {
			continue
		}
		name := m[1]
		if name == "" {
			name = record
		}
		if strings.Contains(name, "*") {
			name = ""
		}
		return hostedName{kind: i, name: name, host: target}, true
	}
	return hostedName{}, false
}

// hostIndex holds, per host kind, the inventory's resources of its types:
// their names and host-name aliases, and the accounts it holds them for.
type hostIndex struct {
	names   []map[string]bool
	aliases []map[string]bool
	// accounts[kind][account]: resources of the kind held for the
	// account; true when one of them carries a host-name alias.
	accounts []map[string]bool
}

func newHostIndex(rs []*resource.Resource) *hostIndex {
	byType := map[string][]int{}
	for i, k := range hostKinds {
		for _, t := range k.types {
			byType[strings.ToLower(t)] = append(byType[strings.ToLower(t)], i)
		}
	}
	x := &hostIndex{names: make([]map[string]bool, len(hostKinds)), aliases: make([]map[string]bool, len(hostKinds)),
		accounts: make([]map[string]bool, len(hostKinds))}
	for i := range hostKinds {
		x.names[i], x.aliases[i], x.accounts[i] = map[string]bool{}, map[string]bool{}, map[string]bool{}
	}
	for _, r := range rs {
		kinds := byType[strings.ToLower(r.Type)]
		for _, i := range kinds {
			k := hostKinds[i]
			if r.Provider != k.provider {
				continue
			}
			name := strings.ToLower(r.Name)
			if strings.HasSuffix(strings.ToLower(r.Type), "/slots") {
				name = strings.ReplaceAll(name, "/", "-") // app/staging serves app-staging
			}
			if name != "" {
				x.names[i][name] = true
			}
			withAlias := false
			for _, a := range r.Aliases {
				if a = strings.ToLower(a); strings.HasSuffix(a, k.suffix) {
					x.aliases[i][a] = true
					withAlias = true
				}
			}
			if r.Account != "" {
				x.accounts[i][r.Account] = x.accounts[i][r.Account] || withAlias
			}
		}
	}
	return x
}

// dangles answers whether a hosted name of a record of zone z names a
// resource missing from the inventory: nil when the inventory cannot tell.
func (x *hostIndex) dangles(h hostedName, z *resource.Resource) *bool {
	k := hostKinds[h.kind]
	if (h.name != "" && x.names[h.kind][h.name]) || x.aliases[h.kind][h.host] {
		return resource.Bool(false)
	}
	aliased, covered := x.accounts[h.kind][z.Account]
	switch {
	case h.name == "":
		return nil
	case z.Provider != k.provider || z.Account == "" || !covered:
		return nil // the zone's account holds no resource of the type: not exported
	case !k.byName && !aliased:
		return nil // the name need not be the resource's, and no host names to compare
	}
	return resource.Bool(true)
}

// danglingRecords sets dns.dangling_records on every zone whose records the
// inventory holds and whose source did not say.
func (d *deriver) danglingRecords() {
	var x *hostIndex
	for _, z := range d.byClass[resource.ClassDNSZone] {
		f := z.Facts.DNS
		if f == nil || f.Records == nil || f.DanglingRecords != nil {
			continue
		}
		if x == nil {
			x = newHostIndex(d.all)
		}
		dangling, unknown := []string{}, false
		for _, rec := range f.Records {
			typ := strings.ToUpper(rec.Type)
			if typ != "CNAME" && !rec.Alias {
				continue
			}
			for _, t := range rec.Targets {
				h, ok := hostedTarget(rec.Name, t)
				if !ok {
					continue
				}
				switch v := x.dangles(h, z); {
				case v == nil:
					unknown = true
				case *v:
					kind := typ
					if rec.Alias {
						kind += " alias"
					}
					dangling = append(dangling, rec.Name+" "+kind+" "+h.host)
				}
			}
		}
		if len(dangling) == 0 && (unknown || d.doubtful(z)) {
			continue // no dangling record found, but not every one decided
		}
		f.DanglingRecords = dangling
	}
}
