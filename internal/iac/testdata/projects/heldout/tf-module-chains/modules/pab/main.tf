variable "bucket" { type = string }
variable "strict" {
  type    = bool
  default = true
}
resource "aws_s3_bucket_public_access_block" "this" {
  bucket                  = var.bucket
  block_public_acls       = var.strict
  block_public_policy     = var.strict
  ignore_public_acls      = var.strict
  restrict_public_buckets = var.strict
}
