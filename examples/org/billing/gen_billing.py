#!/usr/bin/env python3
"""Writes the Northwind Analytics sample billing exports (November 1-24, 2026).

Each file follows its published schema (see README.md); amounts are made up but
steady, with small deterministic day-to-day noise, except the planted anomaly:
on 2026-11-20 account 444455556666 (dev) runs four p3.2xlarge GPU instances in
us-east-1 (the CloudTrail RunInstances a vigil detection flags), so its
AmazonEC2 spend jumps from about 40 to about 330 USD that day.

    python3 gen_billing.py      # rewrites the files next to this script
"""
import csv, gzip, io, json, os, random
from datetime import date, timedelta

HERE = os.path.dirname(os.path.abspath(__file__))
DAYS = [date(2026, 11, 1) + timedelta(days=i) for i in range(24)]
rnd = random.Random(20261124)


def noisy(v):
    return round(v * (1 + rnd.uniform(-0.04, 0.04)), 6)


# ---------------------------------------------------------------- FOCUS 1.0
# AWS Data Exports "FOCUS 1.0 with AWS columns" for the prod account.
FOCUS_COLS = ["AvailabilityZone", "BilledCost", "BillingAccountId", "BillingAccountName", "BillingCurrency",
              "BillingPeriodEnd", "BillingPeriodStart", "ChargeCategory", "ChargeClass", "ChargeDescription",
              "ChargeFrequency", "ChargePeriodEnd", "ChargePeriodStart", "CommitmentDiscountCategory",
              "CommitmentDiscountId", "CommitmentDiscountName", "CommitmentDiscountType", "ConsumedQuantity",
              "ConsumedUnit", "ContractedCost", "ContractedUnitPrice", "EffectiveCost", "InvoiceIssuerName",
              "ListCost", "ListUnitPrice", "PricingCategory", "PricingQuantity", "PricingUnit", "ProviderName",
              "PublisherName", "RegionId", "RegionName", "ResourceId", "ResourceName", "ResourceType",
              "ServiceCategory", "ServiceName", "SkuId", "SkuPriceId", "SubAccountId", "SubAccountName", "Tags",
              "x_ServiceCode", "x_UsageType"]
PROD = "111122223333"
focus_series = [
    # service, category, code, usage type, resource, region, daily cost, qty, unit, tags
    ("Amazon Elastic Compute Cloud", "Compute", "AmazonEC2", "BoxUsage:m6i.xlarge",
     f"arn:aws:ec2:us-east-1:{PROD}:instance/i-0d7f37aae9b62e1a8", "us-east-1", 92.16, 96, "Hrs",
     {"owner": "data-eng", "env": "prod"}),
    ("Amazon Elastic Compute Cloud", "Compute", "AmazonEC2", "BoxUsage:t3.medium",
     f"arn:aws:ec2:us-east-1:{PROD}:instance/i-0b7fe5cdbceacc2bb", "us-east-1", 1.00, 24, "Hrs",
     {"env": "prod"}),
    ("Amazon Simple Storage Service", "Storage", "AmazonS3", "TimedStorage-ByteHrs",
     "nw-prod-datalake-raw", "us-east-1", 48.30, 2100, "GB-Mo", {"owner": "data-eng", "env": "prod", "data-classification": "confidential"}),
    ("Amazon Simple Storage Service", "Storage", "AmazonS3", "Requests-Tier1",
     "nw-prod-datalake-raw", "us-east-1", 6.10, 1220000, "Requests", {"owner": "data-eng", "env": "prod", "data-classification": "confidential"}),
    ("Amazon Simple Storage Service", "Storage", "AmazonS3", "TimedStorage-ByteHrs",
     "nw-prod-app-uploads", "us-east-1", 12.75, 554, "GB-Mo", {"owner": "platform", "data-classification": "confidential"}),
    ("Amazon Simple Storage Service", "Storage", "AmazonS3", "TimedStorage-ByteHrs",
     "nw-public-assets", "us-east-1", 3.40, 148, "GB-Mo", {"owner": "web"}),
    ("Amazon Relational Database Service", "Databases", "AmazonRDS", "InstanceUsage:db.r6g.large",
     f"arn:aws:rds:us-east-1:{PROD}:db:nw-prod-orders-pg", "us-east-1", 62.40, 24, "Hrs", {"owner": "data-eng", "env": "prod"}),
    ("Amazon GuardDuty", "Security", "AmazonGuardDuty", "PaidEventsAnalyzed", "", "us-east-1", 4.20, 1.1, "GB", {}),
    ("AWS Key Management Service", "Security", "awskms", "KMS-Keys", "", "us-east-1", 0.40, 12, "Keys", {}),
    ("AWS CloudTrail", "Management and Governance", "AWSCloudTrail", "PaidEventsRecorded", "", "us-east-1", 1.35, 675000, "Events", {}),
    ("AWS Config", "Management and Governance", "AWSConfig", "ConfigurationItemRecorded", "", "us-east-1", 0.90, 300, "Items", {}),
    ("AWS Security Hub", "Security", "AWSSecurityHub", "PaidComplianceCheck", "", "us-east-1", 2.10, 2100, "Checks", {}),
]


