package image

import (
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/anchore/grype/grype"
	"github.com/anchore/grype/grype/distro"
	"github.com/anchore/grype/grype/matcher"
	"github.com/anchore/grype/grype/matcher/golang"
	"github.com/anchore/grype/grype/matcher/stock"
	grypepkg "github.com/anchore/grype/grype/pkg"
	stereoimage "github.com/anchore/stereoscope/pkg/image"
	"github.com/anchore/syft/syft"
	"github.com/anchore/syft/syft/artifact"
	"github.com/anchore/syft/syft/sbom"
	"github.com/anchore/syft/syft/source"
	"github.com/anchore/syft/syft/source/sourceproviders"
)

// Options tune a scan; the zero value detects the kind and keeps the
// default limits.
type Options struct {
	// Kind is what the target is; "" detects it (Detect).
	Kind Kind
	// Platform selects an image of a multi-platform index
	// ("linux/arm64"); "" takes the host's.
	Platform string
	// InsecureRegistry pulls a registry image over plain HTTP (a registry
	// on loopback).
	InsecureRegistry bool
	// Limits bound the unpacking of a function archive; zero values take
	// DefaultLimits.
	Limits Limits
	// Now stamps the findings' first and last seen; nil is time.Now.
	Now func() time.Time
	// Logger receives progress; nil discards it.
	Logger *slog.Logger
}

// Result is a scan's outcome.
type Result struct {
	// Target is what was scanned, as given.
	Target string
	Kind   Kind
	// ImageID is the image's config digest, or "" for a function or
	// directory.
	ImageID string
	// Distro is the Linux distribution found ("alpine 3.19"), "" when none.
	Distro string
	// Packages is the number of packages in the SBOM.
	Packages int
	// Matches are the vulnerabilities found, one per package and
	// vulnerability, in a stable order (severity, then id, then package).
	Matches []Match
	// SBOM is the SBOM the matches were made against.
	SBOM *sbom.SBOM
}

// Scan builds the SBOM of target with Syft and matches it against db with
// Grype's default matchers. Nothing is fetched from the network except
// the image itself for a Registry target.
func Scan(ctx context.Context, db *DB, target string, opt Options) (*Result, error) {
	if db == nil || db.provider == nil {
		return nil, errors.New("image scan: no vulnerability database open")
	}
	log := opt.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	kind := opt.Kind
	var err error
	if kind == "" {
		if kind, err = Detect(target); err != nil {
			return nil, err
		}
	}
	input, cleanup, err := prepare(target, kind, opt)
	defer cleanup()
	if err != nil {
		return nil, err
	}
	start := time.Now()
	src, err := getSource(ctx, input, kind, opt)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", target, err)
	}
	defer src.Close()
	cfg := syft.DefaultCreateSBOMConfig().WithoutFiles().WithTool("vigil", "")
	s, err := syft.CreateSBOM(ctx, src, cfg)
	if err != nil {
		return nil, fmt.Errorf("%s: SBOM: %w", target, err)
	}
	log.Debug("sbom built", "target", target, "packages", s.Artifacts.Packages.PackageCount(), "took", time.Since(start))
	res := &Result{Target: target, Kind: kind, SBOM: s, Packages: s.Artifacts.Packages.PackageCount()}
	desc := src.Describe()
	if md, ok := desc.Metadata.(source.ImageMetadata); ok {
		res.ImageID = md.ID
	}

	d := distro.FromRelease(s.Artifacts.LinuxDistribution, nil)
	if d != nil {
		res.Distro = strings.TrimSpace(d.Name() + " " + d.Version)
	}
	ptrs := grypepkg.FromCollection(s.Artifacts.Packages, s.Relationships, grypepkg.SynthesisConfig{})
	for _, p := range ptrs {
		if p.Distro == nil {
			p.Distro = d
		}
	}
	pkgs := grypepkg.FromPtrs(removeOverlaps(ptrs))

	vm := grype.VulnerabilityMatcher{
		VulnerabilityProvider: db.provider,
		Matchers: matcher.NewDefaultMatchers(matcher.Config{
			// Grype's own defaults: CPEs only for packages of no known
			// ecosystem and for Go's standard library.
			Stock:  stock.MatcherConfig{UseCPEs: true},
			Golang: golang.MatcherConfig{AlwaysUseCPEForStdlib: true},
		}),
		NormalizeByCVE: true,
	}
	matches, _, err := vm.FindMatchesContext(ctx, pkgs, grypepkg.Context{Source: &desc, Distro: d})
	if err != nil {
		return nil, fmt.Errorf("%s: matching: %w", target, err)
	}
	if matches != nil {
		res.Matches = convert(matches.Sorted())
	}
	sortMatches(res.Matches)
	log.Debug("matched", "target", target, "packages", len(pkgs), "vulnerabilities", len(res.Matches), "took", time.Since(start))
	return res, nil
}

