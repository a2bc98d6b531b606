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
