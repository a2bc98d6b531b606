# A root module in the shape of a real project: variables from
# terraform.tfvars and an .auto.tfvars file, locals with conditionals, a
# module called with for_each over a map, a nested module and split S3
# resources in and out of modules.

variable "env" {
  type = string
}

variable "datasets" {
  description = "one bucket per dataset"
  type = map(object({
    versioned = bool
    public    = bool
  }))
  default = {}
}

variable "log_everything" {
  type    = bool
  default = false
}

locals {
  prefix  = "acme-${var.env}"
  is_prod = var.env == "prod"
  tags = {
    env   = var.env
    owner = "data"
  }
}

module "logging" {
  source = "./modules/logging"
  prefix = local.prefix
}

module "dataset" {
  source         = "./modules/bucket"
  for_each       = var.datasets
  name           = "${local.prefix}-${each.key}"
  versioned      = each.value.versioned
  public_read    = each.value.public
  logged         = var.log_everything || local.is_prod
  log_bucket     = module.logging.bucket_id
  log_prefix     = "${each.key}/"
  tags           = local.tags
}

# A bucket configured in this module by split resources.
resource "aws_s3_bucket" "exports" {
  bucket = "${local.prefix}-exports"
  tags   = local.tags
}

resource "aws_s3_bucket_versioning" "exports" {
  bucket = aws_s3_bucket.exports.id
  versioning_configuration {
    status = local.is_prod ? "Enabled" : "Suspended"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "exports" {
  bucket = aws_s3_bucket.exports.bucket
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "aws:kms"
    }
  }
}

resource "aws_s3_bucket_logging" "exports" {
  bucket        = aws_s3_bucket.exports.id
  target_bucket = module.logging.bucket_id
  target_prefix = "exports/"
}

# One bucket per team from a set, with versioning left suspended.
resource "aws_s3_bucket" "team" {
  for_each = toset(["red", "blue"])
  bucket   = "${local.prefix}-team-${each.value}"
}

resource "aws_s3_bucket_versioning" "team" {
  for_each = aws_s3_bucket.team
  bucket   = each.value.id
  versioning_configuration {
    status = each.key == "red" ? "Enabled" : "Suspended"
  }
}

resource "aws_s3_bucket_logging" "team" {
  for_each      = aws_s3_bucket.team
  bucket        = each.value.id
  target_bucket = module.logging.bucket_id
  target_prefix = "team/${each.key}/"
}

module "network" {
  source     = "./modules/network"
  admin_cidr = var.admin_cidr
  web_ports  = var.web_ports
}
