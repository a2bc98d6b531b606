#!/usr/bin/env python3
"""Generate the Northwind Analytics sample organization under examples/org.

Usage (from the repository root):  python3 examples/tools/gen_org.py

Writes the cloud exports (aws/, azure/, gcp/), expected.json and EXPECTED.md.
The output is deterministic; the committed files are this script's output.
It checks that every built-in rule id (read from the custom.id annotations
under internal/rules/builtin) has at least one planted misconfiguration.
"""

import collections
import json
import os
import re
import shutil
import sys

sys.dont_write_bytecode = True  # keep examples/tools free of __pycache__
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import org_aws  # noqa: E402
import org_azure  # noqa: E402
import org_azure_v2  # noqa: E402
import org_gcp  # noqa: E402
import org_overlay  # noqa: E402
from orglib import CLEAN, INCIDENTAL, PLANTED, write_json, write_text  # noqa: E402

REPO = os.path.dirname(os.path.dirname(HERE))
OUT = os.path.join(REPO, "examples", "org")

# The catalogue of built-in rule ids the sample must cover.
RULE_IDS = """
storage-public-access storage-public-access-not-blocked storage-unencrypted storage-versioning-disabled
storage-access-logging-disabled storage-insecure-transport firewall-ssh-open-to-internet
firewall-rdp-open-to-internet firewall-all-ports-open-to-internet firewall-database-ports-open-to-internet
database-public-endpoint database-unencrypted database-backups-disabled database-ssl-not-required
database-open-to-any-ip key-rotation-disabled audit-logging-disabled compute-public-ip compute-disk-unencrypted
identity-stale-access-keys identity-unused-credentials iam-primitive-role-broad iam-public-binding
threat-detection-disabled
aws-root-access-keys aws-root-mfa-disabled aws-user-console-without-mfa aws-user-multiple-active-keys
aws-user-direct-admin aws-password-policy-weak aws-cloudtrail-not-multi-region aws-cloudtrail-log-validation-disabled
aws-cloudtrail-not-encrypted-with-kms aws-ec2-imdsv1-allowed aws-default-security-group-not-restricted
aws-vpc-flow-logs-disabled aws-ebs-default-encryption-disabled aws-rds-auto-minor-upgrade-disabled
aws-security-contact-missing
azure-storage-min-tls azure-storage-network-not-restricted azure-storage-soft-delete-disabled
azure-keyvault-purge-protection-disabled azure-keyvault-public-network azure-keyvault-rbac-disabled
azure-key-no-expiry azure-sql-auditing-disabled azure-activity-log-retention-short azure-security-contact-missing
azure-custom-owner-role azure-vm-no-managed-identity azure-network-flow-logs-disabled
gcp-default-service-account-full-access gcp-default-service-account-used gcp-service-account-admin
gcp-service-account-user-managed-keys gcp-serial-port-enabled gcp-ip-forwarding-enabled gcp-shielded-vm-disabled
gcp-bucket-uniform-access-disabled gcp-default-network gcp-kms-key-public gcp-audit-config-incomplete
gcp-subnet-flow-logs-disabled
""".split()


def builtin_rule_ids():
    ids = set()
    d = os.path.join(REPO, "internal", "rules", "builtin")
    for dirpath, _, files in os.walk(d):
        for f in files:
            if f.endswith(".rego") and not f.endswith("_test.rego"):
                with open(os.path.join(dirpath, f), encoding="utf-8") as fh:
                    m = re.search(r"^#\s+id:\s*(\S+)", fh.read(), re.M)
                    if m:
                        ids.add(m.group(1))
    return ids


