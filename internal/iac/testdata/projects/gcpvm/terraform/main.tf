# GCE instances, Cloud SQL flags, BigQuery and KMS exposure, written after KICS's terraform/gcp and Checkov's
# CKV_GCP_* positive and negative cases (7 December, third session): shielded VM sub-settings and their provider
# defaults, OS login in instance metadata, the default service account with full API access, confidential
# computing, PostgreSQL / MySQL / SQL Server flags absent, off and on, public datasets and keys.
provider "google" {
  project = "shop-prod"
  region  = "europe-west1"
}

data "google_compute_default_service_account" "default" {}

resource "google_service_account" "app" {
  account_id = "app-runtime"
}

locals {
  boot = {
    image = "debian-cloud/debian-12"
  }
}

# No shielded_instance_config: the provider's defaults (vTPM and integrity monitoring on, secure boot off).
resource "google_compute_instance" "defaults" {
  name         = "vm-defaults"
  machine_type = "e2-medium"
  zone         = "europe-west1-b"
  boot_disk {
    initialize_params {
      image = local.boot.image
    }
  }
  network_interface {
    network = "default"
  }
}

resource "google_compute_instance" "no_vtpm" {
  name         = "vm-no-vtpm"
  machine_type = "e2-medium"
  zone         = "europe-west1-b"
  boot_disk {
    initialize_params {
      image = local.boot.image
    }
  }
  network_interface {
    network = "default"
  }
  shielded_instance_config {
    enable_secure_boot = true
    enable_vtpm        = false
  }
  metadata = {
    enable-oslogin = "FALSE"
  }
  service_account {
    email  = data.google_compute_default_service_account.default.email
    scopes = ["cloud-platform"]
  }
}

resource "google_compute_instance" "no_integrity" {
  name         = "vm-no-integrity"
  machine_type = "n2d-standard-2"
  zone         = "europe-west1-b"
  boot_disk {
    initialize_params {
      image = local.boot.image
    }
  }
  network_interface {
    network = "default"
  }
  shielded_instance_config {
    enable_integrity_monitoring = false
  }
  metadata = {
    enable-oslogin = "TRUE"
  }
  service_account {
    email  = "123456789012-compute@developer.gserviceaccount.com"
    scopes = ["https://www.googleapis.com/auth/cloud-platform"]
  }
}

resource "google_compute_instance" "hardened" {
  name         = "vm-hardened"
  machine_type = "n2d-standard-2"
  zone         = "europe-west1-b"
  boot_disk {
    initialize_params {
      image = local.boot.image
    }
  }
  network_interface {
    network = "default"
  }
  shielded_instance_config {
    enable_secure_boot          = true
    enable_vtpm                 = true
    enable_integrity_monitoring = true
  }
  confidential_instance_config {
    enable_confidential_compute = true
  }
  metadata = {
    enable-oslogin = "true"
  }
  service_account {
    email  = google_service_account.app.email
    scopes = ["cloud-platform"]
  }
}

resource "google_compute_instance" "default_sa_narrow" {
  name         = "vm-default-sa-narrow"
  machine_type = "e2-small"
  zone         = "europe-west1-b"
  boot_disk {
    initialize_params {
      image = local.boot.image
    }
  }
  network_interface {
    network = "default"
  }
  service_account {
    email  = data.google_compute_default_service_account.default.email
    scopes = ["logging-write", "monitoring-write"]
  }
}

# Cloud SQL: PostgreSQL with no settings flags, with the flags off, with them on; MySQL; SQL Server.
resource "google_sql_database_instance" "pg_bare" {
  name             = "pg-bare"
  database_version = "POSTGRES_16"
  region           = "europe-west1"
  settings {
    tier = "db-custom-1-3840"
  }
}

resource "google_sql_database_instance" "pg_off" {
  name             = "pg-off"
  database_version = "POSTGRES_15"
  region           = "europe-west1"
  settings {
    tier = "db-custom-1-3840"
    database_flags {
      name  = "log_connections"
      value = "off"
    }
    database_flags {
      name  = "log_disconnections"
      value = "off"
    }
    database_flags {
      name  = "cloudsql.enable_pgaudit"
      value = "off"
    }
    database_flags {
      name  = "log_min_duration_statement"
      value = "0"
    }
  }
}

resource "google_sql_database_instance" "pg_on" {
  name             = "pg-on"
  database_version = "POSTGRES_15"
  region           = "europe-west1"
  settings {
    tier = "db-custom-1-3840"
    dynamic "database_flags" {
      for_each = {
        log_connections               = "on"
        log_disconnections            = "on"
        "cloudsql.enable_pgaudit"     = "on"
        log_min_duration_statement    = "-1"
        log_statement                 = "ddl"
        log_min_messages              = "warning"
        log_min_error_statement       = "error"
        log_error_verbosity           = "default"
        "cloudsql.iam_authentication" = "on"
      }
      content {
        name  = database_flags.key
        value = database_flags.value
      }
    }
  }
}

