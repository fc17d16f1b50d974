# shellcheck shell=bash
# What bench/nights and bench/night-again share: one timed night, and what two ledgers decided.
# Sourced, not run.
#
#   timed_night IN BIN SERVICES AS_OF LEDGER OUT ERR [cold]
#                                           one run of BIN (facility.xml and patients.csv from
#                                           IN) with its stage timings in ERR; prints "wall s
#                                           (stage 5 | stage 8 | commit), peak MiB"; with cold
#                                           the page cache is emptied first (root). Exit 3 (held
#                                           lines) is a night like any other; another exits 2.
#   init_ledger BIN LEDGER                  LEDGER made by BIN's init when it is not there (an
#                                           otpbatch older than init makes it on its first run)
#   copy_ledger FROM TO                     FROM (and its -wal, if any) as TO, whatever TO held
#   dump_decisions LEDGER OUT... > FILE     every claim line with its ids, line source, row
#                                           outcome, finding, hold, episode, coverage window and
#                                           run summary (each OUT, a --out its runs were given,
#                                           reads OUT)
#   same_decisions FILE_A FILE_B            0 and a count per kind when equal; 1 and a diff
#   same_837p OUT_A OUT_B                   0 when both hold the same 837P files but for the
#                                           minute of the run (ISA09-10, GS04-05, BHT04-05)

# Nights run as deployed: the documented cron line and systemd unit (docs/operations.md) give
# otpbatch glibc's malloc in 2 MiB pages. A caller's own GLIBC_TUNABLES is kept.
export GLIBC_TUNABLES=${GLIBC_TUNABLES:-glibc.malloc.hugetlb=1}

init_ledger() {
  [ -e "$2" ] && return 0
  # grep reads the whole help (not -q): a help longer than a pipe write, cut short by a grep that
  # stopped at the match, dies of SIGPIPE, and pipefail would then skip the init.
  "$1" --help 2>/dev/null | grep '^  init ' >/dev/null || return 0
  "$1" init --db "$2" >/dev/null 2>&1 || { echo "bench: $1 init --db $2 failed" >&2; exit 2; }
}

timed_night() {
  local in=$1 bin=$2 services=$3 as_of=$4 ledger=$5 out=$6 err=$7
  init_ledger "$bin" "$ledger"
  sync
  if [ "${8:-}" = cold ]; then echo 3 >/proc/sys/vm/drop_caches; fi
  OTPBATCH_PROFILE=1 /usr/bin/time -f "%e %M" "$bin" run --config "$in/facility.xml" --patients "$in/patients.csv" \
    --services "$services" --as-of "$as_of" --db "$ledger" --out "$out" >/dev/null 2>"$err" || {
    local rc=$?
    if [ "$rc" -ne 3 ]; then echo "bench: $bin exited $rc" >&2; cat "$err" >&2; exit 2; fi
  }
  awk '/^otpbatch profile: 5 / { s5 = $(NF-7) } /^otpbatch profile: 8 workbook/ { s8 = $(NF-7) }
       /^otpbatch profile: 9 / { s9 = $(NF-7) } NF == 2 && $1 ~ /^[0-9.]+$/ { w = $1; kb = $2 }
       END { printf "%s s (%s | %s | %s)", w, s5, s8, s9; if (w != "") printf ", %d MiB", kb / 1024 }' "$err"
}

copy_ledger() {
  rm -f "$2" "$2-wal" "$2-shm"
  cp "$1" "$2"
  [ ! -f "$1-wal" ] || cp "$1-wal" "$2-wal"
}

dump_decisions() {
  local ledger=$1 outs
  shift
  outs=$(printf '%s\n' "$@")
  sqlite3 "$ledger" "
  SELECT 'line', c.run_id, c.facility_id, c.patient_id, c.claim_id, c.interchange, c.total_cents, l.line_no, l.code,
         l.modifiers, l.dos, l.units, l.charge_cents, l.rule_id, l.episode_start
    FROM claim_lines l JOIN claims c USING (claim_id) ORDER BY c.claim_id, l.line_no;
  SELECT 'source', claim_id, line_no, facility_id, record_id, code FROM line_sources ORDER BY 2, 3, 4, 5, 6;
  SELECT 'row', facility_id, record_id, status, reason, decided_run, first_run FROM service_rows ORDER BY 2, 3;
  SELECT 'finding', key, run_id, rule_id, severity, date, detail FROM findings ORDER BY key;
  SELECT 'hold', run_id, facility_id, patient_id, date, code, reason, detail, record_ids FROM holds ORDER BY 2, 3, 4, 5, 6, 7;
  SELECT 'episode', facility_id, patient_id, start_date, end_date, bundle_code, status, reason, run_id FROM episodes
    ORDER BY 2, 3, 4;
  SELECT 'window', facility_id, patient_id, from_date, to_date, code, source_record_id, run_id FROM windows
    ORDER BY 2, 3, 4, 5, 6;
  SELECT 'run', run_id, as_of, status, summary FROM runs ORDER BY 2;" |
    # The run's seconds dropped; each OUT replaced as it is written (no pattern: a path may hold
    # | [ * or \).
    awk -v outs="$outs" 'BEGIN { n = split(outs, o, "\n") }
      { gsub(/"seconds":[0-9.]*/, "")
        for (k = 1; k <= n; k++) if (o[k] != "") while ((i = index($0, o[k])) > 0)
          $0 = substr($0, 1, i - 1) "OUT" substr($0, i + length(o[k]))
        print }'
}

same_decisions() {
  if cmp -s "$1" "$2"; then
    echo "same decisions: $(grep -oE '^(line|source|row|finding|hold|episode|window|run)\|' "$1" | sort | uniq -c |
      awk '{ sub(/\|/, "", $2); printf "%s%s %ss", (NR > 1 ? ", " : ""), $1, $2 }')"
  else
    echo "DECISIONS DIFFER:"; diff "$1" "$2" | head -20 || true; return 1
  fi
}

_mask_837p() {
  tr '~' '\n' <"$1" | sed -E 's/^(ISA(\*[^*]*){8})\*[0-9]{6}\*[0-9]{4}/\1*D*T/; s/^(GS(\*[^*]*){3})\*[0-9]{8}\*[0-9]{4}/\1*D*T/; s/^(BHT(\*[^*]*){3})\*[0-9]{8}\*[0-9]{4}/\1*D*T/'
}

same_837p() {
  local files=0 same=0 f
  while IFS= read -r f; do
    files=$((files + 1))
    if [ ! -f "$2/$f" ] || ! cmp -s <(_mask_837p "$1/$f") <(_mask_837p "$2/$f"); then
      echo "837P DIFFERS: $f"; same=1
    fi
  done < <(cd "$1" && find . -name '*.837' | sort)
  [ "$(cd "$2" && find . -name '*.837' | wc -l)" -eq "$files" ] || { echo "837P: not the same files"; same=1; }
  [ "$same" -ne 0 ] || echo "same 837P files: $files (but their ISA/GS/BHT times)"
  return "$same"
}
