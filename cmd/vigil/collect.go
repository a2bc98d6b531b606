package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"golang.org/x/term"

	"github.com/vigil-sec/vigil/internal/collect"
	awscollect "github.com/vigil-sec/vigil/internal/collect/aws"
	azurecollect "github.com/vigil-sec/vigil/internal/collect/azure"
	gcpcollect "github.com/vigil-sec/vigil/internal/collect/gcp"
	"github.com/vigil-sec/vigil/internal/collect/live"
)

// liveFlags are the flags of vigil collect and vigil scan --live.
type liveFlags struct {
	clouds                              []string
	awsRegions, awsAccounts, awsExclude []string
	awsRole, awsProfile, awsEndpoint    string
	azureSubs                           []string
	azureTenant                         string
	azureBlobDataPlane                  bool
	azureKeyVaultCertificates           bool
	azureEndpoint, azureCAFile          string
	gcpScope                            []string
	gcpQuotaProject, gcpEndpoint        string
	concurrency                         int
	callTimeout                         time.Duration
	cloudsSet                           bool
}

var allClouds = []string{"aws", "azure", "gcp"}

func (f *liveFlags) register(fl *pflag.FlagSet) {
	fl.StringSliceVar(&f.clouds, "cloud", allClouds, "clouds to collect: "+strings.Join(allClouds, ", "))
	fl.StringSliceVar(&f.awsRegions, "aws-regions", nil, "AWS regions (default: every region enabled in the account)")
	fl.StringSliceVar(&f.awsAccounts, "aws-accounts", nil, "only these AWS account IDs")
	fl.StringSliceVar(&f.awsExclude, "aws-exclude-accounts", nil, "leave out these AWS account IDs")
	fl.StringVar(&f.awsRole, "aws-role", "", "read-only role assumed in each account of the AWS Organization (default: only the caller's account)")
	fl.StringVar(&f.awsProfile, "aws-profile", "", "AWS shared-config profile (default AWS_PROFILE or the default chain)")
	fl.StringVar(&f.awsEndpoint, "aws-endpoint", "", "one base URL for every AWS service (local emulators and tests)")
	fl.StringSliceVar(&f.azureSubs, "azure-subscriptions", nil, "only these Azure subscription IDs (default: every subscription the identity can read)")
	fl.StringVar(&f.azureTenant, "azure-tenant", "", "Entra ID tenant to authenticate to and read the directory of (default: the subscriptions' tenant)")
	fl.BoolVar(&f.azureBlobDataPlane, "azure-blob-data-plane", false, "read a storage account's blob service properties from the data plane when ARM denies them")
	fl.BoolVar(&f.azureKeyVaultCertificates, "azure-keyvault-certificates", false, "read each key vault's certificates and their policies from the Key Vault data plane (CIS Azure 6.0 8.3.11; needs a data-plane role such as Key Vault Reader)")
	fl.StringVar(&f.azureEndpoint, "azure-endpoint", "", "one https base URL for Azure Resource Manager, Resource Graph, Microsoft Graph and the token authority (local emulators and tests)")
	fl.StringVar(&f.azureCAFile, "azure-ca-file", "", "PEM certificates to trust besides the system's for Azure (a local endpoint's)")
	fl.StringSliceVar(&f.gcpScope, "gcp-scope", nil, "organizations/N, folders/N or projects/P (default: every organization and project the identity sees)")
	fl.StringVar(&f.gcpQuotaProject, "gcp-quota-project", "", "project GCP API quota is charged to (user credentials)")
	fl.StringVar(&f.gcpEndpoint, "gcp-endpoint", "", "host:port of Cloud Asset Inventory and Resource Manager (local emulators and tests)")
	fl.IntVar(&f.concurrency, "concurrency", 64, "API calls in flight per cloud")
	fl.DurationVar(&f.callTimeout, "call-timeout", 60*time.Second, "timeout of each API call attempt")
}

