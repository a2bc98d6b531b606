# Held-out-project shapes (7 December): see expect.txt.
variable "rules" {
  type = map(list(object({ port = number, cidrs = list(string) })))
}
variable "db_password" {
  type      = string
  sensitive = true
}
locals {
  flat = flatten([for sg, rs in var.rules : [for i, r in rs : { key = "${sg}-${i}", sg = sg, port = r.port, cidrs = r.cidrs }]])
}
resource "aws_security_group" "g" {
  for_each = var.rules
  name     = each.key
}
resource "aws_security_group_rule" "r" {
  for_each          = { for x in local.flat : x.key => x }
  type              = "ingress"
  security_group_id = aws_security_group.g[each.value.sg].id
  from_port         = each.value.port
  to_port           = each.value.port
  protocol          = "tcp"
  cidr_blocks       = each.value.cidrs
}
resource "aws_db_instance" "db" {
  identifier          = "db"
  engine              = "postgres"
  instance_class      = "db.t3.micro"
  username            = "app"
  password            = var.db_password
  storage_encrypted   = true
}
