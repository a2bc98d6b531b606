provider "google" {
  project = "acme-cases"
  region  = "europe-west1"
}

resource "google_compute_network" "vpc" {
  name                    = "vpc"
  auto_create_subnetworks = false
}

resource "google_compute_firewall" "ssh_range" {
  name          = "ssh-range"
  network       = google_compute_network.vpc.name
  source_ranges = ["0.0.0.0/0"]
  allow {
    protocol = "tcp"
    ports    = ["1-1024"]
  }
}

resource "google_compute_firewall" "all_tcp" {
  name          = "all-tcp"
  network       = google_compute_network.vpc.name
  source_ranges = ["0.0.0.0/0"]
  allow {
    protocol = "tcp"
  }
}

resource "google_compute_firewall" "all" {
  name          = "all"
  network       = google_compute_network.vpc.name
  source_ranges = ["::/0"]
  allow {
    protocol = "all"
  }
}

resource "google_compute_firewall" "disabled" {
  name          = "disabled"
  network       = google_compute_network.vpc.name
  source_ranges = ["0.0.0.0/0"]
  disabled      = true
  allow {
    protocol = "tcp"
    ports    = ["22"]
  }
}

resource "google_compute_firewall" "egress" {
  name               = "egress"
  network            = google_compute_network.vpc.name
  direction          = "EGRESS"
  destination_ranges = ["0.0.0.0/0"]
  allow {
    protocol = "tcp"
    ports    = ["22", "3389"]
  }
}

resource "google_compute_firewall" "deny" {
  name          = "deny"
  network       = google_compute_network.vpc.name
  source_ranges = ["0.0.0.0/0"]
  deny {
    protocol = "tcp"
    ports    = ["22"]
  }
}

resource "google_compute_firewall" "tags" {
  name        = "tags"
  network     = google_compute_network.vpc.name
  source_tags = ["bastion"]
  allow {
    protocol = "tcp"
    ports    = ["22"]
  }
}

resource "google_sql_database_instance" "pg" {
  name             = "pg"
  database_version = "POSTGRES_15"
  settings {
    tier = "db-f1-micro"
    ip_configuration {
      ipv4_enabled = true
      ssl_mode     = "ENCRYPTED_ONLY"
      authorized_networks {
        name  = "all"
        value = "0.0.0.0/0"
      }
    }
    backup_configuration {
      enabled = true
    }
  }
}

resource "google_sql_database_instance" "mysql" {
  name             = "mysql"
  database_version = "MYSQL_8_0"
  settings {
    tier = "db-f1-micro"
    ip_configuration {
      ipv4_enabled    = false
      private_network = google_compute_network.vpc.id
    }
  }
}

resource "google_kms_key_ring" "ring" {
  name     = "ring"
  location = "europe"
}

resource "google_kms_crypto_key" "never" {
  name     = "never"
  key_ring = google_kms_key_ring.ring.id
}

resource "google_kms_crypto_key" "quarterly" {
  name            = "quarterly"
  key_ring        = google_kms_key_ring.ring.id
  rotation_period = "7776000s"
}

resource "google_kms_crypto_key" "yearly" {
  name            = "yearly"
  key_ring        = google_kms_key_ring.ring.id
  rotation_period = "31536000s"
}

resource "google_container_cluster" "legacy" {
  name               = "legacy"
  location           = "europe-west1"
  initial_node_count = 1
  enable_legacy_abac = true
}

resource "google_compute_instance" "router" {
  name           = "router"
  machine_type   = "e2-small"
  zone           = "europe-west1-b"
  can_ip_forward = true
  boot_disk {
    initialize_params {
      image = "debian-cloud/debian-12"
    }
  }
  network_interface {
    network = google_compute_network.vpc.name
  }
  metadata = {
    serial-port-enable = "true"
  }
}
