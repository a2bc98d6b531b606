package awsiam

// truth is the four-valued logic of the evaluator: a test is true, false,
// conditional (it depends on a request context key the request does not
// carry) or uncertain (it depends on a policy vigil could not read or an
// operator it does not know). Uncertain absorbs conditional: an answer that
// depends on both is uncertain.
type truth uint8

const (
	tFalse truth = iota
	tTrue
	tCond
	tUnc
)

func (t truth) String() string {
	return [...]string{"false", "true", "conditional", "uncertain"}[t]
}

func unknown(a, b truth) truth {
	if a == tUnc || b == tUnc {
		return tUnc
	}
	return tCond
}

func or(a, b truth) truth {
	switch {
	case a == tTrue || b == tTrue:
		return tTrue
	case a == tFalse:
		return b
	case b == tFalse:
		return a
	}
	return unknown(a, b)
}

func and(a, b truth) truth {
	switch {
	case a == tFalse || b == tFalse:
		return tFalse
	case a == tTrue:
		return b
	case b == tTrue:
		return a
	}
	return unknown(a, b)
}

func not(a truth) truth {
	switch a {
	case tTrue:
		return tFalse
	case tFalse:
		return tTrue
	}
	return a
}

func of(b bool) truth {
	if b {
		return tTrue
	}
	return tFalse
}
