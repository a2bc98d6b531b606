package inventory

import (
	"slices"
	"strings"

	"github.com/vigil-sec/vigil/internal/resource"
)

// workloadClasses are the classes whose resources are workloads (CIS AWS
// 7.0 2.1.3: compute, storage, databases, application services); an
// object storage bucket counts unless an audit trail writes to it.
var workloadClasses = []resource.Class{resource.ClassCompute, resource.ClassFunction, resource.ClassKubernetes,
	resource.ClassDatabase, resource.ClassDataWarehouse, resource.ClassLoadBalancer, resource.ClassObjectStorage}

// maxManagementWorkloads bounds the workloads named on the account.
const maxManagementWorkloads = 20

// managementWorkloads lists, on each AWS management account (account.cis.
// management_account, from the Organizations document), the workload
// resources the inventory holds in it, so that whoever reads the finding
// knows what to move to member accounts; left unknown when the inventory
// holds none of the account's own resources.
func (d *deriver) managementWorkloads() {
	mgmt := map[string]*resource.AccountCIS{}
	for _, a := range d.byClass[resource.ClassAccount] {
		if a.Provider != resource.AWS || a.Facts.Account == nil || a.Facts.Account.CIS == nil {
			continue
		}
		if c := a.Facts.Account.CIS; c.ManagementAccount != nil && *c.ManagementAccount && a.Account != "" {
			mgmt[a.Account] = c
		}
	}
	if len(mgmt) == 0 {
		return
	}
	logBuckets := map[string]bool{} // lower bucket names and IDs audit trails write to
	for _, l := range d.byClass[resource.ClassAuditLog] {
		if l.Facts.AuditLog != nil && l.Facts.AuditLog.Destination != "" {
			logBuckets[strings.ToLower(l.Facts.AuditLog.Destination)] = true
		}
		for _, t := range targets(l, resource.RelLogsTo) {
			logBuckets[strings.ToLower(t)] = true
		}
	}
	found := map[string][]string{}
	for _, cl := range workloadClasses {
		for _, r := range d.byClass[cl] {
			if r.Provider != resource.AWS || mgmt[r.Account] == nil {
				continue
			}
			if cl == resource.ClassObjectStorage && (logBuckets[strings.ToLower(r.Name)] || logBuckets[strings.ToLower(r.ID)]) {
				continue
			}
			found[r.Account] = append(found[r.Account], r.ID)
		}
	}
	// Known only where the inventory holds the account's own resources
	// (its AWS Config items or collection), not just the Organizations
	// document's.
	seen := map[string]bool{}
	for _, r := range d.all {
		if r.Provider == resource.AWS && mgmt[r.Account] != nil && !seen[r.Account] &&
			r.Class != resource.ClassAccount && !strings.HasPrefix(r.Type, "AWS::Organizations::") {
			seen[r.Account] = true
		}
	}
	for acct, c := range mgmt {
		if !seen[acct] {
			continue
		}
		ids := found[acct]
		slices.Sort(ids)
		n := len(ids)
		c.ManagementWorkloadCount = &n
		c.ManagementWorkloads = ids[:min(n, maxManagementWorkloads)]
	}
}
