variable "bucket_ids" {
  type = list(string)
}
variable "versioned" {
  type = map(string)
}
resource "aws_s3_bucket_logging" "l" {
  count         = length(var.bucket_ids)
  bucket        = var.bucket_ids[count.index]
  target_bucket = "acme-logs"
  target_prefix = "s3/${count.index}/"
}
resource "aws_s3_bucket_versioning" "v" {
  for_each = var.versioned
  bucket   = each.value
  versioning_configuration {
    status = "Enabled"
  }
}
