#!/usr/bin/env bash
# The resilience harness (tests/Skyport.ResilienceTests) at full size: crash trials and the soak under faults, on SQLite and
# PostgreSQL, against Skyport and the emulator run as processes. Prints the figures and keeps the whole output in a log.
#   SKYPORT_TEST_POSTGRES="Host=127.0.0.1;Port=5432;Username=postgres" bench/resilience.sh [test filter]
# Sizes: SKYPORT_RESILIENCE_SIZE=full (default here: 40 crash trials per operation and database, 10,000 soak operations
# per database); or SKYPORT_CRASH_TRIALS / SKYPORT_SOAK_OPERATIONS; SKYPORT_RESILIENCE_SEED repeats a run.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${SKYPORT_TEST_POSTGRES:?set SKYPORT_TEST_POSTGRES to a PostgreSQL server, e.g. Host=127.0.0.1;Port=5432;Username=postgres}"
export SKYPORT_RESILIENCE_SIZE="${SKYPORT_RESILIENCE_SIZE:-full}"
filter="${1:-FullyQualifiedName~Skyport.ResilienceTests}"
log="$(mktemp /tmp/skyport-resilience.XXXXXX.log)"

dotnet build Skyport.slnx -c Release -warnaserror -nologo -v quiet
status=0
dotnet test tests/Skyport.ResilienceTests -c Release --no-build --nologo --filter "$filter" \
  --logger "console;verbosity=detailed" >"$log" 2>&1 || status=$?
grep -E "^\s*(soak on|[a-z ]+ on (Sqlite|Postgres): [0-9]+ trials)|^\s*(Passed|Failed) " "$log" | sed 's/^ *//' | sort -u
echo "Full output: $log"
exit $status
