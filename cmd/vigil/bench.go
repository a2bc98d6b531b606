package main

import (
	"errors"

	"github.com/spf13/cobra"
)

func newBenchCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "bench",
		Short: "(not yet implemented)",
		RunE: func(cmd *cobra.Command, args []string) error {
			return usageErr(errors.New("bench: not yet implemented"))
		},
	}
}
