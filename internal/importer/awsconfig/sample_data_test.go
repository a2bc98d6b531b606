package awsconfig_test

import (
	"reflect"
	"testing"

	"github.com/vigil-sec/vigil/internal/resource"
)

// The sample organization's AWS data stores: the planted replication out
// of the EU, the compliant ones within it, with their classification tags.
func TestSampleOrgAWSReplication(t *testing.T) {
	rs, _ := loadSampleAWS(t)
	byID := map[string]*resource.Resource{}
	for _, r := range rs {
		byID[r.ID] = r
	}
	for id, want := range map[string][]string{
		"arn:aws:s3:::nw-prod-eu-crm-exports": {"us-east-1|s3-replication|arn:aws:s3:::nw-prod-us-crm-replica"},
		"arn:aws:s3:::nw-prod-eu-hr-records":  {"eu-central-1|s3-replication|arn:aws:s3:::nw-prod-eu-hr-records-dr"},
		"arn:aws:dynamodb:eu-west-1:111122223333:table/nw-prod-eu-sessions": {
			"eu-central-1|dynamodb-global-table|arn:aws:dynamodb:eu-central-1:111122223333:table/nw-prod-eu-sessions"},
		"arn:aws:dynamodb:eu-west-1:111122223333:table/nw-prod-eu-feature-flags": nil,
		"arn:aws:s3:::nw-prod-us-crm-replica":                                    nil,
	} {
		r := byID[id]
		if r == nil {
			t.Errorf("missing %s", id)
			continue
		}
		var got []string
		if r.Facts.Data != nil {
			for _, l := range r.Facts.Data.Locations {
				if l.Path != resource.LocationPrimary {
					got = append(got, l.Region+"|"+l.Path+"|"+l.Target)
				}
			}
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: paths %q, want %q", id, got, want)
		}
	}
	if tg := byID["arn:aws:s3:::nw-prod-eu-crm-exports"].Tags; tg["data-classification"] != "restricted" || tg["data-category"] != "personal-data" {
		t.Errorf("tags %v", tg)
	}
}
