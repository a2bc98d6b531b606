package scan

import "testing"

func TestGCPace(t *testing.T) {
	const gib = 1 << 30
	byLimit := gcSettings{limit: gcFloor, pct: -1}
	cases := []struct {
		name      string
		live, ram uint64
		cur       gcSettings
		want      gcSettings
	}{
		{"small heap: the floor", 100 << 20, 24 * gib, byLimit, gcSettings{limit: gcFloor, pct: -1}},
		{"twice the live heap", 1 * gib, 24 * gib, byLimit, gcSettings{limit: 2 * gib, pct: -1}},
		{"the limit only rises", 512 << 20, 24 * gib, gcSettings{limit: 3 * gib, pct: -1}, gcSettings{limit: 3 * gib, pct: -1}},
		{"past the budget: the goal is the budget, the limit gcSlack above", 2 * gib, 24 * gib, byLimit,
			gcSettings{limit: gcBudget + gcSlack, pct: int((gcBudget - 2*gib) * 100 / (2 * gib))}},
		{"live heap near the budget: the least headroom, the limit above the goal", 3 * gib, 24 * gib, byLimit,
			gcSettings{limit: 3*gib + 3*gib*gcMinPercent/100 + gcSlack, pct: gcMinPercent}},
		{"by percent stays by percent", 512 << 20, 24 * gib, gcSettings{limit: gcBudget + gcSlack, pct: 40},
			gcSettings{limit: gcBudget + gcSlack, pct: int((gcBudget - 512<<20) * 100 / (512 << 20))}},
		{"a small machine: three quarters of its memory", 1 * gib, 2 * gib, byLimit,
			gcSettings{limit: 1536<<20 + gcSlack, pct: 50}},
		{"unknown memory", 1 * gib, 0, byLimit, gcSettings{limit: 2 * gib, pct: -1}},
		{"a machine of 2 GiB: the floor is half its memory", 100 << 20, 2 * gib, gcSettings{limit: 1 * gib, pct: -1},
			gcSettings{limit: 1 * gib, pct: -1}},
		{"a machine of 1 GiB", 100 << 20, 1 * gib, gcSettings{limit: 512 << 20, pct: -1}, gcSettings{limit: 512 << 20, pct: -1}},
	}
	for _, c := range cases {
		got := gcPace(c.live, c.ram, c.cur)
		if got != c.want {
			t.Errorf("%s: gcPace(%d MiB, %d MiB, %+v) = %+v, want %+v", c.name, c.live>>20, c.ram>>20, c.cur, got, c.want)
		}
		// Whatever the mode, the heap may grow gcMinPercent above the live
		// heap before a collection: never a goal at the live heap.
		goal := got.limit
		if got.pct >= 0 {
			goal = int64(c.live) * int64(100+got.pct) / 100
		}
		if goal < int64(c.live)*(100+gcMinPercent)/100 {
			t.Errorf("%s: goal %d MiB for a live heap of %d MiB", c.name, goal>>20, c.live>>20)
		}
		// By percent, the limit stays gcSlack above the goal: it binds the
		// runtime's free pages, never the heap.
		if got.pct >= 0 && got.limit < goal+gcSlack {
			t.Errorf("%s: limit %d MiB within %d MiB of the goal %d MiB", c.name, got.limit>>20, gcSlack>>20, goal>>20)
		}
	}
}
