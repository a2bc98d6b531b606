package unused

import (
	"strings"

	"github.com/vigil-sec/vigil/internal/identity/graph"
	awsref "github.com/vigil-sec/vigil/internal/identity/refdata/aws"
	"github.com/vigil-sec/vigil/internal/lazyre"
)

// actors maps the lake's actors onto the graph's principals.
type actors struct {
	g *graph.Graph
	// aws: account|user|name and account|role|name (lower case) -> node
	// ID; IAM names are unique per account and kind whatever the path.
	aws map[string]string
	// entra: user principal names and display names (lower case) -> node.
	entra map[string]string
}

func newActors(g *graph.Graph) *actors {
	a := &actors{g: g, aws: map[string]string{}, entra: map[string]string{}}
	for _, n := range g.Nodes() {
		switch n.Kind {
		case graph.AWSUser, graph.AWSRole:
			kind := "user"
			if n.Kind == graph.AWSRole {
				kind = "role"
			}
			name := n.ID[strings.LastIndexByte(n.ID, '/')+1:]
			a.aws[strings.ToLower(accountOfARN(n.ID)+"|"+kind+"|"+name)] = n.ID
		case graph.EntraUser, graph.EntraSP, graph.EntraMI:
			if n.Name != "" {
				a.entra[strings.ToLower(n.Name)] = n.ID
			}
		}
	}
	return a
}

func accountOfARN(arn string) string {
	if p := strings.SplitN(arn, ":", 6); len(p) == 6 {
		return p[4]
	}
	return ""
}

// principal returns the node ID an aggregate's actor is, "" when the
// inventory does not hold it.
func (a *actors) principal(r *Row) string {
	switch r.Provider {
	case "AWS":
		return a.awsPrincipal(r.Actor)
	case "Azure":
		if n := a.g.Node(r.Actor); n != nil && r.Actor != "" {
			return n.ID
		}
		if id, ok := a.entra[strings.ToLower(r.ActorName)]; ok && r.ActorName != "" {
			return id
		}
	case "GCP":
		return a.gcpPrincipal(r.Actor)
	}
	return ""
}

// awsPrincipal maps an actor ARN (or unique ID) to a user, role or root:
// arn:aws:iam::A:user/path/NAME, arn:aws:sts::A:assumed-role/ROLE[/SESSION]
// (the role, whatever its path), arn:aws:iam::A:root, or a principal ID
// (AIDA..., AROA...:session) the inventory knows as an alias.
func (a *actors) awsPrincipal(actor string) string {
	if actor == "" {
		return ""
	}
	if !strings.HasPrefix(actor, "arn:") {
		id, _, _ := strings.Cut(actor, ":")
		if n := a.g.Node(id); n != nil && (n.Kind == graph.AWSUser || n.Kind == graph.AWSRole) {
			return n.ID
		}
		return ""
	}
	p := strings.SplitN(actor, ":", 6)
	if len(p) < 6 {
		return ""
	}
	acct, res := p[4], p[5]
	switch {
	case res == "root":
		if n := a.g.Node(actor); n != nil {
			return n.ID
		}
		if n := a.g.Node("arn:aws:iam::" + acct + ":root"); n != nil {
			return n.ID
		}
	case strings.HasPrefix(res, "user/"):
		return a.aws[strings.ToLower(acct+"|user|"+res[strings.LastIndexByte(res, '/')+1:])]
	case strings.HasPrefix(res, "assumed-role/"):
		role, _, _ := strings.Cut(strings.TrimPrefix(res, "assumed-role/"), "/")
		return a.aws[strings.ToLower(acct+"|role|"+role)]
	case strings.HasPrefix(res, "role/"):
		return a.aws[strings.ToLower(acct+"|role|"+res[strings.LastIndexByte(res, '/')+1:])]
	}
	return ""
}

// gcpPrincipal maps a principalEmail to the member it is: a service
// account (…gserviceaccount.com) or a user.
func (a *actors) gcpPrincipal(email string) string {
	if email == "" || !strings.Contains(email, "@") {
		return ""
	}
	m := "user:" + strings.ToLower(email)
	if strings.HasSuffix(strings.ToLower(email), ".gserviceaccount.com") {
		m = "serviceAccount:" + strings.ToLower(email)
	}
	if n := a.g.Node(m); n != nil {
		return n.ID
	}
	return ""
}

// awsServicePrefix are the CloudTrail event sources whose IAM service
// prefix is not the host name's first label (the Service Authorization
// Reference names each service's prefix).
var awsServicePrefix = map[string]string{
	"monitoring":        "cloudwatch",
	"email":             "ses",
	"tagging":           "tag",
	"api.ecr":           "ecr",
	"api.sagemaker":     "sagemaker",
	"runtime.sagemaker": "sagemaker",
}

