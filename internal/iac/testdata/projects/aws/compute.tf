# Application servers: a count of instances from a launch template that
# requires IMDSv2, and a bastion that sets its own metadata options.
resource "aws_iam_role" "app" {
  name = "app"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" } }]
  })
}

resource "aws_iam_instance_profile" "app" {
  name = "app"
  role = aws_iam_role.app.name
}

resource "aws_launch_template" "app" {
  name_prefix   = "app-"
  image_id      = "ami-0123456789abcdef0"
  instance_type = "t3.small"
  metadata_options {
    http_endpoint = "enabled"
    http_tokens   = "required"
  }
}

resource "aws_instance" "app" {
  count                = local.is_prod ? 2 : 1
  iam_instance_profile = aws_iam_instance_profile.app.name
  subnet_id            = "subnet-0123456789abcdef0"
  launch_template {
    id      = aws_launch_template.app.id
    version = "$Latest"
  }
  root_block_device {
    encrypted = true
  }
  tags = merge(local.tags, { Name = "app-${count.index}" })
}

resource "aws_instance" "bastion" {
  ami                         = "ami-0123456789abcdef0"
  instance_type               = "t3.micro"
  associate_public_ip_address = true
  metadata_options {
    http_tokens = local.is_prod ? "optional" : "required"
  }
  root_block_device {
    encrypted = false
  }
}

# Workers launched by an Auto Scaling group: the template is what is
# judged (IMDSv1 left at its default, an unencrypted data volume).
resource "aws_launch_template" "workers" {
  name_prefix   = "workers-"
  image_id      = "ami-0123456789abcdef0"
  instance_type = "m7i.large"
  iam_instance_profile {
    name = aws_iam_instance_profile.app.name
  }
  block_device_mappings {
    device_name = "/dev/xvdb"
    ebs {
      volume_size = 100
      encrypted   = local.is_prod ? false : true
    }
  }
}

resource "aws_autoscaling_group" "workers" {
  name                = "workers"
  min_size            = 1
  max_size            = 4
  vpc_zone_identifier = ["subnet-0123456789abcdef0"]
  launch_template {
    id      = aws_launch_template.workers.id
    version = "$Latest"
  }
}
