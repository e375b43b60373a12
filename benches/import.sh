#!/usr/bin/env bash
# REFI-QDA import benchmark. The synthetic companion of examples/gen_corpus.rs
# (N notes, 5·N quotes over 8 tensions and 40 participants) is exported with
# `companion export qdpx`; the archive is then imported into a new, empty
# companion (`companion new`): every quote, participant and tension note is
# written. A second import into the same companion finds every note unchanged
# and writes nothing. Prints the median wall time, CPU time and peak RSS of
# each, on a tmpfs, and the ratio to the floor timed in the same run:
# `unzip -p` reading the archive's every entry (decompression alone).
#
# With a Python that has pyqdpx 0.1.8 (COMPANION_PYQDPX_PYTHON, as .ci/run
# sets it), the same run also times pyqdpx, an independent REFI-QDA reader,
# reading the same archive (tests/tools/pyqdpx_project.py read: every code
# and every selection's text): a peer's read of the project alone.
#
#   benches/import.sh [N ...]        default: 1000 (5,000 quotes); RUNS=5
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000)
runs="${RUNS:-5}"
work="${BENCH_DIR:-/dev/shm/companion-bench}"
mkdir -p "$work"

cargo build --release --quiet --bin companion --example gen_corpus
bin=target/release/companion
export RAYON_NUM_THREADS="${RAYON_NUM_THREADS:-2}"

# shellcheck source=benches/lib.sh
. benches/lib.sh

# time_once CMD...: one run; prints "wall cpu rss_kib"
time_once() {
  local report
  report=$(mktemp)
  /usr/bin/time -o "$report" -f "%e %U %S %M" "$@" >/dev/null 2>"$report.err" || {
    cat "$report.err" >&2
    exit 1
  }
  read -r w u s m <"$report"
  rm -f "$report" "$report.err"
  printf '%s %s %s\n' "$w" "$(echo "$u + $s" | bc)" "$m"
}

# medians of "wall cpu rss_kib" lines on standard input: "wall cpu rss_mib"
medians() {
  local lines
  lines=$(cat)
  printf '%s %s %s\n' \
    "$(cut -d' ' -f1 <<<"$lines" | median)" \
    "$(cut -d' ' -f2 <<<"$lines" | median)" \
    "$(cut -d' ' -f3 <<<"$lines" | median | awk '{printf "%.0f", $1/1024}')"
}

printf '%-40s %8s %8s %8s %8s\n' "step" "wall s" "cpu s" "rss MiB" "× floor"
ratio() { if [ "$(echo "$2 > 0" | bc)" = 1 ]; then echo "scale=1; $1 / $2" | bc; else echo "-"; fi; }
row() { printf '%-40s %8s %8s %8s %8s\n' "$1" "$2" "$3" "$4" "$(ratio "$2" "$5")"; }
for n in "${sizes[@]}"; do
  corpus="$work/corpus-$n"
  [ -f "$corpus/book.toml" ] || "$(dirname "$bin")/examples/gen_corpus" "$corpus" "$n" 1 2>/dev/null
  archive="$work/import-$n.qdpx"
  export_runs=$(for _ in $(seq "$runs"); do time_once "$bin" --root "$corpus" --quiet export qdpx "$archive"; done | medians)
  floor=$(for _ in $(seq "$runs"); do time_once unzip -p "$archive"; done | medians)
  fresh=() again=()
  for i in $(seq "$runs"); do
    target="$work/import-target-$n"
    rm -rf "$target"
    "$bin" --quiet new "$target" >/dev/null
    fresh+=("$(time_once "$bin" --root "$target" --quiet import qdpx "$archive")")
    again+=("$(time_once "$bin" --root "$target" --quiet import qdpx "$archive")")
  done
  read -r fw fc fr <<<"$floor"
  read -r ew ec er <<<"$export_runs"
  read -r iw ic ir < <(printf '%s\n' "${fresh[@]}" | medians)
  read -r aw ac ar < <(printf '%s\n' "${again[@]}" | medians)
  quotes=$(find "$work/import-target-$n/content" -name '*.md' -path '*quotes*' | wc -l)
  row "unzip -p (floor), $n notes" "$fw" "$fc" "$fr" "$fw"
  row "export qdpx, $((5 * n)) quotes" "$ew" "$ec" "$er" "$fw"
  row "import qdpx, new companion ($quotes quotes)" "$iw" "$ic" "$ir" "$fw"
  row "import qdpx again (all unchanged)" "$aw" "$ac" "$ar" "$fw"
  if [ -n "${COMPANION_PYQDPX_PYTHON:-}" ]; then
    peer=$(for _ in $(seq "$runs"); do
      time_once "$COMPANION_PYQDPX_PYTHON" tests/tools/pyqdpx_project.py read "$archive"
    done | medians)
    read -r pw pc pr <<<"$peer"
    row "pyqdpx 0.1.8 reads it (peer)" "$pw" "$pc" "$pr" "$fw"
  fi
done
