variable "sg_id" { type = string }
variable "ingress" {
  type = map(object({ port = number, cidr = string }))
}
resource "aws_vpc_security_group_ingress_rule" "this" {
  for_each          = var.ingress
  security_group_id = var.sg_id
  from_port         = each.value.port
  to_port           = each.value.port
  ip_protocol       = "tcp"
  cidr_ipv4         = each.value.cidr
}
