package image

import "github.com/olekukonko/tablewriter/pkg/twwidth"

// Syft's table output, linked with the SBOM formats through Syft's format
// package, brings tablewriter, whose initializer makes a text-width cache of
// 8,192 entries: 0.64 MB that every vigil command kept live for its whole
// run (and the collector's goal grew with it). vigil writes CycloneDX and
// SPDX, never Syft's tables, so the cache is released at start; a table
// Syft wrote would measure each cell without it. docs/iac.md, "Start-up
// census".
func init() { twwidth.SetCacheCapacity(0) }
