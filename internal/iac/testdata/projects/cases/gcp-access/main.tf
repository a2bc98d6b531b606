provider "google" {
  project = "acme-access"
  region  = "europe-west1"
}

resource "google_project_iam_member" "sa_user" {
  project = "acme-access"
  role    = "roles/iam.serviceAccountUser"
  member  = "user:dev@acme.example"
}

resource "google_project_iam_member" "gmail_owner" {
  project = "acme-access"
  role    = "roles/owner"
  member  = "user:someone@gmail.com"
}

resource "google_project_iam_binding" "public_viewer" {
  project = "acme-access"
  role    = "roles/viewer"
  members = ["allAuthenticatedUsers"]
}

resource "google_compute_network" "net" {
  name                    = "net"
  auto_create_subnetworks = false
}

resource "google_compute_subnetwork" "nolog" {
  name          = "nolog"
  ip_cidr_range = "10.1.0.0/24"
  network       = google_compute_network.net.id
}

resource "google_compute_subnetwork" "logged" {
  name          = "logged"
  ip_cidr_range = "10.2.0.0/24"
  network       = google_compute_network.net.id
  log_config {
    aggregation_interval = "INTERVAL_5_SEC"
    flow_sampling        = 1
    metadata             = "INCLUDE_ALL_METADATA"
  }
}

resource "google_dns_managed_zone" "public" {
  name     = "public"
  dns_name = "acme.example."
}

resource "google_dns_managed_zone" "signed" {
  name     = "signed"
  dns_name = "signed.acme.example."
  dnssec_config {
    state = "on"
    default_key_specs {
      algorithm  = "rsasha1"
      key_length = 2048
      key_type   = "keySigning"
    }
    default_key_specs {
      algorithm  = "rsasha256"
      key_length = 1024
      key_type   = "zoneSigning"
    }
  }
}

resource "google_storage_bucket" "pub" {
  name     = "acme-access-pub"
  location = "EU"
  uniform_bucket_level_access = true
}

resource "google_storage_bucket_iam_binding" "pub" {
  bucket  = google_storage_bucket.pub.name
  role    = "roles/storage.objectViewer"
  members = ["allUsers"]
}

resource "google_cloudfunctions2_function" "fn" {
  name     = "fn"
  location = "europe-west1"
  build_config {
    runtime     = "python312"
    entry_point = "main"
  }
  service_config {
    environment_variables = {
      API_KEY = "AIzaSyD-this-is-not-a-real-key-123456"
    }
  }
}

resource "google_cloudfunctions2_function_iam_member" "public" {
  cloud_function = google_cloudfunctions2_function.fn.name
  location       = "europe-west1"
  role           = "roles/cloudfunctions.invoker"
  member         = "allUsers"
}
