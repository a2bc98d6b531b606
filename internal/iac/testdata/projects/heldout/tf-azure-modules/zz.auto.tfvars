stores = {
  logs = {}
  data = {
    open = true
    tls  = "TLS1_0"
  }
}
vaults = {
  app    = {}
  legacy = { audit = false }
}
