#!/usr/bin/env bash
# fio and Staleguard side by side on ONE freshly made loop device (root needed).
#
#   benchmarks/fio-vs-staleguard.sh [seconds-per-round] [rounds]     (defaults: 10 4)
#
# Creates a sparse 256 MiB image in a fresh temporary directory, attaches it with
# `losetup --find --show --direct-io=on --sector-size 4096`, and ALWAYS detaches it again (trap).
# The device is first written end to end (so no run reads cheap holes of the sparse image), then
# each round runs, for the same fixed time:
#   fio  --rw=randrw --bs=4k --direct=1 --ioengine=psync --numjobs=2 --verify=crc32c
#        (each job on its own 128 MiB half, fio's offset_increment, so verification never sees the
#        other job's writes; 2 s ramp time not counted)
#   io.staleguard.benchmarks.LoopVerifiedWorkload: the same randrw mix from 2 threads on LoopDevice
#        over the same device: O_DIRECT, 4 KiB, PI generated on every write (the NVMe CRC-32C tuple,
#        fio's crc32c), PI and the history oracle verifying every read (5 s warm-up in the same JVM, not counted: the JIT
#        compiler needs it on 2 busy cores; C1 only, -XX:TieredStopAtLevel=1, so that C2 compiler
#        threads do not compete with the workload for the 2 cores)
# Rounds alternate fio and Staleguard so drift of the shared disk hits both. Prints both
# verified-IOPS figures (summed over the rounds) and their ratio. Needs benchmarks/target/benchmarks.jar:
#   mvn -B -q -o package -DskipTests -pl device-backend,benchmarks -am
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_PER_ROUND=${1:-10}
ROUNDS=${2:-4}
LOOP_DIO=${LOOP_DIO:-on}   # the loop driver's own backing I/O; "off" backs it by the host page cache
JAR=benchmarks/target/benchmarks.jar
JAVA=${JAVA:-java}

[ "$(id -u)" = 0 ] || { echo "fio-vs-staleguard: needs root (losetup)" >&2; exit 2; }
command -v fio >/dev/null || { echo "fio-vs-staleguard: fio is not installed (apt-get install fio)" >&2; exit 2; }
command -v losetup >/dev/null || { echo "fio-vs-staleguard: losetup is not installed" >&2; exit 2; }
[ -f "$JAR" ] || { echo "fio-vs-staleguard: $JAR missing; build it first (see the header)" >&2; exit 2; }

WORK=$(mktemp -d /tmp/staleguard-fio.XXXXXX)
DEV=""
cleanup() {
  # Detach only the device this script attached, verified by its backing file.
  if [ -n "$DEV" ] && losetup -n -O BACK-FILE "$DEV" 2>/dev/null | grep -qF "$WORK/image"; then
    losetup --detach "$DEV" || echo "fio-vs-staleguard: WARNING: could not detach $DEV" >&2
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

truncate -s 256M "$WORK/image"
DEV=$(losetup --find --show --direct-io="$LOOP_DIO" --sector-size 4096 "$WORK/image")
echo "device: $DEV <- $WORK/image (256 MiB, sector 4096, loop direct-io $LOOP_DIO)"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), kernel $(uname -r), $(fio --version)"
fio --name=prefill --filename="$DEV" --rw=write --bs=1M --direct=1 --ioengine=psync --size=256M >/dev/null

fio_total=0; fio_secs=0; sg_total=0; sg_secs=0; pairs=
for round in $(seq 1 "$ROUNDS"); do
  fio --name=randrw --filename="$DEV" --rw=randrw --bs=4k --direct=1 --ioengine=psync --numjobs=2 \
      --verify=crc32c --verify_state_save=0 --size=128M --offset_increment=128M --time_based --runtime="$SECONDS_PER_ROUND" \
      --ramp_time=2 --randrepeat=0 --group_reporting --output-format=json > "$WORK/fio.json"
  read -r ios secs < <(python3 -c '
import json,sys
t=open(sys.argv[1]).read()
j=json.loads(t[t.index("{"):])["jobs"][0]  # fio prints warnings before the JSON
err=j["error"]
if err: sys.exit("fio reported error %d" % err)
ios=j["read"]["total_ios"]+j["write"]["total_ios"]
secs=max(j["read"]["runtime"], j["write"]["runtime"])/1000.0
print(ios, secs)' "$WORK/fio.json")
  echo "round $round: fio        ops=$ios seconds=$secs iops=$(python3 -c "print(round($ios/$secs))")"
  fio_total=$((fio_total + ios)); fio_secs=$(python3 -c "print($fio_secs + $secs)")

  line=$("$JAVA" -XX:TieredStopAtLevel=1 -cp "$JAR" io.staleguard.benchmarks.LoopVerifiedWorkload --device "$DEV" \
      --seconds "$SECONDS_PER_ROUND" --warmup 5 --jobs 2 --region $((128 << 20)) --seed "$round" | head -1)
  ops=$(sed -n 's/.* ops=\([0-9]*\).*/\1/p' <<<"$line")
  ssecs=$(sed -n 's/.* seconds=\([0-9.]*\).*/\1/p' <<<"$line")
  viol=$(sed -n 's/.* violations=\([0-9]*\).*/\1/p' <<<"$line")
  echo "round $round: staleguard ops=$ops seconds=$ssecs iops=$(python3 -c "print(round($ops/$ssecs))") violations=$viol"
  [ "$viol" = 0 ] || { echo "fio-vs-staleguard: Staleguard reported violations: $line" >&2; exit 1; }
  sg_total=$((sg_total + ops)); sg_secs=$(python3 -c "print($sg_secs + $ssecs)")
  pairs="$pairs $ios/$secs:$ops/$ssecs"
done

python3 - "$fio_total" "$fio_secs" "$sg_total" "$sg_secs" $pairs <<'PY'
import statistics, sys
f_ops, f_s, s_ops, s_s = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
fi, si = f_ops / f_s, s_ops / s_s
ratios = []
for p in sys.argv[5:]:
    f, s = p.split(":")
    fo, fs = f.split("/"); so, ss = s.split("/")
    ratios.append((int(so) / float(ss)) / (int(fo) / float(fs)))
print(f"fio verified IOPS:        {fi:.0f}")
print(f"Staleguard verified IOPS: {si:.0f}")
print(f"ratio Staleguard/fio:     {si / fi:.2f}  (goal >= 0.80; all rounds summed)")
print(f"per-round ratios:         {' '.join(f'{r:.2f}' for r in ratios)}  (median {statistics.median(ratios):.2f})")
PY
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
