# Provider default tags and labels reach every resource the provider
# manages, in the root module and in a module it calls; the resource's own
# tags win.
provider "aws" {
  region = "eu-west-1"
  default_tags {
    tags = {
      owner       = "platform"
      cost-center = var.cost_center
    }
  }
}

provider "aws" {
  alias  = "us"
  region = "us-east-1"
}

provider "google" {
  project = "acme"
  region  = "europe-west1"
  default_labels = {
    owner = "data-eng"
  }
}

variable "cost_center" {
  default = "cc-100"
}

resource "aws_s3_bucket" "logs" {
  bucket = "acme-logs"
  tags = {
    owner = "security"
  }
}

resource "aws_s3_bucket" "us" {
  provider = aws.us
  bucket   = "acme-us"
}

resource "google_storage_bucket" "lake" {
  name     = "acme-lake"
  location = "EU"
  labels = {
    data-classification = "internal"
  }
}

module "store" {
  source = "./modules/store"
}
