package main

import (
	"errors"

	"github.com/spf13/cobra"
)

func newRulesCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "rules",
		Short: "(not yet implemented)",
		RunE: func(cmd *cobra.Command, args []string) error {
			return usageErr(errors.New("rules: not yet implemented"))
		},
	}
}
