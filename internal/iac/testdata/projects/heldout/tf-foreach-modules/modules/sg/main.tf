variable "vpc_id" { type = string }
variable "open_ports" {
  type    = list(number)
  default = []
}
resource "aws_security_group" "this" {
  name   = "app"
  vpc_id = var.vpc_id
}
output "id" { value = aws_security_group.this.id }
