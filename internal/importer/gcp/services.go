package gcp

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

// Asset types of the service classes (disks, snapshots and images,
// functions, Kubernetes clusters, load balancers, topics, secrets,
// registries, DNS zones, CDN backends, API gateways).
const (
	TypeDisk              = "compute.googleapis.com/Disk"
	TypeRegionDisk        = "compute.googleapis.com/RegionDisk"
	TypeSnapshot          = "compute.googleapis.com/Snapshot"
	TypeImage             = "compute.googleapis.com/Image"
	TypeCloudFunction     = "cloudfunctions.googleapis.com/CloudFunction" // Cloud Functions API v1 (1st gen)
	TypeCloudFunctionV2   = "cloudfunctions.googleapis.com/Function"      // Cloud Functions API v2 (1st and 2nd gen)
	TypeRunService        = "run.googleapis.com/Service"
	TypeCluster           = "container.googleapis.com/Cluster"
	TypeForwardingRule    = "compute.googleapis.com/ForwardingRule"
	TypeGlobalForwarding  = "compute.googleapis.com/GlobalForwardingRule"
	TypeTargetHTTPProxy   = "compute.googleapis.com/TargetHttpProxy"
	TypeTargetHTTPSProxy  = "compute.googleapis.com/TargetHttpsProxy"
	TypeSSLPolicy         = "compute.googleapis.com/SslPolicy"
	TypeURLMap            = "compute.googleapis.com/UrlMap"
	TypeBackendService    = "compute.googleapis.com/BackendService"
	TypeRegionBackendSvc  = "compute.googleapis.com/RegionBackendService"
	TypeBackendBucket     = "compute.googleapis.com/BackendBucket"
	TypeTopic             = "pubsub.googleapis.com/Topic"
	TypeSecret            = "secretmanager.googleapis.com/Secret"
	TypeRepository        = "artifactregistry.googleapis.com/Repository"
	TypeManagedZone       = "dns.googleapis.com/ManagedZone"
	TypeAPIGateway        = "apigateway.googleapis.com/Gateway"
	TypeAPIGatewayAPI     = "apigateway.googleapis.com/Api"
	TypeAPIGatewayConfig  = "apigateway.googleapis.com/ApiConfig"
	TypeRouter            = "compute.googleapis.com/Router"
	TypeAddress           = "compute.googleapis.com/Address"
	TypeGlobalAddress     = "compute.googleapis.com/GlobalAddress"
	TypeSSLCertificate    = "compute.googleapis.com/SslCertificate"
	TypeSecurityPolicy    = "compute.googleapis.com/SecurityPolicy"
	TypeVPCAccessConnectr = "vpcaccess.googleapis.com/Connector"
)

// keyName is the Cloud KMS key of a key version name: a resource names
// the version it was encrypted with (.../cryptoKeyVersions/1).
func keyName(v string) string {
	if i := strings.Index(v, "/cryptoKeyVersions/"); i >= 0 {
		return v[:i]
	}
	return v
}

// encryptionKey reads a Compute Engine CustomerEncryptionKey: "customer"
// for a Cloud KMS key (kmsKeyName) or a customer-supplied key (rawKey,
// rsaEncryptedKey: the export shows only its sha256), "provider" when
// absent (Google-managed), "" when it could not be read.
func encryptionKey(r *resource.Resource, d node, field string) string {
	ek, st := d.obj(field)
	switch st {
	case absent:
		return "provider"
	case bad:
		return ""
	}
	kms, kst := ek.str("kmsKeyName")
	if kst == bad {
		return ""
	}
	if kms != "" {
		attr.Relate(r, resource.RelUsesKey, keyName(kms))
		return "customer"
	}
	if ek.s("sha256") != "" || ek.s("rawKey") != "" || ek.s("rsaEncryptedKey") != "" {
		return "customer"
	}
	return "provider"
}

