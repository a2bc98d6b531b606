variable "name" {
  type = string
}
variable "resource_group_name" {
  type = string
}
variable "location" {
  type = string
}
variable "audit" {
  type = bool
}
variable "workspace_id" {
  type = string
}

resource "azurerm_key_vault" "this" {
  name                     = var.name
  location                 = var.location
  resource_group_name      = var.resource_group_name
  tenant_id                = "00000000-0000-0000-0000-000000000000"
  sku_name                 = "standard"
  purge_protection_enabled = true
}

resource "azurerm_monitor_diagnostic_setting" "audit" {
  count                      = var.audit ? 1 : 0
  name                       = "audit"
  target_resource_id         = azurerm_key_vault.this.id
  log_analytics_workspace_id = var.workspace_id
  enabled_log {
    category_group = "audit"
  }
}
