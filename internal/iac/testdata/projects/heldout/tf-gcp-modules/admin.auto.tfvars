admin_ranges = ["203.0.113.0/24"]
