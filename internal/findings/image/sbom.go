package image

import (
	"fmt"
	"io"
	"strings"

	"github.com/anchore/syft/syft/format/cyclonedxjson"
	"github.com/anchore/syft/syft/format/spdxjson"
	"github.com/anchore/syft/syft/sbom"
)

// SBOMFormats are the formats WriteSBOM writes.
var SBOMFormats = []string{"cyclonedx", "spdx"}

// WriteSBOM writes s to w as CycloneDX JSON ("cyclonedx", the encoder's
// default version) or SPDX JSON ("spdx"), with Syft's encoders.
func WriteSBOM(w io.Writer, s *sbom.SBOM, format string) error {
	if s == nil {
		return fmt.Errorf("no SBOM to write")
	}
	var enc sbom.FormatEncoder
	var err error
	switch strings.ToLower(format) {
	case "cyclonedx", "cyclonedx-json", "cdx":
		enc, err = cyclonedxjson.NewFormatEncoderWithConfig(cyclonedxjson.DefaultEncoderConfig())
	case "spdx", "spdx-json":
		enc, err = spdxjson.NewFormatEncoderWithConfig(spdxjson.DefaultEncoderConfig())
	default:
		return fmt.Errorf("unknown SBOM format %q (want cyclonedx or spdx)", format)
	}
	if err != nil {
		return err
	}
	if err := enc.Encode(w, *s); err != nil {
		return fmt.Errorf("write %s SBOM: %w", format, err)
	}
	return nil
}