// options turns the flags into the collectors' options.
func (f *liveFlags) options(cmd *cobra.Command) (live.Options, error) {
	f.cloudsSet = cmd.Flags().Changed("cloud")
	var o live.Options
	if len(f.clouds) == 0 {
		return o, errors.New("--cloud: name at least one of " + strings.Join(allClouds, ", "))
	}
	for _, c := range f.clouds {
		switch strings.ToLower(strings.TrimSpace(c)) {
		case "aws":
			o.AWS = &awscollect.Options{
				Regions: f.awsRegions, Accounts: f.awsAccounts, ExcludeAccounts: f.awsExclude, RoleName: f.awsRole,
				Profile: f.awsProfile, Endpoint: f.awsEndpoint, Concurrency: f.concurrency, CallTimeout: f.callTimeout,
				Logger: slog.Default(),
			}
		case "azure":
			o.Azure = &azurecollect.Options{
				Subscriptions: f.azureSubs, TenantID: f.azureTenant, BlobDataPlane: f.azureBlobDataPlane,
				KeyVaultCertificates: f.azureKeyVaultCertificates, Endpoint: f.azureEndpoint, CAFile: f.azureCAFile,
				Concurrency: f.concurrency, CallTimeout: f.callTimeout, Logger: slog.Default(),
			}
		case "gcp":
			o.GCP = &gcpcollect.Options{
				Scope: f.gcpScope, QuotaProject: f.gcpQuotaProject, Endpoint: f.gcpEndpoint,
				Concurrency: f.concurrency, CallTimeout: f.callTimeout,
			}
		default:
			return o, fmt.Errorf("--cloud %q: want one of %s", c, strings.Join(allClouds, ", "))
		}
	}
	stderr := cmd.ErrOrStderr()
	var tty io.Writer
	if file, ok := stderr.(*os.File); ok && term.IsTerminal(int(file.Fd())) {
		tty = stderr
	}
	o.Progress = collect.NewProgress(tty, slog.Default(), 2*time.Second)
	return o, nil
}

// collectLive runs the collectors into dir and prints what failed on
// stderr. It returns an exit error when a cloud the user named could not
// be collected, or when no cloud could.
func (f *liveFlags) collectLive(ctx context.Context, cmd *cobra.Command, dir string, keep bool) (*live.Summary, error) {
	opts, err := f.options(cmd)
	if err != nil {
		return nil, usageErr(err)
	}
	s, err := live.Collect(ctx, opts, collect.Dir(dir))
	if err != nil {
		return nil, err
	}
	stderr := cmd.ErrOrStderr()
	for _, fl := range s.Failures {
		fmt.Fprintln(stderr, "vigil: call failed:", fl.String())
	}
	reached := 0
	for _, c := range s.Clouds {
		if c.Error == "" {
			reached++
			continue
		}
		fmt.Fprintf(stderr, "vigil: %s not collected: %s\n", c.Name, c.Error)
	}
	where := ""
	if keep {
		where = " (summary in " + filepath.Join(dir, live.SummaryFile) + ")"
	}
	fmt.Fprintf(stderr, "vigil: collected %d of %d clouds in %.1fs: %d API calls, %d failed%s\n",
		reached, len(s.Clouds), s.Seconds, s.Calls, len(s.Failures), where)
	switch {
	case reached == 0:
		return s, &exitError{code: exitUsage, err: errors.New("no cloud could be collected")}
	case s.Failed() && f.cloudsSet:
		return s, &exitError{code: exitUsage, err: errors.New("a cloud named with --cloud could not be collected; the others were")}
	}
	return s, nil
}

func newCollectCmd() *cobra.Command {
	var f liveFlags
	var out string
	cmd := &cobra.Command{
		Use:   "collect --out DIR",
		Short: "Collect live AWS, Azure and GCP inventories, read-only, into the clouds' own export formats",
		Long: `Collect every account, region, organization and project the credentials can read, through the
clouds' official SDKs and read-only calls, and save it in the clouds' own export formats (AWS Config snapshots,
the IAM credential report and CLI outputs, AWS Organizations; Azure Resource Graph results, Entra ID through
Microsoft Graph; Cloud Asset Inventory lines), so that
"vigil scan DIR" repeats the scan offline and DIR can be attached to a bug report.

Credentials come from each SDK's default chain (AWS: environment, profiles, SSO, instance role; Azure:
azidentity's default chain, e.g. az login, environment, managed identity; GCP: application default credentials). Denied, throttled and failing calls are listed on stderr and in
` + live.SummaryFile + ` and never stop the rest; the checks that needed their data are UNKNOWN.
The least-privilege permissions are in deploy/permissions/.

Exit status: 0 collected; 2 usage error, or a cloud named with --cloud (or every cloud) could not be collected.`,
		Example: `  vigil collect --out inventory/ --cloud aws --aws-role OrganizationAccountAccessRole-ReadOnly
  vigil collect --out inventory/ --cloud azure --azure-subscriptions 8f2d6c3e-5b1a-4e7d-9c0f-2a4b6d8e1f37
  vigil collect --out inventory/ --cloud gcp --gcp-scope organizations/583920174615
  vigil scan inventory/`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if out == "" {
				return usageErr(errors.New("--out DIR is required (vigil scan --live scans without saving)"))
			}
			if entries, err := os.ReadDir(out); err == nil && len(entries) > 0 && !slices.ContainsFunc(entries, func(e os.DirEntry) bool { return e.Name() == live.SummaryFile }) {
				return usageErr(fmt.Errorf("--out %s is a directory with other files in it; give an empty or new directory", out))
			}
			_, err := f.collectLive(cmd.Context(), cmd, out, true)
			return err
		},
	}
	cmd.Flags().StringVarP(&out, "out", "o", "", "directory to write the exports to (created; must be empty or a previous collection)")
	f.register(cmd.Flags())
	return cmd
}
