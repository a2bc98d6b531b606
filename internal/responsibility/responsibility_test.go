package responsibility

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/importer"
	"github.com/vigil-sec/vigil/internal/inventory"
	"github.com/vigil-sec/vigil/internal/resource"
	"github.com/vigil-sec/vigil/internal/testkit"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// TestData: the shipped data parses (every class exists, every control,
// category and party is known) and every cloud and service has a source.
func TestData(t *testing.T) {
	m, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Clouds) != 3 {
		t.Fatalf("%d clouds", len(m.Clouds))
	}
	for _, c := range m.Clouds {
		if !strings.HasPrefix(c.URL, "https://") {
			t.Errorf("cloud %s: source %q", c.ID, c.URL)
		}
	}
	perCloud := map[string]map[string]bool{}
	for _, s := range m.Services {
		if !strings.HasPrefix(s.Source, "https://") {
			t.Errorf("%s/%s: no source", s.Cloud, s.ID)
		}
		for _, c := range s.Classes {
			if !resource.KnownClass(c) {
				t.Errorf("%s/%s: class %s does not exist", s.Cloud, s.ID, c)
			}
		}
		if len(s.Controls) == 0 {
			t.Errorf("%s/%s: no controls", s.Cloud, s.ID)
		}
		// Every model puts the physical layer on the provider and access
		// to the data on the customer.
		if s.Controls["physical"] != Provider {
			t.Errorf("%s/%s: physical is %q", s.Cloud, s.ID, s.Controls["physical"])
		}
		if p, ok := s.Controls["iam"]; ok && p != Customer {
			t.Errorf("%s/%s: iam is %q", s.Cloud, s.ID, p)
		}
		if perCloud[s.Cloud] == nil {
			perCloud[s.Cloud] = map[string]bool{}
		}
		perCloud[s.Cloud][s.Category] = true
	}
	// Each cloud covers every category (the key-and-secret vault is Azure's).
	for _, c := range m.Clouds {
		for _, cat := range m.Categories {
			if cat.ID == "key-vault" && c.ID != "azure" {
				continue
			}
			if !perCloud[c.ID][cat.ID] {
				t.Errorf("%s: no service of category %s", c.ID, cat.ID)
			}
		}
	}
	// Every cloud class rules evaluate is claimed by a service of each cloud
	// where the class exists there.
	for _, ci := range resource.Classes() {
		if strings.HasPrefix(string(ci.Class), "kubernetes_") && ci.Class != resource.ClassKubernetes {
			continue // Kubernetes objects: not a cloud service
		}
		claimed := 0
		for _, c := range m.Clouds {
			if _, ok := m.byClass[svcKey{c.ID, string(ci.Class)}]; ok {
				claimed++
			}
		}
		if claimed == 0 {
			t.Errorf("class %s: no service of any cloud", ci.Class)
		}
	}
}

func TestBadData(t *testing.T) {
	good, err := os.ReadFile("responsibility.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for name, edit := range map[string][2]string{
		"unknown class":    {"classes: [compute]\n    types: [AWS::EC2::Instance]", "classes: [computer]\n    types: [AWS::EC2::Instance]"},
		"no source":        {"source: https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-security.html\n  - cloud: aws\n    id: ebs", "source: \"\"\n  - cloud: aws\n    id: ebs"},
		"bad party":        {"      physical: provider\n      infrastructure: provider\n      virtualization: provider\n      guest-os: customer", "      physical: google\n      infrastructure: provider\n      virtualization: provider\n      guest-os: customer"},
		"unknown control":  {"encryption-at-rest: customer # opt-in", "encryption-at-rst: customer # opt-in"},
		"unknown category": {"category: iaas-compute\n    classes: [compute]\n    types: [AWS::EC2::Instance]", "category: iaas\n    classes: [compute]\n    types: [AWS::EC2::Instance]"},
		"type twice":       {"types: [AWS::SNS::Topic]", "types: [AWS::SQS::Queue]"},
		"unknown field":    {"    id: ec2\n", "    id: ec2\n    colour: red\n"},
		"cloud source":     {"url: https://aws.amazon.com/compliance/shared-responsibility-model/", "url: aws.amazon.com"},
	} {
		bad := strings.Replace(string(good), edit[0], edit[1], 1)
		if bad == string(good) {
			t.Fatalf("%s: the edit does not apply", name)
		}
		if _, err := Parse([]byte(bad)); err == nil {
			t.Errorf("%s: parsed", name)
		}
	}
}

func TestMatch(t *testing.T) {
	m, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		prov  resource.Provider
		class resource.Class
		typ   string
		want  string
	}{
		{resource.AWS, resource.ClassObjectStorage, "AWS::S3::Bucket", "s3"},
		{resource.AWS, resource.ClassQueue, "AWS::SNS::Topic", "sns"},
		{resource.AWS, resource.ClassQueue, "AWS::Kinesis::Stream", "kinesis"},
		{resource.AWS, resource.ClassQueue, "AWS::AmazonMQ::Broker", "sqs"}, // by class
		{resource.AWS, resource.ClassDatabase, "AWS::DynamoDB::Table", "dynamodb"},
		{resource.Azure, resource.ClassDatabase, "microsoft.sql/servers", "sql"}, // type case-insensitive
		{resource.Azure, resource.ClassDatabase, "Microsoft.DBforPostgreSQL/flexibleServers", "postgresql-mysql"},
		{resource.Azure, resource.ClassSecret, "Microsoft.KeyVault/vaults/secrets", "key-vault-secrets"},
		{resource.GCP, resource.ClassKubernetes, "container.googleapis.com/Cluster", "gke"},
		{resource.GCP, resource.ClassDatabase, "spanner.googleapis.com/Instance", "spanner"},
	} {
		s := m.Match(&resource.Resource{Provider: c.prov, Class: c.class, Type: c.typ})
		if s == nil || s.ID != c.want {
			t.Errorf("%s %s: %+v, want %s", c.prov, c.typ, s, c.want)
		}
	}
	if s := m.Match(&resource.Resource{Provider: "kubernetes", Class: resource.ClassKubernetesWorkload, Type: "Deployment"}); s != nil {
		t.Errorf("a Kubernetes manifest matched %s", s.ID)
	}
}

