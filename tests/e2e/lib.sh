# Shared helpers for the whole-program tests (sourced, not run).
set -uo pipefail
: "${SNNFIT:?SNNFIT must point to the snnfit binary}"
PY=/usr/bin/python3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }
# expect_error NAME EXPECTED_STATUS EXPECTED_MESSAGE_REGEX -- snnfit args...
# The command must exit with the status, print exactly one line on stderr matching
# the regex, and never a stack trace or an HDF5 error dump.
expect_error() {
  local name=$1 status=$2 regex=$3; shift 4
  local out err rc
  out=$("$SNNFIT" "$@" 2>"$work/err"); rc=$?
  err=$(cat "$work/err")
  if [ "$rc" -ne "$status" ]; then fail "$name: exit $rc, expected $status (stderr: $err)"; return; fi
  if [ "$(printf '%s\n' "$err" | grep -c .)" -ne 1 ]; then fail "$name: expected one line on stderr, got: $err"; return; fi
  if ! printf '%s' "$err" | grep -Eq -- "$regex"; then fail "$name: message '$err' does not match /$regex/"; return; fi
  pass "$name"
}
finish() {
  if [ "$failures" -ne 0 ]; then echo "$failures failed"; exit 1; fi
  echo "all passed"
}
