// Package lake stores normalized audit events as Parquet files partitioned
// Hive-style (source=<source>/date=YYYY-MM-DD/part-<hash>.parquet), queries
// them with SQL through DuckDB and exports them in Amazon Security Lake's
// custom-source layout. Writes are atomic and ingest is idempotent.
package lake
