variable "admin_cidr" {
  type = string
}

variable "web_ports" {
  type = list(number)
}

resource "aws_vpc" "main" {
  cidr_block = "10.10.0.0/16"
}

# Web ports from a dynamic block.
resource "aws_security_group" "web" {
  name   = "web"
  vpc_id = aws_vpc.main.id

  dynamic "ingress" {
    for_each = var.web_ports
    content {
      description = "web ${ingress.value}"
      from_port   = ingress.value
      to_port     = ingress.value
      protocol    = "tcp"
      cidr_blocks = ["0.0.0.0/0"]
    }
  }
}

# Administration: SSH and RDP as separate rules, one per port.
resource "aws_security_group" "admin" {
  name   = "admin"
  vpc_id = aws_vpc.main.id
}

resource "aws_vpc_security_group_ingress_rule" "admin" {
  for_each          = { ssh = 22, rdp = 3389 }
  security_group_id = aws_security_group.admin.id
  ip_protocol       = "tcp"
  from_port         = each.value
  to_port           = each.value
  cidr_ipv4         = each.key == "ssh" ? var.admin_cidr : "10.0.0.0/8"
}

# Databases reach only the private network.
resource "aws_security_group" "db" {
  name   = "db"
  vpc_id = aws_vpc.main.id
}

resource "aws_security_group_rule" "db" {
  count             = 2
  type              = "ingress"
  security_group_id = aws_security_group.db.id
  protocol          = "tcp"
  from_port         = [5432, 3306][count.index]
  to_port           = [5432, 3306][count.index]
  cidr_blocks       = [cidrsubnet("10.10.0.0/16", 8, count.index)]
}
