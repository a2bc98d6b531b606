package gcp

import (
	"net/netip"
	"strconv"
	"strings"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

// Load balancers. A Google Cloud load balancer is a chain of assets: a
// forwarding rule (the frontend: address, port, scheme) points at a target
// proxy (HTTP or HTTPS, the latter with an SSL policy) or a backend
// service; a proxy points at a URL map, which routes to backend services
// and backend buckets (Cloud Armor policies, logging, Cloud CDN).
//
// The forwarding rule is the load_balancer resource rules judge: its
// facts are joined, when the file is read, from the pieces the same file
// holds (a Cloud Asset export holds them all). A fact whose piece is not
// in the file stays unknown. Backend services are load_balancer resources
// too (logging and Cloud Armor are set there; CIS GCP checks them there);
// a backend service or bucket with Cloud CDN enabled is a cdn resource.
// Proxies, URL maps and SSL policies are kept for the join and listed as
// unsupported.

type lbParts struct {
	// unresolved: some frontend's way to its backends could not be read,
	// so no backend can be said to be reached only by HTTPS frontends.
	unresolved bool
	rules      []*frontend
	proxies    map[string]*proxyInfo
	policies   map[string]*sslInfo
	urlMaps    map[string]*urlMapInfo
	backends   map[string]*backendInfo
}

type frontend struct {
	r        *resource.Resource
	bad      bool   // a field of the rule could not be read
	target   string // a target proxy
	backend  string // a backend service (passthrough load balancers)
	listener resource.Listener
}

type proxyInfo struct {
	https     bool
	urlMap    string
	sslPolicy string
	readable  bool
}

type sslInfo struct {
	name, minTLS, profile string
}

type urlMapInfo struct {
	redirect *bool // defaultUrlRedirect.httpsRedirect
	services []string
	readable bool
}

type backendInfo struct {
	r        *resource.Resource
	logs     *bool
	waf      *bool
	cdn      bool
	viaHTTP  bool   // reached by a plain-HTTP frontend that does not redirect
	minTLS   string // lowest minimum TLS of the HTTPS frontends reaching it
	reached  bool
	unknownF bool // reached by a frontend whose protocol facts are unknown
}

func newLBParts() *lbParts {
	return &lbParts{proxies: map[string]*proxyInfo{}, policies: map[string]*sslInfo{},
		urlMaps: map[string]*urlMapInfo{}, backends: map[string]*backendInfo{}}
}

// relKey is the "projects/..." form of a Compute Engine URL or asset name,
// the key the pieces are found by.
func relKey(s string) string {
	if i := strings.Index(s, "projects/"); i >= 0 {
		return s[i:]
	}
	return s
}

func register[T any](m map[string]T, v T, r *resource.Resource, self string) {
	m[relKey(r.ID)] = v
	if self != "" {
		m[relKey(self)] = v
		r.Aliases = appendAliases(r.Aliases, computeAliases(self)...)
	}
}

// tlsVersion turns TLS_1_2 into "1.2".
func tlsVersion(v string) string {
	v = strings.TrimPrefix(strings.ToUpper(v), "TLS_")
	return strings.ReplaceAll(v, "_", ".")
}

func forwardingRule(f *file, r *resource.Resource, d, asset node) {
	r.Class = resource.ClassLoadBalancer
	lb := &resource.LoadBalancer{}
	r.Facts.LoadBalancer = lb
	if !d.present() {
		if asset.has("resource") {
			f.lb.unresolved = true // a frontend that cannot be read may reach any backend
		}
		return
	}
	if pscEndpoint(f, r, d) {
		return
	}
	// loadBalancingScheme defaults to EXTERNAL.
	switch d.enum(k("loadBalancingScheme"), "EXTERNAL", "EXTERNAL_MANAGED", "INTERNAL", "INTERNAL_MANAGED", "INTERNAL_SELF_MANAGED") {
	case 0, 1:
		lb.Public = boolp(true)
	case 2, 3, 4:
		lb.Public = boolp(false)
	case -2:
		if _, st := d.lookup("loadBalancingScheme"); st == absent {
			lb.Public = boolp(true)
		}
	}
	before := d.c.count()
	fe := &frontend{r: r, target: d.s("target"), backend: d.s("backendService")}
	fe.listener.Protocol = strings.ToUpper(d.s("IPProtocol"))
	switch {
	case strings.Contains(fe.target, "/targetHttpProxies/"):
		fe.listener.Protocol = "HTTP"
	case strings.Contains(fe.target, "/targetHttpsProxies/"):
		fe.listener.Protocol = "HTTPS"
	case strings.Contains(fe.target, "/targetSslProxies/"):
		fe.listener.Protocol = "TLS"
	}
	if pr := d.s("portRange"); pr != "" {
		from, _, _ := strings.Cut(pr, "-")
		if p, err := strconv.Atoi(from); err == nil {
			fe.listener.Port = p
		} else {
			d.c.wrong(d.field("portRange"), "port range", pr)
		}
	} else if ports, _ := d.strs("ports"); len(ports) == 1 {
		fe.listener.Port, _ = strconv.Atoi(ports[0])
	}
	if d.c.count() != before {
		fe.bad = true
		f.lb.unresolved = true
	}
	if fe.target != "" {
		attr.Relate(r, "targets", fe.target)
	}
	if fe.backend != "" {
		attr.Relate(r, "targets", fe.backend)
	}
	if ip := d.s("IPAddress"); ip != "" && isTrue(lb.Public) {
		attr.Relate(r, resource.RelUsesPublicIP, ip)
	}
	// ipVersion (IPV4, IPV6; else the address's family): the family its
	// listener receives (internal/reach: an IPV6 rule opens IPv6 paths).
	var fam string
	switch d.enum(k("ipVersion"), "IPV4", "IPV6") {
	case 0:
		fam = "ipv4"
	case 1:
		fam = "ipv6"
	case -2:
		if a, err := netip.ParseAddr(d.s("IPAddress")); err == nil {
			fam = map[bool]string{true: "ipv4", false: "ipv6"}[a.Is4()]
		}
	}
	if fam != "" {
		r.Facts.Addressing = &resource.Addressing{PublicFamilies: []string{fam}}
	}
	f.lb.rules = append(f.lb.rules, fe)
	if self := d.s("selfLink"); self != "" {
		r.Aliases = appendAliases(r.Aliases, computeAliases(self)...)
	}
}

func isTrue(b *bool) bool { return b != nil && *b }

func targetProxy(https bool) normalizer {
	return func(f *file, r *resource.Resource, d, asset node) {
		if !d.present() {
			if asset.has("resource") {
				f.lb.unresolved = true
			}
			return
		}
		before := d.c.count()
		p := &proxyInfo{https: https, urlMap: d.s("urlMap")}
		if https {
			p.sslPolicy = d.s("sslPolicy")
		}
		p.readable = d.c.count() == before
		if !p.readable {
			f.lb.unresolved = true
		}
		register(f.lb.proxies, p, r, d.s("selfLink"))
		attr.Relate(r, "routes_by", p.urlMap)
	}
}

// sslPolicy: minTlsVersion defaults to TLS_1_0 and profile to COMPATIBLE.
func sslPolicy(f *file, r *resource.Resource, d, _ node) {
	if !d.present() {
		return
	}
	before := d.c.count()
	s := &sslInfo{name: d.s("name"), minTLS: d.s("minTlsVersion"), profile: strings.ToUpper(d.s("profile"))}
	if d.c.count() != before {
		return // unreadable: proxies using it get unknown TLS facts
	}
	if s.minTLS == "" {
		s.minTLS = "TLS_1_0"
	}
	if s.profile == "" {
		s.profile = "COMPATIBLE"
	}
	register(f.lb.policies, s, r, d.s("selfLink"))
}

func urlMap(f *file, r *resource.Resource, d, asset node) {
	if !d.present() {
		if asset.has("resource") {
			f.lb.unresolved = true
		}
		return
	}
	before := d.c.count()
	u := &urlMapInfo{}
	if rd, st := d.obj("defaultUrlRedirect"); st == ok {
		u.redirect = rd.flag("httpsRedirect")
	} else if st == absent {
		u.redirect = boolp(false)
	}
	add := func(s string) {
		if s != "" {
			u.services = append(u.services, s)
		}
	}
	add(d.s("defaultService"))
	pms, _ := d.objs("pathMatchers")
	for _, pm := range pms {
		add(pm.s("defaultService"))
		rules, _ := pm.objs("pathRules")
		for _, pr := range rules {
			add(pr.s("service"))
		}
		routes, _ := pm.objs("routeRules")
		for _, rr := range routes {
			add(rr.s("service"))
		}
	}
	u.readable = d.c.count() == before
	if !u.readable {
		f.lb.unresolved = true
	}
	for _, s := range u.services {
		attr.Relate(r, "routes_to", s)
	}
	register(f.lb.urlMaps, u, r, d.s("selfLink"))
}

func backendService(f *file, r *resource.Resource, d, _ node) {
	if !d.present() {
		return // its class depends on the data: an IAM policy line leaves it to the resource line
	}
	cdnFlag, cst := d.boolean("enableCDN")
	if cst == bad {
		f.lb.unresolved = true
		return // a backend whose kind cannot be read: unsupported, every fact unknown
	}
	cdn := isTrue(cdnFlag)
	b := &backendInfo{r: r, cdn: cdn}
	if cdn {
		r.Class = resource.ClassCDN
		c := &resource.CDN{}
		r.Facts.CDN = c
		switch d.enum(k("protocol"), "HTTPS", "HTTP2", "HTTP", "SSL", "TCP", "UDP", "GRPC", "H2C") {
		case 0, 1, 3:
			c.OriginHTTPSOnly = boolp(true)
		case 2, 4, 6, 7:
			c.OriginHTTPSOnly = boolp(false)
		case -2:
			if _, st := d.lookup("protocol"); st == absent {
				c.OriginHTTPSOnly = boolp(false) // the API default is HTTP
			}
		}
	} else {
		r.Class = resource.ClassLoadBalancer
		r.Facts.LoadBalancer = &resource.LoadBalancer{}
	}
	b.logs = d.flag("logConfig", "enable")
	if sp, st := d.str("securityPolicy"); st != bad {
		esp, est := d.str("edgeSecurityPolicy")
		if est != bad {
			b.waf = boolp(sp != "" || (cdn && esp != ""))
		}
		if sp != "" {
			attr.Relate(r, "protected_by", sp)
		}
	}
	if cdn {
		r.Facts.CDN.AccessLogs, r.Facts.CDN.WAF = b.logs, b.waf
	} else {
		lb := r.Facts.LoadBalancer
		lb.AccessLogs, lb.WAF = b.logs, b.waf
		switch d.enum(k("loadBalancingScheme"), "EXTERNAL", "EXTERNAL_MANAGED", "INTERNAL", "INTERNAL_MANAGED", "INTERNAL_SELF_MANAGED") {
		case 0, 1:
			lb.Public = boolp(true)
		case 2, 3, 4:
			lb.Public = boolp(false)
		}
	}
	register(f.lb.backends, b, r, d.s("selfLink"))
}

// backendBucket: a Cloud Storage bucket behind a load balancer; with Cloud
// CDN enabled (enableCdn) a cdn resource, else kept for the join.
func backendBucket(f *file, r *resource.Resource, d, _ node) {
	if !d.present() {
		return
	}
	// Requests to backend buckets are always logged: "for external
	// Application Load Balancers with backend buckets, logging is
	// automatically enabled and cannot be disabled".
	b := &backendInfo{r: r, logs: boolp(true)}
	cdnFlag, cst := d.boolean("enableCdn")
	if cst == bad {
		f.lb.unresolved = true
		return
	}
	if isTrue(cdnFlag) {
		b.cdn = true
		r.Class = resource.ClassCDN
		c := &resource.CDN{OriginHTTPSOnly: boolp(true), AccessLogs: boolp(true)} // Google's network to Cloud Storage
		r.Facts.CDN = c
		if esp, st := d.str("edgeSecurityPolicy"); st != bad {
			c.WAF = boolp(esp != "")
			b.waf = c.WAF
		}
	}
	if bn := d.s("bucketName"); bn != "" {
		attr.Relate(r, "origin", "//storage.googleapis.com/"+bn)
	}
	register(f.lb.backends, b, r, d.s("selfLink"))
}

// join fills each forwarding rule from its proxy, URL map, SSL policy and
// backends, and each CDN backend from the frontends reaching it. A fact
// whose pieces are missing or unreadable stays unknown; so does a listener
// not wholly known (a list is judged whole).
func (p *lbParts) join() {
	for _, fe := range p.rules {
		if fe.bad {
			continue
		}
		lb := fe.r.Facts.LoadBalancer
		l := fe.listener
		var backends []string
		resolved, listenerKnown := true, true
		switch {
		case fe.target != "" && (l.Protocol == "HTTP" || l.Protocol == "HTTPS"):
			px := p.proxies[relKey(fe.target)]
			if px == nil || !px.readable {
				resolved, listenerKnown = false, false
				break
			}
			um := p.urlMaps[relKey(px.urlMap)]
			if um == nil || !um.readable {
				resolved = false
			} else {
				backends = um.services
			}
			if px.https {
				lb.HTTPListener = boolp(false)
				switch pol := p.policies[relKey(px.sslPolicy)]; {
				case px.sslPolicy == "":
					// No SSL policy: Google's default, COMPATIBLE with TLS 1.0.
					l.TLSPolicy, l.MinTLSVersion = "default", "1.0"
					lb.WeakTLS = boolp(true)
				case pol != nil:
					l.TLSPolicy, l.MinTLSVersion = pol.name, tlsVersion(pol.minTLS)
					lb.WeakTLS = boolp(l.MinTLSVersion < "1.2" || pol.profile == "COMPATIBLE")
				default:
					listenerKnown = false
				}
				break
			}
			if !resolved || um.redirect == nil {
				listenerKnown = false
				break
			}
			l.RedirectsToHTTPS = um.redirect
			lb.HTTPListener = boolp(!*um.redirect)
		case fe.target != "":
			// SSL/TCP proxies and other targets: no HTTP facts, backends not followed.
			resolved = false
		case fe.backend != "":
			backends = []string{fe.backend}
			lb.HTTPListener = boolp(false)
		}
		if !resolved {
			p.unresolved = true
		}
		if l.Protocol != "" && listenerKnown {
			lb.Listeners = []resource.Listener{l}
		}
		// Logging and Cloud Armor are set on the backends: every backend must say.
		if resolved && len(backends) > 0 {
			logs, waf := boolp(true), boolp(true)
			for _, s := range backends {
				b := p.backends[relKey(s)]
				if b == nil {
					logs, waf = nil, nil
					p.unresolved = true
					continue
				}
				logs, waf = resource.And(logs, b.logs), resource.And(waf, b.waf)
				b.reached = true
				if !listenerKnown {
					b.unknownF = true
				}
				if l.Protocol == "HTTP" && isTrue(lb.HTTPListener) {
					b.viaHTTP = true
				}
				if l.MinTLSVersion != "" && (b.minTLS == "" || l.MinTLSVersion < b.minTLS) {
					b.minTLS = l.MinTLSVersion
				}
			}
			lb.AccessLogs, lb.WAF = logs, waf
		}
	}
	seen := map[*backendInfo]bool{}
	for _, b := range p.backends {
		if seen[b] || !b.cdn || !b.reached {
			continue
		}
		seen[b] = true
		c := b.r.Facts.CDN
		switch {
		case b.viaHTTP:
			c.ViewerHTTPSOnly = boolp(false) // whatever else reaches it
		case !b.unknownF && !p.unresolved:
			c.ViewerHTTPSOnly = boolp(true)
		}
		if !b.unknownF && !p.unresolved {
			c.MinTLSVersion = b.minTLS
		}
	}
}
