package inventory

import (
	"slices"
	"strings"

	"github.com/vigil-sec/vigil/internal/iam/awspolicy"
	azurerbac "github.com/vigil-sec/vigil/internal/identity/azure"
	"github.com/vigil-sec/vigil/internal/reach"
	"github.com/vigil-sec/vigil/internal/resource"
	"github.com/vigil-sec/vigil/internal/resource/idcase"
	"github.com/vigil-sec/vigil/internal/source"
)

// Derive completes facts that need several resources, reading only typed
// facts and relationships (resource.Rel*) and never Raw, so it runs the same
// whatever produced the resources (an export, IaC, a live collector):
//
//   - compute.disk_encrypted from the disks an instance uses (RelUsesDisk);
//   - compute.public_ip from the interfaces an instance uses
//     (RelUsesInterface) and their public IPs (RelUsesPublicIP), and an Azure
//     VM's compute.public_ipv6 from those public IPs' versions;
//   - identity.admin and group.admin from attached policies (RelHasPolicy
//     to iam_policy resources), inline documents and group membership
//     (RelMemberOf);
//   - storage.public_access_blocked (and public_access) onto every bucket
//     of an account whose account.storage_public_access_blocked is true;
//   - network.flow_logs from enabled flow_log resources recording the
//     network, one of its subnets, or a firewall on one of its subnets
//     (RelFlowLogsOf, RelInNetwork, RelUsesFirewall);
//   - audit_log.destination_public from the destination bucket;
//   - binding.privileged from the role a binding grants when the inventory
//     holds it (a grants_role relationship, or the binding's role naming a
//     role resource): true when the role's role.full_admin is;
//   - exposure on compute instances, load balancers and their targets
//     (reach.Annotate: reachable from the internet, on which ports, through
//     which hops, or undecided and why; undecided rather than "not
//     reachable" for resources of an input with problems).
//
// A derived fact is set only when the resources it depends on decide it:
// a relationship to a resource missing from the inventory leaves it
// unknown, never false. Derive is idempotent.
func Derive(rs []*resource.Resource) { derive(rs, nil) }

// derive is Derive knowing the input problems: a resource a problem names
// (a field of the wrong type) may lack relationships or facts, so what it
// would decide in the passing direction is unknown instead.
func derive(rs []*resource.Resource, problems []source.Problem) {
	deriveIndexed(rs, problems, nil, nil)
}

// deriveIndexed is derive given ids, when not nil, mapping the key of every
// resource's ID in rs to it and nothing else (the merger's index: see
// merger.idIndex): the derivation adds the aliases to it rather than
// building it again.
//
// beside, when not nil, runs on another goroutine once the deriver's index
// is complete (ids is not written after that) and is waited for: work
// that reads the resources' identities but none of the derived facts
// (Inventory.count) fills a core the derivation's serial steps leave idle.
//
// It returns the Azure RBAC evaluator the derivation built (vmAccess), nil
// when it built none (Inventory.AzureRBAC).
func deriveIndexed(rs []*resource.Resource, problems []source.Problem, ids map[mergeKey]*resource.Resource, beside func()) *azurerbac.Evaluator {
	// The reachability graph's index of GCP's IDs and aliases (which the
	// steps below do not change) is built on another core meanwhile; it
	// looks the other providers' up in the deriver's index (read only
	// once built, also by the steps beside the annotation: each look-up
	// lowers an Azure ID with a Lowerer of its own).
	reachIndex := make(chan *reach.Index, 1)
	var d *deriver
	var reachLow idcase.Lowerer
	look := func(p resource.Provider, id string) *resource.Resource { return d.index[lookIn(&reachLow, p, id)] }
	go func() { reachIndex <- reach.NewGCPIndex(rs, look) }()
	d = newDeriverIndexed(rs, ids)
	besideDone := make(chan struct{})
	if beside != nil {
		go func() {
			defer close(besideDone)
			beside()
		}()
	} else {
		close(besideDone)
	}
	defer func() { <-besideDone }()
	for _, p := range problems {
		if p.Resource != "" {
			if d.troubled == nil {
				d.troubled = map[string]bool{}
			}
			d.troubled[strings.ToLower(p.Resource)] = true
		}
	}
	// The steps writing facts internal/reach reads (compute, networks,
	// routes, addressing), or resource fields (a flow log's account),
	// come before its annotation of exposure.
	d.disks()
	d.publicIPs()
	d.flowLogs()
	d.peeringRoutes() // peering_routes.go
	d.vpcEndpoints()  // vpc_endpoints.go
	idx := <-reachIndex
	// The others write only identity, binding, policy, storage, audit-log,
	// DNS and data-location facts, which the annotation neither reads nor
	// writes, and read no exposure: they run on another core meanwhile
	// (in their order, as before the annotation when they ran on one
	// core: the importer's and collectors' golden inventories and the
	// sample organization's findings are the same, and their tests pass
	// under -race). A step added here must not write what internal/reach
	// reads. The deriver is theirs until done.
	done := make(chan struct{})
	go func() {
		defer close(done)
		d.bindingRoles()
		d.admin()
		d.accountStorageBlock()
		d.trailDestinations()
		d.azureRoles()          // azure_roles.go
		d.vmAccess()            // azure_vm_access.go
		d.managementWorkloads() // management.go
		d.danglingRecords()     // dangling.go
		d.copies()              // locations.go
		d.locations()           // locations.go
	}()
	reach.AnnotateIndexed(rs, idx) // exposure: internal/reach
	<-done
	d.doubtExposure(problems) // exposure.go
	return d.azureRBAC
}

