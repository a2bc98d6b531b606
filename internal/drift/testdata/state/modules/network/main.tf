variable "vpc_id" {
  type = string
}

resource "aws_security_group" "web" {
  name        = "acme-web"
  description = "acme web tier"
  vpc_id      = var.vpc_id
  tags        = { Name = "acme-web" }

  ingress {
    description      = "https"
    from_port        = 443
    to_port          = 443
    protocol         = "tcp"
    cidr_blocks      = ["0.0.0.0/0"]
    ipv6_cidr_blocks = ["::/0"]
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
