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
	// lower bucket names and IDs audit trails and AWS Config's delivery
	// channels (ClassOther, related by RelLogsTo) write to
	logBuckets := map[string]bool{}
	for _, cl := range []resource.Class{resource.ClassAuditLog, resource.ClassOther} {
		for _, l := range d.byClass[cl] {
			if l.Facts.AuditLog != nil && l.Facts.AuditLog.Destination != "" {
				logBuckets[strings.ToLower(l.Facts.AuditLog.Destination)] = true
			}
			for _, t := range targets(l, resource.RelLogsTo) {
				logBuckets[strings.ToLower(t)] = true
			}
		}
	}
	found := map[string][]string{}
	for _, cl := range workloadClasses {
		for _, r := range d.byClass[cl] {
			if r.Provider != resource.AWS || mgmt[r.Account] == nil || governancePlumbing(r) {
				continue
			}
			if cl == resource.ClassObjectStorage && (logBuckets[strings.ToLower(r.Name)] || logBuckets[strings.ToLower(r.ID)] ||
				logDeliveryBucket(r.Facts.ResourcePolicy)) {
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

// logDeliveryServices are the service principals that write logs and
// records to a bucket: CloudTrail, AWS Config, the vended-log delivery
// of VPC flow logs, load balancer and CloudFront logs
// (delivery.logs.amazonaws.com) and S3 server access logging
// (logging.s3.amazonaws.com). The bucket policy of their destination lets
// them put objects, which a workload's bucket has no reason to.
var logDeliveryServices = map[string]bool{"cloudtrail.amazonaws.com": true, "config.amazonaws.com": true,
	"delivery.logs.amazonaws.com": true, "logging.s3.amazonaws.com": true}

// logDeliveryBucket says whether a bucket policy lets a log delivery
// service put objects (the bucket is a trail's, a delivery channel's or
// a log delivery's destination, maybe of another account's).
func logDeliveryBucket(p *resource.PolicyDocument) bool {
	if p == nil {
		return false
	}
	for _, st := range p.Statements {
		if !strings.EqualFold(st.Effect, "Allow") {
			continue
		}
		service := false
		for _, pr := range st.Principals {
			service = service || (pr.Type == "Service" && logDeliveryServices[strings.ToLower(pr.ID)])
		}
		if !service {
			continue
		}
		for _, a := range st.Actions {
			if a = strings.ToLower(a); a == "s3:putobject" || a == "s3:*" || a == "*" {
				return true
			}
		}
	}
	return false
}

// governancePlumbing says whether a resource is one AWS Control Tower
// deploys to govern the organization (its Lambda functions and buckets
// are named aws-controltower-*; the stacks and stack sets it deploys are
// named AWSControlTower* / StackSet-AWSControlTower*, which CloudFormation
// tags each resource with): not a workload (CIS AWS 7.0 2.1.3).
func governancePlumbing(r *resource.Resource) bool {
	if strings.HasPrefix(strings.ToLower(r.Name), "aws-controltower-") {
		return true
	}
	stack := r.Tags["aws:cloudformation:stack-name"]
	return strings.HasPrefix(stack, "AWSControlTower") || strings.HasPrefix(stack, "StackSet-AWSControlTower")
}
