# Held-out-project shape (7 December): names made unique with a random suffix, so known only at apply, and split
# resources naming their parent by that name (server_name, storage_account_name), as terragoat and many modules do.
# The name still designates the parent: the split resources join it (they were judged alone, and the parent's facts
# stayed unknown).
variable "environment" {
  default = "dev"
}

resource "random_integer" "suffix" {
  min = 10000
  max = 99999
}

resource "azurerm_storage_account" "data" {
  name                     = "data${var.environment}${random_integer.suffix.result}"
  resource_group_name      = "rg"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "GRS"
}

resource "azurerm_storage_account_network_rules" "data" {
  resource_group_name  = "rg"
  storage_account_name = azurerm_storage_account.data.name
  default_action       = "Deny"
  ip_rules             = ["198.51.100.7"]
  bypass               = ["Metrics"]
}

resource "azurerm_sql_server" "db" {
  name                         = "sql-${var.environment}-${random_integer.suffix.result}"
  resource_group_name          = "rg"
  location                     = "westeurope"
  version                      = "12.0"
  administrator_login          = "dbadmin"
  administrator_login_password = var.environment
}

resource "azurerm_sql_firewall_rule" "everyone" {
  name                = "everyone"
  resource_group_name = "rg"
  server_name         = azurerm_sql_server.db.name
  start_ip_address    = "0.0.0.0"
  end_ip_address      = "255.255.255.255"
}

resource "azurerm_mssql_server_security_alert_policy" "db" {
  resource_group_name = "rg"
  server_name         = azurerm_sql_server.db.name
  state               = "Enabled"
  disabled_alerts     = ["Sql_Injection"]
}
