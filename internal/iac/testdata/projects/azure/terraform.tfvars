stores = {
  web = {
    public_blobs = true
    open_network = true
  }
  data = {
    public_blobs = false
    open_network = false
  }
}

sql_firewall = {
  office = ["203.0.113.0", "203.0.113.255"]
}
