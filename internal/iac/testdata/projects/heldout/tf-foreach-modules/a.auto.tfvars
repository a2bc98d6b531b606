env = "prod"
ssh_cidr = "192.168.0.0/16"
