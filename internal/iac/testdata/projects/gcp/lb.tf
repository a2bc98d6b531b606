# An external HTTPS load balancer with its own SSL policy, the HTTP
# frontend redirecting to it, and an internal one on Google's default policy.
resource "google_compute_ssl_policy" "modern" {
  name            = "modern"
  profile         = "MODERN"
  min_tls_version = local.prod ? "TLS_1_2" : "TLS_1_0"
}

resource "google_compute_url_map" "app" {
  name            = "app"
  default_service = "projects/acme-data/global/backendServices/app"
}

resource "google_compute_url_map" "redirect" {
  name = "redirect"
  default_url_redirect {
    https_redirect = true
    strip_query    = false
  }
}

resource "google_compute_target_https_proxy" "app" {
  name             = "app"
  url_map          = google_compute_url_map.app.id
  ssl_certificates = ["projects/acme-data/global/sslCertificates/app"]
  ssl_policy       = google_compute_ssl_policy.modern.id
}

resource "google_compute_target_https_proxy" "legacy" {
  name             = "legacy"
  url_map          = google_compute_url_map.app.id
  ssl_certificates = ["projects/acme-data/global/sslCertificates/app"]
}

resource "google_compute_target_http_proxy" "redirect" {
  name    = "redirect"
  url_map = google_compute_url_map.redirect.id
}

resource "google_compute_target_http_proxy" "plain" {
  name    = "plain"
  url_map = google_compute_url_map.app.id
}

resource "google_compute_global_forwarding_rule" "frontend" {
  for_each = {
    https  = { port = "443", target = google_compute_target_https_proxy.app.id }
    legacy = { port = "8443", target = google_compute_target_https_proxy.legacy.id }
    http   = { port = "80", target = google_compute_target_http_proxy.redirect.id }
    plain  = { port = "8080", target = google_compute_target_http_proxy.plain.id }
  }
  name                  = "frontend-${each.key}"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  port_range            = each.value.port
  target                = each.value.target
}