func loadOrg(t *testing.T) []*resource.Resource {
	t.Helper()
	inv, err := inventory.Collect(context.Background(), importer.Files([]string{"../../examples/org"}))
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.Resources) == 0 {
		t.Fatal("examples/org: no resources")
	}
	return inv.Resources
}

// TestOrg: on the sample organization the view lists each cloud's
// services with the provider's and the customer's controls.
func TestOrg(t *testing.T) {
	m, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	v := m.Build(loadOrg(t))
	services := map[string]ServiceView{}
	for _, c := range v.Clouds {
		for _, s := range c.Services {
			services[c.ID+"/"+s.ID] = s
		}
	}
	for _, want := range []string{
		"aws/ec2", "aws/s3", "aws/rds", "aws/eks", "aws/lambda", "aws/kms", "aws/iam", "aws/sqs", "aws/secrets-manager",
		"azure/virtual-machines", "azure/storage", "azure/sql", "azure/aks", "azure/key-vault", "azure/key-vault-keys", "azure/key-vault-secrets", "azure/functions",
		"gcp/compute-engine", "gcp/cloud-storage", "gcp/cloud-sql", "gcp/gke", "gcp/cloud-kms", "gcp/pubsub",
	} {
		s, ok := services[want]
		if !ok {
			t.Errorf("%s not in the view", want)
			continue
		}
		if s.Resources == 0 || len(s.Provider) == 0 || len(s.Customer) == 0 || len(s.Sources) == 0 {
			t.Errorf("%s: %+v", want, s)
		}
	}
	// Spot checks of who does what.
	check := func(svc, control string, want string) {
		s := services[svc]
		var got string
		switch {
		case slices.Contains(s.Provider, control):
			got = "provider"
		case slices.Contains(s.Shared, control):
			got = "shared"
		case slices.Contains(s.Customer, control):
			got = "customer"
		}
		if got != want {
			t.Errorf("%s %s: %q, want %s", svc, control, got, want)
		}
	}
	check("aws/ec2", "guest-os", "customer")
	check("aws/ec2", "virtualization", "provider")
	check("aws/eks", "control-plane", "provider")
	check("aws/eks", "node-patching", "shared")
	check("aws/rds", "service-software", "provider")
	check("aws/s3", "iam", "customer")
	check("aws/ebs", "encryption-at-rest", "customer")
	check("azure/managed-disks", "encryption-at-rest", "shared")
	check("azure/sql", "engine-patching", "provider")
	check("gcp/gke", "control-plane", "provider")
	check("gcp/compute-engine", "encryption-at-rest", "shared")
	// Class other (subnets, listeners) is not a service.
	for _, u := range v.Unmapped {
		if u.Class == resource.ClassOther {
			t.Errorf("unmapped lists class other: %+v", u)
		}
	}
}

// TestGolden: the JSON view of a fixed inventory of the three clouds
// (testdata/resources.json; go test -update rewrites the golden file).
func TestGolden(t *testing.T) {
	m, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join("testdata", "resources.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rs []*resource.Resource
	if err := json.Unmarshal(b, &rs); err != nil {
		t.Fatal(err)
	}
	v := m.Build(rs)
	var buf bytes.Buffer
	if err := Write(&buf, "json", v); err != nil {
		t.Fatal(err)
	}
	testkit.Golden(t, filepath.Join("testdata", "view.golden.json"), buf.Bytes(), *update)
	var back View
	if err := json.Unmarshal(buf.Bytes(), &back); err != nil || back.Services() != v.Services() {
		t.Errorf("the JSON does not read back: %v", err)
	}
	// AlloyDB has no entry of its own: the class claims it (Cloud SQL's).
	if v.Resources != 12 || v.Services() != 11 {
		t.Errorf("%d resources, %d services", v.Resources, v.Services())
	}
	var table bytes.Buffer
	if err := Write(&table, "table", v); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Amazon S3", "Amazon RDS", "Amazon EKS", "Azure Kubernetes Service", "Cloud Run functions", "provider", "customer", "https://aws.amazon.com/compliance/shared-responsibility-model/"} {
		if !strings.Contains(table.String(), want) {
			t.Errorf("table lacks %q", want)
		}
	}
	if err := Write(&table, "xml", v); err == nil {
		t.Error("xml written")
	}
}

func TestEmpty(t *testing.T) {
	m, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	v := m.Build([]*resource.Resource{{Provider: "kubernetes", Class: resource.ClassKubernetesWorkload, Type: "Pod"}})
	if v.Services() != 0 || v.Resources != 0 {
		t.Errorf("%+v", v)
	}
}
