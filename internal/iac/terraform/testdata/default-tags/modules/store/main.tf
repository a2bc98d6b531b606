resource "aws_dynamodb_table" "t" {
  name     = "acme-t"
  hash_key = "id"
  attribute {
    name = "id"
    type = "S"
  }
}
