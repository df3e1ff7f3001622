#!/usr/bin/env bash
# Scale-out: SMTP ingest and the IMAP mixed workload with 1, 2 and 3 `govmail serve` nodes on one PostgreSQL and one shared
# blob folder, in one invocation: builds govmail (Release) and the load generator, starts a throw-away PostgreSQL (unless
# --postgres names one), prints msgs/s and ops/s per node count and, with --write-docs, writes the "Scale-out" section of
# docs/performance.md.
#
#   bench/cluster/run.sh                                            # nodes 1,2,3; 20,000 messages; 12 IMAP clients × 30 s
#   bench/cluster/run.sh --messages 500 --seconds 5 --accounts 4 --clients 2 --preload 20 --warmup 0   # a quick check
#   bench/cluster/run.sh --write-docs                               # on a quiet machine: record the figures
#   bench/cluster/run.sh --help                                     # every option
#
# Needs PostgreSQL's server binaries (scripts/postgres-test-cluster installs Debian's when run as root) and psql.
set -euo pipefail
cd "$(dirname "$0")/../.."
export GOVMAIL_BENCH_COMMAND="bench/cluster/run.sh"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

given=0
for a in "$@"; do
  case "$a" in --postgres|-h|--help) given=1 ;; esac
done
if [ "$given" = 0 ]; then
  export GOVMAIL_PG_DIR="${GOVMAIL_BENCH_PG_DIR:-$(mktemp -d /tmp/govmail-bench-pg-XXXXXX)}"
  trap 'scripts/postgres-test-cluster stop' EXIT
  GOVMAIL_BENCH_POSTGRES=$(scripts/postgres-test-cluster start)
  export GOVMAIL_BENCH_POSTGRES
fi
dotnet run -c Release --project bench/GovMail.Bench.Cluster -- "$@"
