provider "aws" {
  region = "us-east-1"
  default_tags {
    tags = { team = "platform" }
  }
}

provider "aws" {
  alias  = "eu"
  region = "eu-west-1"
}

variable "buckets" {
  type = map(object({
    versioning = optional(bool, true)
    public     = optional(bool, false)
    logging = optional(object({
      target = string
      prefix = optional(string, "access/")
    }))
  }))
  default = {}
}

module "store" {
  source   = "./modules/store"
  for_each = var.buckets
  providers = {
    aws = aws.eu
  }
  name     = "acme-${each.key}"
  settings = each.value
}

# Logging configured in the root for the buckets that ask for it, keyed onto
# the module's instances.
resource "aws_s3_bucket_logging" "this" {
  provider      = aws.eu
  for_each      = { for k, v in var.buckets : k => v.logging if v.logging != null }
  bucket        = module.store[each.key].id
  target_bucket = each.value.target
  target_prefix = each.value.prefix
}

moved {
  from = aws_s3_bucket.reports
  to   = module.store["reports"].aws_s3_bucket.this
}

import {
  to = aws_security_group.bastion
  id = "sg-0123456789abcdef0"
}

resource "aws_security_group" "bastion" {
  name = "bastion"
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_cloudwatch_log_group" "trail" {
  name = "org-trail"
}

resource "aws_cloudtrail" "org" {
  name                       = "org"
  s3_bucket_name             = "acme-org-trail"
  is_multi_region_trail      = true
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn  = "arn:aws:iam::111122223333:role/trail"
}

resource "aws_guardduty_detector" "this" {}

# The CIS filters in the trail's region, through the module's inherited
# default provider; the root usage one again through the aliased one, whose
# region is not the log group's.
module "alarms_home" {
  source    = "./modules/alarms"
  log_group = aws_cloudwatch_log_group.trail.name
  changes = {
    unauthorized = "{ ($.errorCode = \"*UnauthorizedOperation\") || ($.errorCode = \"AccessDenied*\") }"
  }
}

module "alarms_eu" {
  source = "./modules/alarms"
  providers = {
    aws = aws.eu
  }
  log_group = aws_cloudwatch_log_group.trail.name
  changes = {
    root = "{ $.userIdentity.type = \"Root\" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != \"AwsServiceEvent\" }"
  }
}
