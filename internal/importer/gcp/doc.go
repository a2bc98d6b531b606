// Package gcp imports Google Cloud Asset Inventory exports: the
// newline-delimited JSON that `gcloud asset export` writes (content types
// resource and iam_policy), and JSON arrays of assets as `gcloud asset list
// --format=json` prints them.
package gcp
