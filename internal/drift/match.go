package drift

import (
	"fmt"
	"slices"
	"strings"

	"github.com/vigil-sec/vigil/internal/resource"
)

// idAttrs are the attributes of a Terraform plan or state instance that
// name the deployed resource.
var idAttrs = []string{"arn", "id", "self_link"}

// nameAttrs are the Terraform arguments that hold a resource's cloud-side
// name (the reader's own list, in its order).
var nameAttrs = []string{"bucket", "function_name", "name", "account_id", "cluster_identifier", "identifier", "zone_name"}

// norm is the form identifiers are compared in: case-insensitive (Azure
// IDs are; AWS and GCP ones do not differ by case alone), without the
// service prefix of a Cloud Asset name (//compute.googleapis.com/) or the
// API prefix of a GCP self link (https://www.googleapis.com/compute/v1/).
func norm(id string) string {
	s := strings.ToLower(strings.TrimSpace(id))
	switch {
	case strings.HasPrefix(s, "//"):
		if i := strings.IndexByte(s[2:], '/'); i >= 0 {
			s = s[2+i+1:]
		}
	case strings.HasPrefix(s, "https://"):
		rest := s[len("https://"):]
		host, p, _ := strings.Cut(rest, "/")
		if strings.HasSuffix(host, "googleapis.com") {
			parts := strings.SplitN(p, "/", 3)
			switch {
			case host == "www.googleapis.com" && len(parts) == 3: // compute/v1/projects/...
				s = parts[2]
			case len(parts) >= 2: // storage: www.googleapis.com/storage/v1/b/NAME
				s = strings.Join(parts[1:], "/")
			}
			s = strings.TrimPrefix(s, "b/")
		}
	}
	return strings.TrimSuffix(s, "/")
}

type key struct {
	p resource.Provider
	c resource.Class
	v string
}

// index finds inventory resources by identifier and by name.
type index struct {
	byID    map[key][]*resource.Resource
	byName  map[key][]*resource.Resource
	byGrant map[key][]*resource.Resource
	// byClass lists the resources of a provider and class (key.v "").
	byClass map[key][]*resource.Resource
}

func newIndex(live []*resource.Resource) *index {
	x := &index{byID: map[key][]*resource.Resource{}, byName: map[key][]*resource.Resource{}, byGrant: map[key][]*resource.Resource{}, byClass: map[key][]*resource.Resource{}}
	add := func(m map[key][]*resource.Resource, k key, r *resource.Resource) {
		if k.v == "" || slices.Contains(m[k], r) {
			return
		}
		m[k] = append(m[k], r)
	}
	for _, r := range live {
		if !compared(r) {
			continue
		}
		add(x.byID, key{r.Provider, r.Class, norm(r.ID)}, r)
		for _, a := range r.Aliases {
			add(x.byID, key{r.Provider, r.Class, norm(a)}, r)
		}
		add(x.byName, key{r.Provider, r.Class, strings.ToLower(r.Name)}, r)
		add(x.byGrant, key{r.Provider, r.Class, grant(r, r.Account)}, r)
		x.byClass[key{r.Provider, r.Class, ""}] = append(x.byClass[key{r.Provider, r.Class, ""}], r)
	}
	return x
}

// grant identifies a grant (class iam_binding) by what it grants: the
// principal, the role (an Azure role definition by its GUID) and the
// scope, an account-level scope by the account (a GCP project is named
// by its ID in Terraform, by its number in Cloud Asset names). "" for
// other resources.
func grant(r *resource.Resource, account string) string {
	b := r.Facts.Binding
	if b == nil || b.Principal == "" || b.Role == "" || b.Scope == "" {
		return ""
	}
	role := strings.ToLower(b.Role)
	if r.Provider == resource.Azure {
		role = role[strings.LastIndexByte(role, '/')+1:]
	}
	scope := norm(b.Scope)
	if b.ScopeLevel == "account" && account != "" {
		scope = "account:" + strings.ToLower(account)
	}
	return strings.ToLower(b.Principal) + "\x00" + role + "\x00" + scope
}

