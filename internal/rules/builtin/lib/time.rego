# METADATA
# title: Time helpers
# description: Age computations against input.now (RFC 3339), the scan time set by the engine and by tests.
# scope: package
package vigil.lib.time

ns_per_day := ((24 * 60) * 60) * 1000000000

# valid(ts) is true for a non-empty RFC 3339 timestamp; anything else (empty,
# "N/A", "no_information") is undecidable and makes age checks undefined.
valid(ts) if {
	is_string(ts)
	regex.match(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$`, ts)
}

now_ns := time.parse_rfc3339_ns(input.now)

# age_days(ts) is the whole number of days between ts and input.now.
age_days(ts) := floor((now_ns - time.parse_rfc3339_ns(ts)) / ns_per_day) if valid(ts)

# older_than(ts, days) is true when ts lies more than days before input.now.
older_than(ts, days) if age_days(ts) > days

# within(ts, days) is true when ts lies at most days before input.now.
within(ts, days) if age_days(ts) <= days

# reached(ts) is true when ts is a valid timestamp at or before input.now.
reached(ts) if {
	valid(ts)
	time.parse_rfc3339_ns(ts) <= now_ns
}
