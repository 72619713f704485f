# Sourced by the test scripts: $T, a temporary folder removed at exit (a
# script that needs more cleaning sets its own trap, which replaces this
# one); check NAME COMMAND... runs COMMAND and counts it as passed or failed
# ("ok   NAME" / "FAIL NAME"); ok NAME and bad NAME count by hand; same NAME
# EXPECTED ACTUAL checks two texts are equal and shows both if not; finish
# prints the counts and returns the verdict (the script's last command);
# need_numpy skips the script (exit 77) when /usr/bin/python3 has no numpy.
T=$(mktemp -d "${TMPDIR:-/tmp}/headviz-test.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; }
check() { # check NAME CONDITION...
  local name=$1
  shift
  if "$@"; then ok "$name"; else bad "$name"; fi
}
same() { # same NAME EXPECTED ACTUAL: a check that the two texts are equal, else both shown
  if [ "$2" = "$3" ]; then
    check "$1" true
  else
    check "$1" false
    printf '  expected:\n%s\n  got:\n%s\n' "$2" "$3" | sed 's/^/    /'
  fi
}
finish() {
  echo "$pass passed, $fail failed"
  [ "$fail" -eq 0 ]
}
need_numpy() {
  if ! /usr/bin/python3 -c 'import numpy' 2>/dev/null; then
    echo "skip: /usr/bin/python3 cannot import numpy (apt-get install python3-numpy)"
    exit 77
  fi
}
