terraform {
  required_providers {
    google = {
      source = "hashicorp/google"
    }
  }
}

provider "google" {
  project = "acme-data-prod"
  region  = "europe-west1"
  default_labels = {
    team = "data"
  }
}

provider "google" {
  alias   = "dr"
  project = "acme-data-dr"
  region  = "us-central1"
}

variable "buckets" {
  type = map(object({
    public     = optional(bool, false)
    versioning = optional(bool, true)
    location   = optional(string, "EU")
    readers    = optional(list(string), [])
  }))
}

variable "admin_ranges" {
  type    = list(string)
  default = ["0.0.0.0/0"]
}

module "bucket" {
  source     = "./modules/bucket"
  for_each   = var.buckets
  name       = "acme-${each.key}"
  location   = each.value.location
  versioning = each.value.versioning
}

# Split IAM members in the root, keyed onto the module's instances.
resource "google_storage_bucket_iam_member" "public" {
  for_each = { for k, v in var.buckets : k => v if v.public }
  bucket   = module.bucket[each.key].name
  role     = "roles/storage.objectViewer"
  member   = "allUsers"
}

resource "google_storage_bucket_iam_member" "readers" {
  for_each = {
    for pair in flatten([for k, v in var.buckets : [for r in v.readers : { key = "${k}/${r}", bucket = k, member = r }]]) :
    pair.key => pair
  }
  bucket = module.bucket[each.value.bucket].name
  role   = "roles/storage.objectViewer"
  member = each.value.member
}

# The network through the DR provider; its ID fed to the firewall module.
module "network" {
  source = "./modules/network"
  providers = {
    google = google.dr
  }
  name      = "acme-dr"
  flow_logs = false
}

module "firewall" {
  source  = "./modules/firewall"
  network = module.network.self_link
  rules = {
    ssh   = { ports = ["22"], ranges = var.admin_ranges }
    https = { ports = ["443"], ranges = ["0.0.0.0/0"] }
    db    = { ports = ["5432"], ranges = ["10.0.0.0/8"] }
  }
}

moved {
  from = google_storage_bucket.raw
  to   = module.bucket["raw"].google_storage_bucket.this
}
