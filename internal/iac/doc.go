// Package iac scans infrastructure-as-code trees: it walks the paths, hands
// each file to the reader that recognises it (Helm takes whole chart
// directories), applies the ignore comments written in the sources and
// evaluates the same built-in rules as a scan of live inventories.
package iac
