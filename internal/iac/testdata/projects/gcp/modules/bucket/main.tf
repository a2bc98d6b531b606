variable "project" {
  type = string
}

variable "name" {
  type = string
}

variable "readers" {
  type    = list(string)
  default = []
}

variable "versioned" {
  type    = bool
  default = true
}

variable "labels" {
  type    = map(string)
  default = {}
}

resource "google_storage_bucket" "this" {
  project                     = var.project
  name                        = var.name
  location                    = "EU"
  uniform_bucket_level_access = length(var.readers) == 0
  labels                      = var.labels
  versioning {
    enabled = var.versioned
  }
}

resource "google_storage_bucket_iam_member" "reader" {
  for_each = toset(var.readers)
  bucket   = google_storage_bucket.this.name
  role     = "roles/storage.objectViewer"
  member   = each.value
}

output "name" {
  value = google_storage_bucket.this.name
}
