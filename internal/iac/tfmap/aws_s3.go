package tfmap

import (
	"strings"

	"github.com/vigil-sec/vigil/internal/resource"
)

var bucketTypes = []string{"aws_s3_bucket"}

// s3Bucket joins the bucket's split resources (provider v4 and later) and
// reads the deprecated inline arguments the same way.
func s3Bucket(m *mapper, r *inst, out *resource.Resource) {
	s := &resource.ObjectStorage{}
	out.Facts.Storage = s
	if name, isStr := r.a["bucket"].(string); isStr && name != "" {
		out.Aliases = append(out.Aliases, "arn:aws:s3:::"+name) // as a trail names its bucket
	}
	// Block Public Access: new buckets have all four settings on since
	// April 2023; an aws_s3_bucket_public_access_block turns off the
	// settings it omits (each defaults to false).
	blocked, blockACLs, ignoreACLs, blockPolicy, restrict := boolp(true), boolp(true), boolp(true), boolp(true), boolp(true)
	pabWhy := "block_public_%s on by default since April 2023"
	for _, a := range m.attachedTo(r, "aws_s3_bucket_public_access_block") {
		m.cur = a
		var all []*bool
		for _, k := range []string{"block_public_acls", "ignore_public_acls", "block_public_policy", "restrict_public_buckets"} {
			all = append(all, m.boolean(a.a, boolp(false), k))
		}
		blocked, blockACLs, ignoreACLs, blockPolicy, restrict = and3(all...), all[0], all[1], all[2], all[3]
		pabWhy = "block_public_%s of " + a.in.Address
	}
	m.cur = r
	// The account-wide block of the same configuration (the same account,
	// short of provider aliases) blocks every bucket.
	for _, a := range m.ofType("aws_s3_account_public_access_block") {
		var all []*bool
		for _, k := range []string{"block_public_acls", "ignore_public_acls", "block_public_policy", "restrict_public_buckets"} {
			all = append(all, m.boolean(a.a, boolp(false), k))
		}
		if b := and3(all...); b != nil && *b {
			blocked, blockACLs, ignoreACLs, blockPolicy, restrict = boolp(true), boolp(true), boolp(true), boolp(true), boolp(true)
			pabWhy = "block_public_%s of " + a.in.Address
		}
	}
	s.PublicAccessBlocked = blocked

	// Object ownership: BucketOwnerEnforced (ACLs disabled) by default
	// since April 2023; with it a canned ACL grants nothing.
	ownership, ownKnown := "BucketOwnerEnforced", true
	for _, a := range m.attachedTo(r, "aws_s3_bucket_ownership_controls") {
		m.cur = a
		switch v, st := m.str(a.a, "rule", "object_ownership"); st {
		case ok:
			ownership = v
		default:
			ownKnown = false
		}
	}
	m.cur = r
	if ownKnown {
		s.UniformAccess = boolp(ownership == "BucketOwnerEnforced")
	}

	// ACLs: the inline acl argument and aws_s3_bucket_acl resources. A
	// public ACL that S3 refuses (ACLs disabled by BucketOwnerEnforced,
	// block_public_acls) grants nothing: the apply fails on it, which is
	// reported as a warning, and the bucket is not made public by it. The
	// CloudFormation mapping reads the same refusal the same way.
	aclPublic := boolp(false)
	for _, a := range append([]*inst{r}, m.attachedTo(r, "aws_s3_bucket_acl")...) {
		m.cur = a
		pub := m.aclPublic(a, a.a)
		if pub != nil && *pub {
			switch {
			case ownKnown && ownership == "BucketOwnerEnforced":
				m.wouldFail("acl", "a public ACL is refused: ACLs are disabled by object ownership BucketOwnerEnforced (the default since April 2023)")
				pub = boolp(false)
			case blockACLs != nil && *blockACLs:
				m.wouldFail("acl", "a public ACL is refused by Block Public Access ("+pabWhy+")", "acls")
				pub = boolp(false)
			case !ownKnown:
				pub = nil
			}
		}
		aclPublic = or3(aclPublic, pub)
	}
	m.cur = r

	// Bucket policies: the inline policy argument and aws_s3_bucket_policy.
	policyPublic, transport := boolp(false), boolp(false)
	pols := []*policy{m.policyAt(r.a, "policy")}
	for _, a := range m.attachedTo(r, "aws_s3_bucket_policy") {
		m.cur = a
		pols = append(pols, m.policyAt(a.a, "policy"))
	}
	m.cur = r
	polOf := append([]*inst{r}, m.attachedTo(r, "aws_s3_bucket_policy")...)
	for i, pol := range pols {
		if pol == nil {
			continue
		}
		pub := pol.Public()
		if pub != nil && *pub && blockPolicy != nil && *blockPolicy {
			// S3 refuses a public policy under block_public_policy.
			m.cur = polOf[i]
			m.wouldFail("policy", "a public bucket policy is refused by Block Public Access ("+pabWhy+")", "policy")
			m.cur = r
			pub = boolp(false)
			pols[i] = nil // not deployed
		}
		policyPublic = or3(policyPublic, pub)
		transport = or3(transport, pol.SecureTransport())
	}
	out.Facts.ResourcePolicy = onlyDoc(pols)
	s.PublicAccess = or3(and3(policyPublic, not(restrict)), and3(aclPublic, not(ignoreACLs)))
	s.SecureTransportOnly = transport

	// Encryption: every bucket is encrypted (SSE-S3 at least) since
	// January 2023; the key is the customer's when a KMS key is named.
	s.Encrypted = boolp(true)
	s.KeyManager = "provider"
	sse := []*inst{r}
	sse = append(sse, m.attachedTo(r, "aws_s3_bucket_server_side_encryption_configuration")...)
	for _, a := range sse {
		m.cur = a
		base := []string{}
		if a == r {
			base = []string{"server_side_encryption_configuration"}
		}
		rules, st := m.blocks(a.a, append(base, "rule")...)
		if st == unknownSt || st == bad {
			s.KeyManager = ""
		}
		for _, rule := range rules {
			alg, ast := m.str(rule, "apply_server_side_encryption_by_default", "sse_algorithm")
			key, kst := look(rule, "apply_server_side_encryption_by_default", "kms_master_key_id")
			switch {
			case ast == unknownSt || ast == bad:
				s.KeyManager = ""
			case strings.HasPrefix(alg, "aws:kms") && kst != absent:
				s.KeyManager = keyManager(key)
			}
		}
	}
	m.cur = r

	// Versioning and MFA delete (delete protection, as the AWS Config
	// importer reads isMfaDeleteEnabled): aws_s3_bucket_versioning or the
	// inline block; off by default.
	versioning := m.boolean(r.a, boolp(false), "versioning", "enabled")
	mfaDelete := m.boolean(r.a, boolp(false), "versioning", "mfa_delete")
	for _, a := range m.attachedTo(r, "aws_s3_bucket_versioning") {
		m.cur = a
		switch st, sst := m.str(a.a, "versioning_configuration", "status"); sst {
		case ok:
			versioning = boolp(st == "Enabled")
		case absent:
			versioning = boolp(false)
		default:
			versioning = nil
		}
		switch st, sst := m.str(a.a, "versioning_configuration", "mfa_delete"); {
		case sst == ok:
			mfaDelete = boolp(st == "Enabled")
		case sst == absent:
			mfaDelete = boolp(false)
		case sst == unknownSt && present(a.a, "mfa") != nil && !*present(a.a, "mfa"):
			// Computed (a plan), but S3 enables MFA delete only for a
			// request carrying the device's code (mfa), which is not given.
			mfaDelete = boolp(false)
		default:
			mfaDelete = nil
		}
	}
	m.cur = r
	s.Versioning = versioning
	s.DeleteProtection = mfaDelete

	// Server access logging: aws_s3_bucket_logging or the inline block.
	logging := present(r.a, "logging")
	for _, a := range m.attachedTo(r, "aws_s3_bucket_logging") {
		logging = or3(logging, set(a.a, "target_bucket"))
	}
	s.AccessLogging = logging
	if v, st := look(r.a, "object_lock_enabled"); st == ok && v == true {
		s.DeleteProtection = boolp(true)
	}
	s3Replication(m, r, out)
}

