package logs

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/ocsf"
	"github.com/vigil-sec/vigil/internal/ocsf/ocsftest"
)

// k8sExec is one audit Event (a command run in a pod) as every delivery
// writes it: the tests below read it in each shape.
const k8sExec = `{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"c4a9f3e1-2b7d-4e58-a6c0-91d2e8f7b3a4","stage":"ResponseComplete","requestURI":"/api/v1/namespaces/payments/pods/api-7d9f/exec?command=sh&container=main&stdin=true&tty=true","verb":"create","user":{"username":"dev@acme.example","groups":["ops","system:authenticated"]},"sourceIPs":["203.0.113.24"],"userAgent":"kubectl/v1.29.2 (linux/amd64) kubernetes/4b8e819","objectRef":{"resource":"pods","namespace":"payments","name":"api-7d9f","apiVersion":"v1","subresource":"exec"},"responseStatus":{"metadata":{},"code":101},"requestReceivedTimestamp":"2024-05-07T09:02:30.500000Z","stageTimestamp":"2024-05-07T09:02:31.900000Z","annotations":{"authorization.k8s.io/decision":"allow","authorization.k8s.io/reason":""}}`

// k8sShapes returns the file contents of each delivery of k8sExec.
func k8sShapes(t *testing.T) map[string]string {
	msg, err := json.Marshal(k8sExec)
	if err != nil {
		t.Fatal(err)
	}
	rid := "/SUBSCRIPTIONS/00000000-1111-2222-3333-444444444444/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/AKS-PROD"
	row := `{"TimeGenerated":"2024-05-07T09:02:31.9Z","Level":"Metadata","AuditId":"c4a9f3e1-2b7d-4e58-a6c0-91d2e8f7b3a4","Stage":"ResponseComplete","RequestUri":"/api/v1/namespaces/payments/pods/api-7d9f/exec?command=sh&container=main&stdin=true&tty=true","Verb":"create","User":"{\"username\":\"dev@acme.example\",\"groups\":[\"ops\",\"system:authenticated\"]}","SourceIps":["203.0.113.24"],"UserAgent":"kubectl/v1.29.2 (linux/amd64) kubernetes/4b8e819","ObjectRef":{"resource":"pods","namespace":"payments","name":"api-7d9f","apiVersion":"v1","subresource":"exec"},"ResponseStatus":{"metadata":{},"code":101},"RequestReceivedTime":"2024-05-07T09:02:30.5Z","StageReceivedTime":"2024-05-07T09:02:31.9Z","Annotations":{"authorization.k8s.io/decision":"allow"},"PodName":"kube-apiserver-6d8f7c9b5-x2k4q","Type":"AKSAudit","_ResourceId":"` + strings.ToLower(rid) + `"}`
	// The portal's CSV export of the same AKSAudit row: dynamic columns as
	// JSON text, times in the portal's form in " [UTC]" columns.
	var csvBuf bytes.Buffer
	w := csv.NewWriter(&csvBuf)
	_ = w.Write([]string{"TimeGenerated [UTC]", "Level", "AuditId", "Stage", "RequestUri", "Verb", "User", "SourceIps", "UserAgent", "ObjectRef", "ResponseStatus", "RequestReceivedTime [UTC]", "StageReceivedTime [UTC]", "Annotations", "PodName", "Type", "_ResourceId"})
	_ = w.Write([]string{"5/7/2024, 9:02:31.900 AM", "Metadata", "c4a9f3e1-2b7d-4e58-a6c0-91d2e8f7b3a4", "ResponseComplete", "/api/v1/namespaces/payments/pods/api-7d9f/exec?command=sh&container=main&stdin=true&tty=true", "create",
		`{"username":"dev@acme.example","groups":["ops","system:authenticated"]}`, `["203.0.113.24"]`, "kubectl/v1.29.2 (linux/amd64) kubernetes/4b8e819",
		`{"resource":"pods","namespace":"payments","name":"api-7d9f","apiVersion":"v1","subresource":"exec"}`, `{"metadata":{},"code":101}`,
		"5/7/2024, 9:02:30.500 AM", "5/7/2024, 9:02:31.900 AM", `{"authorization.k8s.io/decision":"allow"}`, "kube-apiserver-6d8f7c9b5-x2k4q", "AKSAudit", strings.ToLower(rid)})
	w.Flush()
	return map[string]string{
		"aks-table.csv":     csvBuf.String(),
		"plain.jsonl":       k8sExec + "\n",
		"eventlist.json":    "{\n  \"kind\": \"EventList\",\n  \"apiVersion\": \"audit.k8s.io/v1\",\n  \"metadata\": {},\n  \"items\": [\n    " + k8sExec + "\n  ]\n}\n",
		"eventlist-1l.json": `{"kind":"EventList","apiVersion":"audit.k8s.io/v1","metadata":{},"items":[` + k8sExec + `]}` + "\n",
		"eks-filter.json":   `{"events":[{"logStreamName":"kube-apiserver-audit-0c6b3a1b","timestamp":1715072551900,"message":` + string(msg) + `,"ingestionTime":1715072552000,"eventId":"3826"}],"searchedLogStreams":[]}`,
		"eks-firehose":      `{"messageType":"CONTROL_MESSAGE","owner":"CloudwatchLogs","logGroup":"","logStream":"","subscriptionFilters":[],"logEvents":[{"id":"","timestamp":1715072551000,"message":"CWL CONTROL MESSAGE: Checking health of destination Firehose."}]}{"messageType":"DATA_MESSAGE","owner":"111122223333","logGroup":"/aws/eks/prod-1/cluster","logStream":"kube-apiserver-audit-0c6b3a1b","subscriptionFilters":["to-s3"],"logEvents":[{"id":"3826","timestamp":1715072551900,"message":` + string(msg) + `}]}`,
		"aks-records.json":  `{"records":[{"category":"kube-audit","operationName":"Microsoft.ContainerService/managedClusters/diagnosticLogs/Read","properties":{"containerID":"b7e2","log":` + string(msg) + `,"pod":"kube-apiserver-6d8f7c9b5-x2k4q","stream":"stdout"},"resourceId":"` + rid + `","time":"2024-05-07T09:02:31.9000000Z"}]}`,
		"aks-diag.jsonl":    `{"TimeGenerated":"2024-05-07T09:02:31.9Z","Category":"kube-audit-admin","ResourceProvider":"MICROSOFT.CONTAINERSERVICE","ResourceId":"` + rid + `","log_s":` + string(msg) + `,"pod_s":"kube-apiserver-6d8f7c9b5-x2k4q","Type":"AzureDiagnostics"}` + "\n",
		"aks-table.jsonl":   row + "\n",
	}
}

