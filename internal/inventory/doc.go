// Package inventory collects the resources of any number of sources into one
// inventory: it merges them by ID, runs the sources' own finishing steps and
// derives the cross-resource facts from typed facts and relationships only.
package inventory
