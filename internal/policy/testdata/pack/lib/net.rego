package vigil.lib.testnet

internet(cidr) if cidr in {"0.0.0.0/0", "::/0"}