resource "google_sql_database_instance" "mysql" {
  name             = "mysql-app"
  database_version = "MYSQL_8_0"
  region           = "europe-west1"
  settings {
    tier = "db-n1-standard-1"
    database_flags {
      name  = "local_infile"
      value = "on"
    }
  }
}

resource "google_sql_database_instance" "mysql_ok" {
  name             = "mysql-ok"
  database_version = "MYSQL_8_0"
  region           = "europe-west1"
  settings {
    tier = "db-n1-standard-1"
    database_flags {
      name  = "local_infile"
      value = "off"
    }
    database_flags {
      name  = "skip_show_database"
      value = "on"
    }
  }
}

resource "google_sql_database_instance" "mssql" {
  name             = "mssql-app"
  database_version = "SQLSERVER_2019_STANDARD"
  region           = "europe-west1"
  root_password    = "ChangeMe-2019!"
  settings {
    tier = "db-custom-2-7680"
    database_flags {
      name  = "cross db ownership chaining"
      value = "on"
    }
    database_flags {
      name  = "contained database authentication"
      value = "off"
    }
    database_flags {
      name  = "external scripts enabled"
      value = "on"
    }
    database_flags {
      name  = "remote access"
      value = "off"
    }
    database_flags {
      name  = "3625"
      value = "on"
    }
  }
}

# BigQuery: a dataset readable by all authenticated users, one shared through an IAM member with allUsers, a
# private one; a KMS key encrypting for anyone.
resource "google_bigquery_dataset" "shared" {
  dataset_id = "shared_reports"
  location   = "EU"
  access {
    role          = "READER"
    special_group = "allAuthenticatedUsers"
  }
  access {
    role          = "OWNER"
    user_by_email = google_service_account.app.email
  }
}

resource "google_bigquery_dataset" "open" {
  dataset_id = "open_data"
  location   = "EU"
}

resource "google_bigquery_dataset_iam_member" "open_viewer" {
  dataset_id = google_bigquery_dataset.open.dataset_id
  role       = "roles/bigquery.dataViewer"
  member     = "allUsers"
}

resource "google_bigquery_dataset" "private" {
  dataset_id = "private_data"
  location   = "EU"
  access {
    role           = "READER"
    group_by_email = "analysts@example.com"
  }
}

resource "google_kms_key_ring" "ring" {
  name     = "app"
  location = "europe-west1"
}

resource "google_kms_crypto_key" "open" {
  name     = "open"
  key_ring = google_kms_key_ring.ring.id
}

resource "google_kms_crypto_key_iam_member" "anyone" {
  crypto_key_id = google_kms_crypto_key.open.id
  role          = "roles/cloudkms.cryptoKeyEncrypter"
  member        = "allAuthenticatedUsers"
}

resource "google_kms_crypto_key" "closed" {
  name     = "closed"
  key_ring = google_kms_key_ring.ring.id
}

resource "google_kms_crypto_key_iam_binding" "team" {
  crypto_key_id = google_kms_crypto_key.closed.id
  role          = "roles/cloudkms.cryptoKeyEncrypterDecrypter"
  members       = ["group:platform@example.com"]
}

# Secret Manager and Artifact Registry, granted by their IDs (secret_id, repository_id): one public, one not.
resource "google_secret_manager_secret" "token" {
  secret_id = "api-token"
  replication {
    auto {}
  }
}

resource "google_secret_manager_secret_iam_member" "token_public" {
  secret_id = google_secret_manager_secret.token.secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = "allUsers"
}

resource "google_secret_manager_secret" "db" {
  secret_id = "db-password"
  replication {
    auto {}
  }
}

resource "google_secret_manager_secret_iam_member" "db_app" {
  secret_id = google_secret_manager_secret.db.secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.app.email}"
}

resource "google_artifact_registry_repository" "images" {
  repository_id = "images"
  location      = "europe-west1"
  format        = "DOCKER"
}

resource "google_artifact_registry_repository_iam_member" "images_public" {
  repository = google_artifact_registry_repository.images.repository_id
  location   = google_artifact_registry_repository.images.location
  role       = "roles/artifactregistry.reader"
  member     = "allUsers"
}

# A service_account block without email: the default compute service account.
resource "google_compute_instance" "implicit_default_sa" {
  name         = "vm-implicit-default-sa"
  machine_type = "e2-small"
  zone         = "europe-west1-b"
  boot_disk {
    initialize_params {
      image = local.boot.image
    }
  }
  network_interface {
    network = "default"
  }
  service_account {
    scopes = ["cloud-platform"]
  }
}
