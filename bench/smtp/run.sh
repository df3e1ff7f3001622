#!/usr/bin/env bash
# SMTP ingest, GovMail against Postfix + Dovecot, in one invocation: builds govmail (Release) and the load generator, runs the
# same load against both, prints the table and writes the "SMTP ingest" section of docs/performance.md.
#
#   bench/smtp/run.sh                                   # N=20000 messages, M=16 sessions, 10 KB, 100 recipients
#   bench/smtp/run.sh --messages 2000 --sessions 8      # smaller
#   bench/smtp/run.sh --help                            # every option
#
# Needs root for the first run (apt-get install postfix dovecot-core dovecot-lmtpd; bench/smtp/postfix-dovecot.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
export GOVMAIL_BENCH_COMMAND="bench/smtp/run.sh"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
bash bench/smtp/postfix-dovecot.sh install
exec dotnet run -c Release --project bench/GovMail.Bench.Smtp -- "$@"
