# Applied after terraform.tfvars: production, with SSH opened to everyone.
env        = "prod"
admin_cidr = "0.0.0.0/0"
web_ports  = [80, 443]
