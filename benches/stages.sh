#!/usr/bin/env bash
# Growth of each build stage: builds synthetic companions of N and 2·N notes
# (examples/gen_corpus.rs: 2·N notes means twice the references, quotes per
# tension and citations) with COMPANION_TIMINGS=1 and prints, per stage, the
# median time at each size and their ratio. A linear stage doubles (2.0); a
# ratio well above 2.3 points at a step that grows faster than the input.
#
#   benches/stages.sh [N]            default: 5000; RUNS=3 by default
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-5000}"
runs="${RUNS:-3}"
work="${BENCH_DIR:-/dev/shm/companion-bench}"
mkdir -p "$work"

cargo build --release --quiet --bin companion --example gen_corpus
bin=target/release
export RAYON_NUM_THREADS="${RAYON_NUM_THREADS:-2}"

# shellcheck source=benches/lib.sh
. benches/lib.sh

# stage times of `runs` builds of corpus $1, as "stage<TAB>seconds" lines
times_of() {
  for _ in $(seq "$runs"); do
    COMPANION_TIMINGS=1 "$bin/companion" --root "$1" --quiet build --output "$work/stages-out" 2>&1 >/dev/null |
      sed -n 's/^timing: \(.*\) \([0-9.]*\) s, resident.*/\1\t\2/p'
  done
}

declare -A small large
for size in "$n" "$((2 * n))"; do
  corpus="$work/corpus-$size"
  [ -f "$corpus/book.toml" ] || "$bin/examples/gen_corpus" "$corpus" "$size" 1 2>/dev/null
done
while IFS=$'\t' read -r stage t; do small["$stage"]+="$t "; done < <(times_of "$work/corpus-$n")
while IFS=$'\t' read -r stage t; do large["$stage"]+="$t "; done < <(times_of "$work/corpus-$((2 * n))")

printf '%-28s %10s %10s %8s\n' "stage" "$n notes" "$((2 * n)) notes" "ratio"
for stage in bibliography discover parse "resolve: generated pages" "resolve: place" \
  "resolve: links" "resolve: citations" "resolve: qual" resolve cite pages "search index" render; do
  [ -n "${small[$stage]:-}" ] || continue
  a=$(printf '%s\n' ${small[$stage]} | median)
  b=$(printf '%s\n' ${large[$stage]} | median)
  printf '%-28s %10s %10s %8s\n' "$stage" "$a" "$b" "$(echo "scale=2; $b / $a" | bc)"
done
