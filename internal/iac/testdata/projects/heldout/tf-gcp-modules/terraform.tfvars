buckets = {
  raw = {
    public = true
  }
  curated = {
    readers = ["group:analysts@acme.example", "allAuthenticatedUsers"]
  }
  archive = {
    versioning = false
    location   = "US"
  }
}
