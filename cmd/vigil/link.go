package main

// DuckDB's Go bindings link with -rdynamic so that extensions downloaded at
// run time (INSTALL/LOAD) can resolve DuckDB's C++ symbols in the
// executable. vigil uses only the extensions linked into the binary (json,
// parquet, icu, core_functions, ...), and exporting all 60,000 symbols costs
// every start of every command: 6.8 MB of dynamic symbol tables loaded and
// looked through by the dynamic linker (about 3 MB of peak RSS for vigil iac,
// docs/iac.md). The flag below takes the export back out; gcc puts
// -export-dynamic before any -Wl option, so this wins whatever the order
// of the packages' flags.

// #cgo linux LDFLAGS: -Wl,--no-export-dynamic
import "C"
