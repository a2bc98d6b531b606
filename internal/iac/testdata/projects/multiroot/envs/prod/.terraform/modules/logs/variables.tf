variable "create_bucket" {
  type    = bool
  default = true
}

variable "bucket" {
  type    = string
  default = null
}

variable "versioning" {
  type    = map(string)
  default = {}
}

variable "attach_deny_insecure_transport_policy" {
  type    = bool
  default = false
}
