package terraform

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/resource"
	"github.com/vigil-sec/vigil/internal/source"
)

// TestCredentialsInSource: a database password whose value is written in
// the configuration's files (a literal, a variable default, a local or a
// module input made of one, terraform.tfvars) is in the source; one from
// a variable without value, a random_password, a data source, a secret
// manager's secret version or --var / --var-file is not, as Trivy's
// sensitive-in-variable / sensitive-in-attribute (resolvable values) and
// Checkov's secrets checks treat them.
func TestCredentialsInSource(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"main.tf": `variable "db_password" {
  default = "hunter2"
}

variable "no_default" {}

variable "from_tfvars" {}

variable "from_cli" {
  default = "in-the-code"
}

variable "from_var_file" {}

locals {
  admin = "${var.db_password}!"
}

resource "random_password" "db" {
  length = 24
}

data "aws_secretsmanager_secret_version" "db" {
  secret_id = "prod/db"
}

resource "aws_db_instance" "literal" {
  password = "p4ssw0rd"
}

resource "aws_db_instance" "default" {
  password = var.db_password
}

resource "aws_db_instance" "local" {
  password = local.admin
}

resource "aws_db_instance" "tfvars" {
  password = var.from_tfvars
}

resource "aws_db_instance" "no_default" {
  password = var.no_default
}

resource "aws_db_instance" "random" {
  password = random_password.db.result
}

resource "aws_db_instance" "secret" {
  password = data.aws_secretsmanager_secret_version.db.secret_string
}

resource "aws_db_instance" "cli" {
  password = var.from_cli
}

resource "aws_db_instance" "var_file" {
  password = var.from_var_file
}

resource "aws_db_instance" "managed" {
  manage_master_user_password = true
}

resource "azurerm_mssql_server" "sql" {
  administrator_login_password = var.db_password
}

resource "google_sql_database_instance" "pg" {
  name             = "pg"
  database_version = "POSTGRES_15"
  settings {
    tier = "db-f1-micro"
  }
}

resource "google_sql_user" "app" {
  instance = google_sql_database_instance.pg.name
  name     = "app"
  password = "app-secret"
}

module "db" {
  source   = "./modules/db"
  password = var.db_password
}

module "db_random" {
  source   = "./modules/db"
  password = random_password.db.result
}
`,
		"terraform.tfvars": "from_tfvars = \"committed\"\n",
		"modules/db/main.tf": `variable "password" {}

resource "aws_rds_cluster" "this" {
  master_password = var.password
}
`,
	}
	for name, src := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	varFile := filepath.Join(t.TempDir(), "prod.tfvars")
	if err := os.WriteFile(varFile, []byte("from_var_file = \"from-ci\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	opts := Options{VarFiles: []string{varFile}, Vars: map[string]string{"from_cli": "from-ci"}}
	got := map[string]string{}
	err := New(dir, []string{"main.tf", "terraform.tfvars", "modules/db/main.tf"}, opts).Read(context.Background(), func(b source.Batch) error {
		for _, p := range b.Problems {
			t.Errorf("problem: %s", p.Error())
		}
		for _, r := range b.Resources {
			if d := r.Facts.Database; d != nil {
				got[r.Location.Address] = credState(d)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"aws_db_instance.literal":               "true password",
		"aws_db_instance.default":               "true password",
		"aws_db_instance.local":                 "true password",
		"aws_db_instance.tfvars":                "true password",
		"aws_db_instance.no_default":            "false",
		"aws_db_instance.random":                "false",
		"aws_db_instance.secret":                "false",
		"aws_db_instance.cli":                   "false",
		"aws_db_instance.var_file":              "false",
		"aws_db_instance.managed":               "false",
		"azurerm_mssql_server.sql":              "true administrator_login_password",
		"google_sql_database_instance.pg":       "true google_sql_user.app.password",
		"module.db.aws_rds_cluster.this":        "true master_password",
		"module.db_random.aws_rds_cluster.this": "false",
	}
	for addr, w := range want {
		if got[addr] != w {
			t.Errorf("%s: credentials in source %q, want %q", addr, got[addr], w)
		}
	}
}

func credState(d *resource.Database) string {
	if d.CredentialsInSource == nil {
		return "unknown"
	}
	if !*d.CredentialsInSource {
		return "false"
	}
	return strings.TrimSpace("true " + strings.Join(d.CredentialArguments, ","))
}

// TestPlanCredentialsWritten: a plan read without its .tf files tells from
// its configuration section where a password comes from: a constant, a
// root variable planned at its default (written), a resource (not
// written); a variable given another value (tfvars or -var) or a local
// stays undecided, and the rule UNKNOWN.
func TestPlanCredentialsWritten(t *testing.T) {
	plan := `{
  "format_version": "1.2",
  "terraform_version": "1.9.5",
  "variables": {"pw": {"value": "hunter2"}, "given": {"value": "from-ci"}},
  "planned_values": {"root_module": {"resources": [
    {"address": "aws_db_instance.constant", "mode": "managed", "type": "aws_db_instance", "name": "constant", "values": {"password": "p4ss"}},
    {"address": "aws_db_instance.default", "mode": "managed", "type": "aws_db_instance", "name": "default", "values": {"password": "hunter2"}},
    {"address": "aws_db_instance.given", "mode": "managed", "type": "aws_db_instance", "name": "given", "values": {"password": "from-ci"}},
    {"address": "aws_db_instance.random", "mode": "managed", "type": "aws_db_instance", "name": "random", "values": {"password": "Zx81..."}},
    {"address": "aws_db_instance.local", "mode": "managed", "type": "aws_db_instance", "name": "local", "values": {"password": "hunter2!"}}
  ]}},
  "configuration": {"root_module": {
    "variables": {"pw": {"default": "hunter2", "sensitive": true}, "given": {"default": "in-code"}},
    "resources": [
      {"address": "aws_db_instance.constant", "mode": "managed", "type": "aws_db_instance", "name": "constant", "expressions": {"password": {"constant_value": "p4ss"}}},
      {"address": "aws_db_instance.default", "mode": "managed", "type": "aws_db_instance", "name": "default", "expressions": {"password": {"references": ["var.pw"]}}},
      {"address": "aws_db_instance.given", "mode": "managed", "type": "aws_db_instance", "name": "given", "expressions": {"password": {"references": ["var.given"]}}},
      {"address": "aws_db_instance.random", "mode": "managed", "type": "aws_db_instance", "name": "random", "expressions": {"password": {"references": ["random_password.db.result", "random_password.db"]}}},
      {"address": "aws_db_instance.local", "mode": "managed", "type": "aws_db_instance", "name": "local", "expressions": {"password": {"references": ["local.pw"]}}}
    ]
  }}
}`
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "plan.json"), []byte(plan), 0o644); err != nil {
		t.Fatal(err)
	}
	b := readPlan(context.Background(), dir, "plan.json", nil)
	if b.Format != formatPlan {
		t.Fatalf("batch %+v", b)
	}
	got := map[string]string{}
	for _, r := range b.Resources {
		got[r.Location.Address] = credState(r.Facts.Database)
	}
	for addr, w := range map[string]string{
		"aws_db_instance.constant": "true password", "aws_db_instance.default": "true password",
		"aws_db_instance.random": "false", "aws_db_instance.given": "unknown", "aws_db_instance.local": "unknown",
	} {
		if got[addr] != w {
			t.Errorf("%s: %q, want %q", addr, got[addr], w)
		}
	}
}

// TestUserDataKnownInPart: a user_data heredoc with a part known only
// after apply still has its literal lines read: a password assigned on
// one is found; a script whose only candidate is unknown stays unknown.
func TestUserDataKnownInPart(t *testing.T) {
	dir := t.TempDir()
	tf := `variable "db_password" {}

resource "aws_db_instance" "db" {
  password = var.db_password
}

resource "aws_instance" "literal" {
  ami       = "ami-12345678"
  user_data = <<-EOF
    #!/bin/bash
    export DB_HOST=${aws_db_instance.db.address}
    export DB_PASSWORD=hunter2
  EOF
}

resource "aws_instance" "unknown" {
  ami       = "ami-12345678"
  user_data = <<-EOF
    #!/bin/bash
    export DB_PASSWORD=${var.db_password}
  EOF
}
`
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(tf), 0o644); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	err := New(dir, []string{"main.tf"}, Options{}).Read(context.Background(), func(b source.Batch) error {
		for _, p := range b.Problems {
			t.Errorf("problem: %s", p.Error())
		}
		for _, r := range b.Resources {
			if c := r.Facts.Compute; c != nil {
				switch {
				case c.UserDataSecrets == nil:
					got[r.Location.Address] = "unknown"
				case *c.UserDataSecrets:
					got[r.Location.Address] = "true " + strings.Join(c.UserDataSecretNames, ",")
				default:
					got[r.Location.Address] = "false"
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got["aws_instance.literal"] != "true DB_PASSWORD" || got["aws_instance.unknown"] != "unknown" {
		t.Errorf("user data secrets: %v", got)
	}
}