// awsOperationAction are CloudTrail event names whose IAM action differs
// from the name (AWS documents them in "Required permissions for Amazon S3
// API operations" and the services' API references).
var awsOperationAction = map[string]string{
	"s3:ListBuckets":             "s3:ListAllMyBuckets",
	"s3:ListObjects":             "s3:ListBucket",
	"s3:ListObjectsV2":           "s3:ListBucket",
	"s3:ListObjectVersions":      "s3:ListBucketVersions",
	"s3:HeadBucket":              "s3:ListBucket",
	"s3:HeadObject":              "s3:GetObject",
	"s3:CopyObject":              "s3:PutObject",
	"s3:UploadPart":              "s3:PutObject",
	"s3:CreateMultipartUpload":   "s3:PutObject",
	"s3:CompleteMultipartUpload": "s3:PutObject",
	"s3:DeleteObjects":           "s3:DeleteObject",
}

// apiVersion is the version suffix some services put on event names
// (Lambda CreateFunction20150331, UpdateFunctionConfiguration20150331v2;
// CloudFront GetDistribution2020_05_31).
var apiVersion = lazyre.Regexp{Expr: `(\d{8}|\d{4}_\d{2}_\d{2})(v\d+)?$`}

// awsAction maps a CloudTrail event source and name onto the IAM action of
// the catalog, "" when the catalog has no such action (the call is then
// reported as unmapped, never guessed).
func awsAction(ref *awsref.Data, source, name string) string {
	host := strings.TrimSuffix(strings.ToLower(source), ".amazonaws.com")
	prefix, ok := awsServicePrefix[host]
	if !ok {
		prefix = host
	}
	name = apiVersion.Get().ReplaceAllString(name, "")
	key := prefix + ":" + name
	if a, ok := awsOperationAction[key]; ok {
		key = a
	}
	if act, ok := ref.Lookup(key); ok {
		return act.Name
	}
	return ""
}

// azureAction is the RBAC action of an Azure Activity Log operation (its
// operationName, Microsoft.Provider/type/verb), "" for other operations.
func azureAction(r *Row) string {
	if r.Source != "azure_activitylogs" || strings.Count(r.Operation, "/") < 2 {
		return ""
	}
	return r.Operation
}

// gcpMethodPermission are GCP audit log method names whose permission is
// documented (Cloud Audit Logs and the services' IAM permission pages), for
// events without authorizationInfo. Other methods are reported unmapped.
var gcpMethodPermission = map[string]string{
	"google.iam.admin.v1.CreateServiceAccountKey":   "iam.serviceAccountKeys.create",
	"google.iam.admin.v1.DeleteServiceAccountKey":   "iam.serviceAccountKeys.delete",
	"google.iam.admin.v1.CreateServiceAccount":      "iam.serviceAccounts.create",
	"google.iam.admin.v1.DeleteServiceAccount":      "iam.serviceAccounts.delete",
	"google.iam.admin.v1.SetIAMPolicy":              "iam.serviceAccounts.setIamPolicy",
	"google.iam.credentials.v1.GenerateAccessToken": "iam.serviceAccounts.getAccessToken",
	"google.iam.credentials.v1.SignBlob":            "iam.serviceAccounts.signBlob",
	"google.iam.credentials.v1.SignJwt":             "iam.serviceAccounts.signJwt",
	"google.logging.v2.ConfigServiceV2.DeleteSink":  "logging.sinks.delete",
	"google.logging.v2.ConfigServiceV2.UpdateSink":  "logging.sinks.update",
	"google.logging.v2.ConfigServiceV2.CreateSink":  "logging.sinks.create",
	"v1.compute.instances.insert":                   "compute.instances.create",
	"beta.compute.instances.insert":                 "compute.instances.create",
	"v1.compute.instances.delete":                   "compute.instances.delete",
	"v1.compute.firewalls.insert":                   "compute.firewalls.create",
	"v1.compute.firewalls.patch":                    "compute.firewalls.update",
	"storage.buckets.create":                        "storage.buckets.create",
	"storage.buckets.delete":                        "storage.buckets.delete",
	"storage.objects.get":                           "storage.objects.get",
	"storage.objects.list":                          "storage.objects.list",
	"storage.objects.create":                        "storage.objects.create",
	"storage.objects.delete":                        "storage.objects.delete",
	"storage.setIamPermissions":                     "storage.buckets.setIamPolicy",
	"storage.getIamPermissions":                     "storage.buckets.getIamPolicy",
}

// gcpPermissions are the permissions a GCP event exercised:
// authorizationInfo's when the event has it, else the documented one of its
// method; nil when neither says.
func gcpPermissions(r *Row) []string {
	if len(r.Permissions) > 0 {
		return r.Permissions
	}
	if p, ok := gcpMethodPermission[r.Operation]; ok {
		return []string{p}
	}
	if strings.EqualFold(r.Operation, "SetIamPolicy") && r.Service == "cloudresourcemanager.googleapis.com" {
		// The resource says which: a project, folder or organization.
		for _, k := range []string{"projects", "folders", "organizations"} {
			if strings.HasPrefix(r.Resource, k+"/") {
				return []string{"resourcemanager." + k + ".setIamPolicy"}
			}
		}
	}
	return nil
}
