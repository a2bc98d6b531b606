package tfmap_test

import (
	"context"
	"encoding/json"
	"sort"
	"testing"

	"github.com/vigil-sec/vigil/internal/iac/tfmap"
)

// fuzzTypes are the mapped types each fuzzed attribute set is given to,
// with split resources referring to the first instance of their parent.
var fuzzTypes = []string{
	"aws_s3_bucket", "aws_s3_bucket_public_access_block", "aws_s3_bucket_policy", "aws_security_group", "aws_security_group_rule",
	"aws_instance", "aws_ebs_volume", "aws_db_instance", "aws_kms_key", "aws_iam_role", "aws_iam_role_policy", "aws_lambda_function",
	"aws_eks_cluster", "aws_lb", "aws_lb_listener", "aws_cloudfront_distribution", "azurerm_storage_account", "azurerm_network_security_group",
	"azurerm_network_security_rule", "azurerm_kubernetes_cluster", "azurerm_role_definition", "google_storage_bucket",
	"google_storage_bucket_iam_policy", "google_compute_firewall", "google_compute_instance", "google_sql_database_instance",
	"google_container_cluster", "google_project_iam_binding", "google_cloud_run_v2_service", "google_secret_manager_secret",
	"azurerm_application_gateway", "azurerm_servicebus_namespace", "aws_api_gateway_rest_api", "aws_ebs_snapshot", "google_project",
	"aws_s3_bucket_replication_configuration", "aws_dynamodb_table",
}

// FuzzMap: whatever attributes an instance carries (values of any kind
// and depth where a string, a block or a number is expected), Map neither
// panics nor loops, and every resource it returns has an ID and a class.
func FuzzMap(f *testing.F) {
	for _, s := range []string{
		`{"bucket":"b","policy":"{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"*\"}]}","ingress":[{"from_port":"x","protocol":1}]}`,
		`{"versioning":{"enabled":"maybe"},"tags":{"a":[1]},"rule":[[1]],"security_rule":[{"priority":1e300,"destination_port_ranges":"22"}]}`,
		`{"policy":{"Statement":{"Effect":"Allow","Principal":{"AWS":["*"]}}},"assume_role_policy":"not json","members":["allUsers",3]}`,
		`{"settings":[{"ip_configuration":[{"authorized_networks":[{"value":null}]}]}],"allow":[{"protocol":"tcp","ports":["99999"]}]}`,
		`{"vpc_config":[{"public_access_cidrs":"0.0.0.0/0"}],"environment":[{"variables":"x"}],"policy_data":"{]"}`,
		`{"user_data":"export DB_PASSWORD=x\nAKIAABCDEFGHIJKLMNOP","http_listener":[{"protocol":7}],"template":{"containers":[{"env":[{"name":1}]}]}}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		var attrs map[string]any
		if json.Unmarshal([]byte(text), &attrs) != nil {
			return
		}
		var insts []tfmap.Instance
		for _, typ := range fuzzTypes {
			a := map[string]any{}
			keys := make([]string, 0, len(attrs))
			for k := range attrs {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				a[k] = attrs[k]
			}
			for _, k := range []string{"bucket", "security_group_id", "role", "load_balancer_arn", "network_security_group_name"} {
				if _, set := a[k]; !set {
					a[k] = ref(fuzzParent[typ])
				}
			}
			insts = append(insts, res(typ, "x", a))
		}
		rs, _, _ := tfmap.Map(context.Background(), insts)
		for _, r := range rs {
			if r.ID == "" || r.Class == "" {
				t.Fatalf("resource without ID or class: %+v", r)
			}
		}
	})
}

var fuzzParent = map[string]string{
	"aws_s3_bucket_public_access_block": "aws_s3_bucket.x", "aws_s3_bucket_policy": "aws_s3_bucket.x",
	"aws_security_group_rule": "aws_security_group.x", "aws_iam_role_policy": "aws_iam_role.x", "aws_lb_listener": "aws_lb.x",
	"azurerm_network_security_rule": "azurerm_network_security_group.x", "google_storage_bucket_iam_policy": "google_storage_bucket.x",
}
