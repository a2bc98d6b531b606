stores = {
  logs = {}
  data = {
    open = true
  }
}
