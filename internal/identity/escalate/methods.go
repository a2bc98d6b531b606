package escalate

import "github.com/vigil-sec/vigil/internal/resource"

// Method is one publicly documented privilege-escalation method: the
// permissions it needs (all of them) and what it yields.
type Method struct {
	ID       string            `json:"id"`
	Provider resource.Provider `json:"provider,omitempty"`
	// Name says what the principal does.
	Name string `json:"name"`
	// Needs are the permissions the method needs, all of them.
	Needs []string `json:"needs,omitempty"`
	// Yields: "admin" (full control of the scope), "principal" (acting as
	// another principal), "group" (the permissions of a group).
	Yields string `json:"yields"`
	// Ref is where the method is documented.
	Ref string `json:"ref,omitempty"`
}

const (
	rhino  = "https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/"
	pmap   = "https://github.com/nccgroup/PMapper"
	azRBAC = "https://learn.microsoft.com/azure/role-based-access-control/built-in-roles"
	azMI   = "https://learn.microsoft.com/entra/identity/managed-identities-azure-resources/overview"
	azApp  = "https://learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference"
	gcpSA  = "https://cloud.google.com/iam/docs/service-account-impersonation"
	gcpPE  = "https://rhinosecuritylabs.com/gcp/privilege-escalation-google-cloud-platform-part-1/"
)

