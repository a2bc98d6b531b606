// Package cost reads cloud billing exports - FinOps FOCUS (1.0 to 1.2), AWS
// CUR 2.0 (and the legacy CUR's lineItem/... columns), Azure cost details
// (actual and amortized, EA and MCA column spellings) and the GCP billing
// export to BigQuery (as JSON lines or CSV) - into one normalized row
// schema, stores the rows as Parquet in the lake (the view cost of vigil
// query), and reports on them: spend by cloud, account, service, tag and
// sensitivity class, untagged spend, spend on security services, daily spend
// anomalies correlated with detection alerts and posture findings, and idle
// but exposed resources ranked by cost. See docs/cost.md.
package cost
