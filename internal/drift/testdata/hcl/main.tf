# The data platform's buckets and the web tier's security group, before
# (or without) a state: matched with the inventory by their cloud-side
# names.

provider "aws" {
  region = "eu-west-1"
}

resource "aws_s3_bucket" "data" {
  bucket = "acme-prod-data"
}

resource "aws_s3_bucket_public_access_block" "data" {
  bucket                  = aws_s3_bucket.data.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

# A name Terraform picks at apply: nothing to match it with before.
resource "aws_s3_bucket" "uploads" {
  bucket_prefix = "acme-uploads-"
}

# Deleted by hand since it was applied.
resource "aws_s3_bucket" "old" {
  bucket = "acme-prod-old"
}

resource "aws_security_group" "web" {
  name        = "acme-web"
  description = "acme web tier"
  vpc_id      = "vpc-0f1e2d3c4b5a69780"

  ingress {
    description      = "https"
    from_port        = 443
    to_port          = 443
    protocol         = "tcp"
    cidr_blocks      = ["0.0.0.0/0"]
    ipv6_cidr_blocks = ["::/0"]
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
