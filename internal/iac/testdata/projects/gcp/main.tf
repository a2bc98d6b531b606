# Buckets from a module over a map with IAM members as their own
# resources, one bucket with a for_each over a set of readers, firewall
# rules with dynamic allow blocks, instances by count, and a Cloud SQL
# instance whose flags depend on the environment.

variable "project" {
  type = string
}

variable "env" {
  type    = string
  default = "dev"
}

variable "buckets" {
  type = map(object({
    readers   = list(string)
    versioned = bool
  }))
  default = {}
}

variable "ssh_sources" {
  type    = list(string)
  default = ["35.235.240.0/20"]
}

locals {
  prod   = var.env == "prod"
  labels = { env = var.env }
}

module "bucket" {
  source    = "./modules/bucket"
  for_each  = var.buckets
  project   = var.project
  name      = "${var.project}-${each.key}"
  readers   = each.value.readers
  versioned = each.value.versioned
  labels    = local.labels
}

resource "google_storage_bucket" "shared" {
  name                        = "${var.project}-shared"
  location                    = "EU"
  uniform_bucket_level_access = true
  versioning {
    enabled = local.prod
  }
  logging {
    log_bucket = module.bucket["logs"].name
  }
}

resource "google_storage_bucket_iam_member" "shared" {
  for_each = toset(["group:data@example.com", "allAuthenticatedUsers"])
  bucket   = google_storage_bucket.shared.name
  role     = "roles/storage.objectViewer"
  member   = each.value
}

resource "google_compute_network" "main" {
  name                    = "main"
  auto_create_subnetworks = false
}

resource "google_compute_firewall" "ingress" {
  for_each = {
    ssh = { ports = ["22"], sources = var.ssh_sources }
    web = { ports = ["80", "443"], sources = ["0.0.0.0/0"] }
    db  = { ports = ["5432"], sources = local.prod ? ["10.0.0.0/8"] : ["0.0.0.0/0"] }
  }
  name          = "allow-${each.key}"
  network       = google_compute_network.main.self_link
  source_ranges = each.value.sources

  dynamic "allow" {
    for_each = each.value.ports
    content {
      protocol = "tcp"
      ports    = [allow.value]
    }
  }
}

module "vm" {
  source  = "./modules/vm"
  count   = local.prod ? 2 : 1
  name    = "app-${count.index}"
  network = google_compute_network.main.self_link
  public  = count.index == 0
}

resource "google_sql_database_instance" "main" {
  name             = "main"
  database_version = "POSTGRES_15"
  region           = "europe-west1"
  settings {
    tier = "db-custom-1-3840"
    ip_configuration {
      ipv4_enabled = true
      ssl_mode     = local.prod ? "ENCRYPTED_ONLY" : "ALLOW_UNENCRYPTED_AND_ENCRYPTED"
      dynamic "authorized_networks" {
        for_each = var.sql_networks
        content {
          name  = authorized_networks.key
          value = authorized_networks.value
        }
      }
    }
    backup_configuration {
      enabled = true
    }
  }
}

variable "sql_networks" {
  type    = map(string)
  default = {}
}
