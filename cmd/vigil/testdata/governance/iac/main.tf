# Governance before deploy: the same rules as on the live inventory.
provider "aws" {
  region = "eu-west-1"
}

# Classified internal, no owner and no cost-center tag: required tags missing.
resource "aws_s3_bucket" "scratch" {
  bucket = "nw-iac-scratch"
  tags = {
    data-classification = "internal"
  }
}

# Compliant: every required tag, an allowed classification.
resource "aws_s3_bucket" "reports" {
  bucket = "nw-iac-reports"
  tags = {
    data-classification = "confidential"
    owner               = "finance"
    cost-center         = "cc-204"
  }
}

# No tags at all: an unclassified data store.
resource "aws_dynamodb_table" "flags" {
  name         = "nw-iac-flags"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"
  attribute {
    name = "id"
    type = "S"
  }
}
