variable "resource_group_name" {
  type = string
}
variable "location" {
  type = string
}

resource "azurerm_network_security_group" "this" {
  name                = "nsg-app"
  location            = var.location
  resource_group_name = var.resource_group_name
  security_rule {
    name                       = "https"
    priority                   = 300
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "443"
    source_address_prefix      = "*"
    destination_address_prefix = "*"
  }
}

output "name" {
  value = azurerm_network_security_group.this.name
}
