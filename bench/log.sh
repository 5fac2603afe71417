#!/usr/bin/env bash
# Benchmark of `agate log` (no analysis: metadata, trailers, prompt records and signatures) on
# 1,000 commits, next to `git log` on the same commits: median wall time of several runs, peak
# memory (GNU time %M) and the ratio, with the machine named. One commit in ten is an agent's
# with a prompt record made by `agate record` (its trailer added by `git commit --trailer`), one
# in twenty carries a Co-authored-by marker and no record, and one in fifty merges a branch.
#
#   bash bench/log.sh [--runs N] [--commits N]
#
# The repository is made once into build-bench/log-<N>/ and reused. agate is built in Release
# into build-bench/ (incremental); set AGATE=/path/to/agate to measure another binary.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

runs=7
commits=1000
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --commits) commits="$2"; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "log.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
for tool in git /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "log.sh: $tool is missing (apt-get install git time)" >&2; exit 2; }
done

if [ -z "${AGATE:-}" ]; then
  cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
  ninja -C build-bench agate >/dev/null
  AGATE="$root/build-bench/agate"
fi

work="$root/build-bench/log-$commits"
repo="$work/repo"
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
export GIT_AUTHOR_NAME="Ada Tester" GIT_AUTHOR_EMAIL=ada@example.com
export GIT_COMMITTER_NAME="Ada Tester" GIT_COMMITTER_EMAIL=ada@example.com
if [ ! -f "$work/done" ]; then
  echo "log.sh: making $commits commits in $repo (once)" >&2
  rm -rf "$work"
  mkdir -p "$repo/src"
  git -C "$repo" init -q -b main
  i=0
  while [ "$i" -lt "$commits" ]; do
    i=$((i + 1))
    export GIT_AUTHOR_DATE="$((1700000000 + i * 60)) +0000" GIT_COMMITTER_DATE="$((1700000000 + i * 60)) +0000"
    if [ $((i % 50)) -eq 0 ] && [ "$i" -lt "$commits" ]; then
      # A merge of a one-commit branch (two commits of the total).
      git -C "$repo" checkout -q -b "topic-$i"
      echo "topic $i" > "$repo/src/topic_$i.txt"
      git -C "$repo" add -A
      git -C "$repo" commit -q -m "Topic $i"
      git -C "$repo" checkout -q main
      i=$((i + 1))
      git -C "$repo" merge -q --no-ff -m "Merge topic $((i - 1))" "topic-$((i - 1))"
      continue
    fi
    printf 'def f_%d(x):\n    return x + %d\n' "$i" "$i" > "$repo/src/mod_$((i % 40)).py"
    git -C "$repo" add -A
    if [ $((i % 10)) -eq 0 ]; then
      out=$("$AGATE" -C "$repo" record --prompt "Change $i: update mod_$((i % 40))." \
              --tool claude-code --model claude-sonnet-4-5)
      id=$(printf '%s\n' "$out" | sed -n 's/^recorded prompt \([^ ]*\) .*/\1/p')
      git -C "$repo" commit -q -m "Agent change $i" --trailer "Agate-Prompt: $id"
    elif [ $((i % 20)) -eq 5 ]; then
      git -C "$repo" commit -q -m "Assisted change $i" \
        --trailer "Co-authored-by: Claude <noreply@anthropic.com>"
    else
      git -C "$repo" commit -q -m "Change $i"
    fi
  done
  touch "$work/done"
fi

machine() {
  local cpu
  cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
  printf 'machine: nproc %s, %s, %.1f GiB RAM, load %s\n' "$(nproc)" "${cpu:-unknown cpu}" \
    "$(awk '/MemTotal/ { print $2 / 1048576 }' /proc/meminfo)" "$(cut -d' ' -f1-3 /proc/loadavg)"
}

# Median wall time (seconds) and peak RSS (KiB) of a command over $runs runs; sets $median.
measure() {
  local times=() peak=0 start end mem
  for _ in $(seq 1 "$runs"); do
    start=$(date +%s.%N)
    /usr/bin/time -f %M -o "$work/mem" "$@" >/dev/null 2>&1 || true
    end=$(date +%s.%N)
    times+=("$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')")
    mem=$(tail -1 "$work/mem")
    [ "$mem" -gt "$peak" ] && peak=$mem
  done
  median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  printf '%-34s median %6.3f s   peak %7.1f MiB\n' "$label" "$median" "$(awk -v k="$peak" 'BEGIN { print k / 1024 }')"
}

cd "$repo"
total=$(git rev-list --count HEAD)
machine
echo "history of HEAD: $total commits (every parent), $runs runs each"
label="git log" measure git log
git_median=$median
label="agate log -n 0" measure "$AGATE" log -n 0 --color never
agate_median=$median
label="agate stats" measure "$AGATE" stats
awk -v a="$agate_median" -v g="$git_median" 'BEGIN { printf "agate log / git log: %.1fx\n", a / g }'
[ "$("$AGATE" log -n 0 --color never | wc -l)" -eq "$total" ] || { echo "log.sh: agate log listed another number of commits than git" >&2; exit 1; }
