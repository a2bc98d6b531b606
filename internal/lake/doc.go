// Package lake stores normalized audit events as Parquet files partitioned
// Hive-style (source=<source>/date=YYYY-MM-DD/part-<hash>.parquet) and queries
// them with SQL through DuckDB. Writes are atomic and ingest is idempotent.
package lake
