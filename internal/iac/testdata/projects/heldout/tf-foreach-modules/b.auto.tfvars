buckets = { assets = { public = true }, logs = { public = false }, scratch = { public = false } }