type deriver struct {
	all   []*resource.Resource
	index map[mergeKey]*resource.Resource
	// byClass lists the resources of each class.
	byClass map[resource.Class][]*resource.Resource
	// troubled holds the (lower-case) IDs of resources with input problems.
	troubled map[string]bool
	// low lower-cases the Azure IDs the derivation indexes and looks up.
	low idcase.Lowerer
	// azureRBAC is the Azure RBAC evaluator vmAccess built, if any.
	azureRBAC *azurerbac.Evaluator
}

// doubtful reports whether an input problem names r.
func (d *deriver) doubtful(r *resource.Resource) bool {
	return d.troubled != nil && d.troubled[d.low.Look(r.ID)]
}

func newDeriver(rs []*resource.Resource) *deriver { return newDeriverIndexed(rs, nil) }

// newDeriverIndexed is newDeriver extending ids (see deriveIndexed).
func newDeriverIndexed(rs []*resource.Resource, ids map[mergeKey]*resource.Resource) *deriver {
	d := &deriver{all: rs, index: ids, byClass: map[resource.Class][]*resource.Resource{}}
	// IDs first, then aliases: an alias never hides another resource's ID.
	if ids == nil {
		d.index = make(map[mergeKey]*resource.Resource, len(rs))
		for _, r := range rs {
			d.index[keyIn(&d.low, r.Provider, r.ID)] = r
		}
	}
	// One pass over the resources (each a cache miss at a million) lists
	// them by class and indexes their aliases.
	for _, r := range rs {
		d.byClass[r.Class] = append(d.byClass[r.Class], r)
		for _, a := range r.Aliases {
			if d.index[lookIn(&d.low, r.Provider, a)] == nil {
				d.index[keyIn(&d.low, r.Provider, a)] = r
			}
		}
	}
	return d
}

// resolve returns the resource a relationship of r points at, nil when it
// is not in the inventory.
func (d *deriver) resolve(r *resource.Resource, target string) *resource.Resource {
	if target == "" {
		return nil
	}
	return d.index[lookIn(&d.low, r.Provider, target)]
}

// targets returns the targets of r's relationships of type typ.
func targets(r *resource.Resource, typ string) []string {
	var out []string
	for _, rel := range r.Relationships {
		if rel.Type == typ && rel.TargetID != "" {
			out = append(out, rel.TargetID)
		}
	}
	return out
}

// tri folds three-valued answers: any false is false, else any unknown is
// unknown, else true.
type tri struct{ seen, unknown, falsy bool }

func (t *tri) add(b *bool) {
	t.seen = true
	switch {
	case b == nil:
		t.unknown = true
	case !*b:
		t.falsy = true
	}
}

func (t tri) all() *bool {
	switch {
	case !t.seen:
		return nil
	case t.falsy:
		return resource.Bool(false)
	case t.unknown:
		return nil
	}
	return resource.Bool(true)
}