// TestK8sAuditShapes: one audit Event read from each delivery (plain, an
// EventList pretty or on one line, EKS's CloudWatch Logs output and
// Firehose records, AKS's diagnostic records, AzureDiagnostics and AKSAudit
// rows, as JSON and as the portal's CSV export) is one k8s_audit event with the same OCSF (the cloud aside: AKS's
// records name the subscription).
func TestK8sAuditShapes(t *testing.T) {
	dir := t.TempDir()
	var want *ocsf.APIActivity
	for name, data := range k8sShapes(t) {
		p := writeFile(t, dir, name, []byte(data))
		c := collect(t, p)
		if len(c.errs) > 0 || len(c.recs) != 1 || c.recs[0].Source != K8sAudit {
			t.Errorf("%s: %d records %v, notes %v", name, len(c.recs), c.bySource(), c.errs)
			continue
		}
		ev, err := Normalize(c.recs[0])
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		a, ok := ev.(*ocsf.APIActivity)
		if !ok {
			t.Fatalf("%s: %T", name, ev)
		}
		wantCloud := "Kubernetes"
		if strings.HasPrefix(name, "aks") {
			wantCloud = "Azure"
			if a.Cloud.Account == nil || a.Cloud.Account.UID != "00000000-1111-2222-3333-444444444444" {
				t.Errorf("%s: cloud %+v, want the cluster's subscription", name, a.Cloud)
			}
		}
		if a.Cloud.Provider != wantCloud {
			t.Errorf("%s: provider %q, want %q", name, a.Cloud.Provider, wantCloud)
		}
		if a.ActivityID != ocsf.APICreate || a.API.Operation != "create" || a.Actor.User.Name != "dev@acme.example" ||
			a.SrcEndpoint.IP != "203.0.113.24" || len(a.Resources) != 1 || a.Resources[0].UID != "namespaces/payments/pods/api-7d9f/exec" ||
			a.Time != 1715072550500 || a.StatusID != ocsf.StatusSuccess {
			t.Errorf("%s: %s", name, mustJSON(t, a))
		}
		a.Cloud, a.RawData, a.Metadata.Profiles = nil, "", nil
		if want == nil {
			want = a
		} else if mustJSON(t, a) != mustJSON(t, want) {
			t.Errorf("%s: OCSF differs from another shape's:\n%s\n%s", name, mustJSON(t, a), mustJSON(t, want))
		}
	}
}

