package escalate

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/identity/graph"
	"github.com/vigil-sec/vigil/internal/resource"
)

// synthetic builds a three-cloud organization. AWS: 80% of the
// principals, users and roles in 100 accounts under SCPs, 4 managed policy
// attachments each, drawn from 20 customer policies per account (whose
// statements grant mostly everyday actions and one action in eight an
// escalation method needs) and the AWS managed ones; 10 groups per
// account; roles trusting a service, a principal of the same account,
// another account (1%) or a Google service account. Entra/Azure: 10%, users
// and managed identities of VMs, role assignments over one subscription's
// 200 resource groups. GCP: 10%, service accounts and bindings over 100
// projects, VMs running as them. The rest of the resources are compute
// instances and buckets.
func synthetic(tb testing.TB, principals, attachments, resources int) []*resource.Resource {
	rng := rand.New(rand.NewPCG(10, 10))
	var rs []*resource.Resource
	nAWS, nAz := principals*8/10, principals/10
	nGCP := principals - nAWS - nAz
	const accounts = 100
	// Most statements grant everyday actions; one action in eight is one
	// an escalation method needs, a quarter of the statements on "*".
	everyday := []string{"s3:GetObject", "s3:PutObject", "ec2:Describe*", "iam:Get*", "iam:List*", "dynamodb:*", "kms:Decrypt", "sqs:*", "logs:*", "sts:AssumeRole", "lambda:InvokeFunction"}
	escal := []string{"iam:CreatePolicyVersion", "iam:AttachUserPolicy", "iam:AttachRolePolicy", "iam:PutRolePolicy", "iam:CreateAccessKey", "iam:PassRole",
		"lambda:CreateFunction", "ec2:RunInstances", "iam:AddUserToGroup", "iam:UpdateAssumeRolePolicy", "iam:CreateLoginProfile", "glue:CreateDevEndpoint"}
	action := func() string {
		if rng.IntN(8) == 0 {
			return escal[rng.IntN(len(escal))]
		}
		return everyday[rng.IntN(len(everyday))]
	}
	stmt := func() string {
		eff := "Allow"
		if rng.IntN(10) == 0 {
			eff = "Deny"
		}
		res := []string{"*", "arn:aws:s3:::data-*", "arn:aws:iam::*:role/app-*", "arn:aws:lambda:*:*:function:*"}[rng.IntN(4)]
		return fmt.Sprintf(`{"Effect":%q,"Action":[%q,%q],"Resource":%q}`, eff, action(), action(), res)
	}
	managedNames := []string{"ReadOnlyAccess", "AmazonS3ReadOnlyAccess", "AmazonEC2ReadOnlyAccess", "SecurityAudit", "ViewOnlyAccess", "PowerUserAccess", "IAMReadOnlyAccess", "AmazonSSMManagedInstanceCore"}
	guard := `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":["organizations:LeaveOrganization"],"Resource":"*"}]}`
	pols := make([][]string, accounts)
	for a := range accounts {
		acct := fmt.Sprintf("%012d", 100000000000+a)
		rs = append(rs, awsAccount(tb, acct, guard))
		for c := range 20 {
			text := `{"Version":"2012-10-17","Statement":[` + stmt() + "," + stmt() + "]}"
			p := awsManaged(tb, acct, fmt.Sprintf("p%d", c), text)
			pols[a] = append(pols[a], p.ID)
			rs = append(rs, p)
		}
	}
	var saEmails []string
	for i := range nGCP {
		saEmails = append(saEmails, fmt.Sprintf("sa%d@proj-%d.iam.gserviceaccount.com", i, i%100))
	}
	per := 4
	byAcct := make([][]*resource.Resource, accounts)
	for i := range nAWS {
		a := i % accounts
		acct := fmt.Sprintf("%012d", 100000000000+a)
		var r *resource.Resource
		if i%2 == 0 {
			r = awsUser(tb, acct, fmt.Sprintf("u%d", i))
		} else {
			trust := trustService([]string{"ec2.amazonaws.com", "lambda.amazonaws.com", "glue.amazonaws.com", "ecs-tasks.amazonaws.com"}[rng.IntN(4)])
			switch x := rng.IntN(100); {
			case x < 40 && len(byAcct[a]) > 0:
				trust = trustAWS(byAcct[a][rng.IntN(len(byAcct[a]))].ID)
			case x < 41:
				trust = trustAWS(fmt.Sprintf("%012d", 100000000000+rng.IntN(accounts)))
			case x < 42:
				trust = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"accounts.google.com"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"accounts.google.com:sub":"` + fmt.Sprint(900000+rng.IntN(nGCP)) + `"}}}]}`
			case x < 85:
				trust = trustService("ec2.amazonaws.com")
			}
			r = awsRole(tb, acct, fmt.Sprintf("app-%d", i), trust)
			if rng.IntN(20) == 0 {
				r.Facts.Identity.InstanceProfiles = []string{"arn:aws:iam::" + acct + ":instance-profile/app-" + fmt.Sprint(i)}
			}
		}
		for k := range per {
			pa := "arn:aws:iam::aws:policy/" + managedNames[rng.IntN(len(managedNames))]
			if k > 0 || rng.IntN(3) > 0 {
				pa = pols[a][rng.IntN(20)]
			}
			if rng.IntN(2000) == 0 {
				pa = "arn:aws:iam::aws:policy/AdministratorAccess"
			}
			r.Facts.Identity.AttachedPolicies = append(r.Facts.Identity.AttachedPolicies, pa)
		}
		byAcct[a] = append(byAcct[a], r)
		rs = append(rs, r)
	}
	for a := range accounts {
		acct := fmt.Sprintf("%012d", 100000000000+a)
		var users []*resource.Resource
		for _, r := range byAcct[a] {
			if r.Facts.Identity.Kind == "user" {
				users = append(users, r)
			}
		}
		for gi := range 10 {
			var ms []*resource.Resource
			for j := gi; j < len(users); j += 10 {
				ms = append(ms, users[j])
			}
			rs = append(rs, awsGroup(tb, acct, fmt.Sprintf("g%d", gi), gi == 0 && a%10 == 0, ms...))
		}
	}
	// Azure and Entra.
	rs = append(rs, subscription())
	for i := range nAz {
		oid := fmt.Sprintf("%08x-0000-4000-8000-%012x", i, i)
		kind, coll := "user", "users"
		if i%5 == 0 {
			kind, coll = "managed_identity", "servicePrincipals"
		}
		r := entra(kind, coll, oid, fmt.Sprintf("az%d", i))
		if kind == "managed_identity" {
			// A system-assigned identity names its VM among its aliases.
			vm := fmt.Sprintf("%s/resourceGroups/rg%d/providers/Microsoft.Compute/virtualMachines/mi-vm%d", sub, i%200, i)
			r.Aliases = append(r.Aliases, vm)
			rs = append(rs, &resource.Resource{Provider: resource.Azure, Account: "00000000-0000-4000-8000-000000000001", Type: "Microsoft.Compute/virtualMachines", ID: vm,
				Class: resource.ClassCompute, Facts: resource.Facts{Compute: &resource.Compute{Identity: "SystemAssigned"}}})
		}
		rs = append(rs, r)
	}
	roles := []string{reader, reader, reader, contrib, vmContr, webContr, owner, uaa}
	nBind := (attachments - nAWS*per) / 2
	for i := range nBind {
		p := rng.IntN(nAz)
		oid := fmt.Sprintf("%08x-0000-4000-8000-%012x", p, p)
		scope := fmt.Sprintf("%s/resourceGroups/rg%d", sub, rng.IntN(200))
		role := roles[rng.IntN(len(roles))]
		if role == owner || role == uaa {
			if rng.IntN(20) > 0 {
				role = reader
			} else {
				scope = sub
			}
		}
		rs = append(rs, assign(fmt.Sprintf("a%d", i), oid, "User", role, scope))
	}
	// GCP.
	rs = append(rs, &resource.Resource{Provider: resource.GCP, Type: "cloudresourcemanager.googleapis.com/Organization", ID: crm + "organizations/1", Aliases: []string{"organizations/1"}, Class: resource.ClassOrgUnit, Facts: resource.Facts{OrgUnit: &resource.OrgUnit{Kind: "organization"}}})
	for p := range 100 {
		rs = append(rs, gcpProject(fmt.Sprintf("proj-%d", p), fmt.Sprint(1000+p), crm+"organizations/1"))
	}
	for i, e := range saEmails {
		rs = append(rs, gcpSAres(fmt.Sprintf("proj-%d", i%100), e, fmt.Sprint(900000+i)))
	}
	groles := []string{"roles/viewer", "roles/viewer", "roles/storage.objectViewer", "roles/iam.serviceAccountUser", "roles/compute.instanceAdmin.v1", "roles/iam.serviceAccountTokenCreator", "roles/editor", "roles/owner"}
	for i := range attachments - nAWS*per - nBind {
		proj := fmt.Sprintf("%sprojects/%d", crm, 1000+rng.IntN(100))
		member := "serviceAccount:" + saEmails[rng.IntN(len(saEmails))]
		if rng.IntN(3) == 0 {
			member = fmt.Sprintf("user:u%d@example.com", rng.IntN(nGCP))
		}
		role := groles[rng.IntN(len(groles))]
		if role == "roles/owner" && rng.IntN(10) > 0 {
			role = "roles/viewer"
		}
		r := bind(proj, role, member)
		r.ID += fmt.Sprintf("#%d", i)
		rs = append(rs, r)
	}
	// The rest: compute instances (some with an identity) and buckets.
	for i := 0; len(rs) < resources; i++ {
		switch i % 10 {
		case 0:
			rs = append(rs, &resource.Resource{Provider: resource.GCP, Account: fmt.Sprintf("proj-%d", i%100), Type: "compute.googleapis.com/Instance", ID: fmt.Sprintf("//compute.googleapis.com/projects/proj-%d/zones/z/instances/vm%d", i%100, i),
				Class: resource.ClassCompute, Relationships: []resource.Relationship{{Type: resource.RelRunsAs, TargetID: saEmails[i%len(saEmails)]}}, Facts: resource.Facts{Compute: &resource.Compute{}}})
		case 1:
			rs = append(rs, &resource.Resource{Provider: resource.Azure, Account: "00000000-0000-4000-8000-000000000001", Type: "Microsoft.Compute/virtualMachines", ID: fmt.Sprintf("%s/resourceGroups/rg%d/providers/Microsoft.Compute/virtualMachines/vm%d", sub, i%200, i),
				Class: resource.ClassCompute, Facts: resource.Facts{Compute: &resource.Compute{}}})
		case 2, 3, 4:
			rs = append(rs, &resource.Resource{Provider: resource.AWS, Account: fmt.Sprintf("%012d", 100000000000+i%accounts), Type: "AWS::S3::Bucket", ID: fmt.Sprintf("arn:aws:s3:::bucket-%d", i), Class: resource.ClassObjectStorage, Facts: resource.Facts{Storage: &resource.ObjectStorage{}}})
		default:
			acct := fmt.Sprintf("%012d", 100000000000+i%accounts)
			rs = append(rs, &resource.Resource{Provider: resource.AWS, Account: acct, Type: "AWS::EC2::Instance", ID: fmt.Sprintf("arn:aws:ec2:us-east-1:%s:instance/i-%x", acct, i), Class: resource.ClassCompute,
				Facts: resource.Facts{Compute: &resource.Compute{Identity: fmt.Sprintf("arn:aws:iam::%s:instance-profile/app-%d", acct, (i%nAWS)|1)}}})
		}
	}
	return rs
}

// BenchmarkGraphAndPaths builds the graph of a synthetic organization of
// 50,000 principals, 200,000 attachments and 1,000,000 resources and
// computes every escalation path to every admin target
// (go test ./internal/identity/escalate -run '^$' -bench GraphAndPaths -benchtime 1x).
func BenchmarkGraphAndPaths(b *testing.B) {
	rs := synthetic(b, 50_000, 200_000, 1_000_000)
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		g, err := graph.Build(context.Background(), rs, graph.Options{})
		if err != nil {
			b.Fatal(err)
		}
		built := time.Now()
		a, err := Analyze(context.Background(), g)
		if err != nil {
			b.Fatal(err)
		}
		analyzed := time.Now()
		ps, err := a.Paths(context.Background(), Options{})
		if err != nil {
			b.Fatal(err)
		}
		done := time.Now()
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		b.ReportMetric(built.Sub(start).Seconds(), "graph-s")
		b.ReportMetric(analyzed.Sub(built).Seconds(), "moves-s")
		b.ReportMetric(done.Sub(analyzed).Seconds(), "paths-s")
		b.ReportMetric(float64(len(g.Nodes())), "nodes")
		b.ReportMetric(float64(len(g.Edges())), "edges")
		b.ReportMetric(float64(len(a.Moves)), "moves")
		b.ReportMetric(float64(len(ps)), "paths")
		b.ReportMetric(float64(after.Sys)/(1<<30), "sys-GiB")
		b.ReportMetric(float64(after.HeapInuse)/(1<<30), "heap-GiB")
	}
}

// TestSyntheticSmall runs the benchmark's generator at a small size, so
// the benchmark's inventory stays valid: paths are found in every cloud.
func TestSyntheticSmall(t *testing.T) {
	rs := synthetic(t, 2000, 8000, 20000)
	a := analyze(t, rs)
	ps, err := a.Paths(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	clouds := map[resource.Provider]int{}
	for _, p := range ps {
		if n := a.G.Node(p.Principal); n != nil {
			clouds[n.Provider]++
		}
	}
	if clouds[resource.AWS] == 0 || clouds[resource.Azure] == 0 || clouds[resource.GCP] == 0 {
		t.Errorf("paths by cloud: %v", clouds)
	}
}
