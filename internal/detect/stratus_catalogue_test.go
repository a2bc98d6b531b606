package detect

import (
	"sort"
	"strings"
	"testing"
)

// stratusCatalogue maps each Stratus Red Team technique for AWS, EKS, GCP,
// Azure, Entra ID and Kubernetes (the technique pages of the catalogue as of December
// 2026, older ids kept where a page still documents them) to the built-in
// that alerts on its detonation. The detonation's events are those of that
// built-in's test case, written from the technique page's documented event
// shape (caseEvents).
var stratusCatalogue = map[string]string{
	"aws.initial-access.console-login-without-mfa":                "AWS IAM User Console Login Without MFA",
	"aws.execution.ec2-launch-unusual-instances":                  "AWS GPU Instance Launch Attempt Failed",
	"aws.execution.ec2-user-data":                                 "AWS EC2 Instance User Data Modified",
	"aws.execution.sagemaker-update-lifecycle-config":             "AWS SageMaker Notebook Lifecycle Configuration Changed",
	"aws.privilege-escalation.sagemaker-update-lifecycle-config":  "AWS SageMaker Notebook Lifecycle Configuration Changed",
	"aws.execution.ssm-send-command":                              "AWS SSM Run Command Sent",
	"aws.execution.ssm-start-session":                             "AWS SSM Session Started",
	"aws.lateral-movement.ssm-start-session":                      "AWS SSM Session Started",
	"aws.persistence.iam-backdoor-role":                           "AWS Role Trust Policy Changed",
	"aws.persistence.iam-backdoor-user":                           "AWS Access Key Created For Another IAM User",
	"aws.persistence.iam-create-admin-user":                       "AWS Administrator Policy Attached To An Identity",
	"aws.persistence.iam-create-backdoor-role":                    "AWS Administrator Policy Attached To An Identity",
	"aws.persistence.iam-create-user-login-profile":               "AWS Console Password Created Or Changed For A User",
	"aws.privilege-escalation.iam-update-user-login-profile":      "AWS Console Password Created Or Changed For A User",
	"aws.persistence.lambda-backdoor-function":                    "AWS Lambda Function Invocable By Anyone",
	"aws.persistence.lambda-layer-extension":                      "AWS Lambda Function Code Or Configuration Updated",
	"aws.persistence.lambda-overwrite-code":                       "AWS Lambda Function Code Or Configuration Updated",
	"aws.persistence.rolesanywhere-create-trust-anchor":           "AWS IAM Roles Anywhere Trust Anchor Created",
	"aws.persistence.sts-federation-token":                        "AWS Federation Token Issued",
	"aws.persistence.ec2-create-suspicious-keypair":               "AWS EC2 Key Pair Created",
	"aws.defense-evasion.cloudtrail-delete":                       "Cloud Audit Logging Disabled",
	"aws.defense-evasion.cloudtrail-stop":                         "Cloud Audit Logging Disabled",
	"aws.defense-evasion.cloudtrail-event-selectors":              "AWS CloudTrail Event Selectors Changed",
	"aws.defense-evasion.cloudtrail-lifecycle-rule":               "AWS S3 Lifecycle Rule Expires Objects Within A Week",
	"aws.defense-evasion.dns-delete-logs":                         "AWS Route 53 Resolver Query Logging Deleted",
	"aws.defense-evasion.organizations-leave":                     "AWS Account Leave Organization Attempt Failed",
	"aws.defense-evasion.vpc-remove-flow-logs":                    "AWS VPC Flow Logs Removed",
	"aws.defense-evasion.bedrock-guardrail-delete":                "AWS Bedrock Guardrail Deleted",
	"aws.defense-evasion.bedrock-model-invocation-logging-delete": "AWS Bedrock Model Invocation Logging Deleted",
	"aws.credential-access.ec2-get-password-data":                 "AWS EC2 Windows Password Data Requests Denied Across Instances",
	"aws.credential-access.ec2-steal-instance-credentials":        "AWS EC2 Instance Credentials Used From A Second Address",
	"aws.credential-access.secretsmanager-batch-retrieve-secrets": "AWS Secrets Manager Batch Secret Read",
	"aws.credential-access.secretsmanager-retrieve-secrets":       "AWS Mass Secret Retrieval",
	"aws.credential-access.ssm-retrieve-securestring-parameters":  "AWS SSM Parameters Decrypted In Batches",
	"aws.collection.ec2-console-screenshots":                      "AWS EC2 Console Output Or Screenshot Read",
	"aws.discovery.ec2-enumerate-from-instance":                   "AWS Infrastructure Discovery Burst",
	"aws.discovery.ec2-download-user-data":                        "AWS EC2 User Data Enumeration Across Instances",
	"aws.discovery.ses-enumerate":                                 "AWS SES Enumeration",
	"aws.discovery.bedrock-enumerate-models-multiple-regions":     "AWS Bedrock Model Enumeration Across Regions",
	"aws.lateral-movement.ec2-serial-console-send-ssh-public-key": "AWS EC2 Instance Connect SSH Key Pushed",
	"aws.lateral-movement.ec2-instance-connect":                   "AWS EC2 Instance Connect SSH Key Pushed",
	"aws.lateral-movement.ec2-send-ssh-public-key":                "AWS EC2 Instance Connect SSH Key Pushed",
	"aws.exfiltration.ec2-security-group-open-port-22-ingress":    "AWS Security Group Ingress From Any Address On An Admin Port",
	"aws.exfiltration.ec2-share-ami":                              "AWS Snapshot Or Image Shared With Another Account",
	"aws.exfiltration.ec2-share-ebs-snapshot":                     "AWS Snapshot Or Image Shared With Another Account",
	"aws.exfiltration.rds-share-snapshot":                         "AWS Snapshot Or Image Shared With Another Account",
	"aws.exfiltration.s3-backdoor-bucket-policy":                  "AWS S3 Bucket Policy Grants Access To A Whole AWS Account",
	"aws.impact.bedrock-invoke-model":                             "AWS Bedrock Models Listed Then Invoked",
	"aws.impact.ec2-deregister-ami":                               "AWS EC2 AMI Deregistered",
	"aws.impact.s3-ransomware-batch-deletion":                     "AWS S3 Versions Listed, Objects Deleted, Then A Note Written",
	"aws.impact.s3-ransomware-individual-deletion":                "AWS S3 Mass Object Deletion",
	"eks.lateral-movement.create-access-entry":                    "AWS EKS Access Entry Or Admin Policy Associated",
	"gcp.credential-access.secretmanager-retrieve-secrets":        "GCP Secret Manager Secrets Read In Bulk",
	"gcp.defense-evasion.delete-dns-logs":                         "GCP Cloud DNS Logging Policy Deleted Or Disabled",
	"gcp.defense-evasion.delete-logging-sink":                     "Cloud Audit Logging Disabled",
	"gcp.defense-evasion.disable-audit-logs":                      "GCP Audit Logging Configuration Removed Or Sink Disabled",
	"gcp.defense-evasion.disable-logging-sink":                    "GCP Audit Logging Configuration Removed Or Sink Disabled",
	"gcp.defense-evasion.remove-project-from-organization":        "GCP Project Moved To Another Folder Or Organization",
	"gcp.defense-evasion.remove-vpc-flow-logs":                    "GCP Subnetwork Changed (Flow Logs)",
	"gcp.discovery.enumerate-permissions":                         "GCP Permission Enumeration By A Service Account",
	"gcp.execution.gce-launch-unusual-instances":                  "GCP Accelerated Instance Created",
	"gcp.impact.create-gpu-vm":                                    "GCP Accelerated Instance Created",
	"gcp.execution.iap-tunnel-session":                            "GCP SSH Access To A Compute Instance",
	"gcp.lateral-movement.add-sshkey-instance-metadata":           "GCP SSH Access To A Compute Instance",
	"gcp.lateral-movement.add-sshkey-project-metadata":            "GCP SSH Access To A Compute Instance",
	"gcp.execution.modify-gce-startup-script":                     "GCP Instance Metadata Changed (Startup Script)",
	"gcp.execution.modify-vertex-notebook-startup":                "GCP Vertex AI Workbench Startup Script Changed",
	"gcp.execution.os-config-run-command":                         "GCP OS Config Policy Assignment Or Patch Job Created",
	"gcp.exfiltration.backdoor-gcs-bucket":                        "GCP Role Granted To A Consumer Google Account",
	"gcp.exfiltration.gcs-backdoor-bucket-policy":                 "GCP Role Granted To A Consumer Google Account",
	"gcp.persistence.backdoor-service-account-policy":             "GCP Role Granted To A Consumer Google Account",
	"gcp.exfiltration.open-port-22-ingress":                       "GCP Firewall Rule Created, Modified Or Deleted",
	"gcp.exfiltration.share-cloud-sql-backup":                     "GCP Cloud SQL Export Or Public Network",
	"gcp.exfiltration.sql-export-bucket":                          "GCP Cloud SQL Export Or Public Network",
	"gcp.exfiltration.share-compute-disk":                         "GCP Image, Snapshot Or Disk IAM Policy Changed",
	"gcp.exfiltration.share-compute-image":                        "GCP Image, Snapshot Or Disk IAM Policy Changed",
	"gcp.exfiltration.share-compute-snapshot":                     "GCP Image, Snapshot Or Disk IAM Policy Changed",
	"gcp.exfiltration.share-compute-disk-snapshot":                "GCP Image, Snapshot Or Disk IAM Policy Changed",
	"gcp.impact.create-instances-in-multiple-zones":               "GCP Instances Created In Many Zones",
	"gcp.impact.gcs-ransomware-individual-deletion":               "GCP Storage Mass Object Deletion",
	"gcp.impact.ransomware-gcs-individual-deletion":               "GCP Storage Mass Object Deletion",
	"gcp.impact.ransomware-gcs-batch-deletion":                    "GCP Storage Mass Object Deletion",
	"gcp.impact.gcs-ransomware-server-side-encryption":            "GCP Storage Mass Object Deletion",
	"gcp.lateral-movement.reset-windows-account":                  "GCP Windows Account Password Reset Through Instance Metadata",
	"gcp.persistence.backdoor-cloud-function":                     "GCP Cloud Function Or Cloud Run Service Made Publicly Invocable",
	"gcp.persistence.overwrite-cloud-function":                    "GCP Cloud Function Created Or Updated",
	"gcp.persistence.create-admin-service-account":                "GCP Privileged IAM Role Granted",
	"gcp.persistence.create-service-account-key":                  "GCP User-Managed Service Account Key Created",
	"gcp.persistence.create-workload-identity-federation":         "GCP Workload Identity Pool Or Provider Created",
	"gcp.persistence.invite-external-user":                        "GCP Project Ownership Invitation Sent",
	"gcp.privilege-escalation.impersonate-service-accounts":       "GCP Service Account Token Generated (Impersonation)",
	"azure.execution.bastion-shareable-link":                      "Azure Bastion Shareable Link Created",
	"azure.persistence.create-bastion-shareable-link":             "Azure Bastion Shareable Link Created",
	"azure.create-bastion-shareable-link":                         "Azure Bastion Shareable Link Created",
	"azure.credential-access.app-service-publishing-credentials":  "Azure Web App Publishing Credentials Read",
	"azure.execution.vm-custom-script-extension":                  "Azure VM Extension Installed",
	"azure.execution.vm-run-command":                              "Azure VM Run Command Executed",
	"azure.exfiltration.disk-export":                              "Azure Disk Or Snapshot Export Link Generated",
	"azure.exfiltration.storage-public-access":                    "Azure Storage Account Allows Anonymous Blob Access",
	"azure.exfiltration.storage-sas-export":                       "Azure Storage Blobs Read In Bulk With One SAS",
	"azure.impact.blob-ransomware-client-encryption-scope":        "Azure Storage Encryption Scope Created Then Its Key Deleted",
	"azure.impact.blob-ransomware-individual-file-deletion":       "Azure Storage Mass Blob Deletion",
	"azure.impact.blob-ransomware-service-storage-cmk":            "Azure Key Vault Deleted",
	"azure.impact.resource-lock":                                  "Azure Resource Lock Deleted",
	"azure.persistence.backdoor-managed-identity-fic":             "Azure Managed Identity Federated Credential Added",
	"azure.persistence.exfiltrate-foundry-key":                    "Azure AI Services Account Keys Listed Or Local Authentication Enabled",
	"azure.persistence.hidden-au":                                 "Entra ID Administrative Unit Created Or Member Added",
	"azure.persistence.restricted-au":                             "Entra ID Administrative Unit Created Or Member Added",
	"azure.privilege-escalation.root-user-access-administrator":   "Azure Global Administrator Elevated To User Access Administrator",
	"entra-id.persistence.backdoor-application-fic":               "Entra ID Federated Identity Credential Added To An Application",
	"entra-id.persistence.backdoor-application-sp":                "Entra ID Service Principal Or Application Credentials Added",
	"entra-id.persistence.backdoor-application":                   "Entra ID Service Principal Or Application Credentials Added",
	"entra-id.persistence.new-application":                        "Entra ID Member Added To A Directory Role",
	"entra-id.persistence.guest-user":                             "Entra ID External User Invited",
	"entra-id.persistence.hidden-au":                              "Entra ID Administrative Unit Created Or Member Added",
	"entra-id.persistence.restricted-au":                          "Entra ID Administrative Unit Created Or Member Added",
	// Kubernetes techniques, as GKE's API server audit entries in Cloud
	// Logging record them (vigil reads no other Kubernetes audit log).
	"eks.persistence.backdoor-aws-auth-configmap":       "Amazon EKS aws-auth ConfigMap Grants system:masters",
	"k8s.credential-access.dump-secrets":                "GKE Secrets Listed Across All Namespaces",
	"k8s.credential-access.steal-serviceaccount-token":  "GKE Command Executed In A Pod",
	"k8s.persistence.create-admin-clusterrole":          "GKE ClusterRole With Full Permissions Created",
	"k8s.privilege-escalation.create-admin-clusterrole": "GKE ClusterRole With Full Permissions Created",
	"k8s.persistence.create-client-certificate":         "GKE Client Certificate Signing Request Created Or Approved",
	"k8s.persistence.create-token":                      "GKE Token Created For A kube-system Service Account",
	"k8s.privilege-escalation.hostpath-volume":          "GKE Pod Or Workload Mounts A Sensitive Host Path",
	"k8s.privilege-escalation.nodes-proxy":              "GKE Node Proxy API Used",
	"k8s.privilege-escalation.privileged-pod":           "GKE Privileged Container Created",
}

