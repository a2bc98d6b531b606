package main

import (
	"errors"

	"github.com/spf13/cobra"
)

func newScanCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "scan",
		Short: "(not yet implemented)",
		RunE: func(cmd *cobra.Command, args []string) error {
			return usageErr(errors.New("scan: not yet implemented"))
		},
	}
}
