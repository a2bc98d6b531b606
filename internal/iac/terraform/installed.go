package terraform

import (
	"encoding/json"
	"fmt"
	"path"
	"path/filepath"
	"strings"
)

// manifestPath is where `terraform init` records the modules it installed,
// relative to the root module's directory (the working directory of init).
const manifestPath = ".terraform/modules/modules.json"

// installedModule is one record of the manifest: the module call path
// ("vpc", "app.bucket": call names without instance keys), the source the
// call had when it was installed and the directory it was installed to.
type installedModule struct {
	Key     string `json:"Key"`
	Source  string `json:"Source"`
	Version string `json:"Version"`
	Dir     string `json:"Dir"`
}

// installed is a root module's manifest, keyed by module call path; mods
// is nil when `terraform init` was not run there (or its manifest is
// unreadable: err says why).
type installed struct {
	root, rootDir string // the scanned root on disk; the root module's directory in it
	mods          map[string]installedModule
	err           string
}

// readInstalled reads the manifest of the root module in rootDir
// (relative to root).
func readInstalled(root, rootDir string) *installed {
	inst := &installed{root: root, rootDir: rootDir}
	rel := path.Join(rootDir, manifestPath)
	if !fileExists(root, rel) {
		return inst
	}
	src, prob := readFile(root, rel)
	if prob != nil {
		inst.err = prob.Err
		return inst
	}
	var m struct {
		Modules []installedModule `json:"Modules"`
	}
	if err := json.Unmarshal(src, &m); err != nil {
		inst.err = rel + ": " + err.Error()
		return inst
	}
	inst.mods = make(map[string]installedModule, len(m.Modules))
	for _, r := range m.Modules {
		inst.mods[r.Key] = r
	}
	return inst
}

// installedDir returns the directory (relative to the scanned root) where
// `terraform init` installed the module called at key with source src, or
// why it cannot be used: not installed, installed for another source, or
// installed outside the scanned tree or not there any more. The manifest
// is read on the first call.
func (e *evaluator) installedDir(key, src string) (string, string) {
	if e.inst == nil {
		e.inst = readInstalled(e.l.root, e.rootDir)
	}
	return e.inst.dir(key, src)
}

func (inst *installed) dir(key, src string) (string, string) {
	if inst.err != "" {
		return "", "its install manifest cannot be read (" + inst.err + ")"
	}
	mf := path.Join(inst.rootDir, manifestPath)
	if inst.mods == nil {
		return "", "it is not installed (no " + mf + ": run terraform init)"
	}
	r, ok := inst.mods[key]
	if !ok {
		return "", fmt.Sprintf("it is not installed (%s has no module %q: run terraform init)", mf, key)
	}
	if normSource(r.Source) != normSource(src) {
		return "", fmt.Sprintf("it was installed from %q, not from this source (run terraform init again)", r.Source)
	}
	d := filepath.ToSlash(r.Dir)
	if d == "" || path.IsAbs(d) || filepath.IsAbs(r.Dir) {
		return "", fmt.Sprintf("its install directory %q is not inside the root module", r.Dir)
	}
	dir := path.Join(inst.rootDir, d)
	if dir == ".." || strings.HasPrefix(dir, "../") {
		return "", fmt.Sprintf("its install directory %q is outside the scanned tree", r.Dir)
	}
	if !dirExists(inst.root, dir) {
		return "", fmt.Sprintf("its install directory %s is missing (run terraform init again)", dir)
	}
	return dir, ""
}

// normSource reduces a module source address to what stays the same
// between the configuration's spelling and the one Terraform records:
// the registry host is implicit, the github.com shorthand is a git URL
// ending in .git, "git::" and the URL scheme name the same repository.
func normSource(s string) string {
	s = strings.TrimPrefix(s, "registry.terraform.io/")
	s = strings.TrimPrefix(s, "git::")
	for _, p := range []string{"https://", "http://", "ssh://"} {
		s = strings.TrimPrefix(s, p)
	}
	// The repository part ends at the subdirectory ("//") or the query.
	repo, rest := s, ""
	if i := strings.IndexAny(s, "?"); i >= 0 {
		repo, rest = s[:i], s[i:]
	}
	if i := strings.Index(repo, "//"); i >= 0 {
		repo, rest = repo[:i], repo[i:]+rest
	}
	return strings.TrimSuffix(repo, ".git") + rest
}

// isLocalSource reports whether a module source is a local path.
func isLocalSource(src string) bool {
	return strings.HasPrefix(src, "./") || strings.HasPrefix(src, "../")
}
