// Package k8saudit reads Kubernetes API server audit events
// (audit.k8s.io/v1 Event) as the managed clusters deliver them and
// normalizes them to OCSF 1.8.0 API Activity:
//
//   - plain Events, one per line (the API server's log backend) or in an
//     EventList ({"kind":"EventList","apiVersion":"audit.k8s.io/v1",
//     "metadata":{},"items":[...]}, what the webhook backend posts);
//   - Amazon EKS control plane logs: the kube-apiserver-audit-* streams of
//     the cluster's CloudWatch Logs group (/aws/eks/<cluster>/cluster),
//     each log event's message the Event's JSON text, in `aws logs
//     filter-log-events` / `get-log-events` output or in a subscription
//     filter's records (Kinesis, Firehose to S3);
//   - Azure Kubernetes Service resource logs: the kube-audit and
//     kube-audit-admin diagnostic categories ({"records":[...]} in a
//     storage account or an Event Hub), properties.log holding the Event's
//     JSON text, the AzureDiagnostics table's rows of those categories
//     (log_s), and the resource-specific AKSAudit / AKSAuditAdmin table
//     rows (PascalCase columns: AuditId, Verb, RequestUri, User, ObjectRef,
//     ResponseStatus, ...), which are converted back to the Event.
//
// GKE's audit entries come through Cloud Logging as Cloud Audit Logs
// entries (serviceName k8s.io) and are read by the gcp package, with its
// own rules.
//
// Sigma rules of logsource product kubernetes, service audit (SigmaHQ's
// rules/application/kubernetes/audit) match these events by the Event's
// own field names (verb, objectRef.resource, user.username,
// responseStatus.code), plus the names SigmaHQ's rules use for what the
// pod spec holds (capabilities, hostPath).
package k8saudit
