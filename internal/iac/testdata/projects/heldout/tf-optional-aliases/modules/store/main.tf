terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

variable "name" { type = string }

variable "settings" {
  type = object({
    versioning = bool
    public     = bool
  })
}

resource "aws_s3_bucket" "this" {
  bucket = var.name
}

resource "aws_s3_bucket_versioning" "this" {
  count  = var.settings.versioning ? 1 : 0
  bucket = aws_s3_bucket.this.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_public_access_block" "this" {
  bucket                  = aws_s3_bucket.this.id
  block_public_acls       = !var.settings.public
  block_public_policy     = !var.settings.public
  ignore_public_acls      = !var.settings.public
  restrict_public_buckets = !var.settings.public
}

output "id" { value = aws_s3_bucket.this.id }
