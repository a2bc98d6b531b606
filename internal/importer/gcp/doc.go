// Package gcp imports Google Cloud Asset Inventory exports: the
// newline-delimited JSON that `gcloud asset export` writes (content types
// resource and iam_policy), and JSON arrays of assets as `gcloud asset list
// --format=json` prints them.
//
// IAM deny policies are not in these exports: Cloud Asset Inventory has no
// content type or asset field for them and does not list them as an asset
// type. They are read only through the IAM v2 API, per attachment point
// (`gcloud iam policies list --kind=denypolicies
// --attachment-point=cloudresourcemanager.googleapis.com/projects/P`), so an
// inventory from an export holds no GCP deny policy.
package gcp
