// Package finding defines what a posture check produces: one Finding per rule
// and resource with status FAIL, PASS or UNKNOWN, severities and their order,
// and the scan summary that reports carry.
package finding
