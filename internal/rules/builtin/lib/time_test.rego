package vigil.lib.time_test

import data.vigil.lib.time as t

test_age_days if {
	t.age_days("2026-08-26T00:00:00Z") == 90 with input.now as "2026-11-24T00:00:00Z"
	t.older_than("2026-08-25T00:00:00Z", 90) with input.now as "2026-11-24T00:00:00Z"
	t.within("2026-08-26T00:00:00Z", 90) with input.now as "2026-11-24T00:00:00Z"
	t.age_days("2026-11-23T12:00:00+02:00") == 0 with input.now as "2026-11-24T00:00:00Z"
}

test_invalid_timestamps_are_undefined if {
	not t.older_than("", 90) with input.now as "2026-11-24T00:00:00Z"
	not t.within("N/A", 90) with input.now as "2026-11-24T00:00:00Z"
	not t.older_than(null, 90) with input.now as "2026-11-24T00:00:00Z"
	not t.within("no_information", 90) with input.now as "2026-11-24T00:00:00Z"
}

test_reached if {
	t.reached("2026-11-24T00:00:00Z") with input.now as "2026-11-24T00:00:00Z"
	t.reached("2026-11-24T01:00:00+02:00") with input.now as "2026-11-24T00:00:00Z"
	not t.reached("2026-11-24T00:00:01Z") with input.now as "2026-11-24T00:00:00Z"
	not t.reached("soon") with input.now as "2026-11-24T00:00:00Z"
	not t.reached(null) with input.now as "2026-11-24T00:00:00Z"
}
