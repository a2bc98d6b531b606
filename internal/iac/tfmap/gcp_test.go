package tfmap_test

import (
	"testing"

	"github.com/vigil-sec/vigil/internal/iac/tfmap"
)

func TestGCP(t *testing.T) {
	policyData := res("google_iam_policy", "p", obj{"binding": blk(obj{"role": "roles/storage.objectViewer", "members": []any{"allUsers"}})})
	policyData.Mode, policyData.Address = "data", "data.google_iam_policy.p"
	runFactCases(t, []factCase{
		{name: "bucket defaults", addr: "google_storage_bucket.b",
			insts: []tfmap.Instance{res("google_storage_bucket", "b", obj{"name": "b", "location": "EU"})},
			want:  `{"storage":{"public_access":false,"public_access_blocked":false,"encrypted":true,"key_manager":"provider","versioning":false,"access_logging":false,"uniform_access":false,"delete_protection":true},"data":{"locations":[{"region":"EU","path":"gcs-multi-region"}]}}`},
		{name: "bucket made public by an IAM member joined by reference", addr: "google_storage_bucket.b",
			insts: []tfmap.Instance{
				res("google_storage_bucket", "b", obj{"name": "b", "uniform_bucket_level_access": true, "public_access_prevention": "inherited"}),
				res("google_storage_bucket_iam_member", "m", obj{"bucket": ref("google_storage_bucket.b"), "role": "roles/storage.objectViewer", "member": "allUsers"}),
			},
			want: `{"storage":{"public_access":true,"public_access_blocked":false,"encrypted":true,"key_manager":"provider","versioning":false,"access_logging":false,"uniform_access":true,"delete_protection":true}}`},
		{name: "bucket made public by an IAM binding joined by name", addr: "google_storage_bucket.b",
			insts: []tfmap.Instance{
				res("google_storage_bucket", "b", obj{"name": "site"}),
				res("google_storage_bucket_iam_binding", "m", obj{"bucket": "site", "role": "roles/storage.objectViewer", "members": []any{"user:a@x.com", "allAuthenticatedUsers"}}),
			},
			want: `{"storage":{"public_access":true,"public_access_blocked":false,"encrypted":true,"key_manager":"provider","versioning":false,"access_logging":false,"uniform_access":false,"delete_protection":true}}`},
		{name: "bucket IAM policy from a google_iam_policy data source", addr: "google_storage_bucket.b",
			insts: []tfmap.Instance{
				res("google_storage_bucket", "b", obj{"name": "site"}),
				policyData,
				res("google_storage_bucket_iam_policy", "p", obj{"bucket": "site", "policy_data": ref("data.google_iam_policy.p")}),
			},
			want: `{"storage":{"public_access":true,"public_access_blocked":false,"encrypted":true,"key_manager":"provider","versioning":false,"access_logging":false,"uniform_access":false,"delete_protection":true}}`},
		{name: "bucket IAM policy known only after apply", addr: "google_storage_bucket.b",
			insts: []tfmap.Instance{
				res("google_storage_bucket", "b", obj{"name": "site"}),
				res("google_storage_bucket_iam_policy", "p", obj{"bucket": "site", "policy_data": tfmap.Unknown{}}),
			},
			want: `{"storage":{"public_access_blocked":false,"encrypted":true,"key_manager":"provider","versioning":false,"access_logging":false,"uniform_access":false,"delete_protection":true}}`},
		{name: "firewall without source ranges is open to any address", addr: "google_compute_firewall.f",
			insts: []tfmap.Instance{res("google_compute_firewall", "f", obj{"name": "ssh", "network": ref("google_compute_network.n"),
				"allow": blk(obj{"protocol": "tcp", "ports": []any{"22", "8000-8080"}})})},
			want: `{"firewall":{"rules":[{"direction":"ingress","action":"allow","protocol":"tcp","from_port":22,"to_port":22,"sources":["0.0.0.0/0"],"priority":1000},{"direction":"ingress","action":"allow","protocol":"tcp","from_port":8000,"to_port":8080,"sources":["0.0.0.0/0"],"priority":1000}],"default":false}}`},
		{name: "firewall from a tag only", addr: "google_compute_firewall.f",
			insts: []tfmap.Instance{res("google_compute_firewall", "f", obj{"name": "ssh", "network": "default", "source_tags": []any{"bastion"},
				"allow": blk(obj{"protocol": "tcp", "ports": []any{"22"}})})},
			want: `{"firewall":{"rules":[{"direction":"ingress","action":"allow","protocol":"tcp","from_port":22,"to_port":22,"sources":["bastion"],"priority":1000}],"default":false}}`},
		{name: "instance with the default service account and full access, serial port", addr: "google_compute_instance.i",
			insts: []tfmap.Instance{res("google_compute_instance", "i", obj{
				"network_interface": blk(obj{"network": "default", "access_config": blk(obj{})}),
				"service_account":   blk(obj{"scopes": []any{"cloud-platform"}}),
				"metadata":          obj{"serial-port-enable": "true"}, "can_ip_forward": true})},
			want: `{"compute":{"public_ip":true,"public_ipv6":false,"identity":"${project_number}-compute@developer.gserviceaccount.com","default_service_account":true,"default_service_account_full_access":true,"disk_encrypted":true,"serial_port_enabled":true,"ip_forwarding":true,"block_project_ssh_keys":false,"confidential_computing":false,"secure_boot":false,"user_data_secrets":false},"addressing":{"public_families":["ipv4"]}}`},
		{name: "instance without a service account", addr: "google_compute_instance.i",
			insts: []tfmap.Instance{res("google_compute_instance", "i", obj{"network_interface": blk(obj{"network": "default"}),
				"shielded_instance_config": blk(obj{"enable_secure_boot": true})})},
			want: `{"compute":{"public_ip":false,"public_ipv6":false,"default_service_account":false,"default_service_account_full_access":false,"disk_encrypted":true,"serial_port_enabled":false,"ip_forwarding":false,"block_project_ssh_keys":false,"confidential_computing":false,"secure_boot":true,"user_data_secrets":false}}`},
		{name: "Confidential VM, the default service account read from its data source", addr: "google_compute_instance.i",
			insts: []tfmap.Instance{res("google_compute_instance", "i", obj{"network_interface": blk(obj{"network": "default"}),
				"machine_type":                 "zones/europe-west1-b/machineTypes/n2d-standard-2",
				"confidential_instance_config": blk(obj{"enable_confidential_compute": true}),
				"service_account": blk(obj{"email": ref("data.google_compute_default_service_account.default"),
					"scopes": []any{"https://www.googleapis.com/auth/cloud-platform"}})})},
			want: `{"compute":{"public_ip":false,"public_ipv6":false,"identity":"${project_number}-compute@developer.gserviceaccount.com","default_service_account":true,"default_service_account_full_access":true,"disk_encrypted":true,"serial_port_enabled":false,"ip_forwarding":false,"block_project_ssh_keys":false,"confidential_computing":true,"machine_type":"n2d-standard-2","secure_boot":false,"user_data_secrets":false}}`},
		{name: "disk with a customer key", addr: "google_compute_disk.d",
			insts: []tfmap.Instance{res("google_compute_disk", "d", obj{"disk_encryption_key": blk(obj{"kms_key_self_link": ref("google_kms_crypto_key.k")})})},
			want:  `{"disk":{"encrypted":true,"key_manager":"customer","attached":false}}`},
		{name: "cloud sql defaults", addr: "google_sql_database_instance.s",
			insts: []tfmap.Instance{res("google_sql_database_instance", "s", obj{"database_version": "POSTGRES_15", "settings": blk(obj{"tier": "db-f1-micro"})})},
			want:  `{"database":{"engine":"postgres_15","public_endpoint":true,"encrypted":true,"key_manager":"provider","backup_enabled":false,"ssl_required":false,"multi_az":false,"deletion_protection":false,"credentials_in_source":false,"flags_known":true}}`},
		{name: "cloud sql open to any address", addr: "google_sql_database_instance.s",
			insts: []tfmap.Instance{res("google_sql_database_instance", "s", obj{"settings": blk(obj{"ip_configuration": blk(obj{
				"authorized_networks": blk(obj{"value": "0.0.0.0/0"}), "ssl_mode": "ENCRYPTED_ONLY"}), "backup_configuration": blk(obj{"enabled": true})})})},
			want: `{"database":{"public_endpoint":true,"encrypted":true,"key_manager":"provider","backup_enabled":true,"backup_retention_days":7,"ssl_required":true,"authorized_networks":["0.0.0.0/0"],"multi_az":false,"deletion_protection":false,"credentials_in_source":false,"flags_known":true}}`},
		{name: "crypto key without rotation", addr: "google_kms_crypto_key.k",
			insts: []tfmap.Instance{res("google_kms_crypto_key", "k", obj{"name": "k"})},
			want:  `{"key":{"customer_managed":true,"rotation_enabled":false,"enabled":true,"symmetric":true,"public_access":false}}`},
		{name: "gke defaults", addr: "google_container_cluster.c",
			insts: []tfmap.Instance{res("google_container_cluster", "c", obj{"name": "c"})},
			want:  `{"kubernetes":{"public_endpoint":true,"endpoint_allowed_cidrs":["0.0.0.0/0"],"control_plane_logging":true,"network_policy":false,"rbac":true,"legacy_auth":false,"node_auto_upgrade":true,"secrets_encrypted":false,"private_nodes":false}}`},
		{name: "gke authorized networks with Google Cloud's public ranges", addr: "google_container_cluster.c",
			insts: []tfmap.Instance{res("google_container_cluster", "c", obj{"name": "c", "master_authorized_networks_config": blk(obj{
				"cidr_blocks": blk(obj{"cidr_block": "10.0.0.0/8"}), "gcp_public_cidrs_access_enabled": true})})},
			want: `{"kubernetes":{"public_endpoint":true,"endpoint_allowed_cidrs":["10.0.0.0/8","0.0.0.0/0"],"control_plane_logging":true,"network_policy":false,"rbac":true,"legacy_auth":false,"node_auto_upgrade":true,"secrets_encrypted":false,"private_nodes":false}}`},
		{name: "gke authorized networks without Google Cloud's public ranges", addr: "google_container_cluster.c",
			insts: []tfmap.Instance{res("google_container_cluster", "c", obj{"name": "c", "master_authorized_networks_config": blk(obj{
				"cidr_blocks": blk(obj{"cidr_block": "10.0.0.0/8"}), "gcp_public_cidrs_access_enabled": false})})},
			want: `{"kubernetes":{"public_endpoint":true,"endpoint_allowed_cidrs":["10.0.0.0/8"],"control_plane_logging":true,"network_policy":false,"rbac":true,"legacy_auth":false,"node_auto_upgrade":true,"secrets_encrypted":false,"private_nodes":false}}`},
		{name: "project owner binding", addr: "google_project_iam_binding.o",
			insts: []tfmap.Instance{res("google_project_iam_binding", "o", obj{"project": "p1", "role": "roles/owner", "members": []any{"user:a@x.com"}})},
			want:  `{"binding":{"principal":"user:a@x.com","principal_type":"user","role":"roles/owner","role_name":"roles/owner","scope":"//cloudresourcemanager.googleapis.com/projects/p1","scope_level":"account","primitive":true,"privileged":true,"public":false}}`},
		{name: "owner granted to a service account of the configuration", addr: "google_project_iam_member.o",
			insts: []tfmap.Instance{
				res("google_service_account", "s", obj{"account_id": "app"}),
				res("google_project_iam_member", "o", obj{"project": "p1", "role": "roles/owner", "member": ref("google_service_account.s")}),
			},
			want: `{"binding":{"principal":"serviceAccount:${google_service_account.s.email}","principal_type":"serviceAccount","role":"roles/owner","role_name":"roles/owner","scope":"//cloudresourcemanager.googleapis.com/projects/p1","scope_level":"account","primitive":true,"privileged":true,"public":false}}`},
		{name: "service account with a key", addr: "google_service_account.s",
			insts: []tfmap.Instance{
				res("google_service_account", "s", obj{"account_id": "app"}),
				res("google_service_account_key", "k", obj{"service_account_id": ref("google_service_account.s")}),
			},
			want: `{"identity":{"kind":"service_account","access_keys":[{"id":"google_service_account_key.k","active":true,"user_managed":true}],"access_keys_known":true,"disabled":false}}`},
		{name: "subnetwork without flow logs", addr: "google_compute_subnetwork.s",
			insts: []tfmap.Instance{res("google_compute_subnetwork", "s", obj{"network": "default"})},
			want:  `{"network":{"flow_logs":false,"default":true}}`},
		{name: "dns zone defaults", addr: "google_dns_managed_zone.z",
			insts: []tfmap.Instance{res("google_dns_managed_zone", "z", obj{"dns_name": "x.com."})},
			want:  `{"dns":{"public":true,"dnssec":false,"query_logging":false}}`},
		{name: "cloud function public through an invoker member", addr: "google_cloudfunctions_function.f",
			insts: []tfmap.Instance{
				res("google_cloudfunctions_function", "f", obj{"name": "f", "runtime": "python38", "trigger_http": true}),
				res("google_cloudfunctions_function_iam_member", "i", obj{"cloud_function": "f", "role": "roles/cloudfunctions.invoker", "member": "allUsers"}),
			},
			want: `{"function":{"runtime":"python38","runtime_end_of_support":"2024-10-14T00:00:00Z","public_invocation":true,"identity":"${project_id}@appspot.gserviceaccount.com","environment_secrets":false,"in_vpc":false,"public_network":true,"https_only":false}}`},
		{name: "secret without rotation, readable by everyone", addr: "google_secret_manager_secret.s",
			insts: []tfmap.Instance{
				res("google_secret_manager_secret", "s", obj{"secret_id": "db", "replication": blk(obj{"auto": blk(obj{})})}),
				res("google_secret_manager_secret_iam_member", "m", obj{"secret_id": ref("google_secret_manager_secret.s"), "role": "roles/secretmanager.secretAccessor", "member": "allUsers"}),
			},
			want: `{"secret":{"rotation_enabled":false,"public_access":true,"expiry_set":false,"key_manager":"provider"}}`},
		{name: "docker repository with a customer key", addr: "google_artifact_registry_repository.r",
			insts: []tfmap.Instance{res("google_artifact_registry_repository", "r", obj{"format": "DOCKER", "kms_key_name": ref("google_kms_crypto_key.k")})},
			want:  `{"registry":{"public":false,"tag_immutable":false,"key_manager":"customer"}}`},
		{name: "cloud run service invocable by anyone", addr: "google_cloud_run_v2_service.s",
			insts: []tfmap.Instance{
				res("google_cloud_run_v2_service", "s", obj{"name": "api", "template": blk(obj{"containers": blk(obj{"image": "x",
					"env": blk(obj{"name": "API_TOKEN", "value": "abc"}, obj{"name": "MODE", "value": "prod"})})})}),
				res("google_cloud_run_v2_service_iam_member", "i", obj{"name": ref("google_cloud_run_v2_service.s"), "role": "roles/run.invoker", "member": "allUsers"}),
			},
			want: `{"function":{"public_invocation":true,"identity":"${project_number}-compute@developer.gserviceaccount.com","environment_secrets":true,"secret_variables":["API_TOKEN"],"in_vpc":false,"public_network":true,"https_only":true}}`},
		{name: "default network", addr: "google_compute_network.n",
			insts: []tfmap.Instance{res("google_compute_network", "n", obj{"name": "default"})},
			want:  `{"network":{"default":true}}`},
		{name: "project audit config for all services with an exemption", addr: "google_project_iam_audit_config.a",
			insts: []tfmap.Instance{res("google_project_iam_audit_config", "a", obj{"service": "allServices", "audit_log_config": blk(
				obj{"log_type": "ADMIN_READ"}, obj{"log_type": "DATA_READ"}, obj{"log_type": "DATA_WRITE", "exempted_members": []any{"user:a@x.com"}})})},
			want: `{"audit_log":{"enabled":true,"multi_region":true,"all_services":false}}`},
		{name: "dns zone signed with rsasha1", addr: "google_dns_managed_zone.z",
			insts: []tfmap.Instance{res("google_dns_managed_zone", "z", obj{"dns_name": "x.com.", "dnssec_config": blk(obj{"state": "on",
				"default_key_specs": blk(obj{"algorithm": "rsasha256", "key_type": "zoneSigning"}, obj{"algorithm": "rsasha1", "key_type": "keySigning"})})})},
			want: `{"dns":{"public":true,"dnssec":true,"dnssec_algorithm":"rsasha1","query_logging":false}}`},
		{name: "pubsub topic", addr: "google_pubsub_topic.t",
			insts: []tfmap.Instance{res("google_pubsub_topic", "t", obj{"name": "t"})},
			want:  `{"queue":{"kind":"topic","encrypted":true,"key_manager":"provider","public_policy":false}}`},
	})
}

