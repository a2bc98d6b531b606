package image_test

import (
	"slices"
	"testing"

	stereoimage "github.com/anchore/stereoscope/pkg/image"
	"github.com/anchore/syft/syft/source/sourceproviders"
)

// TestImageProviders guards third_party/anchore-stereoscope: Syft's source
// providers hold every provider the scanner names (getSource) and none of
// the daemon providers the copy leaves out (their clients cost every vigil
// command about 2 MB of start-up memory; docs/iac.md, "Sixth start-up
// session").
func TestImageProviders(t *testing.T) {
	var names []string // each provider's name and tags: getSource selects by either
	for _, p := range sourceproviders.All("", sourceproviders.DefaultConfig()) {
		names = append(names, p.Value.Name())
		names = append(names, p.Tags...)
	}
	for _, want := range []string{stereoimage.DockerTarballSource, stereoimage.OciDirectorySource, stereoimage.OciTarballSource, stereoimage.OciRegistrySource, "dir"} {
		if !slices.Contains(names, want) {
			t.Errorf("source provider %q missing from %v", want, names)
		}
	}
	for _, daemon := range []string{stereoimage.DockerDaemonSource, stereoimage.PodmanDaemonSource, stereoimage.ContainerdDaemonSource} {
		if slices.Contains(names, daemon) {
			t.Errorf("daemon provider %q linked again (is go.mod's replace of github.com/anchore/stereoscope gone?): %v", daemon, names)
		}
	}
}