// disks: an instance's disks are encrypted when every disk it uses is.
func (d *deriver) disks() {
	for _, in := range d.byClass[resource.ClassCompute] {
		c := in.Facts.Compute
		if c == nil {
			continue
		}
		var t tri
		for _, id := range targets(in, resource.RelUsesDisk) {
			disk := d.resolve(in, id)
			if disk == nil || disk.Facts.Disk == nil {
				t.add(nil)
				continue
			}
			if d.doubtful(disk) && attrTrue(disk.Facts.Disk.Encrypted) {
				t.add(nil)
				continue
			}
			t.add(disk.Facts.Disk.Encrypted)
		}
		if v := t.all(); v != nil && !(*v && d.doubtful(in)) {
			c.DiskEncrypted = v
		}
	}
}

// publicIPs: an instance whose interface has a public IP has one; an
// instance whose interfaces are all in the inventory without one has none,
// unless the source already said it has.
func (d *deriver) publicIPs() {
	for _, in := range d.byClass[resource.ClassCompute] {
		c := in.Facts.Compute
		if c == nil {
			continue
		}
		nics := targets(in, resource.RelUsesInterface)
		if len(nics) == 0 {
			continue
		}
		if in.Provider == resource.Azure && c.PublicIPv6 == nil {
			c.PublicIPv6 = d.azurePublicIPv6(in, nics)
		}
		known, public := 0, false
		for _, id := range nics {
			nic := d.resolve(in, id)
			if nic == nil || (d.doubtful(nic) && len(targets(nic, resource.RelUsesPublicIP)) == 0) {
				continue
			}
			known++
			if len(targets(nic, resource.RelUsesPublicIP)) > 0 {
				public = true
			}
		}
		switch {
		case public:
			c.PublicIP = resource.Bool(true)
		case known == len(nics) && c.PublicIP == nil && !d.doubtful(in):
			c.PublicIP = resource.Bool(false)
		}
	}
}

// azurePublicIPv6: an Azure VM has a public IPv6 address when one of its
// interfaces uses a public IP of version IPv6 (its family as
// internal/reach resolves it); none when every interface and public IP is
// in the inventory with its version known; unknown otherwise.
func (d *deriver) azurePublicIPv6(in *resource.Resource, nics []string) *bool {
	unknown := d.doubtful(in)
	for _, id := range nics {
		nic := d.resolve(in, id)
		if nic == nil {
			unknown = true
			continue
		}
		unknown = unknown || d.doubtful(nic) // may have lost a public IP to a wrong-typed field
		for _, pip := range targets(nic, resource.RelUsesPublicIP) {
			fams, known := reach.PublicFamilies(d.resolve(nic, pip))
			switch {
			case !known:
				unknown = true
			case slices.Contains(fams, "ipv6"):
				return resource.Bool(true)
			}
		}
	}
	if unknown {
		return nil
	}
	return resource.Bool(false)
}

// awsManagedPolicyPrefix starts the ARN of an AWS-managed policy. AWS
// Config records customer-managed policies only, so an AWS-managed policy
// is not in an inventory; AdministratorAccess is the one that grants admin.
const awsManagedPolicyPrefix = "arn:aws:iam::aws:policy/"

// policyAdmin answers whether the policy a principal's has_policy
// relationship names grants admin.
func (d *deriver) policyAdmin(owner *resource.Resource, target string) *bool {
	p := d.resolve(owner, target)
	if p != nil && p.Facts.Policy != nil {
		if p.Facts.Policy.Admin == nil && p.Facts.Policy.Document != nil {
			p.Facts.Policy.Admin = awspolicy.Admin(p.Facts.Policy.Document)
		}
		if d.doubtful(p) && !attrTrue(p.Facts.Policy.Admin) {
			return nil
		}
		return p.Facts.Policy.Admin
	}
	if strings.HasPrefix(target, awsManagedPolicyPrefix) {
		return resource.Bool(target == awsManagedPolicyPrefix+"AdministratorAccess")
	}
	return nil
}

// any folds three-valued answers: any true is true, else any unknown is
// unknown, else false.
type anyOf struct{ seen, unknown, truthy bool }

func (a *anyOf) add(b *bool) {
	a.seen = true
	switch {
	case b == nil:
		a.unknown = true
	case *b:
		a.truthy = true
	}
}

