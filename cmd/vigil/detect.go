package main

import (
	"errors"

	"github.com/spf13/cobra"
)

func newDetectCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "detect",
		Short: "(not yet implemented)",
		RunE: func(cmd *cobra.Command, args []string) error {
			return usageErr(errors.New("detect: not yet implemented"))
		},
	}
}
