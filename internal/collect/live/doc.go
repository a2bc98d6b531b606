// Package live runs the cloud collectors a user asked for side by side,
// keeps going when one cloud cannot be reached, and writes what was
// collected, with a summary of every failed call, as the clouds' exports.
package live