// TestGCPProjectDefaultNetwork: a project creates the default network
// unless auto_create_network is false.
func TestGCPProjectDefaultNetwork(t *testing.T) {
	rs, _, _ := tfmapMap(t, res("google_project", "p", obj{"project_id": "p1", "org_id": "123"}),
		res("google_project", "q", obj{"project_id": "p2", "auto_create_network": false}))
	var nets []string
	for _, r := range rs {
		if r.Class == "network" {
			nets = append(nets, r.ID+" "+factsJSON(t, r))
		}
		if r.Location.Address == "google_project.p" && r.Class == "account" && r.Facts.Account.Parent != "//cloudresourcemanager.googleapis.com/organizations/123" {
			t.Errorf("parent %q", r.Facts.Account.Parent)
		}
	}
	if len(nets) != 1 || nets[0] != `.:google_project.p#default-network {"network":{"default":true}}` {
		t.Errorf("networks: %v", nets)
	}
}

// TestGCPBindingPerMember: an IAM binding of several members is one
// binding resource per member, each with its own ID.
func TestGCPBindingPerMember(t *testing.T) {
	rs, _, _ := tfmapMap(t, res("google_project_iam_binding", "e", obj{"project": "p1", "role": "roles/editor", "members": []any{"user:a@x.com", "allUsers"}}))
	if len(rs) != 2 {
		t.Fatalf("%d resources, want 2", len(rs))
	}
	a, b := rs[0].Facts.Binding, rs[1].Facts.Binding
	if rs[0].ID == rs[1].ID || b.Principal != "allUsers" || !*b.Public || *a.Public || a.Principal != "user:a@x.com" || a.Role != "roles/editor" || !*a.Primitive {
		t.Errorf("bindings: %+v %+v", a, b)
	}
}