def write_focus():
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(FOCUS_COLS)
    for d in DAYS:
        for (svc, cat, code, ut, res, region, c, q, unit, tags) in focus_series:
            cost = noisy(c)
            row = {
                "AvailabilityZone": region + "a" if res.startswith("arn:aws:ec2") else "",
                "BilledCost": cost, "BillingAccountId": PROD, "BillingAccountName": "nw-prod",
                "BillingCurrency": "USD", "BillingPeriodEnd": "2026-12-01T00:00:00Z",
                "BillingPeriodStart": "2026-11-01T00:00:00Z", "ChargeCategory": "Usage", "ChargeClass": "",
                "ChargeDescription": f"{ut} in {region}", "ChargeFrequency": "Usage-Based",
                "ChargePeriodEnd": (d + timedelta(days=1)).isoformat() + "T00:00:00Z",
                "ChargePeriodStart": d.isoformat() + "T00:00:00Z", "CommitmentDiscountCategory": "",
                "CommitmentDiscountId": "", "CommitmentDiscountName": "", "CommitmentDiscountType": "",
                "ConsumedQuantity": q, "ConsumedUnit": unit, "ContractedCost": cost, "ContractedUnitPrice": "",
                "EffectiveCost": cost, "InvoiceIssuerName": "Amazon Web Services, Inc.", "ListCost": cost,
                "ListUnitPrice": "", "PricingCategory": "Standard", "PricingQuantity": q, "PricingUnit": unit,
                "ProviderName": "AWS", "PublisherName": "Amazon Web Services, Inc.", "RegionId": region,
                "RegionName": "US East (N. Virginia)", "ResourceId": res, "ResourceName": "",
                "ResourceType": "", "ServiceCategory": cat, "ServiceName": svc, "SkuId": "SKU" + code.upper()[:6],
                "SkuPriceId": "", "SubAccountId": PROD, "SubAccountName": "nw-prod",
                "Tags": json.dumps(tags, sort_keys=True) if tags else "{}",
                "x_ServiceCode": code, "x_UsageType": "USE1-" + ut,
            }
            w.writerow([row[c] for c in FOCUS_COLS])
    with open(os.path.join(HERE, "focus", f"aws-{PROD}-focus-1.0-2026-11.csv"), "w") as f:
        f.write(out.getvalue())


