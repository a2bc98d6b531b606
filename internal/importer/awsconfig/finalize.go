package awsconfig

import (
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

// AccountID is the ID of the synthesized resource for an AWS account.
func AccountID(acct string) string { return "aws-account/" + acct }

// Finalize completes the AWS resources of a merged inventory with what
// needs this export's own shapes: it attributes account-less CLI outputs,
// joins KMS rotation statuses given by bare key ID to their keys, and
// returns one synthesized resource of class account per AWS account seen,
// with its account facts (trails, GuardDuty, security contact, EBS default
// encryption). Cross-resource facts read from typed facts (disks, admin
// through policies and groups, account-level Block Public Access, flow
// logs, trail destinations) are derived by inventory.Derive after it.
// It returns the new resources and any input it could not attribute.
func Finalize(all []*resource.Resource) (added []*resource.Resource, problems []attr.Problem) {
	return FinalizeUnread(all, nil)
}

// FinalizeUnread is Finalize knowing which inputs were reported as input
// problems (unread, or read in part): a per-region file among them (its
// region and account named in its path, as AWS Config's delivery and `vigil
// collect` lay them out) may have held resources of a region that then
// looks unused, or the very record of a service in it. Its region still
// counts as in use for the account, and an account fact that needs to know
// a service in every region in use is unknown rather than true when only
// such a region lacks the service.
func FinalizeUnread(all []*resource.Resource, unread []string) (added []*resource.Resource, problems []attr.Problem) {
	var rs []*resource.Resource
	accounts := map[string]bool{}
	byType := map[string][]*resource.Resource{}
	for _, r := range all {
		if r.Provider != resource.AWS {
			continue
		}
		rs = append(rs, r)
		if r.Account != "" {
			accounts[r.Account] = true
		}
		byType[r.Type] = append(byType[r.Type], r)
	}
	if len(rs) == 0 {
		return nil, nil
	}
	// Account-less CLI outputs: the account comes from a 12-digit path
	// element, else from the only account in the input. (Route 53 record
	// sets merged with their zone's AWS Config item have its account.)
	for _, t := range []string{TypePasswordPolicy, TypeEBSDefault, TypeSecContact, TypeHostedZone} {
		for _, r := range byType[t] {
			if r.Account != "" {
				continue
			}
			if a := accountInPath(r.Source); a != "" {
				r.Account = a
			} else if len(accounts) == 1 {
				for a := range accounts {
					r.Account = a
				}
			} else {
				problems = append(problems, attr.Problem{Path: r.Source, Resource: r.ID, Err: "cannot tell which AWS account this " + t + " belongs to (put it under a directory named after the account ID)"})
				continue
			}
			accounts[r.Account] = true
			if t == TypePasswordPolicy {
				r.ID = passwordPolicyID(r.Account)
			}
		}
	}

	// KMS keys: rotation status given with a bare key ID.
	keysByID := map[string]*resource.Resource{}
	for _, k := range byType["AWS::KMS::Key"] {
		keysByID[attr.Str(k.Raw, "resourceId")] = k
		if i := strings.LastIndex(k.ID, "/"); i >= 0 {
			keysByID[k.ID[i+1:]] = k
		}
	}
	for _, st := range byType[TypeKeyRotation] {
		k := keysByID[attr.Str(st.Raw, "KeyId")]
		if k == nil || k.Facts.Key == nil {
			continue
		}
		st.Account, st.Region = k.Account, k.Region
		if k.Facts.Key.RotationEnabled == nil {
			k.Facts.Key.RotationEnabled = attr.Bool(st.Raw, "KeyRotationEnabled")
		}
		if k.Facts.Key.RotationPeriodDays == nil {
			k.Facts.Key.RotationPeriodDays = attr.Int(st.Raw, "RotationPeriodInDays")
		}
	}

	// Key policies given by key ID; functions' URLs with their policies.
	finishKeyPolicies(byType["AWS::KMS::Key"], byType[TypeKeyPolicy])
	finishFunctions(byType[TypeLambda])
	finishReplication(rs, byType)
	joinTargetGroups(append(byType["AWS::ElasticLoadBalancingV2::LoadBalancer"], byType["AWS::ElasticLoadBalancingV2::Listener"]...), byType[TypeTargetGroup])

	// Trails: organization trails and multi-region trails for the account
	// facts. (Whether a trail's destination bucket is public, an instance's
	// disks encrypted, an identity admin through its policies and groups,
	// a bucket under the account's Block Public Access, a VPC's flow logs
	// are derived from typed facts by inventory.Derive.)
	// A trail counts as logging everywhere only when both are known: a
	// trail whose status could not be read (AWS Config does not record
	// it; GetTrailStatus denied) may be stopped, so it leaves the account
	// unknown rather than logging.
	orgTrail, orgTrailMaybe := false, false
	type acctFacts struct {
		trails, goodTrail, maybeTrail, detectors, detectorOn, ebs, ebsOff int
		// Regions whose GuardDuty detector list was read: with no
		// detector, or with one that is not in the input.
		noDetector, detectorUnread int
	}
	facts := map[string]*acctFacts{}
	get := func(a string) *acctFacts {
		if facts[a] == nil {
			facts[a] = &acctFacts{}
		}
		return facts[a]
	}
	for _, t := range byType["AWS::CloudTrail::Trail"] {
		a := t.Facts.AuditLog
		if a == nil {
			continue
		}
		f := get(t.Account)
		f.trails++
		if (a.MultiRegion != nil && !*a.MultiRegion) || (a.Enabled != nil && !*a.Enabled) {
			continue // known not to log every region
		}
		org := attr.Any(attr.Bool(attr.Obj(t.Raw, "configuration"), "isOrganizationTrail"))
		if a.MultiRegion != nil && a.Enabled != nil { // both known true
			f.goodTrail++
			orgTrail = orgTrail || org
		} else {
			f.maybeTrail++
			orgTrailMaybe = orgTrailMaybe || org
		}
	}
	for _, d := range byType["AWS::GuardDuty::Detector"] {
		f := get(d.Account)
		f.detectors++
		cfg := attr.Obj(d.Raw, "configuration")
		on := attr.Bool(cfg, "enable")
		if on == nil {
			if st := attr.Str(cfg, "status"); st != "" {
				on = resource.Bool(strings.EqualFold(st, "ENABLED"))
			}
		}
		if on != nil && *on {
			f.detectorOn++
		}
	}
	// `aws guardduty list-detectors` per region: an empty complete list is
	// a region without GuardDuty; a listed detector without its item (its
	// GetDetector failed) leaves the account's threat detection unknown
	// unless another detector is on.
	detectorIDs := map[string]bool{}
	for _, d := range byType["AWS::GuardDuty::Detector"] {
		detectorIDs[d.Account+"/"+attr.Str(d.Raw, "resourceId")] = true
	}
	for _, l := range byType[TypeDetectorIDs] {
		if l.Account == "" {
			continue
		}
		f := get(l.Account)
		ids := attr.Arr(l.Raw, "DetectorIds")
		complete := attr.Any(attr.Bool(l.Raw, "Complete"))
		for _, id := range ids {
			if s, _ := id.(string); !detectorIDs[l.Account+"/"+s] {
				f.detectorUnread++
			}
		}
		if len(ids) == 0 && complete {
			f.noDetector++
		} else if !complete {
			f.detectorUnread++
		}
	}
	// Security contact: a SECURITY alternate contact with an email. The
	// account's other alternate contacts in the input, without a SECURITY
	// one, show it has none (the API answers "not found" for a missing type).
	securityContact := map[string]bool{}
	for _, c := range byType[TypeSecContact] {
		ac := attr.Obj(c.Raw, "AlternateContact")
		ok := strings.EqualFold(attr.Str(ac, "AlternateContactType"), "SECURITY") && attr.Str(ac, "EmailAddress") != ""
		securityContact[c.Account] = securityContact[c.Account] || ok
	}
	for _, e := range byType[TypeEBSDefault] {
		f := get(e.Account)
		f.ebs++
		if b := attr.Bool(e.Raw, "EbsEncryptionByDefault"); b == nil || !*b {
			f.ebsOff++
		}
	}

	cis := accountCIS(rs, byType, unreadRegions(unread, accounts))
	ids := make([]string, 0, len(accounts))
	for a := range accounts {
		ids = append(ids, a)
	}
	sort.Strings(ids)
	for _, a := range ids {
		f := get(a)
		af := &resource.Account{}
		switch {
		case f.goodTrail > 0 || orgTrail:
			af.AuditLogging = resource.Bool(true)
		case f.maybeTrail > 0 || orgTrailMaybe:
			// unknown: a trail that may be logging everywhere
		case f.trails > 0:
			af.AuditLogging = resource.Bool(false)
		}
		switch {
		case f.detectorOn > 0:
			af.ThreatDetection = resource.Bool(true)
		case f.detectorUnread > 0:
			// unknown: a listed detector that was not read may be on
		case f.detectors > 0 || f.noDetector > 0:
			af.ThreatDetection = resource.Bool(false)
		}
		if has, seen := securityContact[a]; seen {
			af.SecurityContact = resource.Bool(has)
		}
		if f.ebs > 0 {
			af.DefaultEncryption = resource.Bool(f.ebsOff == 0)
		}
		af.CIS = cis[a]
		added = append(added, &resource.Resource{
			Provider: resource.AWS, Account: a, Region: "global", Type: TypeAccount, ID: AccountID(a), Name: a,
			Source: "synthesized", Class: resource.ClassAccount, Facts: resource.Facts{Account: af},
		})
	}
	return added, problems
}

// unreadRegions are, per account, the regions of the unread inputs: the
// account and region named in each path (the account may be left out when
// the input holds only one account); inputs that name no region (global
// files, other clouds) are left out.
func unreadRegions(unread []string, accounts map[string]bool) map[string]map[string]bool {
	var out map[string]map[string]bool
	for _, p := range unread {
		reg := regionInPath(p)
		if reg == "" {
			continue
		}
		a := accountInPath(p)
		if a == "" && len(accounts) == 1 {
			for only := range accounts {
				a = only
			}
		}
		if !accounts[a] {
			continue
		}
		if out == nil {
			out = map[string]map[string]bool{}
		}
		if out[a] == nil {
			out[a] = map[string]bool{}
		}
		out[a][reg] = true
	}
	return out
}

var acctInPath = regexp.MustCompile(`(^|[^0-9])([0-9]{12})([^0-9]|$)`)

// accountInPath finds a 12-digit account ID among the elements of p.
func accountInPath(p string) string {
	for _, el := range strings.Split(filepath.ToSlash(p), "/") {
		if m := acctInPath.FindStringSubmatch(el); m != nil {
			return m[2]
		}
	}
	return ""
}

// FinishRaw returns the part of r.Raw that Finalize reads (nil: none), so
// that an importer may drop the rest of a resource's decoded attributes as
// soon as the file is parsed, before the whole inventory is merged. Keep it
// in step with Finalize: TestFinishRawKeepsWhatFinalizeReads (importer)
// compares the inventories imported with and without the pruning.
func FinishRaw(r *resource.Resource) map[string]any {
	if !keepsRaw(r.Type) {
		return nil
	}
	switch r.Type {
	case "AWS::KMS::Key":
		// Its resourceId only (the keys by ID of the rotation statuses
		// and key policies): a key's configuration item is about 1.2 KB
		// of text, kept until the finishers ran.
		return keepFold(r.Raw, "resourceId")
	case TypeLambda:
		// The function policy (get-policy) and URLs (list-function-url-configs).
		var keep map[string]any
		for _, k := range []string{"Policy", "FunctionUrlConfigs"} {
			if v, ok := r.Raw[k]; ok {
				if keep == nil {
					keep = map[string]any{}
				}
				keep[k] = v
			}
		}
		return keep
	}
	return r.Raw
}

// rawKeeps tells the top-level members of a configuration item of a
// keepsRaw type that FinishRaw may keep (keep it in step with FinishRaw):
// an item's Raw is built of them alone when the rest is dropped.
func rawKeeps(typ, key string) bool {
	switch typ {
	case "AWS::KMS::Key":
		return strings.EqualFold(key, "resourceId")
	case TypeLambda:
		return key == "Policy" || key == "FunctionUrlConfigs"
	}
	return true
}

// keepsRaw tells the types of which FinishRaw keeps something.
func keepsRaw(typ string) bool {
	switch typ {
	case "AWS::KMS::Key", TypeKeyRotation, "AWS::CloudTrail::Trail", "AWS::GuardDuty::Detector", TypeSecContact, TypeEBSDefault, TypeKeyPolicy,
		TypeDetectorIDs, TypeBackupPlan, TypeConfigRecorder, TypeAccessAnalyzer, TypeAnalyzerList, TypeServerCertificate,
		TypeMetricFilterList, TypeAlarmList, TypeAlarm, TypeVirtualMFAList, TypeSAMLProviderList, TypeServerCertificateList, TypeMacieSession,
		TypeLambda:
		return true
	}
	return false
}

// keepFold returns the members of raw whose key is key in any case (what
// attr.Get may answer for it), nil when there is none.
func keepFold(raw map[string]any, key string) map[string]any {
	var keep map[string]any
	for k, v := range raw {
		if len(k) == len(key) && strings.EqualFold(k, key) {
			if keep == nil {
				keep = map[string]any{}
			}
			keep[k] = v
		}
	}
	return keep
}
