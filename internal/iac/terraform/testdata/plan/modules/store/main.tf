variable "name" {
  type = string
}

resource "aws_s3_bucket" "this" {
  bucket = "store-${var.name}"
  tags = {
    Name = var.name
  }
}

resource "aws_s3_bucket_policy" "this" {
  bucket = aws_s3_bucket.this.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = "*", Action = "s3:GetObject", Resource = "${aws_s3_bucket.this.arn}/*" }]
  })
}
