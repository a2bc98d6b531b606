stage      = "prod"
mgmt_ports = ["22", "3389"]
