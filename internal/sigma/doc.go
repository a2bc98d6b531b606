// Package sigma loads Sigma rules, correlation rules and filters (Sigma
// specification 2.x) unmodified, compiles each rule once into a Matcher that
// evaluates events through an Event accessor (NewJSONEvent reads raw JSON with
// gjson, no map decoding) using a per-log-source FieldMap, and runs
// correlations (event_count, value_count, temporal, temporal_ordered) in a
// stateful, snapshottable Correlator.
//
// Typical use by a detection engine:
//
//	rules, corrs, filters, errs := sigma.LoadDir(ctx, dir) // errs: file + reason
//	rules = sigma.MinLevel(sigma.ApplyFilters(rules, filters), "medium")
//	for _, r := range rules {
//		src, _ := r.Source()                        // "aws_cloudtrail", ...
//		m, _ := sigma.Compile(r, sigma.FieldMapFor(src))
//		...
//	}
//	set := sigma.NewRuleSet(matchersOfOneSource)   // indexes by literal eventName etc.
//	ev := sigma.NewJSONEvent(record.Raw)
//	set.Match(ev, func(m *sigma.Matcher) { ... alert ... })
//	corr, cerrs := sigma.NewCorrelator(corrs, rules)
//	hits := corr.Observe(rule, eventTime, valuesOf(corr.Fields(rule)))
//
// See docs/sigma.md for the semantics, field maps and figures.
package sigma
