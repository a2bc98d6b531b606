// Package load reads the clouds' findings exports — files and directories,
// gzip-compressed or not — recognising each record's format from its
// content (never from the file name) and handing it to the format's
// reader. A file holds one JSON document (a CLI or API result such as
// {"Findings":[...]}, an array, or one record or event) or JSON lines; a
// malformed record is reported with its file and position and the rest of
// the file is still read.
package load
