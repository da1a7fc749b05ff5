#!/usr/bin/env bash
# Binary size and cold `piao build` time of the 600-indicator synthetic plan
# (the one `cargo bench` uses) for the release and the dist profile: the
# figures of BENCHMARKS.md, «Profili di compilazione». Builds what is missing.
#   scripts/misura-profili.sh [RUNS]      (default 9 runs each, median)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-9}
target_dir=${CARGO_TARGET_DIR:-target}

cargo build --locked --release --bin piao --example sintetico
cargo build --locked --profile dist --bin piao
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$target_dir/release/examples/sintetico" 600 "$work/sintetico-600.xlsx"

one_ms() { # a fresh `piao build` by binary $1, wall time in ms
  rm -rf "$work/out"
  local t0
  t0=$(date +%s%N)
  "$1" build --out "$work/out" "$work/sintetico-600.xlsx" >/dev/null
  echo $((($(date +%s%N) - t0) / 1000000))
}
median() { sort -n | sed -n "$(((runs + 1) / 2))p"; }

# Alternate the two binaries, so that a busy moment of the machine weighs on
# both alike.
release=() dist=()
for _ in $(seq 1 "$runs"); do
  release+=("$(one_ms "$target_dir/release/piao")")
  dist+=("$(one_ms "$target_dir/dist/piao")")
done

printf '| profilo | dimensione | build a freddo, 600 indicatori (mediana di %s; min–max) |\n|---|---:|---:|\n' "$runs"
for profile in release dist; do
  bin=$target_dir/$profile/piao
  size=$(stat -c %s "$bin")
  unset -n times 2>/dev/null || true
  declare -n times=$profile
  sorted=$(printf '%s\n' "${times[@]}" | sort -n)
  printf '| %s | %s byte (%s MiB) | %s ms (%s–%s) |\n' "$profile" "$size" \
    "$(awk "BEGIN{printf \"%.1f\", $size/1048576}")" "$(median <<<"$sorted")" \
    "$(head -n1 <<<"$sorted")" "$(tail -n1 <<<"$sorted")"
done
