variable "name" {
  type = string
}

variable "flow_logs" {
  type = bool
}

resource "google_compute_network" "this" {
  name                    = var.name
  auto_create_subnetworks = false
}

resource "google_compute_subnetwork" "app" {
  name          = "${var.name}-app"
  ip_cidr_range = "10.10.0.0/20"
  network       = google_compute_network.this.id
  dynamic "log_config" {
    for_each = var.flow_logs ? [1] : []
    content {
      aggregation_interval = "INTERVAL_5_SEC"
    }
  }
}

output "self_link" {
  value = google_compute_network.this.self_link
}
