// Package azurecollect collects Azure subscriptions live (Resource Graph,
// the ARM calls it lacks, Entra ID via Microsoft Graph) and writes them as
// the exports internal/importer/azure reads and the Entra ID shape of issue 10.
//
// Microsoft Graph is called through azcore's pipeline (bearer token, retry,
// recording policies) on the REST API, not msgraph-sdk-go: building a
// program using msgraph-sdk-go v1.89.0 took 4m06s and 4.6 GB of memory on
// this 2-core machine, and the export keeps Graph's response bodies verbatim,
// which typed models would only re-encode.
package azurecollect
