# Held-out-project shapes (7 December): see expect.txt.
provider "aws" {
  region = "eu-west-1"
  default_tags {
    tags = { Owner = "platform", Env = var.env }
  }
}
variable "env" { type = string }
variable "buckets" { type = map(object({ public = bool })) }
variable "ssh_cidr" {
  type    = string
  default = "10.0.0.0/8"
}
module "b" {
  source   = "./modules/bucket"
  for_each = var.buckets
  name     = "acme-${var.env}-${each.key}"
}
# split resources over the module instances (for_each over a module call)
resource "aws_s3_bucket_public_access_block" "pab" {
  for_each                = { for k, v in var.buckets : k => v if !v.public }
  bucket                  = module.b[each.key].id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
resource "aws_s3_bucket_server_side_encryption_configuration" "sse" {
  for_each = module.b
  bucket   = each.value.id
  rule {
    apply_server_side_encryption_by_default { sse_algorithm = "aws:kms" }
  }
}
module "versioning" {
  source     = "./modules/versioning"
  bucket_ids = { for k, m in module.b : k => m.id if k != "scratch" }
}
resource "aws_s3_bucket_policy" "public" {
  for_each = { for k, v in var.buckets : k => v if v.public }
  bucket   = module.b[each.key].bucket.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = "*", Action = "s3:GetObject", Resource = "${module.b[each.key].arn}/*" }]
  })
}
module "sg" {
  source = "./modules/sg"
  vpc_id = "vpc-123"
}
resource "aws_security_group_rule" "ssh" {
  count             = 2
  type              = "ingress"
  security_group_id = module.sg.id
  from_port         = 22
  to_port           = 22
  protocol          = "tcp"
  cidr_blocks       = [count.index == 0 ? var.ssh_cidr : "0.0.0.0/0"]
}
