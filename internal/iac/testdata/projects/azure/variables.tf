variable "stage" {
  type    = string
  default = "dev"
}

variable "sql_firewall" {
  type    = map(list(string))
  default = {}
}

variable "mgmt_ports" {
  type    = list(string)
  default = ["22"]
}