func mustJSON(t *testing.T, v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestK8sAuditOtherLogs: the deliveries' other logs (an EKS cluster's
// authenticator and API server streams, AKS's other categories) are one
// "unknown kind" note beside the audit events; an AKS record whose log is
// not an audit Event is an error naming the shape; CloudTrail events in
// the same CloudWatch Logs output are still CloudTrail's.
func TestK8sAuditOtherLogs(t *testing.T) {
	dir := t.TempDir()
	msg, _ := json.Marshal(k8sExec)
	ctMsg, _ := json.Marshal(ct("ConsoleLogin", "e1"))
	eks := `{"events":[` +
		`{"logStreamName":"authenticator-0c6b","timestamp":1715072551000,"message":"time=\"2024-05-07T09:02:31Z\" level=info msg=\"access granted\" arn=\"arn:aws:iam::111122223333:role/DevOps\""},` +
		`{"logStreamName":"kube-apiserver-audit-0c6b","timestamp":1715072551900,"message":` + string(msg) + `},` +
		`{"logStreamName":"trail","timestamp":1715072552000,"message":` + string(ctMsg) + `}]}`
	c := collect(t, writeFile(t, dir, "eks.json", []byte(eks)))
	if got := c.bySource(); got[K8sAudit] != 1 || got[AWSCloudTrail] != 1 || len(c.recs) != 2 {
		t.Errorf("EKS output: %v", got)
	}
	if len(c.errs) != 1 || !c.errs[0].Skipped || !strings.Contains(c.errs[0].Err.Error(), "1 events of an unknown kind") {
		t.Errorf("EKS output notes: %v", c.errs)
	}
	aks := `{"records":[{"category":"kube-apiserver","operationName":"Microsoft.ContainerService/managedClusters/diagnosticLogs/Read","properties":{"log":"I0507 09:02:31.900000 1 trace.go:236] Trace[1]: \"List\"","pod":"kube-apiserver-6d8f"},"resourceId":"/x","time":"2024-05-07T09:02:31Z"},` +
		`{"category":"kube-audit","properties":{"log":` + string(msg) + `},"resourceId":"/x","time":"2024-05-07T09:02:31Z"},` +
		`{"category":"kube-audit","properties":{"log":"not an event"},"resourceId":"/x","time":"2024-05-07T09:02:32Z"}]}`
	c = collect(t, writeFile(t, dir, "aks.json", []byte(aks)))
	if got := c.bySource(); got[K8sAudit] != 1 || len(c.recs) != 1 {
		t.Errorf("AKS records: %v", got)
	}
	var failed, skipped int
	for _, e := range c.errs {
		switch {
		case e.Skipped:
			skipped++
		case strings.Contains(e.Err.Error(), "AKS kube-audit resource log record") && strings.Contains(e.Err.Error(), "properties.log"):
			failed++
		default:
			t.Errorf("unexpected note: %v", e)
		}
	}
	if failed != 1 || skipped != 1 {
		t.Errorf("AKS notes: %v", c.errs)
	}
}

// TestK8sAuditOCSFAgainstSchema validates the k8s samples' OCSF against
// the OCSF 1.8.0 schema tree in ../shared/corpus/ocsf-schema.
func TestK8sAuditOCSFAgainstSchema(t *testing.T) {
	s := ocsftest.Load(t)
	paths, _ := filepath.Glob(filepath.Join("testdata", "samples", "k8s_*"))
	c := collect(t, paths...)
	if len(c.errs) > 0 || c.bySource()[K8sAudit] < 15 || len(c.bySource()) != 1 {
		t.Fatalf("samples: %v, notes %v", c.bySource(), c.errs)
	}
	for _, r := range c.recs {
		ev, err := Normalize(r)
		if err != nil {
			t.Fatalf("%s:%d: %v", r.File, r.Line, err)
		}
		b, _ := json.Marshal(ev)
		for _, e := range s.Validate(t, b) {
			t.Errorf("%s:%d: %s", r.File, r.Line, e)
		}
	}
}
