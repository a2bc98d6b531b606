# An external HTTPS load balancer with its own SSL policy, the HTTP
# frontend redirecting to it, and an internal one on Google's default policy.
resource "google_compute_ssl_policy" "modern" {
  name            = "modern"
  profile         = "MODERN"
  min_tls_version = local.prod ? "TLS_1_2" : "TLS_1_0"
}

resource "google_compute_url_map" "app" {
  name            = "app"
  default_service = google_compute_backend_service.app.id

  path_matcher {
    name            = "static"
    default_service = google_compute_backend_bucket.static.id
    path_rule {
      paths   = ["/reports/*"]
      service = google_compute_backend_service.reports.id
    }
  }
}

# Backends: request logging and Cloud Armor are set here, and every
# backend a frontend reaches must have them.
resource "google_compute_security_policy" "edge" {
  name = "edge"
}

resource "google_compute_backend_service" "app" {
  name            = "app"
  protocol        = "HTTPS"
  security_policy = google_compute_security_policy.edge.id
  log_config {
    enable      = true
    sample_rate = 1
  }
}

resource "google_compute_backend_service" "reports" {
  name     = "reports"
  protocol = "HTTP"
}

resource "google_compute_backend_bucket" "static" {
  name        = "static"
  bucket_name = "acme-static"
}

resource "google_compute_backend_service" "api" {
  name                  = "api"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  security_policy       = google_compute_security_policy.edge.id
  log_config {
    enable = true
  }
}

resource "google_compute_url_map" "api" {
  name            = "api"
  default_service = google_compute_backend_service.api.id
}

resource "google_compute_target_https_proxy" "api" {
  name             = "api"
  url_map          = google_compute_url_map.api.id
  ssl_certificates = ["projects/acme-data/global/sslCertificates/api"]
  ssl_policy       = google_compute_ssl_policy.modern.id
}

resource "google_compute_global_forwarding_rule" "api" {
  name                  = "api"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  port_range            = "443"
  target                = google_compute_target_https_proxy.api.id
}

# An internal passthrough load balancer: a regional backend service
# (INTERNAL by default) without logging.
resource "google_compute_region_backend_service" "internal" {
  name   = "internal"
  region = "europe-west1"
}

resource "google_compute_forwarding_rule" "internal" {
  name                  = "internal"
  region                = "europe-west1"
  load_balancing_scheme = "INTERNAL"
  backend_service       = google_compute_region_backend_service.internal.id
  ports                 = ["5432"]
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
