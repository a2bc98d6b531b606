package image

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/google/go-containerregistry/pkg/name"
)

// Kind is the kind of thing scanned.
type Kind string

// The kinds Scan reads.
const (
	// DockerArchive is a tarball as docker save writes it (manifest.json
	// and the layers), optionally gzip-compressed.
	DockerArchive Kind = "docker-archive"
	// OCIDir is an OCI image layout directory (oci-layout, index.json,
	// blobs/).
	OCIDir Kind = "oci-dir"
	// OCIArchive is an OCI image layout in a tarball.
	OCIArchive Kind = "oci-archive"
	// Function is a function package archive (an AWS Lambda zip, a Cloud
	// Functions source zip, an Azure Functions zip), scanned as the
	// directory of its files.
	Function Kind = "function"
	// Directory is a directory scanned as it is.
	Directory Kind = "dir"
	// Registry is an image reference pulled from its registry.
	Registry Kind = "registry"
)

// ParseKind reads a --from value; "" detects the kind.
func ParseKind(s string) (Kind, error) {
	switch k := Kind(strings.ToLower(strings.TrimSpace(s))); k {
	case "", DockerArchive, OCIDir, OCIArchive, Function, Directory, Registry:
		return k, nil
	case "docker", "tar", "tarball":
		return DockerArchive, nil
	case "oci":
		return OCIDir, nil
	case "zip", "lambda":
		return Function, nil
	}
	return "", fmt.Errorf("unknown source kind %q (want docker-archive, oci-dir, oci-archive, function, dir or registry)", s)
}

// Detect names the kind of target: an existing path by its content (a
// zip is a function package, a tarball with manifest.json a docker
// archive, with oci-layout an OCI archive, a directory with oci-layout an
// OCI layout), anything else an image reference. A path that is none of
// these, or a malformed tarball, is an error naming it.
func Detect(target string) (Kind, error) {
	if strings.HasPrefix(target, "registry:") {
		return Registry, nil
	}
	st, err := os.Stat(target)
	if err != nil {
		if !errors.Is(err, os.ErrNotExist) {
			return "", err
		}
		if _, perr := name.ParseReference(target); perr != nil || looksLikePath(target) {
			return "", fmt.Errorf("%s: no such file or directory, and not an image reference", target)
		}
		return Registry, nil
	}
	if st.IsDir() {
		if _, err := os.Stat(filepath.Join(target, "oci-layout")); err == nil {
			return OCIDir, nil
		}
		return Directory, nil
	}
	head, err := readHead(target, 512)
	if err != nil {
		return "", err
	}
	switch {
	case bytes.HasPrefix(head, []byte("PK\x03\x04")), bytes.HasPrefix(head, []byte("PK\x05\x06")):
		return Function, nil
	case bytes.HasPrefix(head, []byte{0x1f, 0x8b}), isTar(head):
		layout, err := inspectTar(target)
		if err != nil {
			return "", err
		}
		return layout, nil
	}
	return "", fmt.Errorf("%s: not an image tarball (docker save or OCI), an OCI layout, a function zip or a directory", target)
}

