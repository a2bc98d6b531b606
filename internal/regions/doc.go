// Package regions is the table of cloud regions vigil ships: for every
// region of AWS, Azure and Google Cloud, the country it is in (ISO 3166-1
// alpha-2) and the jurisdiction whose law governs data stored there, the
// Azure paired region (the secondary of geo-redundant storage), and the
// member regions of multi- and dual-regions (GCS EU, US, ASIA, NAM4,
// EUR4...; Azure logical geographies).
//
// The table is data (regions.csv, jurisdictions.csv), embedded and parsed
// once into an immutable table; its header names the published lists it was
// built from. Lookups are case-insensitive and accept the display name as
// well as the code (Azure "East US" and "eastus"), and an availability
// zone for its region (us-east-1a, europe-west1-b).
//
// A region the table does not know is reported as not found: callers leave
// country and jurisdiction unknown, never guessed.
package regions