// identifiers are the cloud identifiers of an IaC resource: a plan's or
// state's id, arn and self_link, and the aliases its reader knows (an S3
// bucket's ARN from its name, an ARM resource's ID).
func identifiers(r *resource.Resource) []string {
	var out []string
	for _, k := range idAttrs {
		if s, ok := r.Raw[k].(string); ok && s != "" {
			out = append(out, s)
		}
	}
	for _, a := range r.Aliases {
		if !strings.ContainsAny(a, "{[$") { // a template placeholder
			out = append(out, a)
		}
	}
	return out
}

// deployed reports whether r comes from a Terraform state or plan that
// records it as deployed (its id is known).
func deployed(r *resource.Resource) bool {
	s, ok := r.Raw["id"].(string)
	return ok && s != ""
}

// cloudName returns the name r has in the cloud, "" when the IaC does not
// say it (a Terraform block label or a CloudFormation logical ID is not).
func cloudName(r *resource.Resource) string {
	if r.Raw != nil { // Terraform
		for _, k := range nameAttrs {
			if s, ok := r.Raw[k].(string); ok && s != "" {
				return s
			}
		}
		return ""
	}
	n := r.Name
	if n == "" || strings.ContainsAny(n, "{[$ ") || (r.Location != nil && n == r.Location.Address) {
		return ""
	}
	return n
}

// namePrefix returns the lower-case prefix of a name Terraform
// completes at apply (bucket_prefix, name_prefix), "" when none.
func namePrefix(r *resource.Resource) string {
	for _, k := range []string{"bucket_prefix", "name_prefix"} {
		if s, ok := r.Raw[k].(string); ok && s != "" {
			return strings.ToLower(s)
		}
	}
	return ""
}

// accountOf returns the account of an IaC resource: its own, or the one
// its identifiers name (an ARN's account, an Azure subscription, a GCP
// project), "" when unknown.
func accountOf(r *resource.Resource) string {
	if r.Account != "" {
		return r.Account
	}
	if s, ok := r.Raw["project"].(string); ok && s != "" && r.Provider == resource.GCP {
		return s
	}
	for _, id := range identifiers(r) {
		if a := accountInID(id); a != "" {
			return a
		}
	}
	return ""
}

func accountInID(id string) string {
	if strings.HasPrefix(id, "arn:") {
		if p := strings.SplitN(id, ":", 6); len(p) == 6 && p[4] != "" && p[4] != "aws" {
			return p[4]
		}
		return ""
	}
	n := norm(id)
	for _, pre := range []string{"/subscriptions/", "projects/"} {
		if strings.HasPrefix(n, pre) {
			a, _, _ := strings.Cut(n[len(pre):], "/")
			return a
		}
	}
	return ""
}

// regionOf returns r's region in lower case, "" when unknown.
func regionOf(r *resource.Resource) string { return strings.ToLower(r.Region) }

func global(region string) bool { return region == "" || region == "global" }

// narrow keeps the candidates in r's account and region where r says.
func narrow(r *resource.Resource, cands []*resource.Resource) []*resource.Resource {
	if len(cands) < 2 {
		return cands
	}
	acct, region := accountOf(r), regionOf(r)
	out := slices.DeleteFunc(slices.Clone(cands), func(l *resource.Resource) bool {
		if acct != "" && l.Account != "" && !strings.EqualFold(l.Account, acct) {
			return true
		}
		return !global(region) && !global(regionOf(l)) && regionOf(l) != region
	})
	return out
}

// match is how an IaC resource matched: live set, or reason set when it
// cannot be compared, neither when the inventory does not hold it.
type match struct {
	live   *resource.Resource
	by     string
	reason string
}

