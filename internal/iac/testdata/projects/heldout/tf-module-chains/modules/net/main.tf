resource "aws_vpc" "this" { cidr_block = "10.0.0.0/16" }
resource "aws_security_group" "db" {
  name   = "db"
  vpc_id = aws_vpc.this.id
}
output "sg_id" { value = aws_security_group.db.id }
output "vpc_id" { value = aws_vpc.this.id }
