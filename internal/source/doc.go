// Package source is the seam every producer of resources plugs into: export
// importers today, IaC readers and live collectors next. A Source yields
// batches of resources with the problems met reading them.
package source
