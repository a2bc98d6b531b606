package cost

import "strings"

// field is a normalized row field a billing column fills.
type field int

const (
	fProvider field = iota
	fBillingAccount
	fAccount
	fService
	fCategory
	fSKU
	fChargeType
	fResourceID
	fRegion
	fDay
	fCost
	fCurrency
	fUsage
	fUsageUnit
	fTags
	fCredits // GCP: credits array (JSON), added to cost
	nFields
)

// colMap maps a format's column keys to fields, in priority order per field:
// the first non-empty column wins (FOCUS RegionId before RegionName).
type colMap struct {
	fields [nFields][]string
	// known are the other columns of the published schema: read but not
	// needed, so never reported as unknown.
	known []string
	// knownPrefixes are column groups known as a whole (CUR's line_item_,
	// product_, ...).
	knownPrefixes []string
}

// Column names as published, lowercased (matching is case-insensitive;
// the legacy CUR's "lineItem/UnblendedCost" spelling is turned into CUR 2.0's
// "line_item_unblended_cost" first, see curKey).
//
// FOCUS 1.0, 1.1 and 1.2: https://focus.finops.org/focus-specification/
var focusCols = colMap{
	fields: [nFields][]string{
		fProvider:       {"providername", "serviceprovidername", "invoiceissuername"},
		fBillingAccount: {"billingaccountid"},
		fAccount:        {"subaccountid", "billingaccountid"},
		fService:        {"servicename"},
		fCategory:       {"servicecategory"},
		fSKU:            {"chargedescription", "skumeter", "skuid"},
		fChargeType:     {"chargecategory"},
		fResourceID:     {"resourceid"},
		fRegion:         {"regionid", "regionname", "availabilityzone"},
		fDay:            {"chargeperiodstart"},
		fCost:           {"billedcost"},
		fCurrency:       {"billingcurrency"},
		fUsage:          {"consumedquantity", "pricingquantity"},
		fUsageUnit:      {"consumedunit", "pricingunit"},
		fTags:           {"tags"},
	},
	known: []string{
		"billingaccountname", "billingaccounttype", "billingperiodend", "billingperiodstart", "chargeclass",
		"chargefrequency", "chargeperiodend", "commitmentdiscountcategory", "commitmentdiscountid",
		"commitmentdiscountname", "commitmentdiscountquantity", "commitmentdiscountstatus",
		"commitmentdiscounttype", "commitmentdiscountunit", "contractedcost", "contractedunitprice",
		"effectivecost", "listcost", "listunitprice", "pricingcategory", "publishername", "resourcename",
		"resourcetype", "servicesubcategory", "skupriceid", "skupricedetails", "subaccountname", "subaccounttype",
		"capacityreservationid", "capacityreservationstatus", "invoiceid", "pricingcurrency",
		"pricingcurrencycontractedunitprice", "pricingcurrencyeffectivecost", "pricingcurrencylistunitprice",
		"hostprovidername",
	},
}

// AWS CUR 2.0 data dictionary (standard data export, table COST_AND_USAGE_REPORT).
var curCols = colMap{
	fields: [nFields][]string{
		fBillingAccount: {"bill_payer_account_id"},
		fAccount:        {"line_item_usage_account_id"},
		fService:        {"line_item_product_code", "product_servicecode"},
		fSKU:            {"line_item_usage_type"},
		fChargeType:     {"line_item_line_item_type"},
		fResourceID:     {"line_item_resource_id"},
		fRegion:         {"product_region_code", "product_region"},
		fDay:            {"line_item_usage_start_date"},
		fCost:           {"line_item_unblended_cost"},
		fCurrency:       {"line_item_currency_code"},
		fUsage:          {"line_item_usage_amount"},
		fUsageUnit:      {"pricing_unit"},
		fTags:           {"resource_tags"},
	},
	known:         []string{"product", "discount", "cost_category", "resource_tags"},
	knownPrefixes: []string{"bill_", "line_item_", "product_", "pricing_", "reservation_", "savings_plan_", "identity_", "discount_", "split_line_item_", "cost_category_", "resource_tags_"},
}

