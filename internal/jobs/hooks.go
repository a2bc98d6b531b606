package jobs

import (
	"context"

	"github.com/riverqueue/river/rivertype"

	"github.com/vigil-sec/vigil/internal/history"
)

// afterScan runs after a job recorded its run.
func (q *Queue) afterScan(ctx context.Context, job *rivertype.JobRow, run *history.Run, sc *history.Scan) {
}
