variable "name" {
  type = string
}

variable "network" {
  type = string
}

variable "public" {
  type = bool
}

resource "google_compute_instance" "this" {
  name         = var.name
  machine_type = "e2-small"
  zone         = "europe-west1-b"

  boot_disk {
    initialize_params {
      image = "debian-cloud/debian-12"
    }
  }

  network_interface {
    network = var.network
    dynamic "access_config" {
      for_each = var.public ? [1] : []
      content {}
    }
  }

  shielded_instance_config {
    enable_secure_boot = true
  }

  metadata = {
    block-project-ssh-keys = "true"
  }
}