# ---------------------------------------------------------------- CUR 2.0
# AWS Data Exports "Standard data export" (CUR 2.0), CSV gzip, for the dev account.
CUR_COLS = ["identity_line_item_id", "identity_time_interval", "bill_bill_type", "bill_billing_entity",
            "bill_billing_period_end_date", "bill_billing_period_start_date", "bill_invoice_id",
            "bill_invoicing_entity", "bill_payer_account_id", "bill_payer_account_name",
            "cost_category", "discount", "line_item_availability_zone", "line_item_blended_cost",
            "line_item_blended_rate", "line_item_currency_code", "line_item_legal_entity",
            "line_item_line_item_description", "line_item_line_item_type", "line_item_net_unblended_cost",
            "line_item_operation", "line_item_product_code", "line_item_resource_id",
            "line_item_unblended_cost", "line_item_unblended_rate", "line_item_usage_account_id",
            "line_item_usage_account_name", "line_item_usage_amount", "line_item_usage_end_date",
            "line_item_usage_start_date", "line_item_usage_type", "pricing_unit", "product",
            "product_instance_type", "product_product_family", "product_region_code", "product_servicecode",
            "resource_tags"]
DEV = "444455556666"
cur_series = [
    ("AmazonEC2", "USE1-BoxUsage:t3.large", "RunInstances", f"i-09c84244f0996d1c8", "us-east-1", 2.00, 24, "Hrs",
     {"user_owner": "analytics", "user_env": "dev"}),
    ("AmazonEC2", "USW2-BoxUsage:t3.xlarge", "RunInstances", f"i-005f7edf5699897d9", "us-west-2", 4.00, 24, "Hrs",
     {"user_env": "dev"}),
    ("AmazonEC2", "USE1-BoxUsage:m5.2xlarge", "RunInstances", f"i-0c88c2cc0003b85e6", "us-east-1", 9.22, 24, "Hrs",
     {"user_owner": "bi", "user_env": "dev"}),
    ("AmazonEC2", "USE1-EBS:VolumeUsage.gp3", "CreateVolume-Gp3", "vol-0c1d2e3f405162738", "us-east-1", 1.60, 20, "GB-Mo", {}),
    ("AmazonEC2", "USE1-EBS:SnapshotUsage", "CreateSnapshot", "arn:aws:ec2:us-east-1::snapshot/snap-03abe7a8b8f0cea64",
     "us-east-1", 0.85, 17, "GB-Mo", {}),
    ("AmazonRDS", "USE1-InstanceUsage:db.t3.medium", "CreateDBInstance:0002", f"arn:aws:rds:us-east-1:{DEV}:db:nw-dev-mysql",
     "us-east-1", 1.63, 24, "Hrs", {"user_owner": "analytics"}),
    ("AmazonS3", "USE1-TimedStorage-ByteHrs", "StandardStorage", "nw-dev-partner-share", "us-east-1", 2.10, 91, "GB-Mo", {}),
    ("AmazonS3", "USE1-TimedStorage-ByteHrs", "StandardStorage", "nw-dev-scratch", "us-east-1", 0.70, 30, "GB-Mo",
     {"user_owner": "analytics"}),
    ("AmazonS3", "USE1-Requests-Tier2", "GetObject", "nw-dev-scratch", "us-east-1", 0.12, 300000, "Requests",
     {"user_owner": "analytics"}),
    ("AWSSecretsManager", "USE1-AWSSecretsManager-Secrets", "", f"arn:aws:secretsmanager:us-east-1:{DEV}:secret:nw-dev/mysql/admin-b8153c",
     "us-east-1", 0.013, 0.033, "Secrets", {}),
    ("AWSLambda", "USE1-Lambda-GB-Second", "Invoke", f"arn:aws:lambda:us-east-1:{DEV}:function:nw-dev-report-mailer",
     "us-east-1", 0.05, 3000, "Lambda-GB-Second", {}),
    ("AmazonEKS", "USE1-AmazonEKS-Hours:perCluster", "CreateOperation", f"arn:aws:eks:us-east-1:{DEV}:cluster/nw-dev-sandbox",
     "us-east-1", 2.40, 24, "Hours", {"user_env": "dev"}),
    ("AmazonGuardDuty", "USE1-PaidEventsAnalyzed", "", "", "us-east-1", 0.60, 0.15, "GB", {}),
]
GPU_DAY = date(2026, 11, 20)
GPU_INSTANCES = ["i-0f1e2d3c4b5a69788", "i-0f1e2d3c4b5a69789", "i-0f1e2d3c4b5a6978a", "i-0f1e2d3c4b5a6978b"]