// customerSupplied reports whether the encryption key field holds a
// customer-supplied key (its hash, or the key itself as written in a
// request), nil when the field has the wrong type.
func customerSupplied(d node, field string) *bool {
	ek, st := d.obj(field)
	switch st {
	case absent:
		return boolp(false)
	case bad:
		return nil
	}
	before := d.c.count()
	supplied := ek.s("sha256") != "" || ek.s("rawKey") != "" || ek.s("rsaEncryptedKey") != ""
	if d.c.count() != before {
		return nil
	}
	return boolp(supplied)
}

func disk(_ *file, r *resource.Resource, d, _ node) {
	r.Class = resource.ClassDisk
	dk := &resource.Disk{}
	r.Facts.Disk = dk
	if !d.present() {
		return
	}
	// Compute Engine encrypts every persistent disk at rest.
	dk.Encrypted = boolp(true)
	dk.KeyManager = encryptionKey(r, d, "diskEncryptionKey")
	dk.CustomerSupplied = customerSupplied(d, "diskEncryptionKey")
	users, st := d.strs("users")
	if st != bad {
		dk.Attached = boolp(len(users) > 0)
		dk.AttachedTo = users
	}
	dk.SizeGB = d.i64("sizeGb")
	if self := d.s("selfLink"); self != "" {
		r.Aliases = appendAliases(r.Aliases, computeAliases(self)...)
	}
}

func snapshot(kind, keyField string) normalizer {
	return func(_ *file, r *resource.Resource, d, _ node) {
		r.Class = resource.ClassSnapshot
		s := &resource.Snapshot{Kind: kind}
		r.Facts.Snapshot = s
		if !d.present() {
			return
		}
		s.Encrypted = boolp(true)
		s.KeyManager = encryptionKey(r, d, keyField)
		s.Created = d.s("creationTimestamp")
		if t, err := time.Parse(time.RFC3339Nano, s.Created); err == nil {
			s.Created = t.UTC().Format(time.RFC3339)
		}
		if src := d.s("sourceDisk"); src != "" {
			attr.Relate(r, "snapshot_of", src)
		}
		// A snapshot or image is a global resource stored where
		// storageLocations says (a region or a multi-region such as eu):
		// that is where its data is.
		readPaths(r, d, func() {
			locs, _ := d.strs("storageLocations")
			for _, l := range locs {
				r.AddDataLocation(strings.ToLower(l), resource.LocationPrimary, "")
			}
		})
		if self := d.s("selfLink"); self != "" {
			r.Aliases = appendAliases(r.Aliases, computeAliases(self)...)
		}
	}
}

// ---------------------------------------------------------------- functions

// runtimeDeprecation is the deprecation date of each Cloud Run functions
// (Cloud Functions) runtime in Google's runtime support schedule
// (cloud.google.com/functions/docs/runtime-support and the per-language
// pages under cloud.google.com/run/docs/runtimes): the start of the
// deprecation period. Dates published by month only (Java 17 "October
// 2027", Java 21 "September 2031", Java 25 "October 2031") take the month's
// last day. Runtimes without a published date (go126 and later, the Preview
// ones) and runtimes not listed are unknown.
var runtimeDeprecation = map[string]string{
	"nodejs6": "2019-04-17", "nodejs8": "2020-06-05", "nodejs10": "2024-01-30", "nodejs12": "2024-01-30",
	"nodejs14": "2024-01-30", "nodejs16": "2024-01-30", "nodejs18": "2025-04-30", "nodejs20": "2026-04-30",
	"nodejs22": "2027-04-30", "nodejs24": "2028-04-30",
	"python37": "2023-06-27", "python38": "2024-10-14", "python39": "2025-10-05", "python310": "2026-10-04",
	"python311": "2027-10-24", "python312": "2028-10-02", "python313": "2029-10-10", "python314": "2030-10-10",
	"go111": "2020-08-05", "go113": "2024-01-30", "go116": "2024-01-30", "go118": "2024-01-30",
	"go122": "2026-01-28", "go123": "2026-02-21", "go124": "2026-09-02", "go125": "2026-10-01",
	"java11": "2024-10-31", "java17": "2027-10-31", "java21": "2031-09-30", "java25": "2031-10-31",
	"ruby26": "2024-01-30", "ruby27": "2024-01-30", "ruby30": "2024-03-31", "ruby32": "2026-03-31",
	"ruby33": "2027-03-31", "ruby34": "2028-03-31", "ruby40": "2029-03-31",
	"php74": "2024-01-30", "php81": "2025-12-31", "php82": "2026-12-31", "php83": "2027-12-31", "php84": "2028-12-31",
	"php85":   "2029-12-31",
	"dotnet3": "2024-01-30", "dotnet6": "2024-11-12", "dotnet8": "2026-11-10", "dotnet10": "2028-11-14",
}

