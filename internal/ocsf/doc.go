// Package ocsf holds vigil's Open Cybersecurity Schema Framework (OCSF 1.8.0)
// types: the shared objects, the activity classes audit logs normalize to, and
// the Compliance Finding and Detection Finding classes vigil reports in.
package ocsf
