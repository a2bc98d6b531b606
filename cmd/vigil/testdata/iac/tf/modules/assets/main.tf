variable "names" {
  type = list(string)
}

variable "env" {
  type = string
}

resource "aws_s3_bucket" "this" {
  for_each = toset(var.names)
  bucket   = "acme-${var.env}-${each.key}"
}

resource "aws_s3_bucket_policy" "this" {
  for_each = aws_s3_bucket.this
  bucket   = each.value.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "s3:GetObject"
      Resource  = "${each.value.arn}/*"
    }]
  })
}