// stratusUndetectable are the techniques whose detonation leaves nothing in
// the logs vigil reads that tells it from routine work, with the reason.
var stratusUndetectable = map[string]string{
	"aws.impact.s3-ransomware-client-side-encryption":     "objects read and written again in place: data events without a field that tells an encrypted rewrite from an update",
	"aws.persistence.cognito-refresh-token-reuse":         "Cognito user pool token refreshes are not in CloudTrail management events",
	"gcp.defense-evasion.reduce-sink-log-retention":       "the bucket update's audit entry holds no lifecycle rule",
	"gcp.discovery.download-instance-metadata":            "compute.instances.get is every console's and tool's call",
	"gcp.impact.gcs-ransomware-client-side-encryption":    "objects read and rewritten in place (no deletion burst)",
	"gcp.impact.ransomware-gcs-client-side-encryption":    "objects read and rewritten in place (no deletion burst)",
	"gcp.impact.invoke-vertex-ai-model":                   "one invocation, with no region of its own to count across",
	"gcp.initial-access.use-compute-sa-outside-gcp":       "needs Google's address ranges to tell an outside caller",
	"azure.impact.blob-ransomware-cpek":                   "a blob write records no customer-provided key",
	"azure.impact.blob-ransomware-client-side-encryption": "blobs read and rewritten in place (no deletion burst)",
}

