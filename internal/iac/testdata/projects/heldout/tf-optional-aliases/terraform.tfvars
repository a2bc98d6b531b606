buckets = {
  reports = {}
  scratch = { versioning = false }
}
