# Replaces terraform.tfvars' map whole (a variable's value is not merged).
buckets = {
  reports = { logging = { target = "acme-logs" } }
  scratch = { versioning = false, public = true }
  media   = { logging = { target = "acme-logs", prefix = "media/" } }
}