func (x *index) match(r *resource.Resource) match {
	var cands []*resource.Resource
	for _, id := range identifiers(r) {
		for _, l := range x.byID[key{r.Provider, r.Class, norm(id)}] {
			if !slices.Contains(cands, l) {
				cands = append(cands, l)
			}
		}
	}
	if cands = narrow(r, cands); len(cands) == 1 {
		return match{live: cands[0], by: ByID}
	}
	if g := grant(r, accountOf(r)); g != "" && len(cands) == 0 {
		if cands = narrow(r, x.byGrant[key{r.Provider, r.Class, g}]); len(cands) == 1 {
			return match{live: cands[0], by: ByGrant}
		}
	}
	if len(cands) > 1 {
		return match{reason: fmt.Sprintf("its identifier designates %d resources of the inventory", len(cands))}
	}
	name := cloudName(r)
	if deployed(r) {
		// A state's id is not always the cloud's whole identifier (a
		// Cloud SQL instance's id is its name): its name may still find it.
		if name != "" {
			if cands = narrow(r, x.byName[key{r.Provider, r.Class, strings.ToLower(name)}]); len(cands) == 1 {
				return match{live: cands[0], by: ByName}
			}
		}
		return match{}
	}
	if name == "" {
		// A name Terraform completes at apply (bucket_prefix, name_prefix)
		// designates the one resource of the class whose name starts
		// with it, if there is one.
		if pre := namePrefix(r); pre != "" {
			var byPrefix []*resource.Resource
			for _, l := range x.byClass[key{r.Provider, r.Class, ""}] {
				if strings.HasPrefix(strings.ToLower(l.Name), pre) {
					byPrefix = append(byPrefix, l)
				}
			}
			if byPrefix = narrow(r, byPrefix); len(byPrefix) == 1 {
				return match{live: byPrefix[0], by: ByName}
			}
		}
	}
	switch {
	case name == "" && pending(r):
		return match{reason: "the plan creates it (its identifiers and name are known after apply)"}
	case name == "":
		return match{reason: "not matchable before apply: the IaC gives neither an identifier nor the cloud-side name"}
	}
	cands = narrow(r, x.byName[key{r.Provider, r.Class, strings.ToLower(name)}])
	switch {
	case len(cands) == 1:
		return match{live: cands[0], by: ByName}
	case len(cands) > 1:
		return match{reason: fmt.Sprintf("%d resources of the inventory are named %q", len(cands), name)}
	case pending(r):
		return match{reason: "the plan creates it (its id is known after apply)"}
	}
	return match{}
}

// coverage is what the inventory covers: the accounts, and the regions
// of each account, it holds resources of, per provider.
type coverage struct {
	providers map[resource.Provider]bool
	accounts  map[string]bool // provider \x00 account
	regions   map[string]bool // provider \x00 account \x00 region
	anyRegion map[string]bool // provider \x00 region, of any account
}

func newCoverage(live []*resource.Resource) *coverage {
	c := &coverage{providers: map[resource.Provider]bool{}, accounts: map[string]bool{}, regions: map[string]bool{}, anyRegion: map[string]bool{}}
	for _, l := range live {
		a := strings.ToLower(l.Account)
		c.providers[l.Provider] = true
		c.accounts[string(l.Provider)+"\x00"+a] = true
		c.regions[string(l.Provider)+"\x00"+a+"\x00"+regionOf(l)] = true
		c.anyRegion[string(l.Provider)+"\x00"+regionOf(l)] = true
	}
	return c
}

// outside says why the inventory cannot tell whether r exists (it holds
// nothing of r's provider, account or region), "" when it can.
func (c *coverage) outside(r *resource.Resource) string {
	p := string(r.Provider)
	if !c.providers[r.Provider] {
		return fmt.Sprintf("the inventory holds no %s resource", r.Provider)
	}
	acct := strings.ToLower(accountOf(r))
	if acct == "" {
		if region := regionOf(r); !global(region) && !c.anyRegion[p+"\x00"+region] {
			return fmt.Sprintf("the inventory holds nothing of %s in %s", r.Provider, region)
		}
		return ""
	}
	if !c.accounts[p+"\x00"+acct] {
		return fmt.Sprintf("the inventory holds nothing of %s account %s", r.Provider, accountOf(r))
	}
	if region := regionOf(r); !global(region) && !c.regions[p+"\x00"+acct+"\x00"+region] {
		return fmt.Sprintf("the inventory holds nothing of %s account %s in %s", r.Provider, accountOf(r), region)
	}
	return ""
}