// runtimeEndOfSupport is the runtime's deprecation date as RFC 3339
// (midnight UTC), "" for a runtime the schedule does not date. It is a
// property of the runtime, not of a clock: rules compare it with the scan
// time.
func runtimeEndOfSupport(runtime string) string {
	if day, known := runtimeDeprecation[strings.ToLower(runtime)]; known {
		return day + "T00:00:00Z"
	}
	return ""
}

// secretName matches the names of environment variables that hold a
// credential: a plain value under such a name is a secret in the clear
// (Secret Manager references are secretEnvironmentVariables instead).
var secretName = regexp.MustCompile(`(?i)(secret|passw(or)?d|pwd|token|api_?key|private_?key|access_?key|credential|auth)`)

// envSecrets fills the environment-secret facts from an environment
// variable object (name → value).
func envSecrets(fn *resource.Function, env node, field string) {
	vars, st := env.strMap(field)
	switch st {
	case bad:
		return
	case absent:
		if env.present() {
			fn.EnvironmentSecrets = boolp(false)
		}
		return
	}
	names := make([]string, 0)
	for name := range vars {
		if secretName.MatchString(name) {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	fn.EnvironmentSecrets = boolp(len(names) > 0)
	fn.SecretVariables = names
}

// ingress reads ingressSettings: reachable from the internet for ALLOW_ALL.
func ingress(fn *resource.Function, d node, keys ...string) {
	switch d.enum(keys, "ALLOW_ALL", "ALLOW_INTERNAL_ONLY", "ALLOW_INTERNAL_AND_GCLB") {
	case 0:
		fn.PublicNetwork = boolp(true)
	case 1, 2:
		fn.PublicNetwork = boolp(false)
	case -2:
		if _, st := d.lookup(keys...); st == absent && d.present() {
			fn.PublicNetwork = boolp(true) // the API default is ALLOW_ALL
		}
	}
}

func cloudFunctionV1(_ *file, r *resource.Resource, d, _ node) {
	r.Class = resource.ClassFunction
	fn := &resource.Function{}
	r.Facts.Function = fn
	if !d.present() {
		return
	}
	fn.Runtime = d.s("runtime")
	fn.RuntimeEndOfSupport = runtimeEndOfSupport(fn.Runtime)
	fn.Identity = d.s("serviceAccountEmail")
	if fn.Identity != "" {
		attr.Relate(r, resource.RelRunsAs, fn.Identity)
	}
	envSecrets(fn, d, "environmentVariables")
	if conn, st := d.str("vpcConnector"); st != bad {
		fn.InVPC = boolp(conn != "")
		if conn != "" {
			attr.Relate(r, resource.RelInNetwork, conn)
		}
	}
	ingress(fn, d, "ingressSettings")
	if ht, st := d.obj("httpsTrigger"); st == ok {
		switch ht.enum(k("securityLevel"), "SECURE_ALWAYS", "SECURE_OPTIONAL") {
		case 0:
			fn.HTTPSOnly = boolp(true)
		case 1:
			fn.HTTPSOnly = boolp(false)
		case -2:
			if !ht.c.seen[ht.field("securityLevel")] {
				fn.HTTPSOnly = boolp(false) // SECURITY_LEVEL_UNSPECIFIED behaves as SECURE_OPTIONAL
			}
		}
	} else if st == absent && d.has("eventTrigger") {
		fn.PublicNetwork = boolp(false) // an event-triggered function has no URL
	}
	if kms := d.s("kmsKeyName"); kms != "" {
		attr.Relate(r, resource.RelUsesKey, kms)
	}
}

func cloudFunctionV2(_ *file, r *resource.Resource, d, _ node) {
	r.Class = resource.ClassFunction
	fn := &resource.Function{}
	r.Facts.Function = fn
	if !d.present() {
		return
	}
	fn.Runtime = d.s("buildConfig", "runtime")
	fn.RuntimeEndOfSupport = runtimeEndOfSupport(fn.Runtime)
	sc, st := d.obj("serviceConfig")
	if st != ok {
		return
	}
	fn.Identity = sc.s("serviceAccountEmail")
	if fn.Identity != "" {
		attr.Relate(r, resource.RelRunsAs, fn.Identity)
	}
	envSecrets(fn, sc, "environmentVariables")
	if conn, st := sc.str("vpcConnector"); st != bad {
		fn.InVPC = boolp(conn != "")
	}
	ingress(fn, sc, "ingressSettings")
	fn.HTTPSOnly = functionV2HTTPS(d, sc)
	if svc := sc.s("service"); svc != "" {
		attr.Relate(r, "served_by", svc)
	}
}

// functionV2HTTPS: whether a function of the v2 API serves HTTPS only. A
// 2nd gen function (environment GEN_2) is served by Cloud Run, whose URLs
// are HTTPS only. The v2 API lists 1st gen functions too (environment
// GEN_1): their URL accepts HTTP unless serviceConfig.securityLevel is
// SECURE_ALWAYS (unset or SECURITY_LEVEL_UNSPECIFIED is SECURE_OPTIONAL);
// an event-triggered 1st gen function has no URL (unknown, as in the v1
// reader). Without environment, a securityLevel says it, else 2nd gen.
func functionV2HTTPS(d, sc node) *bool {
	if _, st := sc.lookup("securityLevel"); st == bad {
		return nil
	}
	level := sc.enum(k("securityLevel"), "SECURE_ALWAYS", "SECURE_OPTIONAL", "SECURITY_LEVEL_UNSPECIFIED")
	switch d.enum(k("environment"), "GEN_1", "GEN_2") {
	case 0:
		switch {
		case level == 0:
			return boolp(true)
		case level == -1, d.has("eventTrigger"):
			return nil
		}
		return boolp(false)
	case 1:
		return boolp(true)
	case -1:
		return nil // ENVIRONMENT_UNSPECIFIED or a newer value
	}
	switch level {
	case 1:
		return boolp(false)
	case -1, 2:
		return nil
	}
	return boolp(true)
}

// runService fills a Cloud Run service (Knative serving.knative.dev/v1
// Service as Cloud Run Admin API v1 returns it): a function when it runs a
// Cloud Run function, the same facts otherwise.
func runService(_ *file, r *resource.Resource, d, _ node) {
	r.Class = resource.ClassFunction
	fn := &resource.Function{HTTPSOnly: boolp(true)}
	r.Facts.Function = fn
	if !d.present() {
		fn.HTTPSOnly = nil
		return
	}
	if !d.has("spec") && !d.has("metadata") && (d.has("template") || d.has("ingress")) {
		runServiceV2(fn, d)
		return
	}
	meta := d.o("metadata")
	// The run.googleapis.com/ingress annotation; without it (a service
	// whose metadata says nothing of ingress) Cloud Run's default, all.
	switch meta.enum(k("annotations", "run.googleapis.com/ingress"), "all", "internal", "internal-and-cloud-load-balancing") {
	case 0:
		fn.PublicNetwork = boolp(true)
	case 1, 2:
		fn.PublicNetwork = boolp(false)
	case -2:
		if _, st := meta.lookup("annotations", "run.googleapis.com/ingress"); st == absent && meta.present() {
			if _, ast := meta.lookup("annotations"); ast != bad {
				fn.PublicNetwork = boolp(true)
			}
		}
	}
	tmpl := d.o("spec", "template")
	if conn := tmpl.s("metadata", "annotations", "run.googleapis.com/vpc-access-connector"); conn != "" {
		fn.InVPC = boolp(true)
	} else if tmpl.s("metadata", "annotations", "run.googleapis.com/network-interfaces") != "" {
		fn.InVPC = boolp(true)
	} else if tmpl.present() {
		fn.InVPC = boolp(false)
	}
	spec := tmpl.o("spec")
	fn.Identity = spec.s("serviceAccountName")
	runEnvSecrets(fn, d, spec)
}

// runServiceV2 fills a Cloud Run service in the shape of the Cloud Run
// Admin API v2 (google.cloud.run.v2.Service): top-level ingress
// (INGRESS_TRAFFIC_*; absent is Cloud Run's default, all) and the
// revision template's serviceAccount, vpcAccess (a connector or Direct
// VPC networkInterfaces) and containers.
func runServiceV2(fn *resource.Function, d node) {
	switch d.enum(k("ingress"), "INGRESS_TRAFFIC_ALL", "INGRESS_TRAFFIC_INTERNAL_ONLY",
		"INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER", "INGRESS_TRAFFIC_NONE") {
	case 0:
		fn.PublicNetwork = boolp(true)
	case 1, 2, 3:
		fn.PublicNetwork = boolp(false)
	case -2:
		if _, st := d.lookup("ingress"); st == absent {
			fn.PublicNetwork = boolp(true)
		}
	}
	tmpl := d.o("template")
	before := d.c.count()
	nics, _ := tmpl.objs("vpcAccess", "networkInterfaces")
	switch {
	case tmpl.s("vpcAccess", "connector") != "" || len(nics) > 0:
		fn.InVPC = boolp(true)
	case tmpl.present() && d.c.count() == before:
		fn.InVPC = boolp(false)
	}
	fn.Identity = tmpl.s("serviceAccount")
	runEnvSecrets(fn, d, tmpl)
}

// runEnvSecrets reads the plain environment values of a Cloud Run
// revision's containers (v1 spec.template.spec, v2 template) whose names
// look like credentials; references to Secret Manager have no value.
func runEnvSecrets(fn *resource.Function, d, spec node) {
	before := d.c.count()
	containers, _ := spec.objs("containers")
	var names []string
	for _, c := range containers {
		envs, _ := c.objs("env")
		for _, e := range envs {
			if e.s("value") != "" && secretName.MatchString(e.s("name")) {
				names = append(names, e.s("name"))
			}
		}
	}
	if d.c.count() == before && spec.present() {
		fn.EnvironmentSecrets = boolp(len(names) > 0)
		fn.SecretVariables = names
	}
}

// ---------------------------------------------------------------- GKE

// authorizedNetworks is the cluster's control plane allow-list: the
// authorized networks of controlPlaneEndpointsConfig.ipEndpointsConfig
// when set (GKE rejects a cluster that sets both), else the legacy
// masterAuthorizedNetworksConfig; 0.0.0.0/0 for a public endpoint without
// any. gcpPublicCidrsAccessEnabled (an optional field: written when set)
// lets every Google Cloud public address in, which anyone can rent, so
// true reads as 0.0.0.0/0 beside the blocks; without it the list is
// unknown (GKE's default depends on the kind of cluster) unless a block
// already admits any address.
func authorizedNetworks(d node, public *bool) []string {
	man, st := d.obj("controlPlaneEndpointsConfig", "ipEndpointsConfig", "authorizedNetworksConfig")
	if st == absent {
		man, st = d.obj("masterAuthorizedNetworksConfig")
	}
	on, est := man.boolean("enabled")
	if st == bad || est == bad {
		return nil
	}
	if !attr.Any(on) {
		if attr.Any(public) {
			return []string{"0.0.0.0/0"}
		}
		return nil
	}
	blocks, bst := man.objs("cidrBlocks")
	if bst == bad {
		return nil
	}
	cidrs, open := []string{}, false
	for _, b := range blocks {
		if c := b.s("cidrBlock"); c != "" {
			cidrs = append(cidrs, c)
			open = open || c == "0.0.0.0/0" || c == "::/0"
		}
	}
	switch gcp, gst := man.boolean("gcpPublicCidrsAccessEnabled"); {
	case gst == ok && *gcp && !open:
		return append(cidrs, "0.0.0.0/0")
	case gst == ok || open:
		return cidrs
	}
	return nil
}

func cluster(_ *file, r *resource.Resource, d, _ node) {
	r.Class = resource.ClassKubernetes
	kc := &resource.Kubernetes{}
	r.Facts.Kubernetes = kc
	if !d.present() {
		return
	}
	kc.Version = d.s("currentMasterVersion")
	// GKE always runs Kubernetes RBAC; legacy ABAC can be enabled beside it.
	kc.RBAC = boolp(true)

	// API endpoint: the DNS/IP endpoints config of newer clusters, else
	// the private cluster config (a cluster without one is public).
	before := d.c.count()
	var public *bool
	if ip, st := d.obj("controlPlaneEndpointsConfig", "ipEndpointsConfig"); st == ok {
		if on, est := ip.boolean("enabled"); est == ok && !*on {
			public = boolp(false) // IP endpoints off: DNS endpoint only
		} else if est != bad {
			public = ip.flag("enablePublicEndpoint")
		}
	}
	pc, pst := d.obj("privateClusterConfig")
	if public == nil && d.c.count() == before {
		switch pst {
		case ok:
			public = resource.Not(pc.flag("enablePrivateEndpoint"))
		case absent:
			public = boolp(true)
		}
	}
	kc.PublicEndpoint = public
	kc.EndpointAllowedCIDRs = authorizedNetworks(d, public)
	before = d.c.count()
	private, _ := pc.boolean("enablePrivateNodes")
	defaultPrivate, _ := d.boolean("networkConfig", "defaultEnablePrivateNodes")
	switch {
	case d.c.count() != before || pst == bad:
	case private != nil:
		kc.PrivateNodes = private
	case defaultPrivate != nil:
		kc.PrivateNodes = defaultPrivate
	default:
		kc.PrivateNodes = boolp(false)
	}

	// Logging: loggingConfig's components when set, else loggingService.
	if comps, st := d.strs("loggingConfig", "componentConfig", "enableComponents"); st == ok {
		kc.ControlPlaneLogging = boolp(len(comps) > 0)
	} else if st == absent {
		switch svc, st := d.str("loggingService"); {
		case st == bad:
		case svc == "none":
			kc.ControlPlaneLogging = boolp(false)
		case svc != "":
			kc.ControlPlaneLogging = boolp(true)
		}
	}

	// Network policy: the Calico add-on, or GKE Dataplane V2 (which
	// always enforces network policies).
	if dp, st := d.str("networkConfig", "datapathProvider"); dp == "ADVANCED_DATAPATH" {
		kc.NetworkPolicy = boolp(true)
	} else if st != bad {
		if np, st := d.obj("networkPolicy"); st == ok {
			kc.NetworkPolicy = np.flag("enabled")
		} else if st == absent {
			kc.NetworkPolicy = boolp(false)
		}
	}

	// Legacy authorization and authentication: ABAC, basic auth, client
	// certificates.
	before = d.c.count()
	legacy := attr.Any(d.b("legacyAbac", "enabled"))
	ma := d.o("masterAuth")
	if ma.s("username") != "" || ma.s("password") != "" || ma.s("clientCertificate") != "" ||
		attr.Any(ma.b("clientCertificateConfig", "issueClientCertificate")) {
		legacy = true
	}
	if legacy || d.c.count() == before {
		kc.LegacyAuth = boolp(legacy)
	}

	// Node auto-upgrade: every node pool (Autopilot upgrades them all).
	if attr.Any(d.b("autopilot", "enabled")) {
		kc.NodeAutoUpgrade = boolp(true)
	} else if pools, st := d.objs("nodePools"); st == ok && len(pools) > 0 {
		all := true
		for _, p := range pools {
			up := p.flag("management", "autoUpgrade")
			if up == nil {
				all = false
				kc.NodeAutoUpgrade = nil
				break
			}
			all = all && *up
			kc.NodeAutoUpgrade = boolp(all)
		}
	}

	// Application-layer secrets encryption with a Cloud KMS key.
	if de, st := d.obj("databaseEncryption"); st == ok {
		switch de.enum(k("state"), "ENCRYPTED", "DECRYPTED", "UNKNOWN") {
		case 0:
			kc.SecretsEncrypted = boolp(true)
			if key := de.s("keyName"); key != "" {
				attr.Relate(r, resource.RelUsesKey, key)
			}
		case 1:
			kc.SecretsEncrypted = boolp(false)
		}
	} else if st == absent {
		kc.SecretsEncrypted = boolp(false)
	}
	if net := d.s("network"); net != "" {
		attr.Relate(r, resource.RelInNetwork, net)
	}
	if sa := d.s("nodeConfig", "serviceAccount"); sa != "" {
		attr.Relate(r, resource.RelRunsAs, sa)
	}
}

// ---------------------------------------------------------------- messaging, secrets, registries

func topic(_ *file, r *resource.Resource, d, _ node) {
	r.Class = resource.ClassQueue
	q := &resource.Queue{Kind: "topic"}
	r.Facts.Queue = q
	if !d.present() {
		return
	}
	// Pub/Sub encrypts every message at rest; a KMS key makes it CMEK.
	q.Encrypted = boolp(true)
	switch key, st := d.str("kmsKeyName"); {
	case st == bad:
	case key != "":
		q.KeyManager = "customer"
		attr.Relate(r, resource.RelUsesKey, key)
	default:
		q.KeyManager = "provider"
	}
}

// durationDays reads a google.protobuf.Duration ("7776000s") as days.
func durationDays(n node, keys ...string) (*int, state) {
	s, st := n.str(keys...)
	if st != ok {
		return nil, st
	}
	secs, err := strconv.ParseFloat(strings.TrimSuffix(s, "s"), 64)
	if err != nil || !strings.HasSuffix(s, "s") || secs < 0 || secs > 1e12 {
		n.c.wrong(n.field(keys...), "duration", s)
		return nil, bad
	}
	return resource.Int(int(secs / 86400)), ok
}

func secret(_ *file, r *resource.Resource, d, _ node) {
	r.Class = resource.ClassSecret
	s := &resource.Secret{}
	r.Facts.Secret = s
	if !d.present() {
		return
	}
	if rot, st := d.obj("rotation"); st == ok {
		days, dst := durationDays(rot, "rotationPeriod")
		switch dst {
		case ok:
			s.RotationEnabled, s.RotationPeriodDays = boolp(true), days
		case absent:
			s.RotationEnabled = boolp(rot.s("nextRotationTime") != "")
		}
	} else if st == absent {
		s.RotationEnabled = boolp(false)
	}
	exp, est := d.str("expireTime")
	ttl, tst := d.str("ttl")
	if est != bad && tst != bad {
		s.ExpirySet = boolp(exp != "" || ttl != "")
		s.Expires = exp
	}
	// Secret Manager encrypts every secret; CMEK on every replica makes it
	// customer-managed.
	before := d.c.count()
	repl := d.o("replication")
	managers := map[string]bool{}
	if auto, st := repl.obj("automatic"); st == ok {
		managers[keyManagerOf(auto.s("customerManagedEncryption", "kmsKeyName"))] = true
	}
	replicas, _ := repl.objs("userManaged", "replicas")
	for _, rp := range replicas {
		managers[keyManagerOf(rp.s("customerManagedEncryption", "kmsKeyName"))] = true
	}
	if d.c.count() == before && len(managers) > 0 {
		s.KeyManager = "customer"
		if managers["provider"] {
			s.KeyManager = "provider"
		}
	}
}

func keyManagerOf(kms string) string {
	if kms != "" {
		return "customer"
	}
	return "provider"
}

func repository(_ *file, r *resource.Resource, d, _ node) {
	r.Class = resource.ClassContainerRegistry
	reg := &resource.Registry{}
	r.Facts.Registry = reg
	if !d.present() {
		return
	}
	switch key, st := d.str("kmsKeyName"); {
	case st == bad:
	case key != "":
		reg.KeyManager = "customer"
		attr.Relate(r, resource.RelUsesKey, key)
	default:
		reg.KeyManager = "provider"
	}
	// Vulnerability scanning: the state Artifact Analysis reports, else the
	// repository's setting (INHERITED follows the project's Container
	// Scanning API, which the export does not show).
	vs := d.o("vulnerabilityScanningConfig")
	switch vs.enum(k("enablementState"), "SCANNING_ACTIVE", "SCANNING_DISABLED", "SCANNING_UNSUPPORTED") {
	case 0:
		reg.ImageScanning = boolp(true)
	case 1, 2:
		reg.ImageScanning = boolp(false)
	default:
		if vs.enum(k("enablementConfig"), "DISABLED") == 0 {
			reg.ImageScanning = boolp(false)
		}
	}
	if strings.EqualFold(d.s("format"), "DOCKER") {
		reg.TagImmutable = d.flag("dockerConfig", "immutableTags")
	}
}

// ---------------------------------------------------------------- DNS

// weakDNSSEC are the DNSSEC algorithms considered weak (CIS GCP 3.4/3.5:
// RSASHA1 must not be used for key or zone signing).
var weakDNSSEC = map[string]bool{"rsasha1": true}

func managedZone(_ *file, r *resource.Resource, d, _ node) {
	r.Class = resource.ClassDNSZone
	z := &resource.DNSZone{}
	r.Facts.DNS = z
	if !d.present() {
		return
	}
	if dn := d.s("dnsName"); dn != "" {
		r.Aliases = appendAliases(r.Aliases, dn)
	}
	switch d.enum(k("visibility"), "public", "private") {
	case 0:
		z.Public = boolp(true)
	case 1:
		z.Public = boolp(false)
	case -2:
		if _, st := d.lookup("visibility"); st == absent {
			z.Public = boolp(true) // the API default
		}
	}
	z.QueryLogging = d.flag("cloudLoggingConfig", "enableLogging")
	if !attr.Any(z.Public) {
		return // DNSSEC applies to public zones only
	}
	ds, st := d.obj("dnssecConfig")
	switch st {
	case absent:
		z.DNSSEC = boolp(false)
	case ok:
		switch ds.enum(k("state"), "on", "off", "transfer") {
		case 0:
			z.DNSSEC = boolp(true)
		case 1, 2:
			z.DNSSEC = boolp(false)
		case -2:
			if _, sst := ds.lookup("state"); sst == absent {
				z.DNSSEC = boolp(false)
			}
		}
		before := ds.c.count()
		specs, _ := ds.objs("defaultKeySpecs")
		alg := ""
		for _, sp := range specs {
			a := strings.ToLower(sp.s("algorithm"))
			if weakDNSSEC[a] || alg == "" || strings.EqualFold(sp.s("keyType"), "keySigning") && !weakDNSSEC[alg] {
				alg = a
			}
		}
		if ds.c.count() == before {
			z.DNSSECAlgorithm = alg
		}
	}
}

// ---------------------------------------------------------------- API Gateway

// apiGateway: an API Gateway gateway serves its API on a Google-managed
// public hostname (*.gateway.dev): always reachable from the internet.
func apiGateway(_ *file, r *resource.Resource, d, _ node) {
	r.Class = resource.ClassAPIGateway
	g := &resource.APIGateway{}
	r.Facts.APIGateway = g
	if !d.present() {
		return
	}
	g.Public = boolp(true)
	if cfg := d.s("apiConfig"); cfg != "" {
		attr.Relate(r, "serves", cfg)
	}
}
