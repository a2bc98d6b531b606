package gcp

import (
	"sort"
	"strings"

	"github.com/vigil-sec/vigil/internal/resource"
)

// More facts of CIS GCP 5.0: API keys (1.13-1.16) and Cloud DNS logging
// per VPC network (2.13).

// Cloud Asset types read for them (class other).
const (
	TypeAPIKey    = "apikeys.googleapis.com/Key"
	TypeDNSPolicy = "dns.googleapis.com/Policy"
	typeDNSZone   = "dns.googleapis.com/ManagedZone"
)

func init() {
	normalizers[TypeAPIKey] = func(_ *file, _ *resource.Resource, d, _ node) { apiKey(d) }
	normalizers[TypeDNSPolicy] = func(_ *file, _ *resource.Resource, d, _ node) { dnsPolicy(d) }
}

// cis5KeepsRaw lists the assets whose data finishCIS5 reads.
func cis5KeepsRaw(typ string) bool {
	return typ == TypeAPIKey || typ == TypeDNSPolicy || typ == TypeService || typ == TypeAccessApproval ||
		typ == TypeAccessPolicy || typ == TypeServicePerimeter || typ == TypeDLPDiscovery
}

// apiKey reads an API key (the API Keys API's Key): its creation time and
// whether it is restricted to some APIs (restrictions.apiTargets) and to
// some callers (browser referrers, server IPs, Android or iOS apps). good
// is false when a field it depends on has the wrong type; deleted is true
// for a key deleted (and restorable for 30 days).
func apiKey(d node) (k resource.APIKey, good, deleted bool) {
	before := d.c.count()
	k.Name = d.s("displayName")
	if k.Name == "" {
		k.Name = d.s("name")
		if i := strings.LastIndex(k.Name, "/"); i >= 0 {
			k.Name = k.Name[i+1:]
		}
	}
	k.Created = d.s("createTime")
	rs, _ := d.obj("restrictions")
	targets, _ := rs.objs("apiTargets")
	for _, t := range targets {
		if t.s("service") != "" {
			k.APIRestricted = true
		}
	}
	for _, app := range []string{"browserKeyRestrictions", "serverKeyRestrictions", "androidKeyRestrictions", "iosKeyRestrictions"} {
		if o, st := rs.obj(app); st == ok && o.size() > 0 {
			k.AppRestricted = true
		}
	}
	deleted = d.s("deleteTime") != ""
	// A key whose data is not an object, or without its creation time,
	// cannot be judged (its age and restrictions are not known).
	good = d.c.count() == before && d.present() && (k.Created != "" || deleted)
	return k, good, deleted
}

// dnsPolicy reads a Cloud DNS server policy: whether it logs queries and
// the networks it applies to (asset names); good is false when a field has
// the wrong type.
func dnsPolicy(d node) (logging bool, networks []string, good bool) {
	before := d.c.count()
	logging = d.flag("enableLogging") != nil && *d.flag("enableLogging")
	nets, _ := d.objs("networks")
	for _, n := range nets {
		if u := n.s("networkUrl"); u != "" {
			networks = append(networks, "//compute.googleapis.com/"+gcpKey(u))
		}
	}
	return logging, networks, d.c.count() == before
}