// looksLikePath tells a missing file from an image reference, so that a
// mistyped path is not looked up on Docker Hub: a path with a leading
// slash or dot, a backslash, or an archive's extension.
func looksLikePath(s string) bool {
	if strings.HasPrefix(s, "/") || strings.HasPrefix(s, ".") || strings.Contains(s, `\`) {
		return true
	}
	for _, ext := range []string{".tar", ".tar.gz", ".tgz", ".zip", ".jar"} {
		if strings.HasSuffix(strings.ToLower(s), ext) {
			return true
		}
	}
	return false
}

func readHead(p string, n int) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	buf := make([]byte, n)
	m, err := io.ReadFull(f, buf)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	return buf[:m], nil
}

// isTar reports a ustar or GNU tar header ("ustar" at offset 257).
func isTar(head []byte) bool {
	return len(head) >= 262 && bytes.Equal(head[257:262], []byte("ustar"))
}

// dockerManifest is one entry of a docker save manifest.json.
type dockerManifest struct {
	Config   string   `json:"Config"`
	RepoTags []string `json:"RepoTags"`
	Layers   []string `json:"Layers"`
}

// inspectTar reads the tar's headers (skipping the contents) to tell a
// docker archive from an OCI one and to reject a malformed or truncated
// tarball, or a docker manifest naming a file the tarball lacks, with an
// error naming the file and the entry.
func inspectTar(p string) (Kind, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", err
	}
	defer f.Close()
	var r io.Reader = f
	var size int64 = -1 // the file's size when the tar is read from it directly
	if head, _ := readHead(p, 2); bytes.HasPrefix(head, []byte{0x1f, 0x8b}) {
		gz, err := gzip.NewReader(f)
		if err != nil {
			return "", fmt.Errorf("%s: malformed gzip: %w", p, err)
		}
		defer gz.Close()
		r = gz
	} else if st, err := f.Stat(); err == nil {
		size = st.Size()
	}
	tr := tar.NewReader(r)
	names := map[string]bool{}
	var manifest []byte
	n := 0
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			if size >= 0 && !endsWithZeros(f, size) {
				return "", fmt.Errorf("%s: malformed tarball: no end-of-archive marker after %d entries (truncated)", p, n)
			}
			break
		}
		if err != nil {
			return "", fmt.Errorf("%s: malformed tarball after %d entries: %w", p, n, err)
		}
		n++
		if size >= 0 {
			// The reader skips contents by seeking, which does not see a
			// file cut short: compare each entry's end with the file's.
			if pos, err := f.Seek(0, io.SeekCurrent); err == nil && pos+h.Size > size {
				return "", fmt.Errorf("%s: malformed tarball: entry %q ends past the end of the file (truncated)", p, h.Name)
			}
		}
		clean := path.Clean(strings.TrimPrefix(h.Name, "./"))
		names[clean] = true
		if clean == "manifest.json" {
			if manifest, err = io.ReadAll(io.LimitReader(tr, 64<<20)); err != nil {
				return "", fmt.Errorf("%s: malformed tarball at manifest.json: %w", p, err)
			}
		}
	}
	switch {
	case names["oci-layout"] && names["index.json"]:
		return OCIArchive, nil
	case manifest != nil:
		var ms []dockerManifest
		if err := json.Unmarshal(manifest, &ms); err != nil {
			return "", fmt.Errorf("%s: manifest.json is not a docker save manifest: %w", p, err)
		}
		if len(ms) == 0 {
			return "", fmt.Errorf("%s: manifest.json lists no image", p)
		}
		for _, m := range ms {
			for _, want := range append([]string{m.Config}, m.Layers...) {
				if want == "" || !names[path.Clean(want)] {
					return "", fmt.Errorf("%s: manifest.json names %q, which the tarball does not hold (truncated?)", p, want)
				}
			}
		}
		return DockerArchive, nil
	case n == 0:
		return "", fmt.Errorf("%s: empty tarball", p)
	}
	return "", fmt.Errorf("%s: a tarball without manifest.json (docker save) or oci-layout and index.json (OCI): not an image", p)
}

// endsWithZeros reports whether the file's last two 512-byte blocks are
// zero, the end-of-archive marker every tar writer adds.
func endsWithZeros(f *os.File, size int64) bool {
	if size < 1024 {
		return false
	}
	buf := make([]byte, 1024)
	if _, err := f.ReadAt(buf, size-1024); err != nil {
		return false
	}
	return !slices.ContainsFunc(buf, func(b byte) bool { return b != 0 })
}

// Limits bound what unpacking a function archive may write.
type Limits struct {
	// MaxBytes is the most the archive's files may hold once unpacked.
	MaxBytes int64
	// MaxFiles is the most entries the archive may have.
	MaxFiles int
}

// DefaultLimits allow far more than any cloud takes (Lambda's unpacked
// limit is 250 MB) and stop a zip bomb.
var DefaultLimits = Limits{MaxBytes: 4 << 30, MaxFiles: 200_000}

// unzip unpacks the zip at src into dir: regular files and directories
// only (links are skipped), no entry outside dir, within lim.
func unzip(src, dir string, lim Limits) error {
	zr, err := zip.OpenReader(src)
	if err != nil {
		return fmt.Errorf("%s: malformed zip: %w", src, err)
	}
	defer zr.Close()
	if lim.MaxFiles > 0 && len(zr.File) > lim.MaxFiles {
		return fmt.Errorf("%s: %d entries, over the limit of %d", src, len(zr.File), lim.MaxFiles)
	}
	var total int64
	for _, zf := range zr.File {
		name := strings.ReplaceAll(zf.Name, `\`, "/")
		clean := path.Clean("/" + name)[1:]
		if clean == "" || clean == "." {
			continue
		}
		if strings.HasPrefix(name, "/") || strings.Contains("/"+name+"/", "/../") {
			return fmt.Errorf("%s: entry %q points outside the archive", src, zf.Name)
		}
		out := filepath.Join(dir, filepath.FromSlash(clean))
		mode := zf.Mode()
		switch {
		case mode.IsDir():
			if err := os.MkdirAll(out, 0o755); err != nil {
				return err
			}
			continue
		case !mode.IsRegular():
			continue // links and devices are not followed
		}
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			return err
		}
		n, err := unzipFile(zf, out, lim.MaxBytes-total)
		total += n
		if err != nil {
			return fmt.Errorf("%s: entry %q: %w", src, zf.Name, err)
		}
	}
	return nil
}

var errTooBig = errors.New("the archive unpacks to more than the limit")

func unzipFile(zf *zip.File, out string, room int64) (int64, error) {
	rc, err := zf.Open()
	if err != nil {
		return 0, err
	}
	defer rc.Close()
	w, err := os.OpenFile(out, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return 0, err
	}
	n, err := io.Copy(w, io.LimitReader(rc, room+1))
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err == nil && n > room {
		err = errTooBig
	}
	return n, err
}
