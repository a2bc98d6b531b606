module "net" { source = "../net" }
output "sg_id" { value = module.net.sg_id }
