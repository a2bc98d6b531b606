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
// scheme defaults to EXTERNAL (internet-facing). A proxy, URL map or
// policy outside the configuration leaves its facts unknown; backends
// (logging, Cloud Armor) are not followed.
func gcpForwardingRule(m *mapper, r *inst, out *resource.Resource) {
	lb := &resource.LoadBalancer{}
	out.Facts.LoadBalancer = lb
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
