variable "region" {
  default = "eu-west-1"
}

provider "aws" {
  region = var.region
}

provider "aws" {
  alias  = "west"
  region = "us-west-2"
}

data "aws_caller_identity" "me" {}

resource "aws_s3_bucket" "logs" {
  count  = 2
  bucket = "logs-${count.index}"
}

resource "aws_s3_bucket" "data" {
  provider      = aws.west
  bucket_prefix = "data-"
}

resource "aws_s3_bucket_public_access_block" "data" {
  provider                = aws.west
  bucket                  = aws_s3_bucket.data.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "data" {
  provider = aws.west
  bucket   = aws_s3_bucket.data.id
  versioning_configuration {
    status = "Enabled"
  }
}

module "store" {
  for_each = toset(["a"])
  source   = "./modules/store"
  name     = each.key
}

resource "aws_s3_bucket_public_access_block" "logs" {
  count                   = 2
  bucket                  = aws_s3_bucket.logs[count.index].id
  block_public_acls       = count.index == 0
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