def write_cur():
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(CUR_COLS)
    n = 0

    def row(d, code, ut, op, res, region, cost, qty, unit, tags, itype=""):
        nonlocal n
        n += 1
        r = {c: "" for c in CUR_COLS}
        r.update({
            "identity_line_item_id": f"nw{n:08x}",
            "identity_time_interval": f"{d.isoformat()}T00:00:00Z/{(d + timedelta(days=1)).isoformat()}T00:00:00Z",
            "bill_bill_type": "Anniversary", "bill_billing_entity": "AWS",
            "bill_billing_period_end_date": "2026-12-01T00:00:00Z",
            "bill_billing_period_start_date": "2026-11-01T00:00:00Z", "bill_invoicing_entity": "Amazon Web Services, Inc.",
            "bill_payer_account_id": PROD, "bill_payer_account_name": "nw-prod", "cost_category": "{}", "discount": "{}",
            "line_item_availability_zone": region + "a" if res.startswith("i-") else "",
            "line_item_blended_cost": cost, "line_item_currency_code": "USD",
            "line_item_legal_entity": "Amazon Web Services, Inc.",
            "line_item_line_item_description": f"{ut} usage", "line_item_line_item_type": "Usage",
            "line_item_net_unblended_cost": cost, "line_item_operation": op, "line_item_product_code": code,
            "line_item_resource_id": res, "line_item_unblended_cost": cost,
            "line_item_unblended_rate": round(cost / qty, 8) if qty else "",
            "line_item_usage_account_id": DEV, "line_item_usage_account_name": "nw-dev",
            "line_item_usage_amount": qty,
            "line_item_usage_end_date": f"{(d + timedelta(days=1)).isoformat()}T00:00:00Z",
            "line_item_usage_start_date": f"{d.isoformat()}T00:00:00Z", "line_item_usage_type": ut,
            "pricing_unit": unit, "product": json.dumps({"region": region, "servicename": code}),
            "product_instance_type": itype, "product_product_family": "Compute Instance" if itype else "",
            "product_region_code": region, "product_servicecode": code,
            "resource_tags": json.dumps(tags, sort_keys=True) if tags else "{}",
        })
        w.writerow([r[c] for c in CUR_COLS])

    for d in DAYS:
        for (code, ut, op, res, region, c, q, unit, tags) in cur_series:
            row(d, code, ut, op, res, region, noisy(c), q, unit, tags)
        if d == GPU_DAY:
            # 4 x p3.2xlarge for 23 hours at 3.06 USD/h: the planted spike
            for iid in GPU_INSTANCES:
                row(d, "AmazonEC2", "USE1-BoxUsage:p3.2xlarge", "RunInstances", iid, "us-east-1",
                    round(23 * 3.06, 2), 23, "Hrs", {}, "p3.2xlarge")
    with gzip.GzipFile(os.path.join(HERE, "cur2", f"{DEV}-cur2-2026-11-00001.csv.gz"), "wb", mtime=0) as f:
        f.write(out.getvalue().encode())


# ---------------------------------------------------------------- Azure
# Cost Management export, "Cost and usage details (actual)", EA schema (PascalCase).
SUB = "8f2d6c3e-5b1a-4e7d-9c0f-2a4b6d8e1f37"
AZ_COLS = ["InvoiceSectionName", "AccountName", "AccountOwnerId", "SubscriptionId", "SubscriptionName",
           "ResourceGroup", "ResourceLocation", "Date", "ProductName", "MeterCategory", "MeterSubCategory",
           "MeterId", "MeterName", "MeterRegion", "UnitOfMeasure", "Quantity", "EffectivePrice",
           "CostInBillingCurrency", "CostCenter", "ConsumedService", "ResourceId", "Tags", "OfferId",
           "AdditionalInfo", "ServiceInfo1", "ServiceInfo2", "ResourceName", "ReservationId", "ReservationName",
           "UnitPrice", "ProductOrderId", "ProductOrderName", "Term", "PublisherType", "PublisherName",
           "ChargeType", "Frequency", "PricingModel", "AvailabilityZone", "BillingAccountId",
           "BillingAccountName", "BillingCurrencyCode", "BillingPeriodStartDate", "BillingPeriodEndDate",
           "BillingProfileId", "BillingProfileName", "InvoiceSectionId", "IsAzureCreditEligible", "PartNumber",
           "PayGPrice", "PlanName", "ServiceFamily", "CostAllocationRuleName", "benefitId", "benefitName"]
