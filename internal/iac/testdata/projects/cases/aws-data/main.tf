provider "aws" {
  region = "eu-west-1"
}

resource "aws_db_instance" "open" {
  identifier          = "open"
  engine              = "postgres"
  instance_class      = "db.t3.micro"
  allocated_storage   = 20
  username            = "app"
  password            = var.db_password
  publicly_accessible = true
}

resource "aws_db_instance" "closed" {
  identifier              = "closed"
  engine                  = "mysql"
  instance_class          = "db.t3.micro"
  allocated_storage       = 20
  username                = "app"
  manage_master_user_password = true
  storage_encrypted       = true
  kms_key_id              = aws_kms_key.sym.arn
  backup_retention_period = 7
  deletion_protection     = true
  multi_az                = true
}

variable "db_password" {
  type      = string
  sensitive = true
}

resource "aws_rds_cluster" "aurora" {
  cluster_identifier = "aurora"
  engine             = "aurora-postgresql"
  master_username    = "app"
  manage_master_user_password = true
}

resource "aws_kms_key" "sym" {
  description = "symmetric, rotation off by default"
}

resource "aws_kms_key" "rotated" {
  description         = "rotated"
  enable_key_rotation = true
}

resource "aws_kms_key" "asym" {
  description              = "signing key: AWS cannot rotate it"
  customer_master_key_spec = "RSA_2048"
  key_usage                = "SIGN_VERIFY"
}

resource "aws_ebs_volume" "plain" {
  availability_zone = "eu-west-1a"
  size              = 10
}

resource "aws_ebs_volume" "enc" {
  availability_zone = "eu-west-1a"
  size              = 10
  encrypted         = true
}

resource "aws_cloudtrail" "weak" {
  name           = "weak"
  s3_bucket_name = "acme-trail"
}

resource "aws_cloudtrail" "strong" {
  name                       = "strong"
  s3_bucket_name             = "acme-trail"
  is_multi_region_trail      = true
  enable_log_file_validation = true
  kms_key_id                 = aws_kms_key.rotated.arn
}

data "aws_iam_policy_document" "admin" {
  statement {
    effect    = "Allow"
    actions   = ["*"]
    resources = ["*"]
  }
}

resource "aws_iam_policy" "admin" {
  name   = "admin"
  policy = data.aws_iam_policy_document.admin.json
}

data "aws_iam_policy_document" "read" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::acme/*"]
  }
}

resource "aws_iam_policy" "read" {
  name   = "read"
  policy = data.aws_iam_policy_document.read.json
}

resource "aws_iam_policy" "inline_admin" {
  name = "inline-admin"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "*"
      Resource = "*"
    }]
  })
}

resource "aws_ecr_repository" "default" {
  name = "default"
}

resource "aws_ecr_repository" "hardened" {
  name                 = "hardened"
  image_tag_mutability = "IMMUTABLE"
  image_scanning_configuration {
    scan_on_push = true
  }
}

resource "aws_sns_topic" "plain" {
  name = "plain"
}

resource "aws_sqs_queue" "default" {
  name = "default"
}

resource "aws_sqs_queue" "no_sse" {
  name                    = "no-sse"
  sqs_managed_sse_enabled = false
}