// aclPublic: whether a canned ACL or grant lets everyone (or every AWS
// user) in; false when none is given.
func (m *mapper) aclPublic(r *inst, a map[string]any) *bool {
	out := boolp(false)
	switch acl, st := m.str(a, "acl"); st {
	case ok:
		out = boolp(acl == "public-read" || acl == "public-read-write" || acl == "authenticated-read")
	case unknownSt, bad:
		out = nil
	}
	grants, gst := m.blocks(a, "access_control_policy", "grant")
	if gst == unknownSt || gst == bad {
		return nil
	}
	for _, g := range grants {
		uri, ust := m.str(g, "grantee", "uri")
		if ust == unknownSt {
			out = or3(out, nil)
			continue
		}
		if strings.HasSuffix(uri, "/global/AllUsers") || strings.HasSuffix(uri, "/global/AuthenticatedUsers") {
			out = boolp(true)
		}
	}
	// The inline grant blocks of aws_s3_bucket (deprecated).
	if r.typ() == "aws_s3_bucket" {
		gs, st := m.blocks(a, "grant")
		if st == unknownSt || st == bad {
			return nil
		}
		for _, g := range gs {
			uri := m.s(g, "uri")
			if strings.HasSuffix(uri, "/global/AllUsers") || strings.HasSuffix(uri, "/global/AuthenticatedUsers") {
				out = boolp(true)
			}
		}
	}
	return out
}

// s3AccountBlock: aws_s3_account_public_access_block is the account's
// storage_public_access_blocked fact (all four settings, each false by
// default).
func s3AccountBlock(m *mapper, r *inst, out *resource.Resource) {
	a := &resource.Account{}
	out.Facts.Account = a
	var all []*bool
	for _, k := range []string{"block_public_acls", "ignore_public_acls", "block_public_policy", "restrict_public_buckets"} {
		all = append(all, m.boolean(r.a, boolp(false), k))
	}
	a.StoragePublicAccessBlocked = and3(all...)
	out.Region = "global"
	if id, isStr := r.a["account_id"].(string); isStr {
		out.Account = id
	}
}

// ebsDefaultEncryption: aws_ebs_encryption_by_default (enabled defaults
// to true) is the account's default_encryption fact in its region.
func ebsDefaultEncryption(m *mapper, r *inst, out *resource.Resource) {
	out.Facts.Account = &resource.Account{DefaultEncryption: m.boolean(r.a, boolp(true), "enabled")}
}

// guardDuty: aws_guardduty_detector (enabled by default) is the account's
// threat_detection fact in its region.
func guardDuty(m *mapper, r *inst, out *resource.Resource) {
	out.Facts.Account = &resource.Account{ThreatDetection: m.boolean(r.a, boolp(true), "enable")}
}

// alternateContact: aws_account_alternate_contact of type SECURITY is the
// account's security contact.
func alternateContact(m *mapper, r *inst, out *resource.Resource) {
	out.Region = "global"
	a := &resource.Account{}
	out.Facts.Account = a
	switch t, st := m.str(r.a, "alternate_contact_type"); st {
	case ok:
		if t != "SECURITY" {
			out.Class = "" // a billing or operations contact says nothing of security
			return
		}
		a.SecurityContact = set(r.a, "email_address")
	}
}