// prepare turns a target into what Syft reads: a gzip-compressed image
// tarball is decompressed, a function archive unpacked, both into a
// temporary directory that cleanup removes.
func prepare(target string, kind Kind, opt Options) (input string, cleanup func(), err error) {
	cleanup = func() {}
	switch kind {
	case Registry:
		return strings.TrimPrefix(target, "registry:"), cleanup, nil
	case Function:
		dir, err := os.MkdirTemp("", "vigil-function-")
		if err != nil {
			return "", cleanup, err
		}
		cleanup = func() { os.RemoveAll(dir) }
		lim := opt.Limits
		if lim.MaxBytes <= 0 {
			lim.MaxBytes = DefaultLimits.MaxBytes
		}
		if lim.MaxFiles <= 0 {
			lim.MaxFiles = DefaultLimits.MaxFiles
		}
		return dir, cleanup, unzip(target, dir, lim)
	case DockerArchive, OCIArchive:
		head, err := readHead(target, 2)
		if err != nil {
			return "", cleanup, err
		}
		if len(head) == 2 && head[0] == 0x1f && head[1] == 0x8b {
			dir, err := os.MkdirTemp("", "vigil-image-")
			if err != nil {
				return "", cleanup, err
			}
			cleanup = func() { os.RemoveAll(dir) }
			out := filepath.Join(dir, "image.tar")
			return out, cleanup, gunzip(target, out)
		}
	}
	return target, cleanup, nil
}

func gunzip(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	gz, err := gzip.NewReader(in)
	if err != nil {
		return fmt.Errorf("%s: malformed gzip: %w", src, err)
	}
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	_, err = io.Copy(out, gz)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("%s: %w", src, err)
	}
	return nil
}

// getSource opens input through the one Syft source provider for kind.
func getSource(ctx context.Context, input string, kind Kind, opt Options) (source.Source, error) {
	var name string
	switch kind {
	case DockerArchive:
		name = stereoimage.DockerTarballSource
	case OCIDir:
		name = stereoimage.OciDirectorySource
	case OCIArchive:
		name = stereoimage.OciTarballSource
	case Registry:
		name = stereoimage.OciRegistrySource
	case Function, Directory:
		name = "dir"
	default:
		return nil, fmt.Errorf("unknown source kind %q", kind)
	}
	pc := sourceproviders.DefaultConfig()
	if kind == Registry {
		pc = pc.WithRegistryOptions(&stereoimage.RegistryOptions{InsecureUseHTTP: opt.InsecureRegistry})
	}
	if opt.Platform != "" {
		p, err := stereoimage.NewPlatform(opt.Platform)
		if err != nil {
			return nil, fmt.Errorf("platform %q: %w", opt.Platform, err)
		}
		pc = pc.WithPlatform(p)
	}
	cfg := &syft.GetSourceConfig{SourceProviderConfig: pc, Sources: []string{name}}
	return syft.GetSource(ctx, input, cfg)
}

// removeOverlaps drops a package whose files an OS package owns (a
// Python package the distro installed, a binary the classifier found in
// a deb), as Grype's own provider does before matching (its
// removePackagesByOverlap, which is not exported).
func removeOverlaps(pkgs []*grypepkg.Package) []*grypepkg.Package {
	out := pkgs[:0]
	for _, p := range pkgs {
		drop := false
		for _, parent := range p.RelatedPackages[artifact.OwnershipByFileOverlapRelationship] {
			if overlapExcludes(p, parent) {
				drop = true
				break
			}
		}
		if !drop {
			out = append(out, p)
		}
	}
	return out
}

// comprehensive are the distros whose feeds list unfixed vulnerabilities
// too, so that a language package their OS package owns adds nothing.
var comprehensive = []distro.Type{distro.ArchLinux, distro.Azure, distro.Debian, distro.Mariner, distro.RedHat, distro.SLES, distro.Ubuntu}

func overlapExcludes(p, parent *grypepkg.Package) bool {
	if p == nil || parent == nil || parent.Distro == nil {
		return false
	}
	if !strings.HasPrefix(parent.Version, p.Version) && !strings.HasPrefix(p.Version, parent.Version) {
		return false
	}
	if isOSPackage(parent) && !isOSPackage(p) && parent.Distro.Type != distro.AmazonLinux {
		for _, d := range comprehensive {
			if strings.EqualFold(string(d), parent.Distro.Name()) {
				return true
			}
			for _, like := range parent.Distro.IDLike {
				if strings.EqualFold(string(d), like) {
					return true
				}
			}
		}
	}
	return p.Type == "binary"
}

func isOSPackage(p *grypepkg.Package) bool {
	switch p.Type {
	case "deb", "rpm", "portage", "alpm", "apk":
		return true
	}
	return false
}
