package importer

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"

	"github.com/vigil-sec/vigil/internal/findings/azuresec"
	"github.com/vigil-sec/vigil/internal/importer/awsconfig"
	"github.com/vigil-sec/vigil/internal/importer/awsorg"
	"github.com/vigil-sec/vigil/internal/importer/azure"
	"github.com/vigil-sec/vigil/internal/importer/entra"
	"github.com/vigil-sec/vigil/internal/importer/gcp"
	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
)

var bom = []byte("\xef\xbb\xbf")

// parseData detects the format of one input from its content and parses it.
func parseData(ctx context.Context, path string, data []byte) fileResult {
	return parseDataShaped(ctx, path, data, true)
}

// parseDataShaped is parseData; shaped false decodes every document as a
// generic tree (the reference the typed items are tested against).
func parseDataShaped(ctx context.Context, path string, data []byte, shaped bool) fileResult {
	data = bytes.TrimPrefix(data, bom)
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	lead := int64(len(data) - len(trimmed))
	if len(trimmed) == 0 {
		return fileResult{skip: "empty file"}
	}
	if awsconfig.IsCredentialReport(trimmed) {
		return fileResult{format: awsconfig.FormatCredentialReport, res: awsconfig.ParseCredentialReport(path, trimmed)}
	}
	if c := trimmed[0]; c != '{' && c != '[' {
		return fileResult{skip: "not JSON, NDJSON or an IAM credential report"}
	}
	if format, ok := detectNDJSON(trimmed); ok {
		if format == "" {
			return fileResult{skip: "newline-delimited JSON that is not a Cloud Asset Inventory export"}
		}
		fr := parseNDJSON(ctx, path, format, data)
		// A JSON document whose first line happened to look like an asset
		// line: if no line was readable but the whole decodes, it is a document.
		if fr.res == nil || len(fr.res.Resources) > 0 || !json.Valid(trimmed) {
			return fr
		}
	}
	if shaped {
		// The hot shapes (an AWS Config snapshot, a Resource Graph
		// result) are read from their text, their items typed: the same
		// result as detecting the decoded document (TestShapedMatchesGeneric).
		if res := awsconfig.ParseShaped(ctx, path, trimmed); res != nil {
			return fileResult{format: res.Format, res: res}
		}
		if res := azure.ParseShaped(ctx, path, trimmed); res != nil {
			return fileResult{format: res.Format, res: res}
		}
	}
	var doc any
	if err := attr.Decode(trimmed, &doc); err != nil {
		off := attr.ErrorOffset(err)
		if off < 0 {
			off = 0
		}
		fr := fileResult{err: &InputError{Path: path, Offset: off + lead, Err: "malformed JSON: " + err.Error()}}
		// Still import the complete items before the damage.
		if part := salvage(trimmed); part != nil {
			if format, res := parseDocument(ctx, path, part); res != nil {
				fr.format, fr.res = format, res
			}
		}
		return fr
	}
	if isFindingsList(doc) {
		return fileResult{skip: SkipFindings}
	}
	if format, res := parseDocument(ctx, path, doc); res != nil {
		return fileResult{format: format, res: res}
	}
	if res := gcp.ParseByName(ctx, path, filepath.Base(path), doc); res != nil {
		return fileResult{format: gcp.FormatDLPDiscovery, res: res}
	}
	if res, why := azure.ParseByName(ctx, path, filepath.Base(path), doc); res != nil || why != "" {
		if res == nil {
			return fileResult{skip: why}
		}
		return fileResult{format: azure.Format, res: res}
	}
	return fileResult{skip: "JSON that is not a recognised export"}
}

// SkipFindings is the reason an input holding a cloud service's security
// findings is skipped: they are no resources, and vigil findings import
// reads them (vigil collect aws writes them under cli/findings/).
const SkipFindings = "a cloud service's security findings (GuardDuty, Security Hub, Inspector, Defender for Cloud, Security Command Center...): read them with vigil findings import"

