env      = "prod"
replicas = 2
