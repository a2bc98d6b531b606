variable "name" {
  type = string
}
variable "resource_group_name" {
  type = string
}
variable "location" {
  type = string
}
variable "replication" {
  type = string
}
variable "tls" {
  type = string
}

resource "azurerm_storage_account" "this" {
  name                     = var.name
  resource_group_name      = var.resource_group_name
  location                 = var.location
  account_tier             = "Standard"
  account_replication_type = var.replication
  min_tls_version          = var.tls
}

output "id" {
  value = azurerm_storage_account.this.id
}
