package awsconfig

import (
	"crypto/x509"
	"encoding/pem"
	"maps"
	"sort"
	"strings"
	"time"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

// Types read for the CIS account facts (accountCIS). AWS Config records
// each (the configuration holds CloudFormation's property names); `vigil
// collect` writes the recorders the same way, with Recording from the
// recorder's status.
const (
	TypeConfigRecorder    = "AWS::Config::ConfigurationRecorder"
	TypeAccessAnalyzer    = "AWS::AccessAnalyzer::Analyzer"
	TypeServerCertificate = "AWS::IAM::ServerCertificate"
	TypeEFS               = "AWS::EFS::FileSystem"
	supportPolicyARN      = "arn:aws:iam::aws:policy/AWSSupportAccess"
)

// classedNetworkACL is networkACL with its class: a network ACL is judged
// by the network ACL rules (its firewall facts have Stateless true).
func classedNetworkACL(it *item) {
	networkACL(it)
	it.r.Class = resource.ClassNetworkACL
}

// efsFileSystem: an AWS::EFS::FileSystem item (Encrypted, KmsKeyId), a disk.
func efsFileSystem(it *item) {
	r, cfg := it.r, it.cfg
	r.Class = resource.ClassDisk
	d := &resource.Disk{}
	r.Facts.Disk = d
	if !cfg.Present() {
		return
	}
	d.Encrypted = cfg.B("Encrypted")
	if kms, st := cfg.Str("KmsKeyId"); st == ok && kms != "" {
		attr.Relate(r, resource.RelUsesKey, kms)
		if strings.Contains(kms, "alias/aws/") {
			d.KeyManager = "provider"
		}
	} else if st == absent && d.Encrypted != nil && *d.Encrypted {
		d.KeyManager = "provider" // the aws/elasticfilesystem key
	}
}

// regionsInUse are the AWS regions holding resources of each account
// (IAM and other global resources aside).
func regionsInUse(rs []*resource.Resource) map[string]map[string]bool {
	out := map[string]map[string]bool{}
	// Whether a region text is a region: asked once per text (an
	// inventory has a few dozen), not twice per resource of a regex.
	isRegion := map[string]bool{}
	for _, r := range rs {
		if r.Account == "" {
			continue
		}
		is, asked := isRegion[r.Region]
		if !asked {
			m := regionRe.FindStringSubmatch(r.Region)
			is = m != nil && m[1] == r.Region
			isRegion[r.Region] = is
		}
		if !is {
			continue
		}
		switch r.Type {
		case TypeConfigRecorder, TypeAccessAnalyzer, TypeAnalyzerList, TypeSecurityHub, TypeStandard, TypeDetectorIDs, TypeDeliveryChannel, TypeMacieSession,
			TypeMetricFilterList, TypeAlarmList:
			continue // the services checked, not the workloads
		}
		if out[r.Account] == nil {
			out[r.Account] = map[string]bool{}
		}
		out[r.Account][r.Region] = true
	}
	return out
}

// regionCoverage is, per account, the regions where a service is on
// (true) or known off (false); an account absent was not shown.
type regionCoverage map[string]map[string]bool

func (c regionCoverage) set(acct, region string, on bool) {
	if acct == "" || region == "" {
		return
	}
	if c[acct] == nil {
		c[acct] = map[string]bool{}
	}
	c[acct][region] = c[acct][region] || on
}

// judge compares an account's regions in use with the regions where the
// service is on: all (true), or not with the regions missing it; nil when
// the input shows the service nowhere for the account, or when it misses
// only in regions whose input was not read whole (unread: the service may
// be on there, its record lost with the file).
func (c regionCoverage) judge(acct string, inUse, unread map[string]bool) (*bool, []string) {
	on, seen := c[acct]
	if !seen {
		return nil, nil
	}
	var missing []string
	unknown := false
	for reg := range inUse {
		switch {
		case on[reg]:
		case unread[reg]:
			unknown = true
		default:
			missing = append(missing, reg)
		}
	}
	if len(missing) == 0 && unknown {
		return nil, nil
	}
	sort.Strings(missing)
	return resource.Bool(len(missing) == 0), missing
}

// accountCIS computes the CIS account facts of each account of rs from
// their configuration recorders, Security Hub hubs, Access Analyzer
// analyzers, IAM roles and server certificates (nil for an account with
// none of them). unread are, per account, the regions of inputs not read
// whole (unreadRegions): in use, and unknown for a service not seen there.
func accountCIS(rs []*resource.Resource, byType map[string][]*resource.Resource, unread map[string]map[string]bool) map[string]*resource.AccountCIS {
	inUse := regionsInUse(rs)
	for a, regs := range unread {
		if inUse[a] == nil {
			inUse[a] = map[string]bool{}
		}
		for reg := range regs {
			inUse[a][reg] = true
		}
	}
	out := map[string]*resource.AccountCIS{}
	get := func(a string) *resource.AccountCIS {
		if out[a] == nil {
			out[a] = &resource.AccountCIS{}
		}
		return out[a]
	}

	// Config: a recorder whose status says it is stopped does not count;
	// one whose status the input does not carry (AWS Config's own record
	// of it) does.
	config := regionCoverage{}
	for _, r := range byType[TypeConfigRecorder] {
		cfg := attr.Obj(r.Raw, "configuration")
		on := true
		if b := attr.Bool(cfg, "Recording"); b != nil {
			on = *b
		}
		config.set(r.Account, r.Region, on)
	}
	hub := regionCoverage{}
	for _, r := range byType[TypeSecurityHub] {
		hub.set(r.Account, r.Region, true)
	}
	analyzer := regionCoverage{}
	for _, r := range byType[TypeAccessAnalyzer] {
		cfg := attr.Obj(r.Raw, "configuration")
		st := strings.ToUpper(attr.Str(cfg, "Status"))
		analyzer.set(r.Account, r.Region, st == "" || st == "ACTIVE")
	}
	analyzerPartial := analyzerListCoverage(analyzer, byType[TypeAnalyzerList])
	// Macie: a session paused does not count. It is wanted where the
	// account's S3 buckets are (and where the input was not read whole).
	macie := regionCoverage{}
	for _, r := range byType[TypeMacieSession] {
		macie.set(r.Account, r.Region, strings.EqualFold(attr.Str(r.Raw, "status"), "ENABLED"))
	}
	bucketRegions := map[string]map[string]bool{}
	for a, regs := range unread {
		bucketRegions[a] = maps.Clone(regs)
	}
	for _, r := range byType["AWS::S3::Bucket"] {
		if r.Account == "" || r.Region == "" {
			continue
		}
		if bucketRegions[r.Account] == nil {
			bucketRegions[r.Account] = map[string]bool{}
		}
		bucketRegions[r.Account][r.Region] = true
	}
	for a := range inUse {
		if all, missing := config.judge(a, inUse[a], unread[a]); all != nil {
			get(a).ConfigAllRegions, get(a).ConfigMissingRegions = all, missing
		}
		if all, missing := hub.judge(a, inUse[a], unread[a]); all != nil {
			get(a).SecurityHubAllRegions, get(a).SecurityHubMissingRegions = all, missing
		}
		if all, missing := analyzer.judge(a, inUse[a], withRegions(unread[a], analyzerPartial[a])); all != nil {
			get(a).AccessAnalyzerAllRegions, get(a).AccessAnalyzerMissingRegions = all, missing
		}
		if all, missing := macie.judge(a, bucketRegions[a], unread[a]); all != nil {
			get(a).MacieAllBucketRegions, get(a).MacieMissingRegions = all, missing
		}
	}

	// Support role: a role with AWSSupportAccess attached.
	for _, r := range byType["AWS::IAM::Role"] {
		if r.Account == "" || r.Facts.Identity == nil {
			continue
		}
		c := get(r.Account)
		has := false
		for _, p := range r.Facts.Identity.AttachedPolicies {
			has = has || p == supportPolicyARN || strings.HasSuffix(p, ":policy/AWSSupportAccess")
		}
		c.SupportRole = resource.Bool(has || (c.SupportRole != nil && *c.SupportRole))
	}

	cloudShellAccess(byType, get)       // cis_cloudshell.go
	accountMetricAlarms(byType, get)    // cis_metricfilters.go
	accountRootHardwareMFA(byType, get) // cis_rootmfa.go
	accountFederation(byType, get)      // cis_federation.go

	// Server certificates, with their expiry from the item (Expiration,
	// as IAM's ServerCertificateMetadata names it) or from the
	// certificate body.
	for _, r := range byType[TypeServerCertificate] {
		if r.Account == "" {
			continue
		}
		cfg := attr.Obj(r.Raw, "configuration")
		name := attr.Str(cfg, "ServerCertificateName")
		if name == "" {
			name = r.Name
		}
		c := get(r.Account)
		c.ServerCertificates = append(c.ServerCertificates, resource.ServerCertificate{Name: name, Expiration: certExpiry(cfg)})
		c.ServerCertificatesListed = resource.Bool(true) // vigil collect wrote items of whole listings only
	}
	accountServerCertificates(byType, get) // cis_listings.go
	for _, c := range out {
		sort.Slice(c.ServerCertificates, func(i, j int) bool { return c.ServerCertificates[i].Name < c.ServerCertificates[j].Name })
	}
	return out
}

// certExpiry is when a server certificate item expires, RFC 3339; "" when
// the item shows neither its Expiration nor a certificate body that parses.
func certExpiry(cfg attr.M) string {
	for _, k := range []string{"Expiration", "expiration"} {
		if s := attr.Str(cfg, k); s != "" {
			if t, err := time.Parse(time.RFC3339, s); err == nil {
				return t.UTC().Format(time.RFC3339)
			}
		}
	}
	block, _ := pem.Decode([]byte(attr.Str(cfg, "CertificateBody")))
	if block == nil {
		return ""
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return ""
	}
	return cert.NotAfter.UTC().Format(time.RFC3339)
}
