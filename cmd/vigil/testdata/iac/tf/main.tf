variable "env" {
  type    = string
  default = "prod"
}

# vigil:ignore storage-public-access the assets module serves the public website (SEC-101)
module "assets" {
  source = "./modules/assets"
  names  = ["img", "css"]
  env    = var.env
}

resource "aws_security_group" "admin" { # vigil:ignore firewall-ssh-open-to-internet bastion replaced in Q1 exp:2026-03-31
  name   = "admin-${var.env}"
  vpc_id = "vpc-0123456789abcdef0"

  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
