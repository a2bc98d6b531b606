variable "name" {
  type = string
}

module "bucket" {
  source     = "./modules/bucket"
  bucket     = var.name
  versioned  = false
}
