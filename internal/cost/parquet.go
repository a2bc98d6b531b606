package cost

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/duckdb/duckdb-go/v2"
)

// readParquet reads a FOCUS or CUR 2.0 Parquet export through DuckDB: each
// value becomes the text a CSV export would hold (map and struct columns
// become JSON), then the row takes the CSV path.
func readParquet(ctx context.Context, path string, emit func(Row) error, onProblem func(Problem)) (ReadStats, error) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return ReadStats{}, fmt.Errorf("cost: open duckdb: %w", err)
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, "SELECT * FROM read_parquet('"+strings.ReplaceAll(path, "'", "''")+"')")
	if err != nil {
		onProblem(Problem{File: path, Err: fmt.Errorf("parquet: %w", err)})
		return ReadStats{}, nil
	}
	defer rows.Close()
	header, err := rows.Columns()
	if err != nil {
		onProblem(Problem{File: path, Err: fmt.Errorf("parquet: %w", err)})
		return ReadStats{}, nil
	}
	b, ok := bind(path, header, onProblem)
	if !ok {
		return ReadStats{}, nil
	}
	st := ReadStats{Format: b.format}
	vals := make([]any, len(header))
	ptrs := make([]any, len(header))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	rec := make([]string, len(header))
	for n := 1; rows.Next(); n++ {
		if err := rows.Scan(ptrs...); err != nil {
			st.Bad++
			onProblem(Problem{File: path, Line: n, Err: err})
			continue
		}
		for i, v := range vals {
			rec[i] = text(v)
		}
		row, err := b.row(rec)
		if err != nil {
			st.Bad++
			onProblem(Problem{File: path, Line: n, Err: err})
			continue
		}
		row.File, row.Line = path, int64(n) // the row number for Parquet
		st.Rows++
		if err := emit(row); err != nil {
			return st, err
		}
	}
	if err := rows.Err(); err != nil {
		onProblem(Problem{File: path, Err: fmt.Errorf("parquet: %w", err)})
	}
	return st, nil
}

func text(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case []byte:
		return string(x)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case float32:
		return strconv.FormatFloat(float64(x), 'g', -1, 32)
	case int64:
		return strconv.FormatInt(x, 10)
	case int32:
		return strconv.FormatInt(int64(x), 10)
	case time.Time:
		return x.UTC().Format(time.RFC3339)
	case duckdb.Decimal:
		return strconv.FormatFloat(x.Float64(), 'g', -1, 64)
	case duckdb.Map:
		m := map[string]any{}
		for k, val := range x {
			m[fmt.Sprint(k)] = val
		}
		b, _ := json.Marshal(m)
		return string(b)
	case map[string]any, []any:
		b, _ := json.Marshal(x)
		return string(b)
	}
	return fmt.Sprint(v)
}