// caseEvents returns the attack events (or sequence) of the first test
// case of any pack whose title is title.
func caseEvents(title string) []string {
	for _, c := range broadCases() {
		if c.title == title {
			return []string{c.match}
		}
	}
	for _, c := range coverageCases() {
		if c.title == title {
			return []string{c.match}
		}
	}
	for _, c := range packCases() {
		if c.title == title {
			return c.attack
		}
	}
	for _, c := range olderCases() {
		if c.title == title {
			return c.attack
		}
	}
	for _, c := range append(append(append(append(append(append(append(accuracyCases(), recallCases()...), azureResourceCases()...), stratusCases()...), identityCases()...), exposureCases()...), gkeCases()...), k8sCases()...) {
		if c.title != title {
			continue
		}
		if len(c.sequence) > 0 {
			return c.sequence
		}
		return c.attack[:1]
	}
	return nil
}

// TestStratusCatalogue: every Stratus Red Team technique is either mapped
// to a built-in or listed as undetectable with a reason; each mapped
// technique's events raise that built-in's alert (default tuning), and
// the same events refused raise no built-in above low unless it is about
// failures.
func TestStratusCatalogue(t *testing.T) {
	ids := make([]string, 0, len(stratusCatalogue))
	for id := range stratusCatalogue {
		if _, ok := stratusUndetectable[id]; ok {
			t.Errorf("%s is both mapped and undetectable", id)
		}
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		title := stratusCatalogue[id]
		t.Run(id, func(t *testing.T) {
			evs := caseEvents(title)
			if len(evs) == 0 {
				t.Fatalf("no test case of %q", title)
			}
			if len(alertsOf(runWithTuning(t, DefaultTuning(), evs), title)) == 0 {
				t.Errorf("%q raised no alert on its case's events", title)
			}
			var failed []string
			for _, ev := range evs {
				if f := failedVariant(ev); f != "" {
					failed = append(failed, f)
				} else {
					failed = append(failed, ev)
				}
			}
			for _, a := range runWithTuning(t, NoTuning(), failed) {
				if a.Level > LevelLow && !aboutFailures.MatchString(a.Rule.Title) {
					t.Errorf("%q raised at %v on the detonation refused", a.Rule.Title, a.Level)
				}
			}
		})
	}
	for id, why := range stratusUndetectable {
		if strings.TrimSpace(why) == "" {
			t.Errorf("%s: no reason", id)
		}
	}
	t.Logf("%d Stratus Red Team techniques alert, %d are not detectable from the logs vigil reads", len(stratusCatalogue), len(stratusUndetectable))
}
