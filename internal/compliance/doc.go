// Package compliance turns findings into a per-framework compliance summary:
// for every control of CIS, SOC 2, ISO 27001, PCI DSS, HIPAA or NIST 800-53
// that a rule maps to, whether it PASSED, FAILED or was NOT_EVALUATED, and,
// given a benchmark catalogue, which controls no rule covers.
package compliance