// Azure cost details (EA and MCA, actual and amortized; PascalCase in the
// portal's CSV, camelCase in exports: matched case-insensitively).
var azureCols = colMap{
	fields: [nFields][]string{
		fBillingAccount: {"billingaccountid", "billingprofileid"},
		fAccount:        {"subscriptionid", "subscriptionguid"},
		fService:        {"metercategory", "consumedservice"},
		fSKU:            {"metername", "metersubcategory", "productname", "product"},
		fChargeType:     {"chargetype"},
		fResourceID:     {"resourceid", "instanceid", "instancename"},
		fRegion:         {"resourcelocation", "meterregion"},
		fDay:            {"date", "usagedatetime"},
		fCost:           {"costinbillingcurrency", "cost", "pretaxcost"},
		fCurrency:       {"billingcurrencycode", "billingcurrency", "currency"},
		fUsage:          {"quantity", "usagequantity"},
		fUsageUnit:      {"unitofmeasure"},
		fTags:           {"tags"},
	},
	known: []string{
		"invoiceid", "previousinvoiceid", "billingaccountname", "billingprofilename", "invoicesectionid",
		"invoicesectionname", "resellername", "resellermpnid", "costcenter", "billingperiodenddate",
		"billingperiodstartdate", "serviceperiodenddate", "serviceperiodstartdate", "servicefamily",
		"productorderid", "productordername", "productid", "partnumber", "meterid", "effectiveprice",
		"subscriptionname", "resourcegroup", "resourcegroupname", "resourcename", "offerid", "additionalinfo",
		"serviceinfo1", "serviceinfo2", "reservationid", "reservationname", "unitprice", "term", "publishertype",
		"publishername", "publisherid", "frequency", "pricingmodel", "availabilityzone", "paygprice",
		"costinusd", "costinpricingcurrency", "exchangeratepricingtobilling", "exchangeratedate",
		"pricingcurrency", "paygcostinbillingcurrency", "paygcostinusd", "benefitid", "benefitname",
		"accountownerid", "accountname", "billingprofileid", "isazurecrediteligible", "location",
		"customername", "customertenantid", "partnername", "partnertenantid", "provider", "marketprice",
		"costallocationrulename", "invoicesection", "serviceinfo", "resourcetype", "consumedservice",
		"departmentname", "plan name", "planname", "chargetype", "exchangerate", "pricingcurrencycode",
	},
}

// GCP Cloud Billing export to BigQuery, standard and detailed usage cost
// ("Structure of Standard data export"), nested fields as dotted columns.
var gcpCols = colMap{
	fields: [nFields][]string{
		fBillingAccount: {"billing_account_id"},
		fAccount:        {"project.id", "project.number"},
		fService:        {"service.description", "service.id"},
		fSKU:            {"sku.description", "sku.id"},
		fChargeType:     {"cost_type"},
		fResourceID:     {"resource.global_name", "resource.name"},
		fRegion:         {"location.region", "location.location"},
		fDay:            {"usage_start_time"},
		fCost:           {"cost"},
		fCurrency:       {"currency"},
		fUsage:          {"usage.amount_in_pricing_units", "usage.amount"},
		fUsageUnit:      {"usage.pricing_unit", "usage.unit"},
		fTags:           {"labels"},
		fCredits:        {"credits"},
	},
	known: []string{
		"usage_end_time", "project.name", "project.labels", "project.ancestry_numbers", "project.ancestors",
		"system_labels", "location.country", "location.zone", "export_time", "currency_conversion_rate",
		"invoice.month", "invoice.publisher_type", "adjustment_info", "adjustment_info.id",
		"adjustment_info.description", "adjustment_info.mode", "adjustment_info.type", "tags", "price",
		"price.effective_price", "price.tier_start_amount", "price.unit", "price.pricing_unit_quantity",
		"cost_at_list", "transaction_type", "seller_name", "subscription", "subscription.instance_id",
		"consumption_model", "consumption_model.id", "consumption_model.description", "cost_at_effective_price_default",
		"cost_at_list_consumption_model", "service", "sku", "project", "location", "usage", "resource", "invoice",
		"sku.id", "service.id", "usage.unit", "usage.amount", "resource.name", "project.number",
	},
}

func (m *colMap) isKnown(key string) bool {
	for _, cols := range m.fields {
		for _, c := range cols {
			if c == key {
				return true
			}
		}
	}
	for _, k := range m.known {
		if k == key {
			return true
		}
	}
	for _, p := range m.knownPrefixes {
		if strings.HasPrefix(key, p) {
			return true
		}
	}
	return false
}

// curKey turns a legacy CUR column ("lineItem/UnblendedCost") into its CUR
// 2.0 name ("line_item_unblended_cost"); CUR 2.0 names are unchanged.
func curKey(h string) string {
	var b strings.Builder
	prevLower := false
	for _, r := range h {
		switch {
		case r == '/' || r == ' ' || r == '-':
			b.WriteByte('_')
			prevLower = false
		case r >= 'A' && r <= 'Z':
			if prevLower {
				b.WriteByte('_')
			}
			b.WriteRune(r + ('a' - 'A'))
			prevLower = false
		default:
			b.WriteRune(r)
			prevLower = r >= 'a' && r <= 'z' || r >= '0' && r <= '9'
		}
	}
	return b.String()
}
