package tfmap

import (
	"strconv"
	"strings"

	"github.com/vigil-sec/vigil/internal/resource"
)

// gcpForwardingRule: google_compute_global_forwarding_rule and
// google_compute_forwarding_rule, the frontends the GCP importer makes the
// load balancers, with the facts it gives them from the pieces of the
// configuration: an HTTPS proxy's SSL policy (none: Google's default,
// COMPATIBLE with TLS 1.0; min_tls_version defaults to TLS_1_0 and profile
// to COMPATIBLE), an HTTP proxy's URL map redirecting to HTTPS or not. The
// scheme defaults to EXTERNAL (internet-facing). Access logging and Cloud
// Armor are the backends' (gcpBackends). A proxy, URL map or policy
// outside the configuration leaves its facts unknown.
func gcpForwardingRule(m *mapper, r *inst, out *resource.Resource) {
	lb := &resource.LoadBalancer{}
	out.Facts.LoadBalancer = lb
	lb.AccessLogs, lb.WAF = m.gcpBackends(r)
	switch s, st := m.str(r.a, "load_balancing_scheme"); {
	case st == absent || (st == ok && (s == "EXTERNAL" || s == "EXTERNAL_MANAGED")):
		lb.Public = boolp(true)
	case st == ok && strings.HasPrefix(s, "INTERNAL"):
		lb.Public = boolp(false)
	}
	l := resource.Listener{}
	if pr, st := m.str(r.a, "port_range"); st == ok {
		from, _, _ := strings.Cut(pr, "-")
		l.Port, _ = strconv.Atoi(from)
	}
	if _, st := look(r.a, "target"); st == absent {
		if _, bst := look(r.a, "backend_service"); bst != absent {
			lb.HTTPListener = boolp(false) // a passthrough load balancer
		}
		return
	}
	if px := m.targets(r.a["target"], "google_compute_target_https_proxy"); len(px) == 1 {
		l.Protocol = "HTTPS"
		lb.HTTPListener = boolp(false)
		if _, st := look(px[0].a, "ssl_policy"); st == absent {
			l.TLSPolicy, l.MinTLSVersion = "default", "1.0"
			lb.WeakTLS = boolp(true)
			lb.Listeners = []resource.Listener{l}
			return
		}
		pol := m.targets(px[0].a["ssl_policy"], "google_compute_ssl_policy")
		if len(pol) != 1 {
			return // a policy outside the configuration
		}
		minTLS, mst := m.str(pol[0].a, "min_tls_version")
		profile, pst := m.str(pol[0].a, "profile")
		if mst == unknownSt || mst == bad || pst == unknownSt || pst == bad {
			return
		}
		if mst == absent {
			minTLS = "TLS_1_0"
		}
		if pst == absent {
			profile = "COMPATIBLE"
		}
		l.TLSPolicy = m.s(pol[0].a, "name")
		l.MinTLSVersion = strings.ReplaceAll(strings.TrimPrefix(strings.ToUpper(minTLS), "TLS_"), "_", ".")
		lb.WeakTLS = boolp(l.MinTLSVersion < "1.2" || strings.EqualFold(profile, "COMPATIBLE"))
		lb.Listeners = []resource.Listener{l}
		return
	}
	if px := m.targets(r.a["target"], "google_compute_target_http_proxy"); len(px) == 1 {
		l.Protocol = "HTTP"
		um := m.targets(px[0].a["url_map"], "google_compute_url_map")
		if len(um) != 1 {
			return
		}
		redirect := m.boolean(um[0].a, boolp(false), "default_url_redirect", "https_redirect")
		if redirect == nil {
			return
		}
		l.RedirectsToHTTPS = redirect
		lb.HTTPListener = boolp(!*redirect)
		lb.Listeners = []resource.Listener{l}
	}
}

// gcpBackendTypes are the backends a URL map or a passthrough forwarding
// rule sends requests to.
var gcpBackendTypes = []string{"google_compute_backend_service", "google_compute_region_backend_service", "google_compute_backend_bucket"}

// gcpBackends: whether every backend a frontend reaches logs requests and
// is protected by Cloud Armor, as the GCP importer joins them: through the
// target proxy's URL map (default service, path matchers' default services,
// path rules and route rules) or the passthrough rule's backend service.
// Unknown when a backend, the proxy or the URL map is outside the
// configuration or unknown, or the target is an SSL/TCP proxy (not
// followed, as live).
func (m *mapper) gcpBackends(r *inst) (logs, waf *bool) {
	var services []any
	switch _, st := look(r.a, "target"); st {
	case absent:
		bs, bst := look(r.a, "backend_service")
		if bst != ok && bst != unknownSt {
			return nil, nil
		}
		services = []any{bs}
	case ok, unknownSt:
		px := m.targets(r.a["target"], "google_compute_target_https_proxy", "google_compute_target_http_proxy")
		if len(px) != 1 {
			return nil, nil
		}
		um := m.targets(px[0].a["url_map"], "google_compute_url_map", "google_compute_region_url_map")
		if len(um) != 1 {
			return nil, nil
		}
		var known bool
		if services, known = m.urlMapServices(um[0]); !known {
			return nil, nil
		}
	default:
		return nil, nil
	}
	if len(services) == 0 {
		return nil, nil
	}
	logs, waf = boolp(true), boolp(true)
	for _, v := range services {
		bs := m.targets(v, gcpBackendTypes...)
		if len(bs) != 1 {
			logs, waf = and3(logs, nil), and3(waf, nil)
			continue
		}
		l, w := m.gcpBackendFacts(bs[0])
		logs, waf = and3(logs, l), and3(waf, w)
	}
	return logs, waf
}