RG = f"/subscriptions/{SUB}/resourceGroups"
az_series = [
    ("rg-nw-core-prod", "Virtual Machines", "Dsv5 Series", "D4s v5", "Microsoft.Compute",
     f"{RG}/rg-nw-core-prod/providers/Microsoft.Compute/virtualMachines/vm-nw-app-01", 4.61, 24, "1 Hour",
     {"owner": "platform", "env": "prod"}),
    ("rg-nw-legacy", "Virtual Machines", "BS Series Windows", "B2ms", "Microsoft.Compute",
     f"{RG}/rg-nw-legacy/providers/Microsoft.Compute/virtualMachines/vm-nw-legacy-win01", 2.02, 24, "1 Hour", {}),
    ("rg-nw-legacy", "Storage", "Standard HDD Managed Disks", "S10 LRS Disk", "Microsoft.Compute",
     f"{RG}/rg-nw-legacy/providers/Microsoft.Compute/disks/disk-nw-legacy-orphan", 0.20, 0.0333, "1/Month", {}),
    ("rg-nw-legacy", "Storage", "Standard Snapshots", "LRS Snapshot", "Microsoft.Compute",
     f"{RG}/rg-nw-legacy/providers/Microsoft.Compute/snapshots/snap-nw-legacy-db-export", 0.43, 8.6, "1 GB/Month", {}),
    ("rg-nw-core-prod", "Storage", "Tiered Block Blob", "Hot LRS Data Stored", "Microsoft.Storage",
     f"{RG}/rg-nw-core-prod/providers/Microsoft.Storage/storageAccounts/nwpublicweb", 0.35, 19, "1 GB/Month",
     {"owner": "web"}),
    ("rg-nw-core-prod", "SQL Database", "General Purpose - Compute Gen5", "vCore", "Microsoft.Sql",
     f"{RG}/rg-nw-core-prod/providers/Microsoft.Sql/servers/sql-nw-core-prod/databases/nwcore", 12.10, 48, "1 Hour",
     {"owner": "data-eng", "env": "prod", "data-classification": "restricted"}),
    ("rg-nw-legacy", "SQL Database", "Single Basic", "B DTUs", "Microsoft.Sql",
     f"{RG}/rg-nw-legacy/providers/Microsoft.Sql/servers/sql-nw-legacy/databases/legacydb", 0.16, 1, "1/Day", {}),
    ("rg-nw-security", "Microsoft Defender for Cloud", "Standard", "Standard Node", "Microsoft.Security",
     f"/subscriptions/{SUB}/providers/Microsoft.Security/pricings/VirtualMachines", 1.20, 4, "1 Node/Day", {}),
    ("rg-nw-security", "Sentinel", "Analysis", "Pay-as-you-go Analysis", "Microsoft.OperationalInsights",
     f"{RG}/rg-nw-security/providers/Microsoft.OperationalInsights/workspaces/law-nw-sec", 5.22, 1.0, "1 GB", {"owner": "secops"}),
    ("rg-nw-core-prod", "Key Vault", "", "Operations", "Microsoft.KeyVault",
     f"{RG}/rg-nw-core-prod/providers/Microsoft.KeyVault/vaults/kv-nw-core", 0.09, 3, "10K", {"owner": "platform"}),
    ("rg-nw-network", "Bandwidth", "Inter-Region", "Intra Continent Data Transfer Out", "Microsoft.Network",
     f"{RG}/rg-nw-core-prod/providers/Microsoft.Compute/virtualMachines/vm-nw-app-01", 0.60, 30, "1 GB",
     {"owner": "platform", "env": "prod"}),
]


