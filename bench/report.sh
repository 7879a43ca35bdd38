#!/bin/sh
# report.sh RESULTS: turns bench/run.sh's raw results into
# docs/performance.md and docs/performance.png (with gnuplot, if present;
# otherwise the plot is left as it was, and the run says so).
# Result lines, nine fields (ten for a decision: Debian's faults last):
#   N miss|hit warm|cold|append|shared|process  debian_ns ours_ns
#       ours_rss_growth_kb ours_faults debian_cpu_ns ours_cpu_ns
#       debian_faults
#   N stat - ns ns 0 0 0 0                 two stat() calls (both columns)
#   N warmratio - r r 0 0 0 0              warm miss / two stat() calls, the
#                                          median of per-repetition ratios,
#                                          in thousandths
#   N instructions cold|shared d o 0 0 0 0 callgrind, one cold miss
#   N image - text_bytes image_bytes 0 0 0 0
#   0 floor - wall_ns cpu_ns 0 0 0 0       /bin/true: no libwrap at all
#   F dropin-miss|dropin-hit warm|cold ...  as a decision, F fragments
#   F dropin-stat - ns cpu_ns 0 0 0 0      the floor with F fragments
#   N calls - ns cpu_ns 0 0 0 0            bench-floor: a cold shared miss's
#                                          system calls alone
#   N callcount - ours floor 0 0 0 0       how many system calls each made
set -eu
cd "$(dirname "$0")/.."
results=$1
md=docs/performance.md
mkdir -p docs
has() { awk -v k="$1" -v m="$2" '$2 == k && (m == "" || $3 == m) { f = 1 } END { exit !f }' "$results"; }
{
    echo "# Performance against Debian's libwrap0"
    echo
    echo "Measured by \`bench/run.sh\` on $(date -u +%Y-%m-%d), $(nproc) cores,"
    echo "$(uname -sr), on a machine shared with other work (wall-clock figures"
    echo "vary by tens of percent between runs; the instruction counts below do"
    echo "not). Both libraries in the same run, in separate processes,"
    echo "alternating; each row is the median of the repetitions. Ratio ="
    echo "Debian's time / ours: above 1 we are faster."
    echo
    echo "The run happens in a private mount namespace with its own tmpfs on"
    echo "\`/run\`: first with no \`/run/libwrap\` (every process reads the text),"
    echo "then with \`/run/libwrap\` made and filled by \`tcpdcompile\`, as the"
    echo "package and a block-list tool would. Tables come from"
    echo "\`bench/gentable.sh\` (mostly \`sshd: a.b.c.d\`, some \`ALL:\`, CIDR, IPv6"
    echo "and domain rules) and are older than three seconds when used (a file"
    echo "changed just now is never trusted by \`stat()\` alone, nor stored)."
    echo "*miss*: an address no rule names; *hit*: an address near the end of"
    echo "the table. The allow table is empty. Modes:"
    echo
    echo "* *warm*: a decision in a process that has decided before (a daemon"
    echo "  that calls \`hosts_ctl()\` per connection): the table is compiled and"
    echo "  indexed in the process, and only \`stat()\`ed again."
    echo "* *cold (text)*: the first \`hosts_ctl()\` of a fresh process, the"
    echo "  library already loaded, with no store: the text is scanned as it is"
    echo "  read."
    echo "* *cold (shared form)*: the same, with the store present and filled:"
    echo "  the process maps the table's compiled image from \`/run/libwrap\`."
    echo "  Tables under 256 KiB (here 3, 1k and 10k rules) never use the store:"
    echo "  scanning them costs less than mapping an image, so this row measures"
    echo "  the text path again, with the store present."
    echo "* *append*: the first decision after a rule was appended to"
    echo "  \`hosts.deny\`, in a warm process (the table is read again)."
    echo "* *whole process*: a program that calls \`hosts_ctl()\` once and exits"
    echo "  (\`bench/once.c\`), timed from \`posix_spawn()\` to \`wait4()\`, with"
    echo "  the shared form for ours: what \`tcpd\` or a forked daemon child"
    echo "  costs."
    echo
    echo "Times are wall-clock medians. *CPU ratio*: the same ratio of CPU"
    echo "time (the thread's, or the child's user and system time for a whole"
    echo "process), which leaves out time spent waiting for a CPU while the"
    echo "machine runs other work; shown for the single events, not for the"
    echo "warm loop."
    echo
    echo "| rules | case | mode | Debian | ours | ratio | CPU ratio |"
    echo "|---:|---|---|---:|---:|---:|---:|"
    awk 'BEGIN {
        o["warm"] = 1; o["cold"] = 2; o["shared"] = 3; o["append"] = 4
        o["process"] = 5
        l["warm"] = "warm"; l["cold"] = "cold (text)"; l["shared"] = "cold (shared form)"
        l["append"] = "append"; l["process"] = "whole process"
    }
    ($2 == "miss" || $2 == "hit") && ($3 in o) {
        r = ($5 > 0 ? $4 / $5 : 0)
        c = ($3 != "warm" && $9 > 0) ? sprintf("%.1fx", $8 / $9) : "-"
        printf "%d %d %d| %d | %s | %s | %.1f us | %.2f us | %.1fx | %s |\n", $1, ($2 == "hit"), o[$3],
            $1, $2, l[$3], $4 / 1000, $5 / 1000, r, c
    }' "$results" | sort -n -k1,1 -k2,2 -k3,3 | sed 's/^[0-9]* [0-9]* [0-9]*|/|/'
    echo
    if has floor ""; then
        awk '$2 == "floor" { fw = $4; fc = $5 }
             $1 == 777000 && $2 == "miss" && $3 == "process" { dw = $4 }
             END {
                printf "A process that loads no library at all (`/bin/true`) took %.0f us\n", fw / 1000
                printf "from spawn to wait and %.0f us of CPU in this run: process creation\n", fc / 1000
                printf "on this machine is a floor under both libraries'"'"' whole-process figures"
                if (dw > 0 && fw > 0)
                    printf ",\nso no library could be more than %.0fx faster than Debian'"'"'s whole\nprocess at 777000 rules (a miss) here", dw / fw
                print "."
             }' "$results"
        echo
    fi
    echo "## Targets (issue 12)"
    echo
    echo "Met or not is judged on the wall-clock ratio; the CPU-time ratio is"
    echo "beside it."
    echo
    echo "| target | measured | CPU time | met |"
    echo "|---|---:|---:|---|"
    awk 'function row(what, k, want) {
            printf "| %s | %.1fx | %.1fx | %s |\n", what, t[k], u[k], (t[k] >= want ? "yes" : "**no**")
         }
         ($2 == "miss" || $2 == "hit") {
            t[$1 " " $2 " " $3] = ($5 > 0 ? $4 / $5 : 0)
            u[$1 " " $2 " " $3] = ($9 > 0 ? $8 / $9 : 0)
         }
         $2 == "miss" && $3 == "warm" { w[$1] = $5; m[$1] = $6 }
         $2 == "stat" { st[$1] = $4 }
         $2 == "warmratio" { wr[$1] = $4 / 1000 }
         $2 == "miss" && $3 == "shared" { sm[$1] = $6 }
         END {
            split("777000:1000 140000:300 10000:1 1000:1 3:1", goals, " ")
            for (g = 1; g <= 5; g++) {
                split(goals[g], p, ":")
                for (c = 0; c < 2; c++) {
                    k = p[1] " " (c ? "hit" : "miss") " shared"
                    if (k in t)
                        row(sprintf("cold (shared form), %d rules, %s: >= %dx", p[1], (c ? "hit" : "miss"), p[2]), k, p[2])
                }
            }
            for (c = 0; c < 2; c++) {
                k = "777000 " (c ? "hit" : "miss") " process"
                if (k in t)
                    row(sprintf("whole process, 777000 rules, %s: >= 100x", (c ? "hit" : "miss")), k, 100)
            }
            split("140000 777000", big, " ")
            for (b = 1; b <= 2; b++) {
                s = big[b]
                if (s in m)
                    printf "| resident growth per rule, table compiled in the process (warm), %d rules: <= 64 bytes | %.0f bytes | | %s |\n",
                        s, m[s] * 1024 / s, (m[s] * 1024 / s <= 64 ? "yes" : "**no**")
                if (s in sm)
                    printf "| resident growth per rule, shared form mapped (cold), %d rules: <= 64 bytes | %.1f bytes | | %s |\n",
                        s, sm[s] * 1024 / s, (sm[s] * 1024 / s <= 64 ? "yes" : "**no**")
            }
            n = 0; worst = 0
            for (s in st) if (s in w && st[s] > 0) {
                n++; r = (s in wr) ? wr[s] : w[s] / st[s]
                if (r > worst) worst = r
            }
            if (n > 0)
                printf "| warm miss within 2x of two stat() calls, every size (worst) | %.1fx | | %s |\n",
                    worst, (worst <= 2 ? "yes" : "**no**")
         }' "$results"
    echo
    if has calls ""; then
        echo "## What a cold decision with the shared form cannot go below"
        echo
        echo "*System calls alone*: \`bench-floor\` (bench/floor.c), a fresh process"
        echo "that makes the system calls of our cold decision with the shared"
        echo "form (a miss), in the same order, and nothing else: no library code,"
        echo "none of its page faults. It ran beside every repetition of that row"
        echo "(median). *Any library's best*: Debian's first call divided by that"
        echo "time, the ratio a library would reach that made these checks (both"
        echo "tables and their \`.d\` directories, the store's directory and image:"
        echo "docs/design.md) in no time at all. *Budget*: what the target leaves"
        echo "for everything that is not a system call."
        echo
        echo "| rules | Debian | ours (shared form) | system calls alone | calls (ours / alone) | any library's best | target | budget left |"
        echo "|---:|---:|---:|---:|---:|---:|---:|---:|"
        awk '$2 == "calls" { c[$1] = $4 }
             $2 == "callcount" { no[$1] = $4; nf[$1] = $5 }
             $2 == "miss" && $3 == "shared" { d[$1] = $4; o[$1] = $5 }
             END {
                for (s in c) {
                    goal = (s + 0 >= 777000) ? 1000 : 300
                    cnt = (s in no) ? sprintf("%d / %d", no[s], nf[s]) : "-"
                    printf "%d|%.1f ms|%.1f us|%.1f us|%s|%.0fx|%dx|%.1f us\n", s, d[s] / 1e6, o[s] / 1e3,
                        c[s] / 1e3, cnt, (c[s] > 0 ? d[s] / c[s] : 0), goal, (d[s] / goal - c[s]) / 1e3
                }
             }' "$results" | sort -n -t'|' -k1,1 | sed 's/|/ | /g; s/^/| /; s/$/ |/'
        echo
    fi
    echo "## Memory, and the floor set by \`stat()\`"
    echo
    echo "Resident growth is the process's peak resident set (VmHWM) at the"
    echo "end less its resident set before the first decision. *Warm*: the"
    echo "table compiled in the process (no store), text not kept. *Cold,"
    echo "shared form*: the pages of the mapped image the decision touched"
    echo "(page cache shared by every process), with the store present. The"
    echo "image is the file in \`/run/libwrap\`; one stat() of each table per"
    echo "warm decision is unavoidable, so two \`stat()\` calls are its floor."
    echo "(A warm decision of ours makes three: the two tables and the directory"
    echo "that holds them, which stands for both absent \`.d\` directories."
    echo "Its process id, which \`request_init()\` writes into the request as"
    echo "Debian's does with \`getpid()\`, comes from a page the kernel wipes in"
    echo "every child, \`libwrap/pid.c\`.) The two \`stat()\` calls are timed"
    echo "beside every warm repetition, in a process of their own; *warm miss /"
    echo "stat cost* is the median of the per-repetition ratios, and *two stat()"
    echo "calls* the median of all those timings."
    echo
    echo "*Faults*: minor page faults during a cold decision (a miss): ours"
    echo "from the text / ours with the shared form / Debian's. On this virtual"
    echo "machine each costs tens of microseconds, which makes them much of a"
    echo "cold decision's time."
    echo
    echo "| rules | resident growth per rule (warm) | resident growth (cold, shared form) | faults | text per rule | image per rule | two stat() calls | warm miss / stat cost |"
    echo "|---:|---:|---:|---:|---:|---:|---:|---:|"
    awk '$2 == "stat" { st[$1] = $4 }
         $2 == "warmratio" { wr[$1] = $4 / 1000 }
         $2 == "miss" && $3 == "warm" { w[$1] = $5; m[$1] = $6 }
         $2 == "miss" && $3 == "cold" { fc[$1] = $7; fd[$1] = $10 }
         $2 == "miss" && $3 == "shared" { sh[$1] = $6; fs[$1] = $7 }
         $2 == "image" { tx[$1] = $4; im[$1] = $5 }
         END {
            for (s in st) {
                shs = (s in sh) ? sprintf("%d kB", sh[s]) : "-"
                if ((s in tx) && tx[s] < 262144) shs = shs " (streamed)"
                fls = sprintf("%s / %s / %s", (s in fc) ? fc[s] : "-", (s in fs) ? fs[s] : "-", (s in fd) ? fd[s] : "-")
                txs = (s in tx) ? sprintf("%.1f bytes", tx[s] / s) : "-"
                ims = (s in im) ? sprintf("%.1f bytes", im[s] / s) : "-"
                printf "%d|%.0f bytes|%s|%s|%s|%s|%.2f us|%.1fx\n", s, m[s] * 1024 / s, shs, fls, txs, ims,
                    st[s] / 1000, (s in wr) ? wr[s] : (st[s] > 0 ? w[s] / st[s] : 0)
            }
         }' "$results" | sort -n -t'|' -k1,1 | sed 's/|/ | /g; s/^/| /; s/$/ |/'
    echo
    echo "The warm growth includes the peak of the index build; see"
    echo "docs/design.md. The 3-rule row is the library's fixed overhead."
    echo '`tcpdcompile` stores an image of a table under 256 KiB too, but the'
    echo "library streams such a table instead of mapping it (*streamed*)."
    echo
    if has dropin-stat ""; then
        frags=$(awk '$2 == "dropin-stat" { print $1 }' "$results")
        echo "## A drop-in directory of $frags fragments (issue 15)"
        echo
        echo "An empty \`hosts.deny\` and a \`hosts.deny.d/\` of $frags fragments of"
        echo "three rules each (\`bench/gentable.sh\`'s rules); Debian, which has no"
        echo "drop-in directories, decides on the same rules in one file, in the"
        echo "same order. *miss*: no rule names the address; *hit*: the last"
        echo "address rule of the last fragment. *Floor*: what a warm decision"
        echo "cannot avoid, one \`stat()\` of each file it depends on: the two"
        echo "tables, the directory and every fragment ($((frags + 3)) calls, timed in"
        echo "the same run by \`bench-decide stat-dropin\`). Ratio = Debian's time /"
        echo "ours; */ floor* = ours / the floor (1.0x would be the floor itself)."
        echo
        echo "| case | mode | Debian (one file) | ours | ratio | CPU ratio | ours / floor | CPU / floor |"
        echo "|---|---|---:|---:|---:|---:|---:|---:|"
        awk '$2 == "dropin-stat" { fl = $4 }
             $2 ~ /^dropin-(miss|hit)$/ { k[++n] = $0 }
             END {
                for (i = 1; i <= n; i++) {
                    split(k[i], f, " ")
                    c = substr(f[2], 8)
                    printf "| %s | %s | %.1f ms | %.1f ms | %.2fx | %.2fx | %s | %s |\n", c, f[3],
                        f[4] / 1e6, f[5] / 1e6, (f[5] > 0 ? f[4] / f[5] : 0),
                        (f[9] > 0 ? f[8] / f[9] : 0),
                        (f[3] == "warm" && fl > 0 ? sprintf("%.2fx", f[5] / fl) : "-"),
                        (f[3] == "warm" && fc > 0 ? sprintf("%.2fx", f[9] / fc) : "-")
                }
                printf "| floor | %d stat() | | %.1f ms | | | 1.00x | |\n", f[1] + 3, fl / 1e6
             }' fc="$(awk '$2 == "dropin-stat" { print $5 }' "$results")" "$results"
        echo
        echo "How the floor is met: a warm decision \`stat()\`s the directory and,"
        echo "when device, inode, mode, size, mtime and ctime (to the nanosecond)"
        echo "are those of the listing it keeps, uses that listing without opening"
        echo "the directory (\`cache_fragments()\`); then it \`stat()\`s each fragment"
        echo "and, unchanged, matches the fragment's compiled rules, found by a hash"
        echo "of its path (\`cache_get()\`). Nothing is opened or read. What is above"
        echo "the floor is matching $((frags * 3)) rules in $frags small rulesets, and a"
        echo "lock and a hash lookup per fragment. A directory or fragment changed"
        echo "less than three seconds before is listed or compared by content again"
        echo "on each decision (the racy rule, as for tables). A cold decision opens"
        echo "and reads every fragment: it cannot be at that floor, and Debian's"
        echo "single file costs one \`open()\`. The CPU-time columns use the floor's"
        echo "CPU time; the machine's load moves the wall-clock figures most."
        echo
        echo "Against Debian's one file ours is slower, warm and cold: the"
        echo "floor of $frags files is itself above what reading one file of the same"
        echo "rules costs Debian here. The target of issue 15 is the floor column;"
        echo "Debian's column says what keeping the same rules in one file would cost."
        awk '$2 == "dropin-miss" && $3 == "warm" {
                printf "The %d small rulesets of the warm process took %.1f MB more resident\n", $1, $6 / 1024
                printf "memory (%.0f bytes a rule, the per-file overhead of the compiled form).\n", $6 * 1024 / ($1 * 3)
             }' "$results"
        echo
    fi
    if has instructions ""; then
        echo "## Instructions"
        echo
        echo "Instructions of one cold decision (a miss) in a fresh process,"
        echo "the process's start included, counted by callgrind, which does not"
        echo "depend on what else the machine is doing. The shared form's figure"
        echo "leaves out the kernel's work (mapping, page faults), which is most of"
        echo "what its decision costs: the process's start (the dynamic loader)"
        echo "is most of its instructions, whatever the table's size."
        echo
        echo "| rules | Debian | ours, cold (text) | ratio | ours, cold (shared form) | ratio |"
        echo "|---:|---:|---:|---:|---:|---:|"
        awk '$2 == "instructions" && $3 == "cold" { d[$1] = $4; o[$1] = $5 }
             $2 == "instructions" && $3 == "shared" { sh[$1] = $5 }
             END {
                for (s in d) {
                    shs = (s in sh) ? sprintf("%.2f M | %.0fx", sh[s] / 1e6, (sh[s] > 0 ? d[s] / sh[s] : 0)) : "- | -"
                    printf "%d | %.1f M | %.1f M | %.1fx | %s |\n", s, d[s] / 1e6, o[s] / 1e6,
                        (o[s] > 0 ? d[s] / o[s] : 0), shs
                }
             }' "$results" | sort -n | sed 's/^/| /'
        echo
    fi
    echo "![time per decision against table size](performance.png)"
    echo
    echo "## Running it"
    echo
    echo "As root, on a built tree: \`bench/run.sh\` (about ten minutes here)"
    echo "measures everything above and rewrites this file, the plot and"
    echo "\`bench/last-results.txt\`; \`bench/report.sh RESULTS\` redraws them"
    echo "from saved results. \`bench/run.sh quick\` is a smoke test (under a"
    echo "minute): a small table and one big enough for the store, a few"
    echo "repetitions, nothing written; it fails only when a program does not"
    echo "run, a verdict differs from Debian's, \`tcpdcompile\` leaves no image,"
    echo "or a decision with the store read the text or did not map the image"
    echo "(checked with strace when it can trace), never on timings."
    echo "\`bench/run.sh dropin\` measures only the drop-in rows and prints them."
} >"$md"
if command -v gnuplot >/dev/null 2>&1; then
    awk '$2 == "miss" && $3 == "warm" { print $1, $4 / 1000, $5 / 1000 }' "$results" >docs/.warm.dat
    awk '$2 == "miss" && $3 == "cold" { print $1, $4 / 1000, $5 / 1000 }' "$results" >docs/.cold.dat
    awk '$2 == "miss" && $3 == "shared" { print $1, $4 / 1000, $5 / 1000 }' "$results" >docs/.shared.dat
    shared_line=
    [ -s docs/.shared.dat ] &&
        shared_line=', "docs/.shared.dat" using 1:3 with linespoints title "ours, cold (shared form)"'
    gnuplot <<GP
set terminal pngcairo size 900,600 noenhanced
set output "docs/performance.png"
set logscale xy
set xlabel "rules in hosts.deny"
set ylabel "microseconds per decision (miss)"
set key top left
set grid
plot "docs/.warm.dat" using 1:2 with linespoints title "Debian, warm", \\
     "docs/.warm.dat" using 1:3 with linespoints title "ours, warm", \\
     "docs/.cold.dat" using 1:2 with linespoints title "Debian, cold", \\
     "docs/.cold.dat" using 1:3 with linespoints title "ours, cold (text)"$shared_line
GP
    rm -f docs/.warm.dat docs/.cold.dat docs/.shared.dat
else
    echo "report.sh: no gnuplot: docs/performance.png not redrawn" >&2
fi
echo "wrote $md"
