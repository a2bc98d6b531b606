// Package lazy holds values computed on their first use.
//
// A package variable set by a function call (sync.OnceValue included) is
// initialised by its package's initializer, which Go runs at every start
// of the binary whatever the command, reading the initializer's code from
// the executable. A Value's zero value is ready to use: declared as a
// package variable, it costs no initializer.
package lazy

import "sync"

// Value is a value and an error computed by the first Get. Do not copy it.
type Value[T any] struct {
	once sync.Once
	v    T
	err  error
}

// Get returns what compute returned on the first call of Get; later calls
// return the same without calling compute. It is safe for concurrent use.
func (l *Value[T]) Get(compute func() (T, error)) (T, error) {
	l.once.Do(func() { l.v, l.err = compute() })
	return l.v, l.err
}
