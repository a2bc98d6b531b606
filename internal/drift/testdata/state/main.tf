terraform {
  required_providers {
    aws     = { source = "hashicorp/aws", version = "~> 5.80" }
    azurerm = { source = "hashicorp/azurerm", version = "~> 4.10" }
    google  = { source = "hashicorp/google", version = "~> 6.12" }
  }
}

provider "aws" {
  region = "eu-west-1"
  default_tags {
    tags = { managed-by = "terraform" }
  }
}

provider "azurerm" {
  features {}
  subscription_id = "5f3c2b1a-7d4e-4c8b-9a6f-1e2d3c4b5a69"
}

provider "google" {
  project = "acme-prod-7"
  region  = "europe-west1"
}

data "aws_caller_identity" "current" {}

# --- AWS: data lake buckets ---------------------------------------------

resource "aws_s3_bucket" "data" {
  bucket = "acme-prod-data"
  tags   = { env = "prod", owner = "data-platform" }
}

resource "aws_s3_bucket_public_access_block" "data" {
  bucket                  = aws_s3_bucket.data.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "data" {
  bucket = aws_s3_bucket.data.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = "arn:aws:kms:eu-west-1:210987654321:key/7d1e6a52-3b8c-4f0e-9a21-5c6d7e8f9a0b"
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_versioning" "data" {
  bucket = aws_s3_bucket.data.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket" "logs" {
  bucket = "acme-prod-logs"
  tags   = { env = "prod", owner = "data-platform" }
}

resource "aws_s3_bucket_public_access_block" "logs" {
  bucket                  = aws_s3_bucket.logs.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "logs" {
  bucket = aws_s3_bucket.logs.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_versioning" "logs" {
  bucket = aws_s3_bucket.logs.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket" "archive" {
  bucket = "acme-prod-archive"
  tags   = { env = "prod", owner = "data-platform" }
}

resource "aws_s3_bucket_public_access_block" "archive" {
  bucket                  = aws_s3_bucket.archive.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

module "network" {
  source = "./modules/network"
  vpc_id = "vpc-0f1e2d3c4b5a69780"
}

# --- AWS: the application role, read-only --------------------------------

resource "aws_iam_role" "app" {
  name        = "acme-app"
  description = "acme web application"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ec2.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy_attachment" "app_readonly" {
  role       = aws_iam_role.app.name
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}

# --- Azure ----------------------------------------------------------------

resource "azurerm_resource_group" "prod" {
  name     = "rg-acme-prod"
  location = "westeurope"
}

resource "azurerm_storage_account" "data" {
  name                            = "acmeproddata"
  resource_group_name             = azurerm_resource_group.prod.name
  location                        = azurerm_resource_group.prod.location
  account_tier                    = "Standard"
  account_replication_type        = "ZRS"
  min_tls_version                 = "TLS1_2"
  allow_nested_items_to_be_public = false
  https_traffic_only_enabled      = true

  blob_properties {
    versioning_enabled = true
    delete_retention_policy {
      days = 7
    }
    container_delete_retention_policy {
      days = 7
    }
  }

  network_rules {
    default_action = "Deny"
    bypass         = ["AzureServices"]
    ip_rules       = ["203.0.113.0/24"]
  }

  tags = { env = "prod" }
}

resource "azurerm_network_security_group" "web" {
  name                = "nsg-acme-web"
  resource_group_name = azurerm_resource_group.prod.name
  location            = azurerm_resource_group.prod.location

  security_rule {
    name                       = "allow-https"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "443"
    source_address_prefix      = "Internet"
    destination_address_prefix = "*"
  }

  tags = { env = "prod" }
}

# --- GCP ------------------------------------------------------------------

resource "google_storage_bucket" "assets" {
  name                        = "acme-prod-assets"
  location                    = "EUROPE-WEST1"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  labels                      = { env = "prod" }

  versioning {
    enabled = true
  }
}

resource "google_compute_firewall" "https" {
  name          = "acme-allow-https"
  network       = "acme-vpc"
  direction     = "INGRESS"
  source_ranges = ["0.0.0.0/0"]
  target_tags   = ["web"]

  allow {
    protocol = "tcp"
    ports    = ["443"]
  }
}