// Methods is the table of escalation methods vigil looks for. Graph edges
// that move between principals without a method of their own (group
// membership, federation, application credentials) are named by their
// edge kind.
var Methods = []Method{
	// AWS: one principal makes itself administrator.
	{ID: "aws-create-policy-version", Provider: resource.AWS, Name: "creates a new default version of a customer managed policy attached to itself", Needs: []string{"iam:CreatePolicyVersion"}, Yields: "admin", Ref: rhino},
	{ID: "aws-set-default-policy-version", Provider: resource.AWS, Name: "sets an existing, more permissive version of a policy attached to itself as default", Needs: []string{"iam:SetDefaultPolicyVersion"}, Yields: "admin", Ref: rhino},
	{ID: "aws-attach-user-policy", Provider: resource.AWS, Name: "attaches an administrator policy to itself", Needs: []string{"iam:AttachUserPolicy"}, Yields: "admin", Ref: rhino},
	{ID: "aws-attach-group-policy", Provider: resource.AWS, Name: "attaches an administrator policy to a group it is in", Needs: []string{"iam:AttachGroupPolicy"}, Yields: "admin", Ref: rhino},
	{ID: "aws-attach-role-policy", Provider: resource.AWS, Name: "attaches an administrator policy to its own role", Needs: []string{"iam:AttachRolePolicy"}, Yields: "admin", Ref: rhino},
	{ID: "aws-put-user-policy", Provider: resource.AWS, Name: "writes an administrator inline policy on itself", Needs: []string{"iam:PutUserPolicy"}, Yields: "admin", Ref: rhino},
	{ID: "aws-put-group-policy", Provider: resource.AWS, Name: "writes an administrator inline policy on a group it is in", Needs: []string{"iam:PutGroupPolicy"}, Yields: "admin", Ref: rhino},
	{ID: "aws-put-role-policy", Provider: resource.AWS, Name: "writes an administrator inline policy on its own role", Needs: []string{"iam:PutRolePolicy"}, Yields: "admin", Ref: rhino},
	// AWS: one principal obtains another's credentials or permissions.
	{ID: "aws-create-access-key", Provider: resource.AWS, Name: "creates an access key for another user", Needs: []string{"iam:CreateAccessKey"}, Yields: "principal", Ref: rhino},
	{ID: "aws-create-login-profile", Provider: resource.AWS, Name: "creates a console password for a user that has none", Needs: []string{"iam:CreateLoginProfile"}, Yields: "principal", Ref: rhino},
	{ID: "aws-update-login-profile", Provider: resource.AWS, Name: "changes another user's console password", Needs: []string{"iam:UpdateLoginProfile"}, Yields: "principal", Ref: rhino},
	{ID: "aws-add-user-to-group", Provider: resource.AWS, Name: "adds itself to a group", Needs: []string{"iam:AddUserToGroup"}, Yields: "group", Ref: rhino},
	{ID: "aws-update-assume-role-policy", Provider: resource.AWS, Name: "rewrites a role's trust policy to trust itself, then assumes it", Needs: []string{"iam:UpdateAssumeRolePolicy", "sts:AssumeRole"}, Yields: "principal", Ref: rhino},
	{ID: "aws-passrole-lambda", Provider: resource.AWS, Name: "passes a role to a new Lambda function and invokes it", Needs: []string{"iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"}, Yields: "principal", Ref: rhino},
	{ID: "aws-passrole-ec2", Provider: resource.AWS, Name: "passes a role to a new EC2 instance (instance profile) and uses its credentials", Needs: []string{"iam:PassRole", "ec2:RunInstances"}, Yields: "principal", Ref: rhino},
	{ID: "aws-passrole-glue", Provider: resource.AWS, Name: "passes a role to a new Glue development endpoint", Needs: []string{"iam:PassRole", "glue:CreateDevEndpoint"}, Yields: "principal", Ref: rhino},
	{ID: "aws-passrole-cloudformation", Provider: resource.AWS, Name: "passes a role to a new CloudFormation stack", Needs: []string{"iam:PassRole", "cloudformation:CreateStack"}, Yields: "principal", Ref: rhino},
	{ID: "aws-passrole-datapipeline", Provider: resource.AWS, Name: "passes a role to a new Data Pipeline that runs its commands", Needs: []string{"iam:PassRole", "datapipeline:CreatePipeline", "datapipeline:PutPipelineDefinition"}, Yields: "principal", Ref: rhino},
	{ID: "aws-passrole-sagemaker", Provider: resource.AWS, Name: "passes a role to a new SageMaker notebook and opens it", Needs: []string{"iam:PassRole", "sagemaker:CreateNotebookInstance", "sagemaker:CreatePresignedNotebookInstanceUrl"}, Yields: "principal", Ref: pmap},
	{ID: "aws-passrole-ecs", Provider: resource.AWS, Name: "passes a role to a new ECS task definition and runs it", Needs: []string{"iam:PassRole", "ecs:RegisterTaskDefinition", "ecs:RunTask"}, Yields: "principal", Ref: pmap},
	{ID: "aws-assume-role", Provider: resource.AWS, Name: "assumes a role whose trust policy names it (or its account)", Needs: []string{"sts:AssumeRole"}, Yields: "principal", Ref: pmap},
	{ID: "aws-admin-policy", Provider: resource.AWS, Name: "holds administrator policies in the account", Yields: "admin", Ref: pmap},
	// Azure.
	{ID: "azure-role-assignment-write", Provider: resource.Azure, Name: "writes role assignments at the scope (Owner, User Access Administrator, custom roles), so grants itself any role", Needs: []string{"Microsoft.Authorization/roleAssignments/write"}, Yields: "admin", Ref: azRBAC},
	{ID: "azure-entra-admin", Provider: resource.Azure, Name: "holds a directory role or Graph permission that grants any role (Global Administrator, Privileged Role Administrator, RoleManagement.ReadWrite.Directory)", Yields: "admin", Ref: azApp},
	{ID: "azure-vm-managed-identity", Provider: resource.Azure, Name: "runs a command on a VM (run command or extension) and uses its managed identity", Needs: []string{"Microsoft.Compute/virtualMachines/runCommand/action|Microsoft.Compute/virtualMachines/extensions/write"}, Yields: "principal", Ref: azMI},
	{ID: "azure-app-service-managed-identity", Provider: resource.Azure, Name: "deploys code to a Web or Function App and uses its managed identity", Needs: []string{"Microsoft.Web/sites/write"}, Yields: "principal", Ref: azMI},
	{ID: "azure-automation-managed-identity", Provider: resource.Azure, Name: "writes and starts a runbook of an Automation account and uses its managed identity", Needs: []string{"Microsoft.Automation/automationAccounts/runbooks/write", "Microsoft.Automation/automationAccounts/jobs/write"}, Yields: "principal", Ref: azMI},
	{ID: "azure-app-credential-owner", Provider: resource.Azure, Name: "owns an application or service principal, so adds a credential to it and signs in as it", Yields: "principal", Ref: azApp},
	{ID: "azure-app-credential-admin", Provider: resource.Azure, Name: "holds Application Administrator, Cloud Application Administrator or Application.ReadWrite.All, so adds a credential to any application and signs in as it", Needs: []string{"microsoft.directory/applications/credentials/update"}, Yields: "principal", Ref: azApp},
	{ID: "azure-group-owner", Provider: resource.Azure, Name: "owns an Entra group, so adds itself to it", Yields: "group", Ref: azApp},
	// GCP.
	{ID: "gcp-set-iam-policy", Provider: resource.GCP, Name: "sets the IAM policy of the project, folder or organization, so grants itself any role", Needs: []string{"resourcemanager.projects.setIamPolicy"}, Yields: "admin", Ref: gcpPE},
	{ID: "gcp-actas-compute", Provider: resource.GCP, Name: "creates a VM that runs as the service account", Needs: []string{"iam.serviceAccounts.actAs", "compute.instances.create"}, Yields: "principal", Ref: gcpPE},
	{ID: "gcp-actas-cloud-function", Provider: resource.GCP, Name: "deploys a Cloud Function that runs as the service account", Needs: []string{"iam.serviceAccounts.actAs", "cloudfunctions.functions.create"}, Yields: "principal", Ref: gcpPE},
	{ID: "gcp-actas-cloud-run", Provider: resource.GCP, Name: "deploys a Cloud Run service that runs as the service account", Needs: []string{"iam.serviceAccounts.actAs", "run.services.create"}, Yields: "principal", Ref: gcpPE},
	{ID: "gcp-actas-deployment-manager", Provider: resource.GCP, Name: "creates a Deployment Manager deployment, which runs as the project's Google APIs service account", Needs: []string{"iam.serviceAccounts.actAs", "deploymentmanager.deployments.create"}, Yields: "principal", Ref: gcpPE},
	{ID: "gcp-sa-key-create", Provider: resource.GCP, Name: "creates a key for the service account", Needs: []string{"iam.serviceAccountKeys.create"}, Yields: "principal", Ref: gcpPE},
	{ID: "gcp-get-access-token", Provider: resource.GCP, Name: "mints an access token of the service account", Needs: []string{"iam.serviceAccounts.getAccessToken"}, Yields: "principal", Ref: gcpSA},
	{ID: "gcp-sign-blob", Provider: resource.GCP, Name: "signs a token as the service account (signBlob)", Needs: []string{"iam.serviceAccounts.signBlob"}, Yields: "principal", Ref: gcpSA},
	{ID: "gcp-sign-jwt", Provider: resource.GCP, Name: "signs a JWT as the service account (signJwt)", Needs: []string{"iam.serviceAccounts.signJwt"}, Yields: "principal", Ref: gcpSA},
	{ID: "gcp-implicit-delegation", Provider: resource.GCP, Name: "delegates through the service account to another it may impersonate", Needs: []string{"iam.serviceAccounts.implicitDelegation"}, Yields: "principal", Ref: gcpSA},
	{ID: "gcp-sa-set-iam-policy", Provider: resource.GCP, Name: "sets the service account's IAM policy, so grants itself Token Creator on it", Needs: []string{"iam.serviceAccounts.setIamPolicy"}, Yields: "principal", Ref: gcpPE},
	{ID: "gcp-custom-role-update", Provider: resource.GCP, Name: "adds permissions (setIamPolicy) to a custom role it holds", Needs: []string{"iam.roles.update"}, Yields: "admin", Ref: gcpPE},
	// Moves without a permission of their own.
	{ID: "member-of", Name: "is a member of the group and holds what it holds", Yields: "group"},
	{ID: "federation", Name: "signs in through a trusted identity provider or another cloud's identity (federated credential, workload identity federation, web identity / SAML trust)", Yields: "principal"},
	{ID: "app-credentials", Name: "signs in with the application's credentials as its service principal", Yields: "principal"},
}

// MethodByID returns the method with this ID, nil when none.
func MethodByID(id string) *Method {
	for i := range Methods {
		if Methods[i].ID == id {
			return &Methods[i]
		}
	}
	return nil
}
