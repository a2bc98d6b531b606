package iac

import (
	"github.com/vigil-sec/vigil/internal/iac/arm"
	"github.com/vigil-sec/vigil/internal/iac/cloudformation"
	"github.com/vigil-sec/vigil/internal/iac/helm"
	"github.com/vigil-sec/vigil/internal/iac/kubernetes"
	"github.com/vigil-sec/vigil/internal/iac/terraform"
	"github.com/vigil-sec/vigil/internal/source"
)

// ReaderOptions are the built-in readers' own options.
type ReaderOptions struct {
	Terraform      terraform.Options
	CloudFormation cloudformation.Options
	ARM            arm.Options
	Kubernetes     kubernetes.Options
	Helm           helm.Options
}

// Builtin returns vigil's IaC readers in the order their Detect functions
// are tried (the most specific first: a CloudFormation template is YAML or
// JSON too); Helm takes the chart directories.
func Builtin(o ReaderOptions) []Reader {
	return []Reader{
		{Name: "terraform", Detect: terraform.Detect, New: func(root string, files []string) source.Source {
			return terraform.New(root, files, o.Terraform)
		}},
		{Name: "cloudformation", Detect: cloudformation.Detect, New: func(root string, files []string) source.Source {
			return cloudformation.New(root, files, o.CloudFormation)
		}},
		{Name: "arm", Detect: arm.Detect, New: func(root string, files []string) source.Source {
			return arm.New(root, files, o.ARM)
		}},
		{Name: "kubernetes", Detect: kubernetes.Detect, New: func(root string, files []string) source.Source {
			return kubernetes.New(root, files, o.Kubernetes)
		}},
		{Name: "helm", Charts: true, New: func(root string, files []string) source.Source {
			return helm.New(root, files, o.Helm)
		}},
	}
}
