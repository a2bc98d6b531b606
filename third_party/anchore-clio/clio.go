// Package clio stands in for github.com/anchore/clio, Anchore's framework
// for command-line applications (cobra commands, viper and fangs
// configuration, logging, profiling, a terminal UI). Syft and Grype, as
// libraries, use only two of its names: Identification (the application's
// name and version, for a download's User-Agent and Grype's default cache
// directory) and ExitEvent (posted on their event bus when a download or
// an update ends). Linking the real module brought viper, fangs, pprof's
// profile reader, fgprof, fsnotify and terminal colour packages (22
// packages, 0.36 MB allocated by their initializers) into every vigil
// command (docs/iac.md, "Start-up census").
//
// This module is put in clio's place by a replace directive in vigil's
// go.mod; both names are clio v0.1.2's (Apache-2.0), unchanged. If a Syft
// or Grype upgrade uses a name it lacks, the build says which.
package clio

import (
	"os"

	"github.com/wagoodman/go-partybus"
)

// Identification names the application and its build.
type Identification struct {
	Name           string `json:"application,omitempty"`    // application name
	Version        string `json:"version,omitempty"`        // application semantic version
	GitCommit      string `json:"gitCommit,omitempty"`      // git SHA at build-time
	GitDescription string `json:"gitDescription,omitempty"` // indication of git tree (either "clean" or "dirty") at build-time
	BuildDate      string `json:"buildDate,omitempty"`      // date of the build
}

// ExitEventType is the type of the event that asks the application to exit.
const ExitEventType partybus.EventType = "clio-exit"

// ExitEvent is the event that asks the application to exit; interrupt
// carries os.Interrupt as its value.
func ExitEvent(interrupt bool) partybus.Event {
	if interrupt {
		return partybus.Event{
			Type:  ExitEventType,
			Value: os.Interrupt,
		}
	}
	return partybus.Event{
		Type: ExitEventType,
	}
}
