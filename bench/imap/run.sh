#!/usr/bin/env bash
# IMAP, GovMail against Dovecot, in one invocation: builds govmail (Release) and the load generator, raises the open-file
# limit, runs (a) N connections in IDLE and (b) the mixed workload against both, prints the tables and writes the "IMAP"
# section of docs/performance.md.
#
#   bench/imap/run.sh                                        # 10,000 connections in IDLE; 8 clients × 30 s of mixed work
#   bench/imap/run.sh --connections 1000 --seconds 10        # smaller
#   bench/imap/run.sh --help                                 # every option
#
# Needs root for the first run (apt-get install dovecot-core dovecot-imapd; scripts/dovecot-instance) and for the open-file
# limit (each connection is a descriptor in the client and one or more in the server).
set -euo pipefail
cd "$(dirname "$0")/../.."
export GOVMAIL_BENCH_COMMAND="bench/imap/run.sh"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
bash scripts/dovecot-instance install
ulimit -n 1048576 2>/dev/null || ulimit -n "$(ulimit -Hn)"
exec dotnet run -c Release --project bench/GovMail.Bench.Imap -- "$@"
