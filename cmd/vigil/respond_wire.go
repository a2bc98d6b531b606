package main

import (
	"fmt"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/vigil-sec/vigil/internal/respond"
	"github.com/vigil-sec/vigil/internal/respond/engine"
	"github.com/vigil-sec/vigil/internal/respond/playbook"
	"github.com/vigil-sec/vigil/internal/respond/subjects"
	"github.com/vigil-sec/vigil/internal/respond/wire"
)

// cloudActionFlags configure the clients of the remediation actions: the
// same credentials and endpoint overrides as vigil collect.
type cloudActionFlags struct {
	awsProfile, awsEndpoint, awsRole, awsRegion string
	gcpEndpoint, gcpProject, gcpQuotaProject    string
	azureEndpoint, azureCAFile, azureTenant     string
}

func (f *cloudActionFlags) register(fl *pflag.FlagSet) {
	fl.StringVar(&f.awsProfile, "aws-profile", "", "AWS shared-config profile (default AWS_PROFILE or the default chain)")
	fl.StringVar(&f.awsEndpoint, "aws-endpoint", "", "one base URL for every AWS service (local emulators and tests)")
	fl.StringVar(&f.awsRole, "aws-role", "", "role assumed in a finding's account when it is not the caller's (default: act only in the caller's account)")
	fl.StringVar(&f.awsRegion, "aws-region", "", "AWS region when neither the step nor the finding names one")
	fl.StringVar(&f.azureTenant, "azure-tenant", "", "Entra ID tenant to authenticate to (default: the credential's)")
	fl.StringVar(&f.azureEndpoint, "azure-endpoint", "", "one https base URL for Azure Resource Manager, Microsoft Graph and the token authority (local emulators and tests)")
	fl.StringVar(&f.azureCAFile, "azure-ca-file", "", "PEM certificates to trust besides the system's for Azure (a local endpoint's)")
	fl.StringVar(&f.gcpEndpoint, "gcp-endpoint", "", "one base URL for the GCP REST APIs (local emulators and tests)")
	fl.StringVar(&f.gcpProject, "gcp-project", "", "GCP project of a resource named without one, when the finding names none")
	fl.StringVar(&f.gcpQuotaProject, "gcp-quota-project", "", "project GCP API quota is charged to (user credentials)")
}

// registry returns every action vigil has, with these flags' credentials.
func (f *cloudActionFlags) registry() (*respond.Registry, error) {
	return wire.Registry(wire.Clouds{AWSProfile: f.awsProfile, AWSEndpoint: f.awsEndpoint, AWSRole: f.awsRole, AWSRegion: f.awsRegion,
		GCPEndpoint: f.gcpEndpoint, GCPProject: f.gcpProject, GCPQuotaProject: f.gcpQuotaProject,
		AzureEndpoint: f.azureEndpoint, AzureCAFile: f.azureCAFile, AzureTenant: f.azureTenant})
}

// loadPlaybooks loads playbook files and directories against reg.
func loadPlaybooks(paths []string, reg *respond.Registry) ([]engine.Playbook, error) {
	pbs, err := playbook.Load(paths, reg)
	if err != nil {
		return nil, err
	}
	return playbook.Engine(pbs), nil
}

// readSubjects reads findings and alerts files; problems are printed and
// returned as an exit-2 error to report after the work.
func readSubjects(cmd *cobra.Command, paths []string, all bool) ([]*respond.Subject, error) {
	var out []*respond.Subject
	n := 0
	for _, p := range paths {
		got, probs := subjects.ReadFile(p, subjects.Options{All: all})
		for _, e := range probs {
			fmt.Fprintln(cmd.ErrOrStderr(), "vigil: input error:", e)
		}
		n += len(probs)
		out = append(out, got...)
	}
	if n > 0 {
		return out, &exitError{code: exitUsage, err: fmt.Errorf("%d input problem(s); the rest was used", n)}
	}
	return out, nil
}
