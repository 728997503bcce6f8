#!/usr/bin/env bash
# The boundary check (issue 12, "the boundary runs one way"): the public
# modules of crates/psutil (everything under src/ outside src/platform/)
# own the types and psutil's semantics and call only the backend's area
# modules (`platform::imp::<area>`). They must not reach into the pure
# parsers (`imp::parse`), the file reader (`imp::procfs`), the syscall
# wrappers (`imp::sys`), or call libc/rustix themselves.
#
# Usage: tests/boundary.sh (from anywhere). Exit 1 lists the offending lines.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../crates/psutil/src"

# Files allowed to cross, one per line with the reason. Shrink this list;
# never grow it for a public API area.
ALLOW=(
    # Crate infrastructure, not an API area: pthread_atfork (rustix has no
    # such call) and its tests' fork/waitpid.
    forksafe.rs
    # The fuzz targets' entry points drive the pure parsers by design.
    fuzzing.rs
)

allowed() {
    local f="$1" a
    for a in "${ALLOW[@]}"; do
        [[ "$f" == "$a" || ( "$a" == */ && "$f" == "$a"* ) ]] && return 0
    done
    return 1
}

status=0
while IFS= read -r -d '' f; do
    f="${f#./}"
    [[ "$f" == platform/* ]] && continue
    allowed "$f" && continue
    # Whole-file match so that `imp::{parse, ...}` split over lines counts.
    if hits=$(perl -0777 -ne '
        while (/(imp::(?:\{[^}]*\b(?:parse|procfs|sys)\b[^}]*\}|(?:parse|procfs|sys)\b)|platform::linux\b|\b(?:libc|rustix)::)/g) {
            my $line = 1 + (substr($_, 0, pos) =~ tr/\n//);
            (my $m = $1) =~ s/\s+/ /g;
            print "crates/psutil/src/$ARGV:$line: $m\n";
        }' "$f") && [[ -n "$hits" ]]; then
        printf '%s\n' "$hits"
        status=1
    fi
done < <(find . -name '*.rs' -print0 | sort -z)

if [[ $status -ne 0 ]]; then
    echo "boundary: the lines above bypass the backend (call platform::imp::<area> instead; see tests/boundary.sh)" >&2
fi
exit $status
