# The production account: its main trail logs S3 data events of every
# bucket, so the audit trail of the same root module need not.
provider "aws" {
  region = "eu-west-1"
}

module "trail" {
  source             = "../../modules/trail"
  name               = "prod-main"
  log_s3_data_events = true
}

module "audit_trail" {
  source = "../../modules/trail"
  name   = "prod-audit"
}

# Installed by terraform init from the registry (.terraform/modules).
module "logs" {
  source   = "terraform-aws-modules/s3-bucket/aws"
  version  = "4.1.0"
  for_each = toset(["app", "lb"])

  bucket = "acme-prod-${each.key}-logs"
  versioning = {
    enabled = each.key == "app"
  }
  attach_deny_insecure_transport_policy = each.key == "app"
}