// finishCIS5 sets the API keys of each project's CIS facts and the DNS
// logging of its VPC networks: known for the networks of a project whose
// export holds Cloud DNS assets (managed zones or policies).
func finishCIS5(all []*resource.Resource, cis map[string]*resource.AccountCIS) {
	finishOrgContacts(all)
	finishServices(all, cis) // cis_services.go
	finishLogBuckets(all)    // cis_logbuckets.go
	finishAccessApproval(all, cis)
	finishVPCSC(all, cis)        // cis_vpcsc.go
	finishDLPDiscovery(all, cis) // cis_dlp.go
	finishPSC(all)               // cis_psc.go
	keys := map[string][]resource.APIKey{}
	keysBad := map[string]bool{}
	dnsKnown, dnsBad := map[string]bool{}, map[string]bool{}
	logged := map[string]bool{}
	unreadFiles := map[string]bool{} // files with an unreadable asset that may be an API key of no known project
	for _, r := range all {
		if r.Provider != resource.GCP {
			continue
		}
		// A trace of an asset that could not be read (see unreadable) may
		// be an API key: its project's keys are unknown, or those of every
		// project of its file when its project cannot be told.
		if r.Type == TypeAPIKey && !strings.HasPrefix(r.ID, "//") || r.Type == "" && (!strings.HasPrefix(r.ID, "//") || isAPIKeyName(r.ID)) {
			if r.Account != "" {
				keysBad[r.Account] = true
			} else {
				unreadFiles[r.Source] = true
			}
			continue
		}
		if r.Account == "" {
			continue
		}
		switch r.Type {
		case TypeAPIKey:
			k, good, deleted := apiKey(read(r))
			switch {
			case !good:
				keysBad[r.Account] = true
			case !deleted:
				keys[r.Account] = append(keys[r.Account], k)
			}
		case typeDNSZone:
			dnsKnown[r.Account] = true
		case TypeDNSPolicy:
			dnsKnown[r.Account] = true
			on, nets, good := dnsPolicy(read(r))
			if !good {
				dnsBad[r.Account] = true
				continue
			}
			for _, n := range nets {
				if on {
					logged[strings.ToLower(n)] = true
				}
			}
		}
	}
	if len(unreadFiles) > 0 {
		for _, r := range all {
			if r.Provider == resource.GCP && r.Account != "" && unreadFiles[r.Source] {
				keysBad[r.Account] = true
			}
		}
	}
	for p, ks := range keys {
		if keysBad[p] {
			continue
		}
		sort.Slice(ks, func(i, j int) bool { return ks[i].Name < ks[j].Name })
		if cis[p] == nil {
			cis[p] = &resource.AccountCIS{}
		}
		cis[p].APIKeys = ks
	}
	for _, r := range all {
		if r.Provider != resource.GCP || r.Type != TypeNetwork || r.Facts.Network == nil {
			continue
		}
		switch {
		case logged[strings.ToLower(r.ID)]:
			r.Facts.Network.DNSLogging = resource.Bool(true)
		case dnsKnown[r.Account] && !dnsBad[r.Account]:
			r.Facts.Network.DNSLogging = resource.Bool(false)
		}
	}
}

// TypeDataprocCluster is a Dataproc cluster, a data warehouse.
const TypeDataprocCluster = "dataproc.googleapis.com/Cluster"

func init() { normalizers[TypeDataprocCluster] = dataprocCluster }

// dataprocCluster reads a cluster's disk encryption (CIS GCP 8.1): a Cloud
// KMS key for its persistent disks (config.encryptionConfig
// gcePdKmsKeyName) or for its data (kmsKey) is customer-managed.
func dataprocCluster(_ *file, r *resource.Resource, d, _ node) {
	r.Class = resource.ClassDataWarehouse
	db := &resource.Database{Engine: "dataproc", Encrypted: boolp(true)}
	r.Facts.Database = db
	if !d.present() {
		return
	}
	if n := d.s("clusterName"); n != "" {
		r.Name = n
	}
	before := d.c.count()
	pd := d.s("config", "encryptionConfig", "gcePdKmsKeyName")
	data := d.s("config", "encryptionConfig", "kmsKey")
	switch {
	case d.c.count() != before:
	case pd != "" || data != "":
		db.KeyManager = "customer"
	default:
		db.KeyManager = "provider"
	}
}

// orgContactCategories are the notification categories CIS GCP 1.17 wants
// an organization's essential contacts to cover.
var orgContactCategories = []string{"LEGAL", "SECURITY", "SUSPENSION", "TECHNICAL", "TECHNICAL_INCIDENTS"}

// finishOrgContacts sets each organization's EssentialContacts from the
// essential contacts under it (organizations/N/contacts/...): known when
// the input holds any essential contact.
func finishOrgContacts(all []*resource.Resource) {
	known := false
	covered := map[string]map[string]bool{} // "organizations/N" -> categories
	for _, r := range all {
		if r.Provider != resource.GCP || r.Type != TypeContact {
			continue
		}
		known = true
		name := strings.TrimPrefix(r.ID, "//essentialcontacts.googleapis.com/")
		org, _, found := strings.Cut(name, "/contacts/")
		if !found || !strings.HasPrefix(org, "organizations/") {
			continue
		}
		d := read(r)
		cats, st := d.strs("notificationCategorySubscriptions")
		if st == bad {
			continue
		}
		if covered[org] == nil {
			covered[org] = map[string]bool{}
		}
		for _, c := range cats {
			covered[org][strings.ToUpper(c)] = true
		}
	}
	if !known {
		return
	}
	for _, r := range all {
		if r.Provider != resource.GCP || r.Type != TypeOrganization || r.Facts.OrgUnit == nil {
			continue
		}
		cats := covered[strings.TrimPrefix(r.ID, "//cloudresourcemanager.googleapis.com/")]
		every := cats["ALL"]
		if !every {
			every = true
			for _, c := range orgContactCategories {
				every = every && cats[c]
			}
		}
		r.Facts.OrgUnit.EssentialContacts = resource.Bool(every)
	}
}

// read is an asset's resource data as a typed node; its problems were
// reported when the asset was parsed.
func read(r *resource.Resource) node {
	d := assetData(r)
	d.c = &checker{name: r.ID}
	return d
}