def main():
    for sub in ("aws", "azure", "entra", "gcp"):
        shutil.rmtree(os.path.join(OUT, sub), ignore_errors=True)
    counts = collections.OrderedDict()
    counts["aws/" + org_aws.PROD] = org_aws.build_prod(OUT)
    counts["aws/" + org_aws.DEV] = org_aws.build_dev(OUT)
    __import__("org_aws_v2").main(OUT)  # AWS issue-6 items and CLI outputs, expected-aws.json
    counts["azure/" + org_azure.SUB] = org_azure.build(OUT)
    # the Azure rows of the classes added by issue 6, and expected-azure.json (called here, not after the
    # checks below, so that examples/org/azure is complete even when a check stops the script)
    counts["azure/" + org_azure.SUB] += org_azure_v2.main(OUT)
    counts["entra/entra-" + org_azure.TENANT] = __import__("org_entra").build(OUT)  # users and tenant policies
    counts["gcp/" + org_gcp.PROJECT] = org_gcp.build(OUT)
    __import__("org_gcp_v2").main(OUT)  # GCP issue-6 assets, the organization export, expected-gcp.json

    # consistency checks
    planted_ids = {(p["rule_id"], p["resource_id"]) for p in PLANTED}
    assert len(planted_ids) == len(PLANTED), "duplicate planted entry"
    failing = {p["resource_id"] for p in PLANTED}
    for c in CLEAN:
        assert c["resource_id"] not in failing, "clean resource also planted: " + c["resource_id"]
    # a clean resource's per-rule marks (planted_rules) name rules planted on it in some expected*.json
    extra_planted = set()
    for name in sorted(os.listdir(OUT)):
        if name.startswith("expected-") and name.endswith(".json"):
            with open(os.path.join(OUT, name), encoding="utf-8") as f:
                extra_planted |= {(p["rule_id"], p["resource_id"]) for p in json.load(f).get("planted", [])}
    for c in CLEAN:
        for rule in c.get("planted_rules", ()):
            assert (rule, c["resource_id"]) in extra_planted, "clean %s marks %s, not planted on it" % (
                c["resource_id"], rule)
    assert len({c["resource_id"] for c in CLEAN}) == len(CLEAN), "duplicate clean entry"
    wanted = set(RULE_IDS) | builtin_rule_ids()
    # the extensions' plants are in expected-<cloud>.json beside expected.json
    extra = set()
    for name in sorted(os.listdir(OUT)):
        if name.startswith("expected-") and name.endswith(".json"):
            with open(os.path.join(OUT, name), encoding="utf-8") as f:
                extra |= {p["rule_id"] for p in json.load(f).get("planted", [])}
    # Rules no cloud export can trigger: Kubernetes objects (k8s-*) and the
    # facts only IaC carries (internal/scan/examples_test.go lists the same).
    not_in_exports = {r for r in wanted if r.startswith("k8s-")} | IAC_ONLY
    # Governance rules judge only with a governance policy (examples/org/governance.yaml); their
    # expectations are governance-expected.json's, checked by TestSampleOrganizationGovernance.
    not_in_exports |= {r for r in wanted if r.startswith("governance-")}
    missing = sorted(wanted - {p["rule_id"] for p in PLANTED} - extra - not_in_exports)
    if missing:
        sys.exit("rules with no planted misconfiguration: " + ", ".join(missing))
    unknown = sorted({p["rule_id"] for p in PLANTED} - wanted)
    if unknown:
        sys.exit("planted rule ids not in the catalogue: " + ", ".join(unknown))

    planted = sorted(PLANTED, key=lambda p: (p["rule_id"], p["provider"], p["resource_id"]))
    cleans = sorted(CLEAN, key=lambda c: (c["provider"], c["class"], c["resource_id"]))
    write_json(os.path.join(OUT, "expected.json"), {
        "scan_time": "2026-11-24T06:00:00Z",
        "planted": [{"rule_id": p["rule_id"], "resource_id": p["resource_id"], "provider": p["provider"],
                     "why": p["why"]} for p in planted],
        "clean": [{"resource_id": c["resource_id"], "provider": c["provider"], "class": c["class"],
                   "note": c["note"], **({"planted_rules": c["planted_rules"]} if "planted_rules" in c else {})}
                  for c in cleans],
        "incidental": INCIDENTAL,
    })
    # the resources added after the scenario scripts (reachability, resilience, data residency):
    # examples/tools/org_overlay.json
    for rel, n in org_overlay.apply(OUT).items():
        key = "/".join(rel.split("/")[:2])
        if key in counts:
            counts[key] += n
    __import__("org_aws_cis").after_overlay(OUT)  # the CIS items of the snapshots the overlay writes
    write_text(os.path.join(OUT, "EXPECTED.md"), expected_md(planted, cleans, counts))
    total = sum(counts.values())
    print("records per export: %s; total %d; planted %d (%d rules); clean %d"
          % (dict(counts), total, len(planted), len({p["rule_id"] for p in planted}), len(cleans)))


