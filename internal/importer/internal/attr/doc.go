// Package attr holds what the format importers share: tolerant accessors for
// decoded JSON (case-insensitive keys, JSON-encoded strings, missing fields
// read as unknown), JSON decoding with error positions, and Result, what one
// input file produced.
package attr
