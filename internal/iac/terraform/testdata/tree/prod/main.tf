provider "aws" {
  region = var.region
}

provider "aws" {
  alias  = "west"
  region = "us-west-2"
}

variable "region" {
  type    = string
  default = "eu-west-1"
}

variable "env" {
  type = string
}

variable "replicas" {
  type    = number
  default = 1
}

variable "open_ports" {
  type    = list(number)
  default = [22]
}

locals {
  prefix = "acme-${var.env}"
  tags   = merge({ env = var.env }, { owner = "platform" })
}

# A module called twice: once alone, once per site.
module "web" {
  source = "../modules/web"
  name   = "${local.prefix}-web"
}

module "sites" {
  source   = "../modules/web"
  for_each = { blog = "b", shop = "s" }
  name     = "${local.prefix}-${each.key}"
}

module "registry" {
  source  = "terraform-aws-modules/s3-bucket/aws"
  version = "4.1.0"
}

resource "aws_s3_bucket" "logs" {
  count    = var.replicas
  provider = aws.west
  bucket   = "${local.prefix}-logs-${count.index}"
  tags     = local.tags
}

resource "aws_s3_bucket_public_access_block" "logs" {
  count                   = var.replicas
  bucket                  = aws_s3_bucket.logs[count.index].id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_security_group" "admin" {
  name = "${local.prefix}-admin"

  dynamic "ingress" {
    for_each = var.open_ports
    content {
      from_port   = ingress.value
      to_port     = ingress.value
      protocol    = "tcp"
      cidr_blocks = ["0.0.0.0/0"]
    }
  }
}

resource "aws_s3_bucket" "by_set" {
  for_each = toset(["a", "b"])
  bucket   = "${local.prefix}-${each.value}"
}

resource "aws_kms_key" "unknown_rotation" {
  enable_key_rotation = var.rotation
}

variable "rotation" {
  type = bool
}
