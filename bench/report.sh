#!/bin/sh
# report.sh RESULTS: turns bench/run.sh's raw results into
# docs/performance.md and docs/performance.png (with gnuplot, if present).
# Result lines: size case mode debian_ns ours_ns ours_rss_growth_kb
set -eu
cd "$(dirname "$0")/.."
results=$1
md=docs/performance.md
mkdir -p docs
{
    echo "# Performance against Debian's libwrap0"
    echo
    echo "Measured by \`bench/run.sh\` on $(date -u +%Y-%m-%d), $(nproc) cores,"
    echo "$(uname -sr); both libraries in the same run, in separate processes,"
    echo "alternating. Each row is the median of the repetitions. *warm*: a"
    echo "decision in a process that has decided before (the table is cached and"
    echo "indexed); *cold*: the first decision of a fresh process (tcpd, or a"
    echo "forked sshd or vsftpd child); *append*: the first decision after a rule"
    echo "was appended to hosts.deny, in a warm process. *miss*: an address no"
    echo "rule names; *hit*: an address near the end of the table. Tables come"
    echo "from \`bench/gentable.sh\` (mostly \`sshd: a.b.c.d\`, some \`ALL:\`, CIDR,"
    echo "IPv6 and domain rules). Ratio = Debian's time / ours."
    echo
    echo "| rules | case | mode | Debian | ours | ratio |"
    echo "|---:|---|---|---:|---:|---:|"
    awk '$2 != "stat" && $2 != "instructions" {
        r = ($5 > 0 ? $4 / $5 : 0)
        printf "| %d | %s | %s | %.1f us | %.2f us | %.1fx |\n", $1, $2, $3, $4 / 1000, $5 / 1000, r
    }' "$results"
    echo
    echo "Memory and the floor set by \`stat()\` (our warm miss, one stat() of"
    echo "each table per decision is unavoidable):"
    echo
    echo "| rules | resident growth per rule (warm, ours) | two stat() calls | warm miss / stat cost |"
    echo "|---:|---:|---:|---:|"
    awk '$2 == "stat" { st[$1] = $4 }
         $2 == "miss" && $3 == "warm" { w[$1] = $5; m[$1] = $6 }
         END { for (s in st) printf "%d %d %d %d\n", s, m[s], st[s], w[s] }' "$results" |
        sort -n | awk '{
        printf "| %d | %.0f bytes | %.2f us | %.1fx |\n", $1, $2 * 1024 / $1, $3 / 1000, ($3 > 0 ? $4 / $3 : 0)
    }'
    echo
    if grep -q ' instructions ' "$results"; then
        echo "Instructions of one cold decision (a miss), counted by callgrind, which"
        echo "does not depend on what else the machine is doing (the wall-clock"
        echo "figures above vary by tens of percent between runs on a shared machine):"
        echo
        echo "| rules | Debian | ours | ratio |"
        echo "|---:|---:|---:|---:|"
        awk '$2 == "instructions" {
            printf "| %d | %.1f M | %.1f M | %.1fx |\n", $1, $4 / 1e6, $5 / 1e6, ($5 > 0 ? $4 / $5 : 0)
        }' "$results"
        echo
    fi
    echo "The resident growth includes the table's own text (about 19 bytes a"
    echo "rule here) and the peak of the index build; see docs/design.md."
    echo
    echo "![time per decision against table size](performance.png)"
} >"$md"
if command -v gnuplot >/dev/null 2>&1; then
    awk '$2 == "miss" && $3 == "warm" { print $1, $4 / 1000, $5 / 1000 }' "$results" >docs/.warm.dat
    awk '$2 == "miss" && $3 == "cold" { print $1, $4 / 1000, $5 / 1000 }' "$results" >docs/.cold.dat
    gnuplot <<'GP'
set terminal pngcairo size 900,600 noenhanced
set output "docs/performance.png"
set logscale xy
set xlabel "rules in hosts.deny"
set ylabel "microseconds per decision (miss)"
set key top left
set grid
plot "docs/.warm.dat" using 1:2 with linespoints title "Debian, warm", \
     "docs/.warm.dat" using 1:3 with linespoints title "ours, warm", \
     "docs/.cold.dat" using 1:2 with linespoints title "Debian, cold", \
     "docs/.cold.dat" using 1:3 with linespoints title "ours, cold"
GP
    rm -f docs/.warm.dat docs/.cold.dat
fi
echo "wrote $md"
