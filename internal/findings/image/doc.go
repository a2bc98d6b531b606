// Package image scans container images and serverless function packages
// for known vulnerabilities, with Syft (github.com/anchore/syft) for the
// SBOM and Grype (github.com/anchore/grype) for matching it against a
// vulnerability database in Grype's own format (schema v6) read from a
// local file: nothing is downloaded, and Grype's update and auto-download
// are never called.
//
// Scan reads a docker-archive tarball (docker save), an OCI image layout
// (a directory or a tarball), a function package archive (an AWS Lambda
// zip, a Google Cloud Functions source zip, an Azure Functions zip: the
// archive is unpacked with limits and its files scanned as a directory),
// a directory, or an image reference pulled from a registry through
// Syft's registry source. Each match becomes a findings.Finding of kind
// vulnerability (an OCSF Vulnerability Finding, class 2002) with the
// package, its installed and fixed versions and the CVE; RuleFindings
// gives the same matches as rule findings for the SARIF writer, and
// WriteSBOM writes the SBOM as CycloneDX or SPDX JSON.
package image
