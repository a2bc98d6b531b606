package awsconfig

import (
	"regexp"
	"sort"
	"strings"

	"github.com/vigil-sec/vigil/internal/iam/awspolicy"
	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

// keyManager tells an AWS-managed key (alias/aws/...) from a customer key
// when the reference says: any other alias is a customer's (aliases under
// aws/ are AWS's own). A key ID or ARN does not say: "" until the key's
// own item decides it (resolveKeys, through the uses_key relationship).
func keyManager(ref string) string {
	switch {
	case ref == "":
		return ""
	case strings.Contains(ref, "alias/aws/"):
		return "provider"
	case strings.HasPrefix(ref, "alias/") || strings.Contains(ref, ":alias/"):
		return "customer"
	}
	return ""
}

// resolveKeys decides the key manager of the resources of a file that
// name their KMS key by ID or ARN (uses_key) from that key's item in the
// same file (AWS Config snapshots are per region, like keys).
func resolveKeys(res *attr.Result) {
	keys := map[string]*bool{}
	for _, r := range res.Resources {
		if k := r.Facts.Key; k != nil && k.CustomerManaged != nil {
			keys[r.ID] = k.CustomerManaged
			for _, a := range r.Aliases {
				keys[a] = k.CustomerManaged
			}
		}
	}
	if len(keys) == 0 {
		return
	}
	for _, r := range res.Resources {
		var km *string
		switch f := r.Facts; {
		case f.Disk != nil:
			km = &f.Disk.KeyManager
		case f.Queue != nil:
			km = &f.Queue.KeyManager
		case f.Secret != nil:
			km = &f.Secret.KeyManager
		case f.Registry != nil:
			km = &f.Registry.KeyManager
		case f.Database != nil:
			km = &f.Database.KeyManager
		case f.Snapshot != nil:
			km = &f.Snapshot.KeyManager
		}
		if km == nil || *km != "" {
			continue
		}
		for _, rel := range r.Relationships {
			if rel.Type != resource.RelUsesKey {
				continue
			}
			if cm, ok := keys[rel.TargetID]; ok {
				if *cm {
					*km = "customer"
				} else {
					*km = "provider"
				}
			}
		}
	}
}

// docAt parses the policy document at key (JSON text or an object); nil
// when absent. A document of the wrong type or that does not parse is
// reported and returned with its error.
func docAt(n node, key, owner string) (*resource.PolicyDocument, state) {
	v, st := n.Lookup(key)
	if st != ok {
		return nil, st
	}
	switch v.(type) {
	case string, attr.M, *attr.Object:
	default:
		n.C.Wrong(n.Field(key), "string", v)
		return nil, bad
	}
	d := awspolicy.Parse(attr.Plain(v))
	if d != nil && d.Error != "" {
		policyProblem(n, n.Field(key), owner, key, d)
		return d, bad
	}
	return d, ok
}

func volume(it *item) {
	r, cfg := it.r, it.cfg
	r.Class = resource.ClassDisk
	d := &resource.Disk{}
	r.Facts.Disk = d
	if !cfg.Present() {
		return
	}
	d.Encrypted = cfg.B("encrypted")
	if kms, st := cfg.Str("kmsKeyId"); st == ok && kms != "" {
		attr.Relate(r, resource.RelUsesKey, kms)
		if strings.Contains(kms, "alias/aws/") {
			d.KeyManager = "provider"
		}
	} else if st == absent && d.Encrypted != nil && *d.Encrypted {
		d.KeyManager = "provider"
	}
	if atts, st := cfg.Objs("attachments"); st == ok {
		before := cfg.C.Count()
		for _, a := range atts {
			if s := a.S("state"); s != "" && s != "attached" && s != "attaching" {
				continue
			}
			if in := a.S("instanceId"); in != "" {
				d.AttachedTo = append(d.AttachedTo, in)
			}
		}
		if cfg.C.Count() == before {
			d.Attached = boolp(len(d.AttachedTo) > 0)
		} else {
			d.AttachedTo = nil
		}
	}
	d.SizeGB = cfg.I("size")
}

// flowLog: a Config AWS::EC2::FlowLog item. A flow log exists only while it
// is on: without a status it counts as enabled.
func flowLog(it *item) {
	r, cfg := it.r, it.cfg
	r.Class = resource.ClassFlowLog
	f := &resource.FlowLog{}
	r.Facts.FlowLog = f
	if !cfg.Present() {
		return
	}
	if st, sst := cfg.Str("flowLogStatus"); sst == ok {
		f.Enabled = boolp(strings.EqualFold(st, "ACTIVE"))
	} else if sst == absent {
		f.Enabled = boolp(true)
	}
	// A flow log whose delivery fails records nothing.
	if del, dst := cfg.Str("deliverLogsStatus"); dst == ok && strings.EqualFold(del, "FAILED") && f.Enabled != nil {
		f.Enabled = boolp(false)
	} else if dst == bad {
		f.Enabled = nil
	}
	if t := cfg.S("resourceId"); t != "" {
		f.Targets = []string{t}
		attr.Relate(r, resource.RelFlowLogsOf, t)
	}
}

// accountPublicAccessBlock: the account-level S3 Block Public Access
// settings become the account's storage_public_access_blocked fact (the
// item is the account resource, merged with the one derivation adds).
func accountPublicAccessBlock(it *item) {
	r, cfg := it.r, it.cfg
	r.ID, r.Type, r.Name, r.Region, r.Aliases = AccountID(r.Account), TypeAccount, r.Account, "global", nil
	r.Class = resource.ClassAccount
	a := &resource.Account{}
	r.Facts.Account = a
	if !cfg.Present() {
		return
	}
	before := cfg.C.Count()
	all := true
	for _, k := range []string{"blockPublicAcls", "ignorePublicAcls", "blockPublicPolicy", "restrictPublicBuckets"} {
		if b := cfg.B(k); b == nil || !*b {
			all = false
		}
	}
	if cfg.C.Count() == before {
		a.StoragePublicAccessBlocked = boolp(all)
	}
}

// runtimeDeprecation maps Lambda runtime identifiers to the date AWS
// deprecates them (the "Deprecation date" column of the supported and
// deprecated runtimes tables of
// https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html).
// Identifiers not listed are unknown.
var runtimeDeprecation = map[string]string{
	"nodejs": "2016-10-31", "nodejs4.3": "2020-03-05", "nodejs4.3-edge": "2020-03-05", "nodejs6.10": "2019-08-12",
	"nodejs8.10": "2020-03-06", "nodejs10.x": "2021-07-30", "nodejs12.x": "2023-03-31", "nodejs14.x": "2023-12-04",
	"nodejs16.x": "2024-06-12", "nodejs18.x": "2025-09-01", "nodejs20.x": "2026-04-30", "nodejs22.x": "2027-04-30",
	"nodejs24.x": "2028-04-30",
	"python2.7":  "2021-07-15", "python3.6": "2022-07-18", "python3.7": "2023-12-04", "python3.8": "2024-10-14",
	"python3.9": "2025-12-15", "python3.10": "2026-06-30", "python3.11": "2026-06-30", "python3.12": "2028-10-31",
	"python3.13": "2029-06-30", "python3.14": "2029-06-30",
	"java8": "2024-01-08", "java8.al2": "2026-06-30", "java11": "2026-06-30", "java17": "2026-06-30",
	"java21": "2029-06-30", "java25": "2029-06-30",
	"go1.x": "2024-01-08", "provided": "2024-01-08", "provided.al2": "2026-06-30", "provided.al2023": "2029-06-30",
	"dotnetcore1.0": "2019-06-27", "dotnetcore2.0": "2019-05-30", "dotnetcore2.1": "2022-01-05",
	"dotnetcore3.1": "2023-04-03", "dotnet5.0": "2022-05-10", "dotnet6": "2024-12-20", "dotnet7": "2024-05-14",
	"dotnet8": "2026-11-10", "dotnet10": "2028-11-14",
	"ruby2.5": "2021-07-30", "ruby2.7": "2023-12-07", "ruby3.2": "2026-03-31", "ruby3.3": "2027-03-31",
	"ruby3.4": "2028-03-31",
}

// RuntimeEndOfSupport is the deprecation date of a Lambda runtime as RFC
// 3339 (midnight UTC), "" for an identifier the table does not know. It is
// a property of the runtime, not of a clock: rules compare it with the
// scan time.
func RuntimeEndOfSupport(runtime string) string {
	if d, ok := runtimeDeprecation[runtime]; ok {
		return d + "T00:00:00Z"
	}
	return ""
}

// secretName matches environment variable names that hold credentials.
var secretName = regexp.MustCompile(`(?i)(secret|passw(or)?d|(^|_)pwd($|_)|token|api[_-]?key|private[_-]?key|access[_-]?key|credential)`)

// secretValue matches values that are credentials whatever the name (AWS
// access key IDs, private keys).
var secretValue = regexp.MustCompile(`(AKIA|ASIA)[A-Z0-9]{16}|-----BEGIN [A-Z ]*PRIVATE KEY-----`)

func lambdaFunction(it *item) {
	r, cfg := it.r, it.cfg
	r.Class = resource.ClassFunction
	f := &resource.Function{}
	r.Facts.Function = f
	if !cfg.Present() {
		return
	}
	if name := cfg.S("functionName"); name != "" {
		r.Name = name
	}
	f.Runtime = cfg.S("runtime")
	// A container image brings its own runtime, which Lambda does not
	// deprecate: no date, so the fact stays unknown.
	f.RuntimeEndOfSupport = RuntimeEndOfSupport(f.Runtime)
	if role := cfg.S("role"); role != "" {
		f.Identity = role
		attr.Relate(r, resource.RelRunsAs, role)
	}
	switch env, st := cfg.Obj("environment"); st {
	case ok:
		switch vars, vst := env.Obj("variables"); vst {
		case ok:
			before := cfg.C.Count()
			for name, v := range vars.Map() {
				val, isStr := v.(string)
				if !isStr && v != nil {
					vars.C.Wrong(vars.Field(name), "string", v)
					continue
				}
				if secretName.MatchString(name) || secretValue.MatchString(val) {
					f.SecretVariables = append(f.SecretVariables, name)
				}
			}
			sort.Strings(f.SecretVariables)
			if cfg.C.Count() == before {
				f.EnvironmentSecrets = boolp(len(f.SecretVariables) > 0)
			} else {
				f.SecretVariables = nil
			}
		case absent:
			f.EnvironmentSecrets = boolp(false)
		}
	}
	// No environment in the item: AWS Config's schema does not list the
	// variables, so their absence is no evidence there are none (unknown).
	if subnets, st := cfg.Strs("vpcConfig", "subnetIds"); st == ok {
		f.InVPC = boolp(len(subnets) > 0)
	} else if st == absent {
		f.InVPC = boolp(false)
	}
	if mode := cfg.S("tracingConfig", "mode"); mode != "" {
		f.Tracing = boolp(strings.EqualFold(mode, "Active"))
	}
	d, st := docAt(it.supp, "Policy", "function "+r.Name)
	r.Facts.ResourcePolicy = d
	switch {
	case st == ok && d != nil:
		f.PublicInvocation = awspolicy.Public(d)
	case st == absent && it.supp.Has("Policy"):
		// "Policy": null: the function has no resource policy (GetPolicy
		// answered ResourceNotFoundException), so only the account's own
		// identities can invoke it, through its URLs too.
		f.PublicInvocation = boolp(false)
	}
}

func eksCluster(it *item) {
	r, cfg := it.r, it.cfg
	r.Class = resource.ClassKubernetes
	k := &resource.Kubernetes{}
	r.Facts.Kubernetes = k
	if !cfg.Present() {
		return
	}
	k.Version = cfg.S("Version")
	vc := cfg.O("ResourcesVpcConfig")
	k.PublicEndpoint = vc.B("EndpointPublicAccess")
	if cidrs, st := vc.Strs("PublicAccessCidrs"); st == ok {
		k.EndpointAllowedCIDRs = cidrs
	}
	// Logging: the CloudFormation-shaped item lists the enabled log types;
	// no Logging means none.
	switch lg, st := cfg.Obj("Logging"); st {
	case ok:
		before := cfg.C.Count()
		types, tst := lg.Objs("ClusterLogging", "EnabledTypes")
		audit, api := false, false
		for _, t := range types {
			switch strings.ToLower(t.S("Type")) {
			case "audit":
				audit = true
			case "api":
				api = true
			}
		}
		if tst == bad || cfg.C.Count() != before {
			break
		}
		k.ControlPlaneLogging, k.AuditLogging = boolp(len(types) > 0 && (api || audit)), boolp(audit)
	case absent:
		k.ControlPlaneLogging, k.AuditLogging = boolp(false), boolp(false)
	}
	switch enc, st := cfg.Objs("EncryptionConfig"); st {
	case ok:
		before := cfg.C.Count()
		secrets := false
		for _, e := range enc {
			res, _ := e.Strs("Resources")
			for _, x := range res {
				if x == "secrets" && e.S("Provider", "KeyArn") != "" {
					secrets = true
					attr.Relate(r, resource.RelUsesKey, e.S("Provider", "KeyArn"))
				}
			}
		}
		if cfg.C.Count() == before {
			k.SecretsEncrypted = boolp(secrets)
		}
	case absent:
		k.SecretsEncrypted = boolp(false)
	}
	k.RBAC = boolp(true) // EKS always authorizes with Kubernetes RBAC
	if role := cfg.S("RoleArn"); role != "" {
		attr.Relate(r, resource.RelRunsAs, role)
	}
}

// tlsOfPolicy gives the lowest TLS version an ELB security policy allows:
// "1.0", "1.1", "1.2" or "1.3"; "" for a name vigil does not know.
func tlsOfPolicy(name string) string {
	n := strings.ToUpper(name)
	switch {
	case n == "":
		return ""
	case strings.Contains(n, "TLS13-1-3") || strings.Contains(n, "TLS-1-3"):
		return "1.3"
	case strings.Contains(n, "TLS13-1-2") || strings.Contains(n, "TLS-1-2") || strings.Contains(n, "FS-1-2"):
		return "1.2"
	case strings.Contains(n, "TLS13-1-1") || strings.Contains(n, "TLS-1-1") || strings.Contains(n, "FS-1-1"):
		return "1.1"
	case strings.Contains(n, "TLS13-1-0") || strings.Contains(n, "TLS-1-0") || n == "ELBSECURITYPOLICY-2016-08" ||
		n == "ELBSECURITYPOLICY-2015-05" || n == "ELBSECURITYPOLICY-FS-2018-06" || strings.HasPrefix(n, "ELBSAMPLE"):
		return "1.0"
	}
	return ""
}

func weak(v string) *bool {
	if v == "" {
		return nil
	}
	return boolp(v < "1.2")
}

func elbv2LoadBalancer(it *item) {
	r, cfg := it.r, it.cfg
	r.Class = resource.ClassLoadBalancer
	lb := &resource.LoadBalancer{}
	r.Facts.LoadBalancer = lb
	if !cfg.Present() {
		return
	}
	if s := cfg.S("scheme"); s != "" {
		lb.Public = boolp(strings.EqualFold(s, "internet-facing"))
	}
	elbv2Attributes(lb, it.supp)
	attr.Relate(r, resource.RelInNetwork, cfg.S("vpcId"))
	sgs, _ := cfg.Strs("securityGroups")
	for _, sg := range sgs {
		attr.Relate(r, resource.RelUsesFirewall, sg)
	}
}

// elbv2Listener: each listener item is judged on its own (class
// load_balancer with its one listener) and linked to its load balancer.
func elbv2Listener(it *item) {
	r, cfg := it.r, it.cfg
	r.Class = resource.ClassLoadBalancer
	lb := &resource.LoadBalancer{}
	r.Facts.LoadBalancer = lb
	// Its load balancer, from the configuration or else the item's
	// relationships: a listener that cannot be read still makes its load
	// balancer's listener facts unknown.
	lbARN := cfg.S("LoadBalancerArn")
	if lbARN == "" {
		rels, _ := it.relationships()
		for _, rel := range rels {
			if rel.S("resourceType") == "AWS::ElasticLoadBalancingV2::LoadBalancer" {
				lbARN = rel.S("resourceId")
			}
		}
	}
	attr.Relate(r, "listener_of", lbARN)
	if !cfg.Present() {
		return
	}
	before := cfg.C.Count()
	l := resource.Listener{Protocol: strings.ToUpper(cfg.S("Protocol")), TLSPolicy: cfg.S("SslPolicy")}
	if p := cfg.I("Port"); p != nil {
		l.Port = *p
	}
	l.MinTLSVersion = tlsOfPolicy(l.TLSPolicy)
	acts, ast := cfg.Objs("DefaultActions")
	if l.Protocol == "HTTP" && ast == ok {
		redirect := false
		for _, a := range acts {
			if strings.EqualFold(a.S("Type"), "redirect") && strings.EqualFold(a.S("RedirectConfig", "Protocol"), "HTTPS") {
				redirect = true
			}
		}
		l.RedirectsToHTTPS = boolp(redirect)
	}
	if cfg.C.Count() != before || l.Protocol == "" {
		return
	}
	l.Forwards = listenerForwards(acts)
	lb.Listeners = []resource.Listener{l}
	lb.Public = nil
	switch l.Protocol {
	case "HTTP":
		if l.RedirectsToHTTPS != nil {
			lb.HTTPListener = attr.Not(l.RedirectsToHTTPS)
		}
	case "HTTPS", "TLS":
		lb.HTTPListener = boolp(false)
		lb.WeakTLS = weak(l.MinTLSVersion)
	default:
		lb.HTTPListener = boolp(false)
	}
}

func classicLoadBalancer(it *item) {
	r, cfg, supp := it.r, it.cfg, it.supp
	r.Class = resource.ClassLoadBalancer
	lb := &resource.LoadBalancer{}
	r.Facts.LoadBalancer = lb
	if !cfg.Present() {
		return
	}
	if s := cfg.S("scheme"); s != "" {
		lb.Public = boolp(strings.EqualFold(s, "internet-facing"))
	}
	// TLS: the SSL negotiation policies in the supplementary configuration.
	minTLS := ""
	pols, pst := supp.Objs("LoadBalancerPolicies")
	for _, p := range pols {
		attrs, _ := p.Objs("policyAttributeDescriptions")
		for _, a := range attrs {
			name, val := a.S("attributeName"), a.S("attributeValue")
			if !strings.EqualFold(val, "true") {
				if name == "Reference-Security-Policy" && minTLS == "" {
					minTLS = tlsOfPolicy(val)
				}
				continue
			}
			v := map[string]string{"Protocol-SSLv3": "0.3", "Protocol-TLSv1": "1.0", "Protocol-TLSv1.1": "1.1", "Protocol-TLSv1.2": "1.2"}[name]
			if v != "" && (minTLS == "" || v < minTLS) {
				minTLS = v
			}
		}
	}
	before := cfg.C.Count()
	lds, lst := cfg.Objs("listenerDescriptions")
	httpL, tls := false, false
	for _, ld := range lds {
		l := ld.O("listener")
		proto := strings.ToUpper(l.S("protocol"))
		li := resource.Listener{Protocol: proto}
		if p := l.I("loadBalancerPort"); p != nil {
			li.Port = *p
		}
		switch proto {
		case "HTTP":
			httpL = true
			li.RedirectsToHTTPS = boolp(false) // a classic load balancer cannot redirect
		case "HTTPS", "SSL":
			tls = true
			li.MinTLSVersion = minTLS
		}
		lb.Listeners = append(lb.Listeners, li)
	}
	if lst != ok || cfg.C.Count() != before {
		lb.Listeners = nil
		return
	}
	classicForwards(r, cfg, lb)
	lb.HTTPListener = boolp(httpL)
	if tls && pst == ok {
		lb.WeakTLS = weak(minTLS)
	} else if !tls {
		lb.WeakTLS = boolp(false)
	}
}

func queueOrTopic(it *item, kind string) {
	r, cfg := it.r, it.cfg
	r.Class = resource.ClassQueue
	q := &resource.Queue{Kind: kind}
	r.Facts.Queue = q
	if !cfg.Present() {
		return
	}
	kms, kst := cfg.Str("KmsMasterKeyId")
	sqsSSE := cfg.B("SqsManagedSseEnabled")
	switch {
	case kst == ok && kms != "":
		q.Encrypted, q.KeyManager = boolp(true), keyManager(kms)
		attr.Relate(r, resource.RelUsesKey, kms)
	case sqsSSE != nil && *sqsSSE:
		q.Encrypted, q.KeyManager = boolp(true), "provider"
	case kst == absent && (kind == "topic" || sqsSSE != nil):
		q.Encrypted = boolp(false)
	}
	d, st := docAt(cfg, "Policy", kind+" "+r.Name)
	r.Facts.ResourcePolicy = d
	if st == ok && d != nil {
		q.PublicPolicy = awspolicy.Public(d)
	}
}

func sqsQueue(it *item) {
	queueOrTopic(it, "queue")
	if n := it.cfg.S("QueueName"); n != "" {
		it.r.Name = n
	}
}

func snsTopic(it *item) { queueOrTopic(it, "topic") }

func secret(it *item) {
	r, cfg := it.r, it.cfg
	r.Class = resource.ClassSecret
	s := &resource.Secret{}
	r.Facts.Secret = s
	if !cfg.Present() {
		return
	}
	if n := cfg.S("Name"); n != "" {
		r.Name = n
	}
	s.RotationEnabled = cfg.B("RotationEnabled")
	if s.RotationEnabled != nil && *s.RotationEnabled {
		s.RotationPeriodDays = cfg.I("RotationRules", "AutomaticallyAfterDays")
	}
	switch kms, st := cfg.Str("KMSKeyId"); st {
	case ok:
		s.KeyManager = keyManager(kms)
		attr.Relate(r, resource.RelUsesKey, kms)
	case absent:
		s.KeyManager = "provider" // aws/secretsmanager
	}
	s.LastRotated = cfg.S("LastRotatedDate")
	for _, key := range []string{"ResourcePolicy", "Policy"} {
		d, st := docAt(cfg, key, "secret "+r.Name)
		if d != nil {
			r.Facts.ResourcePolicy = d
		}
		if st == ok && d != nil {
			s.PublicAccess = awspolicy.Public(d)
		}
	}
}

func ecrRepository(it *item) {
	r, cfg := it.r, it.cfg
	r.Class = resource.ClassContainerRegistry
	g := &resource.Registry{}
	r.Facts.Registry = g
	if !cfg.Present() {
		return
	}
	if n := cfg.S("RepositoryName"); n != "" {
		r.Name = n
	}
	g.ImageScanning = cfg.B("ImageScanningConfiguration", "ScanOnPush")
	if m := cfg.S("ImageTagMutability"); m != "" {
		g.TagImmutable = boolp(strings.EqualFold(m, "IMMUTABLE"))
	}
	switch enc := cfg.S("EncryptionConfiguration", "EncryptionType"); strings.ToUpper(enc) {
	case "KMS":
		if key := cfg.S("EncryptionConfiguration", "KmsKey"); key != "" {
			g.KeyManager = keyManager(key)
			attr.Relate(r, resource.RelUsesKey, key)
		} else {
			g.KeyManager = "provider" // aws/ecr
		}
	case "AES256":
		g.KeyManager = "provider"
	}
	d, st := docAt(cfg, "RepositoryPolicyText", "repository "+r.Name)
	r.Facts.ResourcePolicy = d
	switch st {
	case ok:
		if d == nil {
			g.Public = boolp(false)
		} else {
			g.Public = awspolicy.Public(d)
		}
	}
}

func hostedZone(it *item) {
	r, cfg := it.r, it.cfg
	r.Class = resource.ClassDNSZone
	z := &resource.DNSZone{}
	r.Facts.DNS = z
	if !cfg.Present() {
		return
	}
	if n := cfg.S("Name"); n != "" {
		r.Name = n
	}
	switch vpcs, st := cfg.Objs("VPCs"); st {
	case ok:
		z.Public = boolp(len(vpcs) == 0)
	case absent:
		z.Public = boolp(true)
	}
	switch ql, st := cfg.Obj("QueryLoggingConfig"); st {
	case ok:
		z.QueryLogging = boolp(ql.Len() > 0)
	case absent:
		z.QueryLogging = boolp(false)
	}
}

// CloudFrontTLS maps a CloudFront viewer certificate's minimum protocol
// version (TLSv1.2_2021, TLSv1_2016...) to a TLS version ("1.2"); the IaC
// readers use it too.
func CloudFrontTLS(v string) string {
	switch {
	case strings.HasPrefix(v, "TLSv1.3"):
		return "1.3"
	case strings.HasPrefix(v, "TLSv1.2"):
		return "1.2"
	case strings.HasPrefix(v, "TLSv1.1"):
		return "1.1"
	case strings.HasPrefix(v, "TLSv1"):
		return "1.0"
	case strings.HasPrefix(v, "SSLv3"):
		return "0.3"
	}
	return ""
}

func distribution(it *item) {
	r, cfg := it.r, it.cfg
	r.Class = resource.ClassCDN
	c := &resource.CDN{}
	r.Facts.CDN = c
	dc := cfg.O("distributionConfig")
	if !dc.Present() {
		return
	}
	before := cfg.C.Count()
	https := func(p string) bool { return p == "redirect-to-https" || p == "https-only" }
	only := https(dc.S("defaultCacheBehavior", "viewerProtocolPolicy"))
	cbs, _ := dc.Objs("cacheBehaviors", "items")
	for _, cb := range cbs {
		only = only && https(cb.S("viewerProtocolPolicy"))
	}
	if cfg.C.Count() == before {
		c.ViewerHTTPSOnly = boolp(only)
	}
	vc := dc.O("viewerCertificate")
	if def := vc.B("cloudFrontDefaultCertificate"); def != nil && *def {
		c.MinTLSVersion = "1.0" // the *.cloudfront.net certificate allows TLSv1
	} else {
		c.MinTLSVersion = CloudFrontTLS(vc.S("minimumProtocolVersion"))
	}
	if waf, st := dc.Str("webACLId"); st != bad {
		c.WAF = boolp(waf != "")
	}
	c.AccessLogs = dc.B("logging", "enabled")
	before = cfg.C.Count()
	origins, ost := dc.Objs("origins", "items")
	originHTTPS, s3, oac := true, 0, 0
	for _, o := range origins {
		if co := o.O("customOriginConfig"); co.Present() {
			if co.S("originProtocolPolicy") != "https-only" {
				originHTTPS = false
			}
			continue
		}
		s3++
		if o.S("originAccessControlId") != "" || o.S("s3OriginConfig", "originAccessIdentity") != "" {
			oac++
		}
	}
	if ost == ok && cfg.C.Count() == before {
		c.OriginHTTPSOnly = boolp(originHTTPS)
		if s3 > 0 {
			c.OriginAccessControl = boolp(oac == s3)
		}
	}
}

func apiStage(it *item) {
	r, cfg := it.r, it.cfg
	r.Class = resource.ClassAPIGateway
	a := &resource.APIGateway{}
	r.Facts.APIGateway = a
	if !cfg.Present() {
		return
	}
	access, ast := cfg.Str("accessLogSettings", "destinationArn")
	exec := false
	if ms, st := cfg.Obj("methodSettings"); st == ok {
		for k := range ms.Map() {
			lvl := ms.O(k).S("loggingLevel")
			if lvl == "INFO" || lvl == "ERROR" {
				exec = true
			}
		}
	}
	if ast != bad {
		a.Logging = boolp(access != "" || exec)
	}
	if waf, st := cfg.Str("webAclArn"); st != bad {
		a.WAF = boolp(waf != "")
	}
	if cc, st := cfg.Str("clientCertificateId"); st != bad {
		a.ClientCertificate = boolp(cc != "")
	}
	a.Tracing = cfg.B("tracingEnabled")
}

// restAPI: an API Gateway REST API is public unless every endpoint type is
// PRIVATE; whether its methods need authorization comes from
// `aws apigateway get-resources --embed methods` output (cli.go).
func restAPI(it *item) {
	r, cfg := it.r, it.cfg
	r.Class = resource.ClassAPIGateway
	a := &resource.APIGateway{}
	r.Facts.APIGateway = a
	if !cfg.Present() {
		return
	}
	if n := cfg.S("name"); n != "" {
		r.Name = n
	}
	if types, st := cfg.Strs("endpointConfiguration", "types"); st == ok && len(types) > 0 {
		public := false
		for _, t := range types {
			if !strings.EqualFold(t, "PRIVATE") {
				public = true
			}
		}
		a.Public = boolp(public)
	}
}

func apiStageV2(it *item) {
	r, cfg := it.r, it.cfg
	r.Class = resource.ClassAPIGateway
	a := &resource.APIGateway{}
	r.Facts.APIGateway = a
	if !cfg.Present() {
		return
	}
	access, ast := cfg.Str("accessLogSettings", "destinationArn")
	lvl := cfg.S("defaultRouteSettings", "loggingLevel")
	if ast != bad {
		a.Logging = boolp(access != "" || lvl == "INFO" || lvl == "ERROR")
	}
	if cc, st := cfg.Str("clientCertificateId"); st != bad {
		a.ClientCertificate = boolp(cc != "")
	}
}

// foldListeners puts the ELBv2 listeners of a file on their load balancer
// (listener_of) in the same file: the load balancer is judged with all its
// listeners, the listener items themselves stay class other (unsupported).
// A listener whose load balancer is not in the file keeps its own facts.
func foldListeners(res *attr.Result) {
	// An item of the file that could not be read at all may be one of the
	// listeners: then only a listener that is known bad decides.
	unreadable := false
	for _, p := range res.Problems {
		if p.Resource == "" || p.Field == "resourceType" {
			unreadable = true // an item of unknown type
		}
	}
	defer func() {
		if !unreadable {
			return
		}
		for _, r := range res.Resources {
			if f := r.Facts.LoadBalancer; f != nil && r.Type == "AWS::ElasticLoadBalancingV2::LoadBalancer" {
				if f.HTTPListener != nil && !*f.HTTPListener {
					f.HTTPListener = nil
				}
				if f.WeakTLS != nil && !*f.WeakTLS {
					f.WeakTLS = nil
				}
			}
		}
	}()
	lbs := map[string]*resource.Resource{}
	for _, r := range res.Resources {
		if r.Type == "AWS::ElasticLoadBalancingV2::LoadBalancer" && r.Facts.LoadBalancer != nil {
			lbs[r.ID] = r
		}
	}
	if len(lbs) == 0 {
		return
	}
	for _, r := range res.Resources {
		if r.Type != "AWS::ElasticLoadBalancingV2::Listener" {
			continue
		}
		var lb *resource.Resource
		for _, rel := range r.Relationships {
			if rel.Type == "listener_of" {
				lb = lbs[rel.TargetID]
			}
		}
		if lb == nil {
			continue
		}
		f, l := lb.Facts.LoadBalancer, r.Facts.LoadBalancer
		if l == nil || l.Listeners == nil {
			f.HTTPListener, f.WeakTLS = nil, nil // a listener that could not be read
			f.Listeners = append(f.Listeners, resource.Listener{})
			continue
		}
		if f.Listeners == nil && f.HTTPListener == nil && f.WeakTLS == nil {
			f.HTTPListener, f.WeakTLS = boolp(false), boolp(false)
		}
		f.Listeners = append(f.Listeners, l.Listeners...)
		f.HTTPListener = resource.Or(f.HTTPListener, l.HTTPListener)
		if l.WeakTLS != nil || l.Listeners[0].Protocol == "HTTPS" || l.Listeners[0].Protocol == "TLS" {
			f.WeakTLS = resource.Or(f.WeakTLS, l.WeakTLS)
		}
		attr.Relate(lb, "has_listener", r.ID)
		r.Class, r.Facts.LoadBalancer = resource.ClassOther, nil
		res.AddUnsupported(r)
	}
}
