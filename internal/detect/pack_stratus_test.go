package detect

import (
	"fmt"
	"strings"
	"testing"
)

// Cases of vigil_pack_stratus.yml: Stratus Red Team techniques of the
// current catalogue, on the event shapes their detonation writes.

// ssmBatch is a GetParameters call decrypting the parameters names at
// minute min.
func ssmBatch(min int, names ...string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return ctAPI(min, "ssm.amazonaws.com", "GetParameters", `"requestParameters":{"names":[`+strings.Join(q, ",")+`],"withDecryption":true},"responseElements":null,"readOnly":true`)
}

// paramNames are parameters from to to-1 under the Stratus path.
func paramNames(from, to int) []string {
	var out []string
	for i := from; i < to; i++ {
		out = append(out, fmt.Sprintf("/credentials/stratus-red-team/credentials-%d", i))
	}
	return out
}

// storageAccountBody is a storage account write's body with the given
// encryption key source.
func storageAccountBody(keySource string) string {
	kv := ""
	if keySource == "Microsoft.Keyvault" {
		kv = `,"keyvaultproperties":{"keyname":"srt-key","keyvaulturi":"https://srt-kv-4f2a.vault.azure.net/"}`
	}
	return `{"properties":{"encryption":{"keySource":"` + keySource + `"` + kv + `,"services":{"blob":{"enabled":true,"keyType":"Account"},"file":{"enabled":true,"keyType":"Account"}}}},"identity":{"type":"SystemAssigned"}}`
}

// s3Data is an S3 data event of name on bucket at minute min (the
// request parameters a bucket-level or object-level call records).
func s3Data(min int, name, bucket, key string) string {
	rp := fmt.Sprintf(`"bucketName":%q,"Host":"%s.s3.us-east-1.amazonaws.com"`, bucket, bucket)
	switch name {
	case "DeleteObjects":
		rp += `,"delete":""`
	case "ListObjectVersions", "ListBucketVersions":
		rp += `,"versions":"","list-type":""`
	default:
		rp += fmt.Sprintf(`,"key":%q`, key)
	}
	return ctAPI(min, "s3.amazonaws.com", name, `"requestParameters":{`+rp+`},"responseElements":null,"additionalEventData":{"SignatureVersion":"SigV4","bytesTransferredIn":0,"AuthenticationMethod":"AuthHeader","bytesTransferredOut":412},"resources":[{"type":"AWS::S3::Object","ARNPrefix":"arn:aws:s3:::`+bucket+`/"}]`)
}

// bedrock is a Bedrock call at minute min (ListFoundationModels or a model
// invocation of Claude 2, as the Stratus detonation makes them).
func bedrock(min int, name string) string {
	rp := `"requestParameters":{"byOutputModality":"TEXT"},"responseElements":null,"readOnly":true`
	if name != "ListFoundationModels" {
		rp = `"requestParameters":{"modelId":"anthropic.claude-v2"},"responseElements":null,"readOnly":true,"additionalEventData":{"inputTokens":21,"outputTokens":187}`
	}
	return strings.Replace(ctAPI(min, "bedrock.amazonaws.com", name, rp), `"sourceIPAddress":"198.51.100.23","userAgent":"aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0 exe/x86_64"`, `"sourceIPAddress":"198.51.100.23","userAgent":"Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux#6.5.0 md/arch#x86_64 lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.69"`, 1)
}

// fromConsoleSession marks a ctAPI event as made in the console.
func fromConsoleSession(ev string) string {
	return strings.Replace(ev, `"mfaAuthenticated":"false"}`, `"mfaAuthenticated":"false"},"sessionCredentialFromConsole":"true"`, 1)
}

