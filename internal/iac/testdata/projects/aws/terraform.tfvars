env = "dev"

datasets = {
  raw = {
    versioned = false
    public    = false
  }
  published = {
    versioned = true
    public    = true
  }
}
