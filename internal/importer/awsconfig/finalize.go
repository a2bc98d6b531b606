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

// Finalize completes the AWS resources of a merged inventory with facts that
// need several resources (instance disks from volumes, admin rights from
// customer-managed policies, account-level Block Public Access, VPC flow
// logs), attributes account-less CLI outputs, and returns one synthesized
// resource of class account per AWS account seen, with its account facts.
// It returns the new resources and any input it could not attribute.
func Finalize(all []*resource.Resource) (added []*resource.Resource, problems []attr.Problem) {
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
	// element, else from the only account in the input.
	for _, t := range []string{TypePasswordPolicy, TypeEBSDefault, TypeSecContact} {
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
				problems = append(problems, attr.Problem{Path: r.Source, Err: "cannot tell which AWS account this " + t + " belongs to (put it under a directory named after the account ID)"})
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

	// Instances: disk encryption from their volumes.
	volEnc := map[string]*bool{}
	for _, v := range byType["AWS::EC2::Volume"] {
		volEnc[attr.Str(v.Raw, "resourceId")] = attr.Bool(attr.Obj(v.Raw, "configuration"), "encrypted")
	}
	for _, in := range byType["AWS::EC2::Instance"] {
		if in.Facts.Compute == nil {
			continue
		}
		var vols []string
		for _, rel := range in.Relationships {
			if strings.HasPrefix(rel.TargetID, "vol-") {
				vols = append(vols, rel.TargetID)
			}
		}
		in.Facts.Compute.DiskEncrypted = allTrue(vols, volEnc)
	}

	// Identities: admin rights through attached customer-managed policies.
	policyAdmin := map[string]bool{}
	for _, p := range byType["AWS::IAM::Policy"] {
		cfg := attr.Obj(p.Raw, "configuration")
		def := attr.Str(cfg, "defaultVersionId")
		for _, v := range attr.Objs(cfg, "policyVersionList") {
			if attr.Any(attr.Bool(v, "isDefaultVersion")) || (def != "" && attr.Str(v, "versionId") == def) {
				policyAdmin[p.ID] = grantsAdmin(policyDoc(getv(v, "document")))
			}
		}
	}
	for _, t := range []string{"AWS::IAM::User", "AWS::IAM::Role", "AWS::IAM::Group"} {
		for _, r := range byType[t] {
			id := r.Facts.Identity
			if id == nil || id.Admin == nil || *id.Admin {
				continue
			}
			for _, arn := range id.AttachedPolicies {
				if strings.HasPrefix(arn, "arn:aws:iam::aws:policy/") {
					continue
				}
				admin, known := policyAdmin[arn]
				switch {
				case admin:
					id.Admin = resource.Bool(true)
				case !known && id.Admin != nil && !*id.Admin:
					id.Admin = nil // depends on a policy the input does not carry
				}
				if id.Admin != nil && *id.Admin {
					break
				}
			}
		}
	}

	// Buckets: account-level Block Public Access.
	acctBlocked := map[string]bool{}
	for _, b := range byType["AWS::S3::AccountPublicAccessBlock"] {
		cfg := attr.Obj(b.Raw, "configuration")
		all := cfg != nil
		for _, k := range []string{"blockPublicAcls", "ignorePublicAcls", "blockPublicPolicy", "restrictPublicBuckets"} {
			if !attr.Any(attr.Bool(cfg, k)) {
				all = false
			}
		}
		if all {
			acctBlocked[b.Account] = true
		}
	}
	bucketByName := map[string]*resource.Resource{}
	for _, b := range byType["AWS::S3::Bucket"] {
		bucketByName[b.Name] = b
		if s := b.Facts.Storage; s != nil && acctBlocked[b.Account] {
			s.PublicAccessBlocked = resource.Bool(true)
			if s.PublicAccess != nil && *s.PublicAccess {
				s.PublicAccess = resource.Bool(false)
			}
		}
	}

	// VPCs: flow logs, from Config FlowLog items or describe-flow-logs output.
	vpcs := map[string]*resource.Resource{}
	for _, v := range byType["AWS::EC2::VPC"] {
		vpcs[attr.Str(v.Raw, "resourceId")] = v
	}
	flowEvidence := map[string]bool{}
	flowFor := map[string]bool{}
	for _, fl := range byType[TypeFlowLog] {
		target, status := attr.Str(attr.Obj(fl.Raw, "configuration"), "resourceId"), attr.Str(attr.Obj(fl.Raw, "configuration"), "flowLogStatus")
		if fl.Raw != nil && attr.Has(fl.Raw, "FlowLogId") { // describe-flow-logs shape
			target, status = attr.Str(fl.Raw, "ResourceId"), attr.Str(fl.Raw, "FlowLogStatus")
		}
		if v, ok := vpcs[target]; ok && fl.Account == "" {
			fl.Account, fl.Region = v.Account, v.Region
		}
		if fl.Account != "" {
			flowEvidence[fl.Account] = true
		}
		if status == "" || strings.EqualFold(status, "ACTIVE") {
			flowFor[target] = true
		}
	}
	for id, v := range vpcs {
		if v.Facts.Network == nil {
			continue
		}
		if flowFor[id] {
			v.Facts.Network.FlowLogs = resource.Bool(true)
		} else if flowEvidence[v.Account] {
			v.Facts.Network.FlowLogs = resource.Bool(false)
		}
	}

	// Trails: whether the destination bucket is public; organization trails.
	orgTrail := false
	type acctFacts struct{ trails, goodTrail, detectors, detectorOn, ebs, ebsOff int }
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
		if b := bucketByName[a.Destination]; b != nil && b.Facts.Storage != nil && b.Facts.Storage.PublicAccess != nil {
			a.DestinationPublic = b.Facts.Storage.PublicAccess
		}
		f := get(t.Account)
		f.trails++
		if a.MultiRegion != nil && *a.MultiRegion && (a.Enabled == nil || *a.Enabled) {
			f.goodTrail++
			if attr.Any(attr.Bool(attr.Obj(t.Raw, "configuration"), "isOrganizationTrail")) {
				orgTrail = true
			}
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
		case f.trails > 0:
			af.AuditLogging = resource.Bool(false)
		}
		if f.detectors > 0 {
			af.ThreatDetection = resource.Bool(f.detectorOn > 0)
		}
		if has, seen := securityContact[a]; seen {
			af.SecurityContact = resource.Bool(has)
		}
		if f.ebs > 0 {
			af.DefaultEncryption = resource.Bool(f.ebsOff == 0)
		}
		added = append(added, &resource.Resource{
			Provider: resource.AWS, Account: a, Region: "global", Type: TypeAccount, ID: AccountID(a), Name: a,
			Source: "synthesized", Class: resource.ClassAccount, Facts: resource.Facts{Account: af},
		})
	}
	return added, problems
}

func allTrue(keys []string, known map[string]*bool) *bool {
	if len(keys) == 0 {
		return nil
	}
	all := true
	for _, k := range keys {
		b, ok := known[k]
		if !ok || b == nil {
			all = false
			continue
		}
		if !*b {
			return resource.Bool(false)
		}
	}
	if !all {
		return nil
	}
	return resource.Bool(true)
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
