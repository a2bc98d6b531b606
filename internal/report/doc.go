// Package report writes scan results in vigil's output formats: a terminal
// table, JSON, CSV, OCSF Compliance Findings, SARIF 2.1.0 and a single
// self-contained HTML report; plus the worst-first order and finding filters.
package report
