package awsconfig

import "testing"

func TestCloudFrontTLS(t *testing.T) {
	for in, want := range map[string]string{
		"TLSv1.3_2025": "1.3", "TLSv1.2_2021": "1.2", "TLSv1.1_2016": "1.1", "TLSv1_2016": "1.0", "TLSv1": "1.0",
		"SSLv3": "0.3", "": "", "bogus": "",
	} {
		if got := CloudFrontTLS(in); got != want {
			t.Errorf("CloudFrontTLS(%q) = %q, want %q", in, got, want)
		}
	}
}
