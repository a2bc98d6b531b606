variable "admin_cidr" {
  type    = string
  default = "10.0.0.0/8"
}

variable "web_ports" {
  type    = list(number)
  default = [443]
}
