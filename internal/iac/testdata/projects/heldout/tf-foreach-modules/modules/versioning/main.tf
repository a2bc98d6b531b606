variable "bucket_ids" { type = map(string) }
resource "aws_s3_bucket_versioning" "v" {
  for_each = var.bucket_ids
  bucket   = each.value
  versioning_configuration { status = "Enabled" }
}
