// Package collect is what the live collectors (collect/aws, collect/azure,
// collect/gcp) share: the record of every API call and every denied,
// throttled or failed one, bounded concurrency, progress, and the sink the
// collected data is written to in the clouds' own export formats.
package collect
