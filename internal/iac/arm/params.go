package arm

import (
	"errors"
	"github.com/vigil-sec/vigil/internal/iac/iacfile"
	"io/fs"
	"path"
	"path/filepath"
	"strings"

	"github.com/vigil-sec/vigil/internal/source"
)

// ParamFile is a deployment parameters file's values (name -> value;
// unknown for a Key Vault reference).
type ParamFile struct {
	Path   string
	Values map[string]any
}

// parseParamFile reads a deploymentParameters file.
func parseParamFile(name string, data []byte) (ParamFile, []source.Problem) {
	pf := ParamFile{Path: name, Values: map[string]any{}}
	ls := newLines(data)
	root, err := decode(data)
	if err != nil {
		line := 0
		var se *syntaxError
		if errors.As(err, &se) {
			line = ls.line(min(se.offset, max(len(data)-1, 0)))
		}
		return pf, []source.Problem{{Path: name, Line: line, Err: err.Error()}}
	}
	ps := root.get("parameters")
	if ps == nil || ps.kind != jObject {
		return pf, []source.Problem{{Path: name, Line: 1, Err: "the parameters file has no parameters object"}}
	}
	var probs []source.Problem
	for i, k := range ps.keys {
		p := ps.vals[i]
		switch {
		case p.get("value") != nil:
			pf.Values[k] = literal(p.get("value"), 0)
		case p.get("reference") != nil:
			pf.Values[k] = unk // a secret from a Key Vault
		default:
			probs = append(probs, source.Problem{Path: name, Line: ls.line(p.start), Field: "parameters." + k,
				Err: "parameter " + k + " has neither a value nor a reference"})
		}
	}
	return pf, probs
}

// loadParameterFiles reads Options.ParameterFiles.
func (r *reader) loadParameterFiles(limit int64) ([]ParamFile, []source.Problem) {
	var out []ParamFile
	var probs []source.Problem
	for _, name := range r.opts.ParameterFiles {
		data, err := iacfile.Read(name, limit)
		if err != nil {
			probs = append(probs, source.Problem{Path: name, Err: err.Error()})
			continue
		}
		pf, ps := parseParamFile(name, data)
		out = append(out, pf)
		probs = append(probs, ps...)
	}
	return out, probs
}

// parametersFor reads the parameters file beside a template
// (NAME.parameters.json beside NAME.json), if there is one.
func (r *reader) parametersFor(file string, limit int64, batch *source.Batch) []ParamFile {
	ext := path.Ext(file)
	beside := strings.TrimSuffix(file, ext) + ".parameters.json"
	data, err := iacfile.Read(filepath.Join(r.root, filepath.FromSlash(beside)), limit)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		batch.Problems = append(batch.Problems, source.Problem{Path: beside, Err: err.Error()})
		return nil
	}
	pf, probs := parseParamFile(beside, data)
	batch.Problems = append(batch.Problems, probs...)
	return []ParamFile{pf}
}
