package cost

import (
	"time"
)

// Format is a billing export format.
type Format string

const (
	FOCUS Format = "focus"
	CUR   Format = "cur2"  // AWS Cost and Usage Report 2.0 (and legacy CUR columns)
	Azure Format = "azure" // Azure cost details (actual or amortized)
	GCP   Format = "gcp"   // GCP Cloud Billing export to BigQuery (standard or detailed)
)

// Formats lists the formats in a stable order.
var Formats = []Format{FOCUS, CUR, Azure, GCP}

// Row is one normalized billing line as stored in the lake (view cost).
// Cost is in Currency; for each format it is the amount the export bills:
// FOCUS BilledCost, CUR line_item_unblended_cost, Azure CostInBillingCurrency
// (the amortized export's CostInBillingCurrency is already amortized), GCP
// cost plus its credits (net).
type Row struct {
	Provider        string `parquet:"provider,dict"` // aws, azure, gcp (or FOCUS ProviderName, lowercased)
	Format          string `parquet:"format,dict"`
	BillingAccount  string `parquet:"billing_account,dict"`
	Account         string `parquet:"account,dict"` // AWS account, Azure subscription, GCP project
	Service         string `parquet:"service,dict"`
	ServiceCategory string `parquet:"service_category,dict"`
	// SKU is what was consumed: CUR usage type, FOCUS SkuId/ChargeDescription,
	// Azure meter name, GCP SKU description.
	SKU        string `parquet:"sku,dict"`
	ChargeType string `parquet:"charge_type,dict"` // usage, purchase, tax, credit, adjustment, fee...
	ResourceID string `parquet:"resource_id,dict"`
	Region     string `parquet:"region,dict"`
	// Day is the charge period start's UTC day as days since 1970-01-01
	// (Parquet DATE); Date returns it as a time.
	Day       int32             `parquet:"day,date"`
	Cost      float64           `parquet:"cost"`
	Currency  string            `parquet:"currency,dict"`
	Usage     float64           `parquet:"usage"`
	UsageUnit string            `parquet:"usage_unit,dict"`
	Tags      map[string]string `parquet:"tags"`
	File      string            `parquet:"source_file,dict"`
	Line      int64             `parquet:"source_line"`
}

// Date returns the row's day.
func (r *Row) Date() time.Time { return time.Unix(int64(r.Day)*86400, 0).UTC() }

// DayOf returns the day number (Row.Day) of t's UTC day.
func DayOf(t time.Time) int32 { return int32(t.UTC().Unix() / 86400) }
