package awsconfig

import (
	"strings"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

// TypeKinesisStream is a Kinesis data stream.
const TypeKinesisStream = "AWS::Kinesis::Stream"

// kinesisStream: AWS::Kinesis::Stream, a queue of kind "stream". AWS
// Config records the CloudFormation properties (StreamEncryption with
// EncryptionType and KeyId, left out when the stream is not encrypted);
// DescribeStreamSummary's EncryptionType / KeyId are read too. Kinesis does
// not encrypt a stream unless asked.
func kinesisStream(it *item) {
	r, cfg := it.r, it.cfg
	r.Class = resource.ClassQueue
	q := &resource.Queue{Kind: "stream"}
	r.Facts.Queue = q
	if !cfg.Present() {
		return
	}
	if n := cfg.S("name"); n != "" && r.Name == "" {
		r.Name = n
	}
	enc := cfg
	if o, st := cfg.Obj("streamEncryption"); st == ok {
		enc = o
	} else if st == bad {
		return
	}
	typ, tst := enc.Str("encryptionType")
	key, kst := enc.Str("keyId")
	switch {
	case tst == bad || kst == bad:
	case tst == ok && strings.EqualFold(typ, "KMS"):
		q.Encrypted, q.KeyManager = boolp(true), keyManager(key)
		attr.Relate(r, resource.RelUsesKey, key)
	default: // NONE, or no encryption settings at all
		q.Encrypted = boolp(false)
	}
}