# Rules whose facts no export carries: EC2 user data and Azure custom data are
# not in AWS Config items or Resource Graph rows; ELBv2 load balancer
# attributes (deletion protection) are not in AWS Config items; a database
# password written in source code exists only in IaC.
IAC_ONLY = {"compute-user-data-secrets", "lb-deletion-protection-disabled", "database-credentials-in-source"}


def expected_md(planted, cleans, counts):
    L = ["# Northwind Analytics: expected scan results", "",
         "Generated by `examples/tools/gen_org.py` together with the exports; the machine-readable twin is",
         "[`expected.json`](expected.json). Ages are relative to the collection time 2026-11-24T06:00:00Z, so scan",
         "with `--now 2026-11-24T06:00:00Z` to reproduce them (without it, age-based results drift as the",
         "sample gets older).", "",
         "This page lists the original scenario. The resources of the classes added later (disks, snapshots,",
         "IAM policies, functions, clusters, load balancers, queues, secrets, registries, DNS, CDN, API",
         "gateways, flow logs, organization nodes) are listed, planted and clean, in",
         "[`expected-aws.json`](expected-aws.json), [`expected-azure.json`](expected-azure.json) and",
         "[`expected-gcp.json`](expected-gcp.json); the sample-organization test reads every `expected*.json`. The",
         "classified data stores of the governance scenario (below) are in",
         "[`governance-expected.json`](governance-expected.json), judged under [`governance.yaml`](governance.yaml)",
         "by the governance test.", "",
         "Records per export (configuration items, ARG rows, CAI assets, credential-report root rows):", ""]
    for k, v in counts.items():
        L.append("- `%s`: %d" % (k, v))
    L += ["", org_overlay.expected_md().rstrip("\n")]
    L += ["", "## Planted misconfigurations (%d, covering %d rules)" % (len(planted),
                                                                       len({p["rule_id"] for p in planted})),
          "", "Each must be reported as FAIL.", "",
          "| rule | cloud | resource | why |", "|---|---|---|---|"]
    for p in planted:
        L.append("| `%s` | %s | `%s` | %s |" % (p["rule_id"], p["provider"], p["resource_id"], p["why"]))
    L += ["", "## Documented-clean resources (%d)" % len(cleans), "",
          "None of these may have a FAIL from any rule (PASS or UNKNOWN only), but for the rules planted on them",
          "that a row names.", "",
          "| cloud | class | resource | why it is clean |", "|---|---|---|---|"]
    for c in cleans:
        note = c["note"]
        if c.get("planted_rules"):
            note += " (except %s, planted on it)" % ", ".join("`%s`" % r for r in c["planted_rules"])
        L.append("| %s | %s | `%s` | %s |" % (c["provider"], c["class"], c["resource_id"], note))
    L += ["", "## Incidental failures", "",
          "Not planted for their own sake but consequences of the scenario; a scan may report them (resource IDs",
          "containing the given text).", "", "| rule | cloud | resource ID contains | why |", "|---|---|---|---|"]
    for i in INCIDENTAL:
        L.append("| `%s` | %s | `%s` | %s |" % (i["rule_id"], i["provider"], i["resource_id_contains"], i["why"]))
    L += ["", "## Identifier conventions", "",
          "- AWS resources: the configuration item `ARN` (S3 `arn:aws:s3:::<bucket>`, security groups",
          "  `arn:aws:ec2:<region>:<account>:security-group/sg-...`); IAM users and root: the ARN in the credential",
          "  report (`arn:aws:iam::<account>:root` for `<root_account>`).",
          "- AWS account-level findings: `aws-account/<account>`; the account password policy:",
          "  `arn:aws:iam::<account>:account-password-policy`.",
          "- Azure: the Resource Graph `id` as exported; subscription-level findings: `/subscriptions/<id>`.",
          "- GCP: the Cloud Asset `name`; the project (also its audit configuration):",
          "  `//cloudresourcemanager.googleapis.com/projects/<number>`, its audit configuration",
          "  `//cloudresourcemanager.googleapis.com/projects/<number>#auditConfigs`; one IAM grant:",
          "  `<asset name>#iam/<role>/<member>`.", ""]
    return "\n".join(L)


if __name__ == "__main__":
    main()