// principalAdmin combines the source's own answer with the policies,
// inline documents and groups: any grant of admin makes it true; false
// needs the source's false and every policy and group known.
func (d *deriver) principalAdmin(r *resource.Resource, own *bool, inline []resource.NamedPolicy, groupAdmin func(*resource.Resource, string) *bool) *bool {
	if own != nil && *own {
		return own
	}
	var a anyOf
	for _, p := range inline {
		a.add(awspolicy.Admin(p.Document))
	}
	for _, t := range targets(r, resource.RelHasPolicy) {
		a.add(d.policyAdmin(r, t))
	}
	if groupAdmin != nil {
		for _, t := range targets(r, resource.RelMemberOf) {
			a.add(groupAdmin(r, t))
		}
	}
	switch {
	case a.truthy:
		return resource.Bool(true)
	case !a.seen:
		return own
	case own == nil || a.unknown:
		return nil
	}
	return resource.Bool(false)
}

func (d *deriver) admin() {
	for _, g := range d.byClass[resource.ClassGroup] {
		if gf := g.Facts.Group; gf != nil {
			gf.Admin = d.principalAdmin(g, gf.Admin, gf.InlineDocuments, nil)
		}
	}
	groupAdmin := func(r *resource.Resource, target string) *bool {
		g := d.resolve(r, target)
		switch {
		case g == nil:
			return nil
		case d.doubtful(g) && g.Facts.Group != nil && !attrTrue(g.Facts.Group.Admin):
			return nil
		case g.Facts.Group != nil:
			return g.Facts.Group.Admin
		case g.Facts.Identity != nil:
			return g.Facts.Identity.Admin
		}
		return nil
	}
	for _, r := range d.byClass[resource.ClassIdentity] {
		if id := r.Facts.Identity; id != nil {
			id.Admin = d.principalAdmin(r, id.Admin, id.InlineDocuments, groupAdmin)
		}
	}
}

// accountStorageBlock carries an account-wide block of public object
// storage onto the account's buckets.
func (d *deriver) accountStorageBlock() {
	blocked := map[mergeKey]bool{}
	for _, a := range d.byClass[resource.ClassAccount] {
		if f := a.Facts.Account; f != nil && f.StoragePublicAccessBlocked != nil && *f.StoragePublicAccessBlocked && a.Account != "" {
			blocked[mergeKey{a.Provider, a.Account}] = true
		}
	}
	if len(blocked) == 0 {
		return
	}
	for _, b := range d.byClass[resource.ClassObjectStorage] {
		s := b.Facts.Storage
		if s == nil || !blocked[mergeKey{b.Provider, b.Account}] {
			continue
		}
		s.PublicAccessBlocked = resource.Bool(true)
		if s.PublicAccess != nil && *s.PublicAccess {
			s.PublicAccess = resource.Bool(false)
		}
	}
}

// flowLogs: a network has flow logs when an enabled flow log records it,
// one of its subnets, or a firewall on one of its subnets. With flow logs
// of its account in the inventory and none for it, it has none.
func (d *deriver) flowLogs() {
	covered := map[*resource.Resource]bool{}
	evidence := map[mergeKey]bool{}
	for _, fl := range d.byClass[resource.ClassFlowLog] {
		f := fl.Facts.FlowLog
		ts := targets(fl, resource.RelFlowLogsOf)
		if f != nil {
			for _, t := range f.Targets {
				if !contains(ts, t) {
					ts = append(ts, t)
				}
			}
		}
		for _, t := range ts {
			if tr := d.resolve(fl, t); tr != nil && fl.Account == "" {
				// An account-less flow-log listing: its target says whose it is.
				fl.Account = tr.Account
				if fl.Region == "" {
					fl.Region = tr.Region
				}
			}
		}
		if fl.Account != "" {
			evidence[mergeKey{fl.Provider, fl.Account}] = true
		}
		if f != nil && f.Enabled != nil && !*f.Enabled {
			continue
		}
		for _, t := range ts {
			if tr := d.resolve(fl, t); tr != nil {
				covered[tr] = true
			}
		}
	}
	if len(evidence) == 0 && len(covered) == 0 {
		return
	}
	// Subnets, and the firewalls on them, count for their network.
	networkOf := map[*resource.Resource]bool{}
	for _, r := range d.all {
		if !covered[r] || !subnetLike(r) {
			continue
		}
		for _, t := range targets(r, resource.RelInNetwork) {
			if n := d.resolve(r, t); n != nil {
				networkOf[n] = true
			}
		}
	}
	for _, n := range d.byClass[resource.ClassNetwork] {
		nf := n.Facts.Network
		if nf == nil {
			continue
		}
		on := covered[n] || networkOf[n]
		for _, typ := range []string{resource.RelUsesFirewall, relSubnetNSG} {
			for _, t := range targets(n, typ) {
				if fw := d.resolve(n, t); fw != nil && covered[fw] {
					on = true
				}
			}
		}
		switch {
		case on:
			nf.FlowLogs = resource.Bool(true)
		case evidence[mergeKey{n.Provider, n.Account}]:
			nf.FlowLogs = resource.Bool(false)
		}
	}
}

