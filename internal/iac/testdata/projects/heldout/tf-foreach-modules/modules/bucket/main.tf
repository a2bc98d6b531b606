variable "name" { type = string }
variable "tags" {
  type    = map(string)
  default = {}
}
resource "aws_s3_bucket" "this" {
  bucket = var.name
  tags   = merge(var.tags, { Module = "bucket" })
}
output "id" { value = aws_s3_bucket.this.id }
output "arn" { value = aws_s3_bucket.this.arn }
output "bucket" { value = aws_s3_bucket.this }
