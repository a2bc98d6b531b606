package main

import (
	"errors"

	"github.com/spf13/cobra"
)

func newLogsCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "logs",
		Short: "(not yet implemented)",
		RunE: func(cmd *cobra.Command, args []string) error {
			return usageErr(errors.New("logs: not yet implemented"))
		},
	}
}
