variable "network" {
  type = string
}

variable "rules" {
  type = map(object({
    ports  = list(string)
    ranges = list(string)
  }))
}

resource "google_compute_firewall" "ingress" {
  for_each      = var.rules
  name          = "allow-${each.key}"
  network       = var.network
  direction     = "INGRESS"
  source_ranges = each.value.ranges
  allow {
    protocol = "tcp"
    ports    = each.value.ports
  }
}
