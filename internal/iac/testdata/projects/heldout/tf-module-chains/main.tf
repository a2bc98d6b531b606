# Held-out-project shapes (7 December): see expect.txt.
variable "enable_logs" {
  type    = bool
  default = true
}
resource "aws_s3_bucket" "b" {
  for_each = toset(["site", "data"])
  bucket   = "acme-${each.key}"
}
module "pab" {
  source   = "./modules/pab"
  for_each = aws_s3_bucket.b
  bucket   = each.value.id
  strict   = each.key == "data"
}
resource "aws_s3_bucket" "logs" {
  count  = var.enable_logs ? 1 : 0
  bucket = "acme-logs"
}
resource "aws_s3_bucket_logging" "l" {
  for_each      = aws_s3_bucket.b
  bucket        = each.value.id
  target_bucket = aws_s3_bucket.logs[0].id
  target_prefix = "${each.key}/"
}
module "wrap" { source = "./modules/wrap" }
module "rules" {
  source = "./modules/rules"
  sg_id  = module.wrap.sg_id
  ingress = {
    pg    = { port = 5432, cidr = "0.0.0.0/0" }
    https = { port = 443, cidr = "0.0.0.0/0" }
  }
}
