package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/vigil-sec/vigil/internal/respond/trail"
)

func jsonMarshal(v any) ([]byte, error) { return json.Marshal(v) }

func newRespondVerifyCmd(f *respondFlags) *cobra.Command {
	var head, ocsfOut, file string
	var recover bool
	cmd := &cobra.Command{
		Use:   "verify",
		Short: "Check the trail's hash chain: a modified, removed, inserted or reordered entry is found and named",
		Long: `Re-computes the hash chain of the trail (STATE/trail.jsonl, or --trail FILE). Each entry carries the hash of
the entry before it, so changing, removing, inserting or reordering entries breaks the chain at a line this
command names. Record the head hash it prints somewhere else (a ticket, a log system) and pass it later with
--expect-head to detect entries cut from the end. --ocsf FILE also writes the verified trail as OCSF 1.8.0 events
(API Activity for calls, Remediation Activity for changes and rollbacks), one per line.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if file == "" {
				file = f.trailPath()
			}
			if _, err := os.Stat(file); err != nil {
				return nothing("no trail at %s: nothing has been planned or applied with this --state", file)
			}
			if recover {
				rec, err := trail.Recover(cmd.Context(), file, f.by)
				if err != nil {
					return usageErr(err)
				}
				if rec != nil {
					fmt.Fprintf(cmd.ErrOrStderr(), "vigil: recovered the trail: line %d after seq %d (%d bytes) removed and recorded\n", rec.Line, rec.AfterSeq, rec.Size)
				}
			}
			rep, err := trail.Verify(file, trail.VerifyOptions{ExpectHead: head})
			if err != nil {
				return usageErr(err)
			}
			if rep.OK() && rep.Entries == 0 {
				return nothing("the trail %s is empty: nothing to verify", file)
			}
			if perr := rep.Err(); perr != nil {
				fmt.Fprintf(cmd.OutOrStdout(), "%s: NOT VERIFIED after %d good entries\n", file, rep.Entries)
				return &exitError{code: exitUsage, err: perr}
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s: verified, %d entries, head seq %d hash %s\n", file, rep.Entries, rep.Seq, rep.Head)
			if ocsfOut != "" {
				out, err := os.Create(ocsfOut)
				if err != nil {
					return err
				}
				n, err := trail.ExportOCSF(cmd.Context(), file, out, buildVersion())
				if cerr := out.Close(); err == nil {
					err = cerr
				}
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.ErrOrStderr(), "vigil: %d OCSF events written to %s\n", n, ocsfOut)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&file, "trail", "", "trail file to verify (default STATE/trail.jsonl)")
	cmd.Flags().StringVar(&head, "expect-head", "", "a head hash recorded earlier: it must still be in the trail")
	cmd.Flags().BoolVar(&recover, "recover", false, "first cut an incomplete last line a crash left (recording the removed bytes in the trail)")
	cmd.Flags().StringVar(&ocsfOut, "ocsf", "", "also write the verified trail as OCSF events (JSON lines) to this file")
	return cmd
}
