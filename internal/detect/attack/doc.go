// Package attack ships the MITRE ATT&CK Enterprise techniques of the cloud
// platforms (IaaS, Identity Provider, Office Suite) as data, with the
// ATT&CK version and source it was derived from, for coverage reports and
// for checking the technique tags of Sigma rules. ATT&CK is © The MITRE
// Corporation; see NOTICE.
package attack
