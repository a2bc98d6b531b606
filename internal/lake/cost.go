package lake

import (
	"fmt"
	"path/filepath"
	"strings"
)

// CostDir is the folder of the lake holding billing rows written by
// internal/cost (vigil cost ingest): CostDir/format=<format>/part-*.parquet.
// It is outside the source=*/date=* layout, so the events views never read it.
const CostDir = "cost"

// CostColumns lists the columns of the cost view, in order, with their SQL
// types. internal/cost writes Parquet files with exactly these columns
// (TestCostColumnsMatchRow there keeps the two in step).
var CostColumns = []struct{ Name, Type string }{
	{"provider", "VARCHAR"}, {"format", "VARCHAR"}, {"billing_account", "VARCHAR"}, {"account", "VARCHAR"},
	{"service", "VARCHAR"}, {"service_category", "VARCHAR"}, {"sku", "VARCHAR"}, {"charge_type", "VARCHAR"},
	{"resource_id", "VARCHAR"}, {"region", "VARCHAR"}, {"day", "DATE"}, {"cost", "DOUBLE"},
	{"currency", "VARCHAR"}, {"usage", "DOUBLE"}, {"usage_unit", "VARCHAR"},
	{"tags", "MAP(VARCHAR, VARCHAR)"}, {"source_file", "VARCHAR"}, {"source_line", "BIGINT"},
}

// CostGlob returns the read_parquet pattern of the cost part files.
func CostGlob(dir string) string {
	return filepath.Join(dir, CostDir, "format=*", "*.parquet")
}

// costViewSQL creates the view cost over the billing part files (empty,
// with the same columns, when there are none).
func costViewSQL(dir string) string {
	pattern := CostGlob(dir)
	names := make([]string, len(CostColumns))
	for i, c := range CostColumns {
		names[i] = fmt.Sprintf("%q", c.Name)
	}
	if m, _ := filepath.Glob(pattern); len(m) == 0 {
		cols := make([]string, len(CostColumns))
		for i, c := range CostColumns {
			cols[i] = fmt.Sprintf("CAST(NULL AS %s) AS %q", c.Type, c.Name)
		}
		return fmt.Sprintf("CREATE OR REPLACE VIEW cost AS SELECT %s WHERE false", strings.Join(cols, ", "))
	}
	return fmt.Sprintf("CREATE OR REPLACE VIEW cost AS SELECT %s FROM read_parquet(%s, hive_partitioning = false, union_by_name = true)",
		strings.Join(names, ", "), sqlString(pattern))
}
