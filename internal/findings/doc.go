// Package findings is vigil's one model of the clouds' own security
// findings: AWS GuardDuty, Security Hub and Inspector, Microsoft Defender
// for Cloud, Google Security Command Center and Artifact Analysis. Each
// provider format has its own reader package below this one (guardduty,
// securityhub, inspector, defender, scc, artifact) that turns one record of
// the format into a Finding; package load finds the records in exported
// files, recognising each format from its content.
//
// A Finding keeps the provider's id, the product, the severity on vigil's
// scale with the original kept, the resource (joined to an inventory
// resource by id when an inventory is given), first and last seen times, a
// status (active, suppressed, resolved), the vulnerability details for
// vulnerabilities and the raw record. Threats become OCSF Detection Findings
// (class 2004) and vulnerabilities OCSF Vulnerability Findings (class 2002).
package findings