// urlMapServices are the services a URL map routes to, and whether they
// are all known (a redirect-only map routes to none).
func (m *mapper) urlMapServices(um *inst) ([]any, bool) {
	var out []any
	known := true
	add := func(p any, key string) {
		switch v, st := look(p, key); st {
		case ok, unknownSt:
			out = append(out, v)
		case bad:
			known = false
		}
	}
	add(um.a, "default_service")
	pms, st := m.blocks(um.a, "path_matcher")
	if st == unknownSt || st == bad {
		known = false
	}
	for _, pm := range pms {
		add(pm, "default_service")
		for _, key := range []string{"path_rule", "route_rules"} {
			rs, rst := m.blocks(pm, key)
			if rst == unknownSt || rst == bad {
				known = false
			}
			for _, pr := range rs {
				add(pr, "service")
			}
		}
	}
	return out, known
}

// gcpBackendFacts: a backend's request logging and Cloud Armor. A backend
// service logs when log_config.enable is true (off by default) and is
// protected by a security_policy (with Cloud CDN an edge_security_policy
// counts too); a backend bucket always logs ("logging is automatically
// enabled and cannot be disabled") and is protected only by an edge
// security policy with Cloud CDN, else unknown, as the importer reads it.
func (m *mapper) gcpBackendFacts(b *inst) (logs, waf *bool) {
	cdn := m.boolean(b.a, boolp(false), "enable_cdn")
	if b.typ() == "google_compute_backend_bucket" {
		if cdn != nil && *cdn {
			return boolp(true), m.policySet(b, "edge_security_policy")
		}
		return boolp(true), nil
	}
	logs = m.boolean(b.a, boolp(false), "log_config", "enable")
	waf = m.policySet(b, "security_policy")
	if cdn != nil && *cdn && (waf == nil || !*waf) {
		if e := m.policySet(b, "edge_security_policy"); e != nil && *e {
			waf = e
		} else if e == nil {
			waf = nil
		}
	}
	return logs, waf
}

// policySet: whether a security policy is named (absent or "": no; the
// ID of a policy of the configuration, known after apply: yes).
func (m *mapper) policySet(b *inst, key string) *bool {
	switch v, st := m.str(b.a, key); st {
	case absent:
		return boolp(false)
	case ok:
		return boolp(v != "")
	case unknownSt:
		if len(m.targets(b.a[key], "google_compute_security_policy", "google_compute_region_security_policy")) > 0 {
			return boolp(true)
		}
	}
	return nil
}

// gcpBackendService: google_compute_backend_service and
// google_compute_region_backend_service, load balancer resources as the
// GCP importer makes them (a Cloud CDN backend is a CDN): request logging,
// Cloud Armor and the scheme (EXTERNAL by default for a global backend
// service, INTERNAL for a regional one, as the provider sets them).
func gcpBackendService(m *mapper, r *inst, out *resource.Resource) {
	logs, waf := m.gcpBackendFacts(r)
	if cdn := m.boolean(r.a, boolp(false), "enable_cdn"); cdn != nil && *cdn {
		out.Class = resource.ClassCDN
		c := &resource.CDN{AccessLogs: logs, WAF: waf}
		switch p, st := m.str(r.a, "protocol"); {
		case st == absent:
			c.OriginHTTPSOnly = boolp(false) // the API default is HTTP
		case st == ok:
			switch strings.ToUpper(p) {
			case "HTTPS", "HTTP2", "SSL":
				c.OriginHTTPSOnly = boolp(true)
			case "HTTP", "TCP", "GRPC", "H2C":
				c.OriginHTTPSOnly = boolp(false)
			}
		}
		out.Facts.CDN = c
		return
	}
	lb := &resource.LoadBalancer{AccessLogs: logs, WAF: waf}
	out.Facts.LoadBalancer = lb
	scheme, st := m.str(r.a, "load_balancing_scheme")
	if st == absent {
		scheme, st = "EXTERNAL", ok
		if r.typ() == "google_compute_region_backend_service" {
			scheme = "INTERNAL"
		}
	}
	if st == ok {
		switch strings.ToUpper(scheme) {
		case "EXTERNAL", "EXTERNAL_MANAGED":
			lb.Public = boolp(true)
		case "INTERNAL", "INTERNAL_MANAGED", "INTERNAL_SELF_MANAGED":
			lb.Public = boolp(false)
		}
	}
}
