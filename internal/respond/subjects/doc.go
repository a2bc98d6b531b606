// Package subjects reads what response playbooks act on: vigil's findings
// (the JSON report, OCSF Compliance Findings as an array or JSON lines) and
// alerts (OCSF Detection Findings, JSON lines, as vigil detect writes
// them), recognised from their content, into respond.Subjects.
package subjects