// relGrantsRole links a binding to the (custom) role it grants, by the
// role's ID or an alias.
const relGrantsRole = "grants_role"

// bindingRoles: a binding that grants a full-admin role (a custom role
// whose role.full_admin is true) is privileged, whatever the source said;
// one that grants a role the inventory holds and knows not to be full-admin
// is not, when the source did not say. A role missing from the inventory
// leaves the source's answer (unknown for a custom role it cannot judge).
func (d *deriver) bindingRoles() {
	for _, bnd := range d.byClass[resource.ClassIAMBinding] {
		b := bnd.Facts.Binding
		if b == nil || attrTrue(b.Privileged) || attrTrue(b.Deny) {
			continue
		}
		var role *resource.Resource
		for _, t := range append(targets(bnd, relGrantsRole), b.Role) {
			if r := d.resolve(bnd, t); r != nil && r != bnd && r.Facts.Role != nil {
				role = r
				break
			}
		}
		if role == nil {
			continue
		}
		full := role.Facts.Role.FullAdmin
		switch {
		case attrTrue(full):
			b.Privileged = resource.Bool(true)
		case b.Privileged == nil && full != nil && !d.doubtful(role) && !d.doubtful(bnd):
			b.Privileged = resource.Bool(false)
		}
	}
}

// relSubnetNSG is the Azure importer's name for a VNet's subnet NSGs, read
// until it states them as resource.RelUsesFirewall.
const relSubnetNSG = "subnet_nsg"

// subnetLike reports whether r is a subnet (a network inside a network):
// what a flow log on it records is part of its network's traffic.
func subnetLike(r *resource.Resource) bool {
	return r.Class == resource.ClassNetwork || strings.Contains(strings.ToLower(r.Type), "subnet")
}

func attrTrue(b *bool) bool { return b != nil && *b }

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// trailDestinations: an audit log delivering to a public bucket.
func (d *deriver) trailDestinations() {
	logs := d.byClass[resource.ClassAuditLog]
	if len(logs) == 0 {
		return
	}
	buckets := d.byClass[resource.ClassObjectStorage]
	byName := make(map[mergeKey]*resource.Resource, len(buckets))
	for _, b := range buckets {
		if b.Name != "" {
			byName[keyIn(&d.low, b.Provider, b.Name)] = b
		}
	}
	for _, l := range logs {
		a := l.Facts.AuditLog
		if a == nil {
			continue
		}
		var dest *resource.Resource
		for _, t := range targets(l, resource.RelLogsTo) {
			if b := d.resolve(l, t); b != nil && b.Class == resource.ClassObjectStorage {
				dest = b
			}
		}
		if dest == nil && a.Destination != "" {
			dest = byName[lookIn(&d.low, l.Provider, a.Destination)]
			if dest == nil {
				if b := d.resolve(l, a.Destination); b != nil && b.Class == resource.ClassObjectStorage {
					dest = b
				}
			}
		}
		if dest != nil && dest.Facts.Storage != nil && dest.Facts.Storage.PublicAccess != nil {
			a.DestinationPublic = dest.Facts.Storage.PublicAccess
		}
		if dest != nil && dest.Facts.Storage != nil {
			a.DestinationAccessLogging = dest.Facts.Storage.AccessLogging
		}
	}
}