// isFindingsList tells the lists `aws guardduty get-findings`, `aws
// securityhub get-findings` and `aws inspector2 list-findings` print
// ({"Findings": [...]} or {"findings": [...]} of objects), Security Command
// Center's ListFindings results ({"listFindingsResults": [...]}), and Resource
// Graph results ({"data": [...]}) whose rows are all Defender for Cloud
// alerts, assessments or sub-assessments.
func isFindingsList(doc any) bool {
	m, ok := doc.(map[string]any)
	if !ok {
		return false
	}
	if rows, ok := m["data"].([]any); ok && len(rows) > 0 {
		for _, row := range rows {
			r, _ := row.(map[string]any)
			typ, _ := r["type"].(string)
			if !azuresec.IsDefenderFinding(typ) {
				return false
			}
		}
		return true
	}
	for _, k := range []string{"Findings", "findings", "listFindingsResults"} {
		if l, ok := m[k].([]any); ok {
			if len(l) == 0 {
				return true
			}
			_, obj := l[0].(map[string]any)
			return obj
		}
	}
	return false
}

// parseDocument parses a decoded JSON document with the first format that
// recognises it; res is nil when none does.
func parseDocument(ctx context.Context, path string, doc any) (format string, res *attr.Result) {
	for _, f := range documentFormats {
		if format := f.detect(doc); format != "" {
			res := f.parse(ctx, path, doc)
			res.Format = format
			return format, res
		}
	}
	return "", nil
}

type documentFormat struct {
	detect func(any) string
	parse  func(context.Context, string, any) *attr.Result
}

// documentFormats are tried in order on a decoded JSON document.
var documentFormats = []documentFormat{
	{awsconfig.Detect, awsconfig.Parse},
	{azure.Detect, azure.Parse},
	{azure.DetectKeyVaultCertificates, azure.ParseKeyVaultCertificates},
	{gcp.Detect, gcp.Parse},
	{gcp.DetectAccessApproval, gcp.ParseAccessApproval},
	{gcp.DetectDLPDiscovery, gcp.ParseDLPDiscovery},
	{awsorg.Detect, awsorg.Parse},
	{entra.Detect, entra.Parse},
}

// detectNDJSON reports whether data is newline-delimited JSON (a complete
// JSON value on the first line and more content after it, or a first line
// that names Cloud Asset fields), and if so which format ("" if none).
func detectNDJSON(data []byte) (format string, ok bool) {
	first, rest, found := bytes.Cut(data, []byte("\n"))
	if !found || len(bytes.TrimSpace(rest)) == 0 {
		return "", false // one line: a JSON document, decoded once by the caller
	}
	first = bytes.TrimSpace(first)
	var v any
	complete := attr.Decode(first, &v) == nil
	for _, f := range ndjsonFormats {
		if complete {
			if format := f.detect(v); format != "" {
				return format, true
			}
		} else if len(first) > 0 && first[0] == '{' && f.sniff(first) {
			return f.name, true
		}
	}
	if complete {
		if _, isObj := v.(attr.M); isObj {
			return "", true
		}
	}
	return "", false
}

type ndjsonFormat struct {
	name   string
	detect func(any) string  // on the decoded first line
	sniff  func([]byte) bool // on a first line that does not decode
	parse  func(ctx context.Context, path string, data []byte) *attr.Result
}

var ndjsonFormats = []ndjsonFormat{
	{name: gcp.Format, detect: gcp.DetectLine, sniff: gcp.Sniff, parse: gcp.ParseNDJSON},
}

func parseNDJSON(ctx context.Context, path, format string, data []byte) fileResult {
	for _, f := range ndjsonFormats {
		if f.name == format {
			return fileResult{format: format, res: f.parse(ctx, path, data)}
		}
	}
	return fileResult{skip: "unknown NDJSON format " + format}
}
