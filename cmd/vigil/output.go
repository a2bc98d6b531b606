package main

import (
	"io"
	"os"

	"github.com/spf13/cobra"
)

// writeTo runs write on the file named by path (created or truncated), or
// on the command's standard output when path is "". A file that cannot be
// created is a usage error; the first error of write and close is
// returned.
func writeTo(cmd *cobra.Command, path string, write func(io.Writer) error) error {
	if path == "" {
		return write(cmd.OutOrStdout())
	}
	out, err := os.Create(path)
	if err != nil {
		return usageErr(err)
	}
	err = write(out)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return err
}
