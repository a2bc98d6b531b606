package azure

import (
	"sort"
	"strings"

	"github.com/vigil-sec/vigil/internal/resource"
)

// Network security perimeters (CIS Azure 6.0 7.16): a PaaS resource of a
// type onboarded to network security perimeters is secured when a
// perimeter's resource association names it (properties.
// privateLinkResource.id) in Enforced access mode; Learning and Audit
// modes only log. Perimeters are rows of the resources table; their
// associations are not in Resource Graph: GET <perimeter>/resourceAssociations
// (api-version 2024-07-01; az network perimeter association list), which
// vigil collect writes per subscription as nspassociations.json, even
// when empty. A perimeter may associate resources of other subscriptions,
// so every perimeter of the input counts for every subscription.
const (
	TypeNSP            = "Microsoft.Network/networkSecurityPerimeters"
	TypeNSPAssociation = "Microsoft.Network/networkSecurityPerimeters/resourceAssociations"
	// nspListingFile is the file vigil collect writes a subscription's
	// perimeters' associations to.
	nspListingFile = "nspassociations.json"
)

func init() {
	noFactTypes(TypeNSP, TypeNSPAssociation)
}

// nspTypes are the lower-case resource types onboarded to network
// security perimeters that CIS 7.16 means (Storage, Key Vault, SQL
// Database, Cosmos DB, Event Hubs, Azure Monitor Log Analytics, AI Search,
// Azure AI services / OpenAI).
var nspTypes = map[string]bool{
	"microsoft.storage/storageaccounts": true, "microsoft.keyvault/vaults": true, "microsoft.sql/servers": true,
	"microsoft.documentdb/databaseaccounts": true, "microsoft.eventhub/namespaces": true,
	"microsoft.operationalinsights/workspaces": true, "microsoft.search/searchservices": true,
	"microsoft.cognitiveservices/accounts": true,
}

// nspPerimeters collects, over the input, the PaaS resources of each
// subscription, the perimeters and their associations.
type nspPerimeters struct {
	paas       map[string][]*resource.Resource // subscription → its onboarded PaaS resources
	perimeters []*resource.Resource
	assocs     []*resource.Resource
	listed     map[string]bool // lower-case subscriptions whose perimeters' associations were listed
	enforced   map[string]bool // lower-case resource IDs an Enforced association names
	modes      map[string]string
	covered    map[string]bool // lower-case perimeter IDs with an association in the input
	unsure     bool            // an association could not be read
}

func (n *nspPerimeters) add(r *resource.Resource) {
	switch {
	case r.Type == TypeNSP:
		n.perimeters = append(n.perimeters, r)
	case r.Type == TypeNSPAssociation:
		n.assocs = append(n.assocs, r)
	case nspTypes[strings.ToLower(r.Type)] && r.Account != "":
		if n.paas == nil {
			n.paas = map[string][]*resource.Resource{}
		}
		n.paas[r.Account] = append(n.paas[r.Account], r)
	}
}

// read reads the associations (read reports their wrong-typed fields).
func (n *nspPerimeters) read(read func(*resource.Resource) (node, func() bool)) {
	n.listed, n.enforced, n.covered = map[string]bool{}, map[string]bool{}, map[string]bool{}
	n.modes = map[string]string{}
	for _, a := range n.assocs {
		l := strings.ToLower(a.ID)
		if strings.HasSuffix(l, nspListingSuffix) { // the listing's marker (addListing, parseEmptyListing)
			if sub := SubscriptionOf(l); sub != "" {
				n.listed[strings.ToLower(sub)] = true
			}
			continue
		}
		if i := strings.Index(l, "/resourceassociations/"); i > 0 {
			n.covered[l[:i]] = true
		}
		p, failed := read(a)
		target := strings.ToLower(strings.TrimRight(p.S("privateLinkResource", "id"), "/"))
		mode := p.S("accessMode")
		if failed() || target == "" {
			n.unsure = true
			continue
		}
		if strings.EqualFold(mode, "Enforced") {
			n.enforced[target] = true
		} else if n.modes[target] == "" {
			n.modes[target] = mode
		}
	}
}

// nspListingSuffix ends the ID of the marker a listing of a
// subscription's associations adds.
const nspListingSuffix = "/providers/microsoft.network/networksecurityperimeters/resourceassociations"

// set sets a subscription's NSPSecured and NSPUnsecured: left unknown when
// it holds no onboarded PaaS resource, when the input holds neither its
// listing nor any perimeter or association, when a perimeter of the input has
// neither an association in the input nor its subscription's listing
// (its associations were not read), or when an association could not be
// read and some resource is not known secured.
func (n *nspPerimeters) set(c *resource.AccountCIS, sub string) {
	rs := n.paas[sub]
	if len(rs) == 0 {
		return
	}
	var missing []string
	for _, r := range rs {
		id := strings.ToLower(r.ID)
		if n.enforced[id] {
			continue
		}
		if m := n.modes[id]; m != "" {
			missing = append(missing, r.ID+" ("+m+" mode)")
		} else {
			missing = append(missing, r.ID)
		}
	}
	if len(missing) > 0 {
		// The input must speak of perimeters: the subscription's listing,
		// or a perimeter or association somewhere (an export from before
		// perimeters were read says nothing of them).
		if n.unsure || (!n.listed[strings.ToLower(sub)] && len(n.perimeters) == 0 && len(n.covered) == 0) {
			return
		}
		for _, p := range n.perimeters {
			if !n.covered[strings.ToLower(p.ID)] && !n.listed[strings.ToLower(p.Account)] {
				return
			}
		}
	}
	sort.Strings(missing)
	c.NSPSecured = resource.Bool(len(missing) == 0)
	c.NSPUnsecured = missing
}
