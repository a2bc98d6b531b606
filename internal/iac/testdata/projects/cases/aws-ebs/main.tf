provider "aws" {
  region = "eu-west-1"
}

provider "aws" {
  alias  = "us"
  region = "us-east-1"
}

# The account's EBS encryption by default, on in eu-west-1 only: every new
# volume of that region is encrypted, even one that says encrypted = false
# (AWS refuses to create it unencrypted); in us-east-1 the configuration
# does not say, so a volume without `encrypted` stays unknown.
resource "aws_ebs_encryption_by_default" "eu" {
  enabled = true
}

resource "aws_ebs_volume" "eu_default" {
  availability_zone = "eu-west-1a"
  size              = 20
}

resource "aws_ebs_volume" "eu_false" {
  availability_zone = "eu-west-1b"
  size              = 20
  encrypted         = false
}

resource "aws_ebs_volume" "us_default" {
  provider          = aws.us
  availability_zone = "us-east-1a"
  size              = 20
}

resource "aws_ebs_volume" "us_false" {
  provider          = aws.us
  availability_zone = "us-east-1a"
  size              = 20
  encrypted         = false
}

resource "aws_instance" "eu" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.micro"
}

resource "aws_instance" "us" {
  provider      = aws.us
  ami           = "ami-0fedcba9876543210"
  instance_type = "t3.micro"
  root_block_device {
    encrypted = false
  }
}
