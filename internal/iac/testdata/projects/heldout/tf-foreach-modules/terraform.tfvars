env     = "dev"
buckets = { assets = { public = true }, logs = { public = false } }
ssh_cidr = "0.0.0.0/0"
