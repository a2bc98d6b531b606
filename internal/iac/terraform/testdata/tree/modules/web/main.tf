variable "name" {
  type = string
}

resource "aws_s3_bucket" "site" {
  bucket = var.name
}

resource "aws_s3_bucket_versioning" "site" {
  bucket = aws_s3_bucket.site.id
  versioning_configuration {
    status = "Enabled"
  }
}

output "bucket" {
  value = aws_s3_bucket.site.bucket
}
