variable "name" {
  type = string
}

variable "location" {
  type = string
}

variable "versioning" {
  type = bool
}

resource "google_storage_bucket" "this" {
  name                        = var.name
  location                    = var.location
  uniform_bucket_level_access = true
  public_access_prevention    = "inherited"
  versioning {
    enabled = var.versioning
  }
  logging {
    log_bucket = "acme-logs"
  }
}

output "name" {
  value = google_storage_bucket.this.name
}
