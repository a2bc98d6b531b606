package scan

import (
	"os"
	"strconv"
)

func benchSize() int {
	if n, err := strconv.Atoi(os.Getenv("VIGIL_BENCH_RESOURCES")); err == nil && n > 0 {
		return n
	}
	return 100_000
}
