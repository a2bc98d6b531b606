// Package resource is vigil's one model of a cloud resource: the identity every
// cloud shares (provider, account, region, native type, id, tags), the raw
// attributes as the cloud exported them, and normalized cross-cloud facts that
// rules evaluate so one rule serves AWS, Azure and GCP alike.
package resource
