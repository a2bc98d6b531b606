package iac

import (
	"github.com/vigil-sec/vigil/internal/iac/kubernetes"
	"github.com/vigil-sec/vigil/internal/source"
)

// ReaderOptions are the built-in readers' own options.
type ReaderOptions struct {
	Kubernetes kubernetes.Options
}

// Builtin returns vigil's IaC readers in the order their Detect functions
// are tried: Terraform (HCL, tfvars, plan and state JSON), CloudFormation,
// ARM, Kubernetes; Helm takes the chart directories.
func Builtin(o ReaderOptions) []Reader {
	return []Reader{
		{Name: "kubernetes", Detect: kubernetes.Detect, New: func(root string, files []string) source.Source {
			return kubernetes.New(root, files, o.Kubernetes)
		}},
	}
}
