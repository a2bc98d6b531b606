project = "acme-data"
env     = "prod"

buckets = {
  logs = {
    readers   = []
    versioned = true
  }
  public = {
    readers   = ["allUsers"]
    versioned = false
  }
}

sql_networks = {
  office   = "203.0.113.0/24"
  anywhere = "0.0.0.0/0"
}
