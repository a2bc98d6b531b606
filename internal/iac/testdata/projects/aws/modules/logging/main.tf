# The log bucket, made with the bucket module (a nested module call), and
# a policy that refuses plain HTTP.
variable "prefix" {
  type = string
}

module "bucket" {
  source    = "../bucket"
  name      = "${var.prefix}-logs"
  versioned = true
}

data "aws_iam_policy_document" "tls_only" {
  statement {
    sid     = "DenyPlainHTTP"
    effect  = "Deny"
    actions = ["s3:*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    resources = [module.bucket.arn, "${module.bucket.arn}/*"]
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "tls_only" {
  bucket = module.bucket.id
  policy = data.aws_iam_policy_document.tls_only.json
}

output "bucket_id" {
  value = module.bucket.id
}
