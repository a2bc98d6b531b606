// Package sysmem tells the machine's physical memory, which the scan's and
// the batch detection's garbage-collector pacing size their limits from.
package sysmem
