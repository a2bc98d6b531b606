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
	return []accCase{
		{
			title: "AWS SSM Parameters Decrypted In Batches", level: LevelHigh,
			sequence: sweep, benignSequence: benignSSM,
		},
		{
			title: "AWS SSM Parameters Decrypted In Batches", level: LevelHigh,
			sequence: sweep2023, benignSequence: singles,
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
	checkPackFile(t, "vigil_pack_stratus.yml", stratusCases(), 3)
}