func stratusCases() []accCase {
	// Thirty parameters in three batches of ten (the detonation today).
	sweep := []string{ssmBatch(10, paramNames(0, 10)...), ssmBatch(10, paramNames(10, 20)...), ssmBatch(11, paramNames(20, 30)...)}
	// An application reading its one batch of ten at each of 12 starts;
	// two batches; three batches of two names; the sweep refused; the
	// sweep without decryption; the sweep by Terraform.
	var restarts []string
	for i := range 12 {
		restarts = append(restarts, ssmBatch(10+i/4, paramNames(0, 10)...))
	}
	var refused, plain, terraform []string
	for _, ev := range sweep {
		refused = append(refused, strings.Replace(ev, `"readOnly":true`, `"readOnly":true,"errorCode":"AccessDeniedException","errorMessage":"not authorized to perform: ssm:GetParameters"`, 1))
		plain = append(plain, strings.Replace(ev, `"withDecryption":true`, `"withDecryption":false`, 1))
		terraform = append(terraform, withUA(ev, terraformUA))
	}
	small := []string{ssmBatch(10, paramNames(0, 2)...), ssmBatch(10, paramNames(2, 4)...), ssmBatch(11, paramNames(4, 6)...)}
	benignSSM := append(append(append(append(append(append([]string{}, restarts...), sweep[:2]...), small...), refused...), plain...), terraform...)
	// The 2023 detonation of the invictus trail: 42 parameters in four
	// batches of ten and one of two, within a second.
	sweep2023 := []string{ssmBatch(10, paramNames(0, 10)...), ssmBatch(10, paramNames(10, 20)...), ssmBatch(10, paramNames(20, 30)...),
		ssmBatch(10, paramNames(30, 40)...), ssmBatch(10, paramNames(40, 42)...)}
	var singles []string
	for i := range 6 {
		singles = append(singles, ssmDecrypt(10, fmt.Sprintf("/prod/app/key%d", i)))
	}
	// The other identity's invocation after a listing; the invocation
	// before the listing; console exploration; an application invoking
	// without listing; the listing followed by a refused invocation.
	other := strings.ReplaceAll(bedrock(31, "InvokeModel"), "mallory", "app-runner")
	benignBedrock := []string{
		bedrock(30, "ListFoundationModels"), other,
		bedrock(42, "InvokeModel"), bedrock(43, "ListFoundationModels"),
		fromConsoleSession(bedrock(50, "ListFoundationModels")), fromConsoleSession(bedrock(51, "InvokeModel")),
		strings.Replace(bedrock(55, "ListFoundationModels"), "{", `{"errorCode":"AccessDeniedException",`, 1),
		bedrock(56, "InvokeModel"),
	}
	return []accCase{
		{
			title: "AWS Bedrock Models Listed Then Invoked", level: LevelMedium,
			sequence:       []string{bedrock(20, "ListFoundationModels"), bedrock(20, "InvokeModel")},
			benignSequence: benignBedrock,
		},
		{
			title: "AWS SSM Parameters Decrypted In Batches", level: LevelHigh,
			sequence: sweep, benignSequence: benignSSM,
		},
		{
			title: "AWS SSM Parameters Decrypted In Batches", level: LevelHigh,
			sequence: sweep2023, benignSequence: singles,
		},
		{
			title: "AWS S3 Versions Listed, Objects Deleted, Then A Note Written", level: LevelHigh,
			// The detonation's three calls within one second.
			sequence: []string{s3Data(20, "ListObjectVersions", "acme-finance", ""), s3Data(20, "DeleteObjects", "acme-finance", ""),
				s3Data(20, "PutObject", "acme-finance", "FILES-DELETED.txt")},
			// Terraform emptying a bucket before deleting it (no write
			// after); a sync job (lists objects, deletes and writes); the
			// note written to another bucket; the wipe refused; the note
			// 20 minutes later; a backup job writing its file, then
			// pruning old versions.
			benignSequence: []string{
				s3Data(10, "ListObjectVersions", "tf-state-old", ""), s3Data(10, "DeleteObjects", "tf-state-old", ""), s3Data(10, "DeleteBucket", "tf-state-old", ""),
				s3Data(11, "ListObjects", "www-acme", ""), s3Data(11, "DeleteObjects", "www-acme", ""), s3Data(11, "PutObject", "www-acme", "index.html"),
				s3Data(12, "ListObjectVersions", "acme-hr", ""), s3Data(12, "DeleteObjects", "acme-hr", ""), s3Data(12, "PutObject", "acme-exports", "FILES-DELETED.txt"),
				s3Data(13, "ListObjectVersions", "acme-legal", ""), strings.Replace(s3Data(13, "DeleteObjects", "acme-legal", ""), "{", `{"errorCode":"AccessDenied",`, 1), s3Data(14, "PutObject", "acme-legal", "FILES-DELETED.txt"),
				s3Data(30, "ListObjectVersions", "acme-sales", ""), s3Data(30, "DeleteObjects", "acme-sales", ""), s3Data(50, "PutObject", "acme-sales", "FILES-DELETED.txt"),
				s3Data(40, "PutObject", "acme-backups", "db-2026-12-06.dump"), s3Data(41, "ListObjectVersions", "acme-backups", ""), s3Data(41, "DeleteObjects", "acme-backups", ""),
			},
		},
		{
			title: "AWS S3 Versions Listed, Objects Deleted, Then A Note Written", level: LevelHigh,
			sequence: []string{s3Data(20, "ListBucketVersions", "acme-finance", ""), s3Data(21, "DeleteObject", "acme-finance", "q1.xlsx"),
				s3Data(21, "DeleteObject", "acme-finance", "q2.xlsx"), s3Data(22, "PutObject", "acme-finance", "README-RECOVER.txt")},
			benignSequence: []string{s3Data(20, "ListBucketVersions", "acme-finance", ""), s3Data(22, "PutObject", "acme-finance", "q3.xlsx")},
		},
		{
			title: "M365 Unified Audit Log Or Mailbox Auditing Disabled", level: LevelHigh,
			attack: []string{m365Obj(1, "Set-MailboxAuditBypassAssociation", `[{"Name":"Identity","Value":"svc-sync@contoso.example"},{"Name":"AuditBypassEnabled","Value":"True"}]`, "True", "svc-sync@contoso.example")},
			// The bypass removed; the bypass set and refused; read.
			benign: []string{
				m365Obj(2, "Set-MailboxAuditBypassAssociation", `[{"Name":"Identity","Value":"svc-sync@contoso.example"},{"Name":"AuditBypassEnabled","Value":"False"}]`, "True", "svc-sync@contoso.example"),
				m365Obj(3, "Set-MailboxAuditBypassAssociation", `[{"Name":"Identity","Value":"svc-sync@contoso.example"},{"Name":"AuditBypassEnabled","Value":"True"}]`, "False", "svc-sync@contoso.example"),
				m365Obj(4, "Get-MailboxAuditBypassAssociation", `[{"Name":"Identity","Value":"svc-sync@contoso.example"}]`, "True", "svc-sync@contoso.example"),
			},
		},
		// One sweep, one alert: the per-call bulk rule no longer counts
		// the batches (five calls of the 2023 sweep raised both).
		{
			title: "AWS SSM Parameters Decrypted In Bulk", level: LevelHigh,
			sequence: singles, benignSequence: sweep2023,
		},
		{
			title: "Azure Storage Account Encryption Switched To A Key Vault Key", level: LevelLow,
			attack: []string{
				azureBody("MICROSOFT.STORAGE/STORAGEACCOUNTS/WRITE", "Start", "requestbody", storageAccountBody("Microsoft.Keyvault")),
				azureBody("MICROSOFT.STORAGE/STORAGEACCOUNTS/WRITE", "Success", "responseBody", strings.Replace(storageAccountBody("Microsoft.Keyvault"), `"keySource":"Microsoft.Keyvault"`, `"keySource": "Microsoft.KeyVault"`, 1)),
			},
			benign: []string{
				// Back to Microsoft-managed keys; another account setting;
				// an encryption scope; the switch refused.
				azureBody("MICROSOFT.STORAGE/STORAGEACCOUNTS/WRITE", "Start", "requestbody", storageAccountBody("Microsoft.Storage")),
				azureBody("MICROSOFT.STORAGE/STORAGEACCOUNTS/WRITE", "Start", "requestbody", `{"properties":{"minimumTlsVersion":"TLS1_2","allowBlobPublicAccess":false}}`),
				azureBody("MICROSOFT.STORAGE/STORAGEACCOUNTS/ENCRYPTIONSCOPES/WRITE", "Start", "requestbody", `{"properties":{"source":"Microsoft.Storage"}}`),
				azureBody("MICROSOFT.STORAGE/STORAGEACCOUNTS/WRITE", "Failure", "requestbody", storageAccountBody("Microsoft.Keyvault")),
			},
		},
	}
}

// TestStratusPack: every rule of vigil_pack_stratus.yml has a case and
// every case holds (checkAccCase).
func TestStratusPack(t *testing.T) {
	checkPackFile(t, "vigil_pack_stratus.yml", stratusCases(), 6)
}
