package awscollect

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ekstypes "github.com/aws/aws-sdk-go-v2/service/eks/types"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

// The mappings' rules that the fake account does not exercise.

func TestSvcLambdaEnvironment(t *testing.T) {
	fn := lambdatypes.FunctionConfiguration{FunctionName: aws.String("f"), FunctionArn: aws.String("arn:aws:lambda:us-east-1:111122223333:function:f")}
	cfg := func(it Item) map[string]any { return it.Configuration.(map[string]any) }

	// No environment, or one Lambda could not decrypt: left out (unknown).
	if _, ok := cfg(functionItem(fn, nil, funcPolicy{}))["environment"]; ok {
		t.Error("a function without Environment has an environment")
	}
	fn.Environment = &lambdatypes.EnvironmentResponse{Error: &lambdatypes.EnvironmentError{ErrorCode: aws.String("KMSAccessDeniedException")}}
	if _, ok := cfg(functionItem(fn, nil, funcPolicy{}))["environment"]; ok {
		t.Error("an environment Lambda could not decrypt is written: its variables would read as none")
	}
	// An environment without variables: none.
	fn.Environment = &lambdatypes.EnvironmentResponse{}
	if got := mustJSON(cfg(functionItem(fn, nil, funcPolicy{}))["environment"]); got != `{"variables":{}}` {
		t.Errorf("environment without variables = %s", got)
	}
	// Tags unknown (nil) stay out of the supplementary configuration.
	if it := functionItem(fn, nil, funcPolicy{}); it.Supplementary != nil || it.Tags != nil {
		t.Errorf("unknown tags written: %v %v", it.Tags, it.Supplementary)
	}
	// The resource policy: its text, null for none (GetPolicy not found),
	// left out when unknown (GetPolicy failed).
	for _, c := range []struct {
		policy funcPolicy
		want   string
	}{
		{funcPolicy{known: true, text: aws.String(`{"Version":"2012-10-17"}`)}, `{"Policy":"{\"Version\":\"2012-10-17\"}","Tags":{}}`},
		{funcPolicy{known: true}, `{"Policy":null,"Tags":{}}`},
		{funcPolicy{}, `{"Tags":{}}`},
	} {
		if got := mustJSON(functionItem(fn, map[string]string{}, c.policy).Supplementary); got != c.want {
			t.Errorf("supplementary configuration = %s, want %s", got, c.want)
		}
	}
}

func TestSvcEKSLogging(t *testing.T) {
	cl := ekstypes.Cluster{Name: aws.String("c"), Logging: &ekstypes.Logging{ClusterLogging: []ekstypes.LogSetup{
		{Types: []ekstypes.LogType{"api", "audit"}, Enabled: aws.Bool(false)},
		{Types: []ekstypes.LogType{"scheduler"}, Enabled: aws.Bool(true)},
	}}}
	got := mustJSON(clusterItem(cl).Configuration.(map[string]any)["Logging"])
	if want := `{"ClusterLogging":{"EnabledTypes":[{"Type":"scheduler"}]}}`; got != want {
		t.Errorf("Logging = %s, want %s (only the enabled types)", got, want)
	}
	if _, ok := clusterItem(ekstypes.Cluster{Name: aws.String("c")}).Configuration.(map[string]any)["Logging"]; ok {
		t.Error("a cluster the API gave no Logging for has one")
	}
}

func TestSvcKMSNames(t *testing.T) {
	arn := "arn:aws:kms:eu-west-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab"
	md := kmstypes.KeyMetadata{KeyId: aws.String("mrk-1234abcd12ab34cd56ef1234567890ab"), Arn: aws.String(arn)}
	if got := kmsFileName(md); got != "mrk-1234abcd12ab34cd56ef1234567890ab.eu-west-1.json" {
		t.Errorf("multi-Region key file = %s: replicas share the ID, the region must tell them apart", got)
	}
	md = kmstypes.KeyMetadata{KeyId: aws.String("1234abcd-12ab-34cd-56ef-1234567890ab"), Arn: aws.String("arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab")}
	if got := kmsFileName(md); got != "1234abcd-12ab-34cd-56ef-1234567890ab.json" {
		t.Errorf("key file = %s", got)
	}
	// An answer naming the key by bare ID is given the ARN, so that the
	// importer merges it with the key's item.
	got := kmsRotationCLI(&kms.GetKeyRotationStatusOutput{KeyId: aws.String("1234abcd"), KeyRotationEnabled: false}, arn)
	if got["KeyId"] != arn || got["KeyRotationEnabled"] != false {
		t.Errorf("rotation output = %v", got)
	}
}

func TestSvcAttributesCLI(t *testing.T) {
	got := attributesCLI(map[string]string{"Policy": "{}"}, "QueueArn", "arn:aws:sqs:us-east-1:111122223333:q")
	if mustJSON(got) != `{"Attributes":{"Policy":"{}","QueueArn":"arn:aws:sqs:us-east-1:111122223333:q"}}` {
		t.Errorf("attributes = %s", mustJSON(got))
	}
	if got := cliName("a/b/c", "us-east-1"); got != "a_b_c.us-east-1.json" {
		t.Errorf("cliName = %s", got)
	}
}