def write_azure():
    out = io.StringIO()
    out.write("\ufeff")  # exports start with a UTF-8 byte order mark
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(AZ_COLS)
    for d in DAYS:
        for (rg, cat, sub, meter, svc, rid, c, q, unit, tags) in az_series:
            cost = noisy(c)
            r = {k: "" for k in AZ_COLS}
            r.update({
                "AccountName": "Northwind", "SubscriptionId": SUB, "SubscriptionName": "nw-azure-prod",
                "ResourceGroup": rg, "ResourceLocation": "EastUS", "Date": d.strftime("%m/%d/%Y"),
                "ProductName": f"{cat} {sub} - {meter}".strip(), "MeterCategory": cat, "MeterSubCategory": sub,
                "MeterId": "00000000-0000-0000-0000-0000000000%02d" % (az_series.index((rg, cat, sub, meter, svc, rid, c, q, unit, tags)) + 1),
                "MeterName": meter, "MeterRegion": "US East", "UnitOfMeasure": unit, "Quantity": q,
                "EffectivePrice": round(cost / q, 6), "CostInBillingCurrency": cost, "ConsumedService": svc,
                "ResourceId": rid, "Tags": (", ".join(f'"{k}": "{v}"' for k, v in sorted(tags.items()))) if tags else "",
                "OfferId": "MS-AZR-0017P", "ResourceName": rid.rsplit("/", 1)[-1], "UnitPrice": round(cost / q, 6),
                "PublisherType": "Azure", "ChargeType": "Usage", "Frequency": "UsageBased", "PricingModel": "OnDemand",
                "BillingAccountId": "87654321", "BillingAccountName": "Northwind Analytics EA",
                "BillingCurrencyCode": "USD", "BillingPeriodStartDate": "11/01/2026",
                "BillingPeriodEndDate": "11/30/2026", "BillingProfileId": "87654321",
                "BillingProfileName": "Northwind Analytics EA", "IsAzureCreditEligible": "TRUE",
                "PayGPrice": round(cost / q, 6), "ServiceFamily": "Compute" if cat == "Virtual Machines" else cat,
            })
            w.writerow([r[k] for k in AZ_COLS])
    with open(os.path.join(HERE, "azure", f"{SUB}-actualcost-202611.csv"), "w", newline="") as f:
        f.write(out.getvalue())


