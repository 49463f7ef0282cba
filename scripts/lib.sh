# Shared helpers for the scripts in this folder. Source it; do not run it.
# shellcheck shell=bash

# Prints a step header so long runs are easy to follow in CI logs. With STEP_LOG set (scripts/test
# sets it), also notes when the step began, for `step_times`.
step() {
  printf '\n==> %s  [%s]\n' "$*" "$(date +%T)"
  if [ -n "${STEP_LOG:-}" ]; then printf '%s\t%s\n' "$(date +%s)" "$*" >> "$STEP_LOG"; fi
}

# Prints how long each step noted in STEP_LOG took, longest first, in seconds. A line of STEP_LOG
# is `start<TAB>name` for a step that ends where the next begins, or `start<TAB>end<TAB>name` for
# one of the jobs `side_by_side` ran.
step_times() {
  [ -n "${STEP_LOG:-}" ] && [ -s "$STEP_LOG" ] || return 0
  printf '%s\tend\n' "$(date +%s)" >> "$STEP_LOG"
  awk -F '\t' '
    NF == 3 { printf "%6d s    %s (side by side)\n", $2 - $1, $3; next }
    seen { printf "%6d s  %s\n", $1 - start, name }
    { start = $1; name = $2; seen = 1 }' "$STEP_LOG" | sort -rn
}

# Runs jobs at the same time: `side_by_side NAME FUNCTION [NAME FUNCTION]...`. Each function runs
# in the background with its output in target/test-logs/FUNCTION.log, printed when it ends (so
# the jobs' lines do not interleave). Waits for every job, then fails if any failed.
side_by_side() {
  local logs=target/test-logs pid status
  local -A name_of=() log_of=() began_at=()
  local failed=()
  mkdir -p "$logs"
  while [ "$#" -ge 2 ]; do
    "$2" > "$logs/$2.log" 2>&1 &
    pid=$!
    name_of[$pid]=$1
    log_of[$pid]="$logs/$2.log"
    began_at[$pid]=$(date +%s)
    printf '    started: %s (its output follows when it ends; meanwhile in %s)\n' "$1" "$logs/$2.log"
    shift 2
  done
  while [ "${#name_of[@]}" -gt 0 ]; do
    status=0
    wait -n -p pid "${!name_of[@]}" || status=$?
    printf '\n==> %s: %s after %s s  [%s]\n' "${name_of[$pid]}" \
      "$([ "$status" -eq 0 ] && echo passed || echo "FAILED (exit $status)")" \
      "$(( $(date +%s) - began_at[$pid] ))" "$(date +%T)"
    cat "${log_of[$pid]}"
    if [ -n "${STEP_LOG:-}" ]; then
      printf '%s\t%s\t%s\n' "${began_at[$pid]}" "$(date +%s)" "${name_of[$pid]}" >> "$STEP_LOG"
    fi
    [ "$status" -eq 0 ] || failed+=("${name_of[$pid]}")
    unset "name_of[$pid]"
  done
  if [ "${#failed[@]}" -gt 0 ]; then
    printf '\nfailed: %s\n' "${failed[@]}" >&2
    return 1
  fi
}

# Runs a command as root (directly when we are root, else through sudo).
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# The Cargo features every build of the app uses, so that build, clippy and test share artifacts.
APP_FEATURES=(--features custom-protocol)

# Prints a free TCP port on 127.0.0.1.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# The Tauri config fragment that puts the update helper built in the profile folder $1 (e.g.
# target/release) into the .deb. kioskctl needs none: it is the app binary, linked as
# /usr/bin/kioskctl by postinst (packaging/deb/postinst). Merged with --config, so
# tauri.conf.json need not name a build directory.
update_helper_in_deb() {
  printf '{"bundle":{"linux":{"deb":{"files":{"/usr/libexec/tongban/update-helper":"%s"}}}}}' \
    "$(realpath "$1/tongban-update-helper")"
}
