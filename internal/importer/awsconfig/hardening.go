package awsconfig

import (
	"slices"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
)

// Facts the CIS AWS benchmark checks that the type's own normalizer does
// not read: whether an EC2 instance has an IAM instance profile (CIS 2.16),
// whether a trail logs S3 object-level events (CIS 4.8, 4.9).
func init() {
	ec2, ct := normalizers["AWS::EC2::Instance"], normalizers["AWS::CloudTrail::Trail"]
	normalizers["AWS::EC2::Instance"] = func(it *item) {
		ec2(it)
		instanceProfile(it)
	}
	normalizers["AWS::CloudTrail::Trail"] = func(it *item) {
		ct(it)
		trailDataEvents(it)
	}
}

// instanceProfile: AWS Config writes iamInstanceProfile as {arn, id}, null
// or absent when the instance has none.
func instanceProfile(it *item) {
	c := it.r.Facts.Compute
	if c == nil || !it.cfg.Present() {
		return
	}
	switch v, st := it.cfg.Lookup("iamInstanceProfile"); st {
	case attr.Absent:
		c.InstanceProfile = boolp(false)
	case attr.OK:
		if attr.IsObject(v) {
			c.InstanceProfile = boolp(attr.AsStr(attr.Exact(v, "arn")) != "" || attr.AsStr(attr.Exact(v, "id")) != "")
		} else {
			it.cfg.C.Wrong(it.cfg.Field("iamInstanceProfile"), "object", v)
		}
	}
}

// trailDataEvents reads the trail's event selectors (GetEventSelectors, in
// the supplementary configuration): whether it logs S3 object-level write
// and read events for every bucket (CIS AWS 4.8, 4.9). Unknown when the
// item does not carry them.
func trailDataEvents(it *item) {
	a := it.r.Facts.AuditLog
	if a == nil || !it.supp.Present() {
		return
	}
	before := it.supp.C.Count()
	basic, bst := suppObjs(it.supp, "EventSelectors")
	adv, ast := suppObjs(it.supp, "AdvancedEventSelectors")
	if bst == attr.Absent && ast == attr.Absent {
		return
	}
	write, read := false, false
	for _, s := range basic {
		rw := s.S("readWriteType")
		drs, _ := s.Objs("dataResources")
		for _, dr := range drs {
			if dr.S("type") != "AWS::S3::Object" {
				continue
			}
			vals, _ := dr.Strs("values")
			for _, v := range vals {
				if v == "arn:aws:s3" || v == "arn:aws:s3:::" {
					write = write || rw == "" || rw == "All" || rw == "WriteOnly"
					read = read || rw == "" || rw == "All" || rw == "ReadOnly"
				}
			}
		}
	}
	for _, s := range adv {
		w, r := advancedS3(s)
		write, read = write || w, read || r
	}
	if it.supp.C.Count() != before {
		return // a selector of the wrong shape could be the one that logs
	}
	a.S3WriteEvents, a.S3ReadEvents = boolp(write), boolp(read)
}

// advancedS3 reports whether an advanced event selector logs S3 object
// write and read events of every bucket: eventCategory Data and
// resources.type AWS::S3::Object, no resources.ARN condition, and readOnly
// (absent: both) choosing reads or writes.
func advancedS3(s attr.Node) (write, read bool) {
	fields, _ := s.Objs("fieldSelectors")
	data, s3 := false, false
	write, read = true, true
	for _, f := range fields {
		eq, _ := f.Strs("equals")
		switch f.S("field") {
		case "eventCategory":
			data = slices.Contains(eq, "Data")
		case "resources.type":
			s3 = slices.Contains(eq, "AWS::S3::Object")
		case "resources.ARN":
			return false, false // some buckets or objects only
		case "readOnly":
			if len(eq) == 1 {
				read, write = eq[0] == "true", eq[0] == "false"
			}
		}
	}
	if !data || !s3 {
		return false, false
	}
	return write, read
}

// suppObjs reads a list of objects of the supplementary configuration,
// which AWS Config may write as JSON text.
func suppObjs(supp node, key string) ([]node, state) {
	v, st := supp.Lookup(key)
	if text, isText := v.(string); st == ok && isText {
		var doc any
		if err := attr.Decode([]byte(text), &doc); err != nil {
			supp.C.Wrong(supp.Field(key), "JSON list", text)
			return nil, bad
		}
		return node{M: attr.M{key: doc}, C: supp.C}.Objs(key)
	}
	return supp.Objs(key)
}
