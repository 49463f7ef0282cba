# Shared helpers for the scripts in this folder. Source it; do not run it.
# shellcheck shell=bash

# Prints a step header so long runs are easy to follow in CI logs. With STEP_LOG set (scripts/test
# sets it), also notes when the step began, for `step_times`.
step() {
  printf '\n==> %s  [%s]\n' "$*" "$(date +%T)"
  if [ -n "${STEP_LOG:-}" ]; then printf '%s\t%s\n' "$(date +%s)" "$*" >> "$STEP_LOG"; fi
}

# Prints how long each step noted in STEP_LOG took, longest first, in seconds.
step_times() {
  [ -n "${STEP_LOG:-}" ] && [ -s "$STEP_LOG" ] || return 0
  printf '%s\tend\n' "$(date +%s)" >> "$STEP_LOG"
  awk -F '\t' 'NR > 1 { printf "%6d s  %s\n", $1 - start, name } { start = $1; name = $2 }' \
    "$STEP_LOG" | sort -rn
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
