locals {
  a = local.b
  b = local.a
}

module "self" {
  source = "./"
}

resource "aws_s3_bucket" "counted" {
  count  = length(aws_s3_bucket.ok.id)
  bucket = "x"
}
