package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/vigil-sec/vigil/internal/lake"
)

func newQueryCmd() *cobra.Command {
	var dir, format string
	cmd := &cobra.Command{
		Use:   `query "SELECT ..."`,
		Short: "Query the audit log lake with SQL (DuckDB) across all clouds",
		Long: `query runs one SQL statement (DuckDB dialect) over the lake written by
"vigil logs ingest". The view events holds every event of every cloud; the views
aws_cloudtrail, azure_activitylogs, azure_signinlogs, azure_auditlogs,
azure_resourcelogs, gcp_audit and m365_audit hold one source each.

Columns: time, class_uid, class_name, activity_id, activity, severity_id,
severity, status_id, status, cloud_provider, account_uid, region,
actor_user_uid, actor_user_name, actor_user_type, src_ip, user_agent,
api_service, api_operation, resource_uids (list), event_uid, event_hash,
raw (original event JSON), ocsf (full OCSF JSON), source, date.

Output: table (default; long cells are cut), csv, or json (one object per line).`,
		Example: `  vigil query "SELECT source, count(*) AS n FROM events GROUP BY source"
  vigil query "SELECT time, cloud_provider, actor_user_name, api_operation FROM events
               WHERE status = 'Failure' ORDER BY time DESC LIMIT 20"
  vigil query --format csv "SELECT src_ip, count(DISTINCT actor_user_uid) AS users
               FROM azure_signinlogs GROUP BY src_ip ORDER BY users DESC"
  vigil query --format json "SELECT json_extract_string(raw, '$.requestParameters.bucketName') AS bucket,
               count(*) FROM aws_cloudtrail WHERE api_operation = 'GetObject' GROUP BY 1"`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageErr(errors.New(`query takes one SQL statement in quotes, e.g. vigil query "SELECT count(*) FROM events"`))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			w, err := lake.NewResultWriter(cmd.OutOrStdout(), format)
			if err != nil {
				return usageErr(err)
			}
			if _, err := os.Stat(dir); err != nil {
				return usageErr(fmt.Errorf("no lake at %s (run vigil logs ingest first, or give --lake): %w", dir, err))
			}
			l, err := lake.Open(dir)
			if err != nil {
				return usageErr(err)
			}
			if err := l.Query(cmd.Context(), args[0], w.Header, w.Row); err != nil {
				return usageErr(err)
			}
			return w.Close()
		},
	}
	cmd.Flags().StringVar(&dir, "lake", lake.DefaultDir, "lake directory")
	cmd.Flags().StringVar(&format, "format", "table", "output format: table, csv, json")
	return cmd
}