# ---------------------------------------------------------------- GCP
# Standard usage cost export table, extracted with
#   bq extract --destination_format NEWLINE_DELIMITED_JSON <dataset>.gcp_billing_export_v1_<ACCOUNT>
PROJECT = "nw-analytics-prod"
gcp_series = [
    ("6F81-5844-456A", "Compute Engine", "2E27-4F75-95CD", "N2 Instance Core running in Americas",
     "projects/nw-analytics-prod/zones/us-central1-a/instances/nw-etl-worker-1", "us-central1", 18.24, 96, "hour",
     {"owner": "data-eng", "env": "prod"}),
    ("6F81-5844-456A", "Compute Engine", "D973-5D65-BAB2", "E2 Instance Core running in Americas",
     "projects/nw-analytics-prod/zones/us-central1-a/instances/nw-jupyter-legacy", "us-central1", 1.58, 48, "hour", {}),
    ("6F81-5844-456A", "Compute Engine", "9A3E-5E2C-6E8A", "Storage PD Snapshot",
     "projects/nw-analytics-prod/global/snapshots/nw-jupyter-legacy-export", "us-central1", 0.33, 12.4, "gibibyte month", {}),
    ("95FF-2EF5-5EA1", "Cloud Storage", "E5F0-6A5F-7A6E", "Standard Storage US Multi-region",
     "projects/_/buckets/nw-public-reports", "us", 0.21, 8, "gibibyte month", {"owner": "web"}),
    ("95FF-2EF5-5EA1", "Cloud Storage", "E5F0-6A5F-7A6F", "Standard Storage US Regional",
     "projects/_/buckets/nw-analytics-prod-datalake", "us-central1", 25.80, 1290, "gibibyte month",
     {"owner": "data-eng", "data-classification": "confidential"}),
    ("95FF-2EF5-5EA1", "Cloud Storage", "EFD2-4D18-1D6E", "Class A Operations",
     "projects/_/buckets/nw-analytics-prod-datalake", "us-central1", 3.10, 620000, "count",
     {"owner": "data-eng", "data-classification": "confidential"}),
    ("9662-B51E-5089", "Cloud SQL", "D5D1-9C8E-4F3A", "Cloud SQL for MySQL: Zonal - vCPU in Americas",
     "projects/nw-analytics-prod/instances/nw-legacy-mysql", "us-central1", 2.28, 48, "hour", {}),
    ("24E6-581D-38E5", "BigQuery", "B1C4-5D8B-81E4", "Analysis", "", "us", 11.50, 2.3, "tebibyte", {"owner": "bi"}),
    ("E3F1-2D1C-3B4A", "Security Command Center", "7F2A-1E3B-4C5D", "Security Command Center Premium",
     "", "global", 8.00, 1, "count", {}),
    ("E505-1604-58F8", "Networking", "D3D6-8B6A-46D1", "Cloud Armor Policy Charge",
     "projects/nw-analytics-prod/global/securityPolicies/nw-web-armor", "global", 0.17, 0.0333, "count", {}),
    ("E3F1-2D1C-0E0F", "Cloud Key Management Service (KMS)", "8A7B-5D6C-2E1F", "Active HSM symmetric key versions",
     "projects/nw-analytics-prod/locations/us-central1/keyRings/nw-prod-ring/cryptoKeys/partner-share-key",
     "us-central1", 0.03, 0.0333, "month", {}),
]


def write_gcp():
    lines = []
    for d in DAYS:
        for (sid, sdesc, skid, skdesc, res, loc, c, q, unit, labels) in gcp_series:
            cost = noisy(c)
            credits = []
            if sdesc == "Compute Engine" and "Core" in skdesc:
                credits = [{"name": "Sustained Usage Discount", "amount": round(-0.1 * cost, 6),
                            "full_name": "", "id": "", "type": "SUSTAINED_USAGE_DISCOUNT"}]
            rec = {
                "billing_account_id": "01A2B3-C4D5E6-F7A8B9",
                "service": {"id": sid, "description": sdesc},
                "sku": {"id": skid, "description": skdesc},
                "usage_start_time": f"{d.isoformat()} 00:00:00 UTC",
                "usage_end_time": f"{(d + timedelta(days=1)).isoformat()} 00:00:00 UTC",
                "project": {"id": PROJECT, "number": "418273645091", "name": "nw-analytics-prod",
                            "labels": [{"key": "env", "value": "prod"}], "ancestry_numbers": "/583920174615/771245098310/"},
                "labels": [{"key": k, "value": v} for k, v in sorted(labels.items())],
                "system_labels": [],
                "location": {"location": loc, "country": "US", "region": loc if "-" in loc else None,
                             "zone": None},
                "resource": {"name": res or None, "global_name": None},
                "export_time": f"{(d + timedelta(days=1)).isoformat()} 06:12:44.123 UTC",
                "cost": cost, "currency": "USD", "currency_conversion_rate": 1.0,
                "usage": {"amount": q, "unit": unit, "amount_in_pricing_units": q, "pricing_unit": unit},
                "credits": credits, "invoice": {"month": "202611"}, "cost_type": "regular",
                "adjustment_info": None,
            }
            lines.append(json.dumps(rec, separators=(",", ":")))
    with open(os.path.join(HERE, "gcp", "gcp_billing_export_v1_01A2B3_C4D5E6_F7A8B9-202611.json"), "w") as f:
        f.write("\n".join(lines) + "\n")


for sub in ("focus", "cur2", "azure", "gcp"):
    os.makedirs(os.path.join(HERE, sub), exist_ok=True)
write_focus()
write_cur()
write_azure()
write_gcp()
