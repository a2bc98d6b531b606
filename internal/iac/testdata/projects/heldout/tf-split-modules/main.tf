provider "aws" {
  region = "eu-west-1"
}

module "buckets" {
  source = "./modules/buckets"
  names  = ["raw", "curated", "public-site"]
}

module "hardening" {
  source     = "./modules/hardening"
  bucket_ids = module.buckets.ids
  versioned  = { for n, id in module.buckets.by_name : n => id if n != "public-site" }
}

resource "aws_s3_bucket_public_access_block" "pab" {
  for_each                = toset(module.buckets.names)
  bucket                  = "acme-${each.value}"
  block_public_acls       = each.value != "public-site"
  block_public_policy     = each.value != "public-site"
  ignore_public_acls      = each.value != "public-site"
  restrict_public_buckets = each.value != "public-site"
}
