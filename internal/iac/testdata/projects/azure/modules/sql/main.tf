variable "name" {
  type = string
}

variable "rg" {
  type = string
}

variable "location" {
  type = string
}

variable "firewall" {
  description = "rule name to [start, end] addresses"
  type        = map(list(string))
}

variable "admin_password" {
  type      = string
  sensitive = true
}

resource "azurerm_mssql_server" "this" {
  name                         = var.name
  resource_group_name          = var.rg
  location                     = var.location
  version                      = "12.0"
  administrator_login          = "sqladmin"
  administrator_login_password = var.admin_password
  minimum_tls_version          = "1.2"
}

resource "azurerm_mssql_firewall_rule" "this" {
  for_each         = var.firewall
  name             = each.key
  server_id        = azurerm_mssql_server.this.id
  start_ip_address = each.value[0]
  end_ip_address   = each.value[1]
}

resource "azurerm_mssql_server_extended_auditing_policy" "this" {
  server_id              = azurerm_mssql_server.this.id
  storage_endpoint       = "https://audit.blob.core.windows.net/"
  retention_in_days      = 90
}
