# The development account: its only trail logs no S3 data events. That
# the production root module's trail does is no excuse: another root
# module is another deployment, here another account.
provider "aws" {
  region = "eu-west-1"
}

module "trail" {
  source = "../../modules/trail"
  name   = "dev-main"
}

# Not installed (terraform init has not fetched it since it was added):
# a warning, not scanned.
module "logs" {
  source  = "terraform-aws-modules/s3-bucket/aws"
  version = "4.1.0"
  bucket  = "acme-dev-logs"
}

# Installed from git; it calls a module of its own repository.
module "data" {
  source = "git::https://git.example.com/acme/tf-data.git?ref=v2.0.0"
  name   = "acme-dev-data"
}