// TestGCPBackends: backend services as the GCP importer reads them, and a
// frontend judged by the backends its URL map reaches.
func TestGCPBackends(t *testing.T) {
	frontend := func(backends ...tfmap.Instance) []tfmap.Instance {
		return append([]tfmap.Instance{
			res("google_compute_global_forwarding_rule", "f", obj{"target": ref("google_compute_target_https_proxy.p"), "port_range": "443"}),
			res("google_compute_target_https_proxy", "p", obj{"url_map": ref("google_compute_url_map.m")}),
			res("google_compute_url_map", "m", obj{"default_service": ref("google_compute_backend_service.a"),
				"path_matcher": blk(obj{"default_service": "projects/p/global/backendServices/a", "path_rule": blk(obj{"service": ref("google_compute_backend_bucket.s")})})}),
		}, backends...)
	}
	lbParts := []string{"google_compute_backend_bucket.s", "google_compute_target_https_proxy.p", "google_compute_url_map.m"}
	logged := res("google_compute_backend_service", "a", obj{"name": "a", "log_config": blk(obj{"enable": true}), "security_policy": "projects/p/global/securityPolicies/edge"})
	runFactCases(t, []factCase{
		{name: "backend service defaults: no logging, no Cloud Armor, external", addr: "google_compute_backend_service.b",
			insts: []tfmap.Instance{res("google_compute_backend_service", "b", obj{"name": "b"})},
			want:  `{"load_balancer":{"public":true,"access_logs":false,"waf":false}}`},
		{name: "regional backend service: internal by default", addr: "google_compute_region_backend_service.b",
			insts: []tfmap.Instance{res("google_compute_region_backend_service", "b", obj{"name": "b", "log_config": blk(obj{"enable": true})})},
			want:  `{"load_balancer":{"public":false,"access_logs":true,"waf":false}}`},
		{name: "Cloud CDN backend: a CDN, HTTP to the origin by default, edge policy", addr: "google_compute_backend_service.c",
			insts: []tfmap.Instance{res("google_compute_backend_service", "c", obj{"enable_cdn": true, "edge_security_policy": ref("google_compute_security_policy.e")}),
				res("google_compute_security_policy", "e", obj{"name": "e"})},
			want: `{"cdn":{"waf":true,"access_logs":false,"origin_https_only":false}}`, unsupported: []string{"google_compute_security_policy.e"}},
		{name: "frontend: every backend logs (the bucket always), Cloud Armor unknown on the bucket", addr: "google_compute_global_forwarding_rule.f",
			insts: frontend(logged, res("google_compute_backend_bucket", "s", obj{"bucket_name": "static"})),
			want:  `{"load_balancer":{"public":true,"listeners":[{"protocol":"HTTPS","port":443,"tls_policy":"default","min_tls_version":"1.0"}],"http_listener":false,"weak_tls":true,"access_logs":true}}`, unsupported: lbParts},
		{name: "frontend: a backend without logging fails it", addr: "google_compute_global_forwarding_rule.f",
			insts: frontend(res("google_compute_backend_service", "a", obj{"name": "a"}), res("google_compute_backend_bucket", "s", obj{"bucket_name": "static"})),
			want:  `{"load_balancer":{"public":true,"listeners":[{"protocol":"HTTPS","port":443,"tls_policy":"default","min_tls_version":"1.0"}],"http_listener":false,"weak_tls":true,"access_logs":false,"waf":false}}`, unsupported: lbParts},
		{name: "frontend: a backend outside the configuration leaves both unknown", addr: "google_compute_global_forwarding_rule.f",
			insts: frontend(logged),
			want:  `{"load_balancer":{"public":true,"listeners":[{"protocol":"HTTPS","port":443,"tls_policy":"default","min_tls_version":"1.0"}],"http_listener":false,"weak_tls":true}}`, unsupported: lbParts[1:]},
	})
}
