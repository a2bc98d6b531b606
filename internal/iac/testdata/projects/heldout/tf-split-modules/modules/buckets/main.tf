variable "names" {
  type = list(string)
}
resource "aws_s3_bucket" "b" {
  count  = length(var.names)
  bucket = "acme-${var.names[count.index]}"
}
output "ids" {
  value = aws_s3_bucket.b[*].id
}
output "names" {
  value = var.names
}
output "by_name" {
  value = { for i, n in var.names : n => aws_s3_bucket.b[i].id }
}
