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
#        fio's crc32c), PI and the history oracle verifying every read ($WARMUP s warm-up in the same
#        JVM, not counted, long enough for C2 to compile the I/O path; the serial collector and two
#        compiler threads, so that the JVM's own threads take as little of the 2 cores as they can)
# Rounds alternate fio and Staleguard (ABBA: odd rounds fio first, even rounds Staleguard first) so
# drift of the shared disk hits both. Prints both verified-IOPS figures (summed over the rounds),
# their ratio, the per-round ratios and the CPU time per operation of both sides (fio's usr+sys of
# its job processes; the job threads' and the whole JVM's CPU time): the CPU figures hardly depend on
# the machine's load, the IOPS do. Needs benchmarks/target/benchmarks.jar:
#   mvn -B -q -o package -DskipTests -pl device-backend,benchmarks -am
#
# Environment: JAR (the Staleguard build to run), REF_JAR (a second build, e.g. main's, run as a third
# leg of every round: its ratio to JAR in the same run), JAVA_FLOOR=1 (one more leg per round:
# LoopVerifiedWorkload --plain, the same jobs through the device's own pread/pwrite calls with a CRC-32C per
# write and no checking, i.e. fio's job in Java, the floor of any JVM program here), JAVA, JAVA_OPTS, WARMUP (s, default 8),
# LOOP_DIO (on|off: the loop driver's own backing I/O; off backs it by the host page cache),
# LOOP_BACKING (disk: a sparse image in a temporary directory; shm: in /dev/shm, which takes the
# disk out of the measurement and leaves the CPU cost of each side).
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_PER_ROUND=${1:-10}
ROUNDS=${2:-4}
LOOP_DIO=${LOOP_DIO:-on}
LOOP_BACKING=${LOOP_BACKING:-disk}
JAR=${JAR:-benchmarks/target/benchmarks.jar}
REF_JAR=${REF_JAR:-}
JAVA_FLOOR=${JAVA_FLOOR:-0}
JAVA=${JAVA:-java}
JAVA_OPTS=${JAVA_OPTS:--XX:+UseSerialGC -XX:CICompilerCount=2}
WARMUP=${WARMUP:-8}

[ "$(id -u)" = 0 ] || { echo "fio-vs-staleguard: needs root (losetup)" >&2; exit 2; }
command -v fio >/dev/null || { echo "fio-vs-staleguard: fio is not installed (apt-get install fio)" >&2; exit 2; }
command -v losetup >/dev/null || { echo "fio-vs-staleguard: losetup is not installed" >&2; exit 2; }
[ -f "$JAR" ] || { echo "fio-vs-staleguard: $JAR missing; build it first (see the header)" >&2; exit 2; }
[ -z "$REF_JAR" ] || [ -f "$REF_JAR" ] || { echo "fio-vs-staleguard: REF_JAR $REF_JAR missing" >&2; exit 2; }
case "$LOOP_BACKING" in
  disk) WORK=$(mktemp -d /tmp/staleguard-fio.XXXXXX) ;;
  shm) WORK=$(mktemp -d /dev/shm/staleguard-fio.XXXXXX) ;;
  *) echo "fio-vs-staleguard: LOOP_BACKING '$LOOP_BACKING' is neither disk nor shm" >&2; exit 2 ;;
esac
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

fio_total=0; fio_secs=0; sg_total=0; sg_secs=0; ref_total=0; ref_secs=0; floor_total=0; floor_secs=0; pairs=; cpus=

run_fio() {
  fio --name=randrw --filename="$DEV" --rw=randrw --bs=4k --direct=1 --ioengine=psync --numjobs=2 \
      --verify=crc32c --verify_state_save=0 --size=128M --offset_increment=128M --time_based --runtime="$SECONDS_PER_ROUND" \
      --ramp_time=2 --randrepeat=0 --group_reporting --output-format=json > "$WORK/fio.json"
  # CPU per operation: fio's usr_cpu and sys_cpu are percentages of the jobs' summed run time (job_runtime).
  read -r ios secs fcpu < <(python3 -c '
import json,sys
t=open(sys.argv[1]).read()
j=json.loads(t[t.index("{"):])["jobs"][0]  # fio prints warnings before the JSON
err=j["error"]
if err: sys.exit("fio reported error %d" % err)
ios=j["read"]["total_ios"]+j["write"]["total_ios"]
secs=max(j["read"]["runtime"], j["write"]["runtime"])/1000.0
cpu=(j["usr_cpu"]+j["sys_cpu"])/100.0*j["job_runtime"]/1000.0
print(ios, secs, "%.1f" % (cpu*1e6/max(1,ios)))' "$WORK/fio.json")
  echo "round $round: fio        ops=$ios seconds=$secs iops=$(python3 -c "print(round($ios/$secs))") cpu_us_per_op=$fcpu"
  fio_total=$((fio_total + ios)); fio_secs=$(python3 -c "print($fio_secs + $secs)")
}

# run_sg JAR LABEL [ARGS]: one Staleguard leg (or, with --plain, the Java floor); sets ops, ssecs, scpu, spcpu.
run_sg() {
  local line viol
  line=$("$JAVA" $JAVA_OPTS -cp "$1" io.staleguard.benchmarks.LoopVerifiedWorkload --device "$DEV" \
      --seconds "$SECONDS_PER_ROUND" --warmup "$WARMUP" --jobs 2 --region $((128 << 20)) --seed "$round" ${3:-} | head -1)
  ops=$(sed -n 's/.* ops=\([0-9]*\).*/\1/p' <<<"$line")
  ssecs=$(sed -n 's/.* seconds=\([0-9.]*\).*/\1/p' <<<"$line")
  viol=$(sed -n 's/.* violations=\([0-9]*\).*/\1/p' <<<"$line")
  scpu=$(sed -n 's/.* cpu_us_per_op=\([0-9.]*\).*/\1/p' <<<"$line")
  spcpu=$(sed -n 's/.* process_cpu_us_per_op=\([0-9.]*\).*/\1/p' <<<"$line")
  echo "round $round: $2 ops=$ops seconds=$ssecs iops=$(python3 -c "print(round($ops/$ssecs))") violations=$viol cpu_us_per_op=$scpu (job threads) $spcpu (JVM)"
  [ "$viol" = 0 ] || { echo "fio-vs-staleguard: Staleguard reported violations: $line" >&2; exit 1; }
}

run_staleguard() {
  run_sg "$JAR" "staleguard"
  sg_total=$((sg_total + ops)); sg_secs=$(python3 -c "print($sg_secs + $ssecs)")
  sg_round="$ops/$ssecs"; sg_cpu="$scpu/$spcpu"
  if [ -n "$REF_JAR" ]; then
    run_sg "$REF_JAR" "reference "
    ref_total=$((ref_total + ops)); ref_secs=$(python3 -c "print($ref_secs + $ssecs)")
    ref_round="$ops/$ssecs"
  else
    ref_round="0/1"
  fi
  if [ "$JAVA_FLOOR" = 1 ]; then
    run_sg "$JAR" "java floor" --plain
    floor_total=$((floor_total + ops)); floor_secs=$(python3 -c "print($floor_secs + $ssecs)")
    floor_round="$ops/$ssecs"; floor_cpu="$scpu"
  else
    floor_round="0/1"; floor_cpu=0
  fi
}

for round in $(seq 1 "$ROUNDS"); do
  if [ $((round % 2)) = 1 ]; then run_fio; run_staleguard; else run_staleguard; run_fio; fi
  pairs="$pairs $ios/$secs:$sg_round:$ref_round:$floor_round"
  cpus="$cpus $fcpu:$sg_cpu:$floor_cpu"
done

python3 - "$fio_total" "$fio_secs" "$sg_total" "$sg_secs" "$ref_total" "$ref_secs" "$floor_total" "$floor_secs" "$cpus" $pairs <<'PY'
import statistics, sys
f_ops, f_s, s_ops, s_s = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
r_ops, r_s = int(sys.argv[5]), float(sys.argv[6])
j_ops, j_s = int(sys.argv[7]), float(sys.argv[8])
cpus = [c.split(":") for c in sys.argv[9].split()]
fi, si = f_ops / f_s, s_ops / s_s
ratios, refs, floors = [], [], []
for p in sys.argv[10:]:
    f, s, r, j = p.split(":")
    fo, fs = f.split("/"); so, ss = s.split("/"); ro, rs = r.split("/"); jo, js = j.split("/")
    ratios.append((int(so) / float(ss)) / (int(fo) / float(fs)))
    if int(ro) > 0:
        refs.append((int(so) / float(ss)) / (int(ro) / float(rs)))
    if int(jo) > 0:
        floors.append((int(jo) / float(js)) / (int(fo) / float(fs)))
print(f"fio verified IOPS:        {fi:.0f}")
print(f"Staleguard verified IOPS: {si:.0f}")
print(f"ratio Staleguard/fio:     {si / fi:.2f}  (goal >= 1.0; all rounds summed)")
print(f"per-round ratios:         {' '.join(f'{r:.2f}' for r in ratios)}  (median {statistics.median(ratios):.2f})")
if refs:
    print(f"reference verified IOPS:  {r_ops / r_s:.0f}; Staleguard/reference {si / (r_ops / r_s):.2f}"
          f" (per round {' '.join(f'{r:.2f}' for r in refs)}, median {statistics.median(refs):.2f})")
if floors:
    ji = j_ops / j_s
    print(f"java floor IOPS:          {ji:.0f}; floor/fio {ji / fi:.2f} (per round {' '.join(f'{r:.2f}' for r in floors)},"
          f" median {statistics.median(floors):.2f}); Staleguard/floor {si / ji:.2f}")
fc = [float(c[0]) for c in cpus]; sc = [float(c[1].split('/')[0]) for c in cpus]; pc = [float(c[1].split('/')[1]) for c in cpus]
jc = [float(c[2]) for c in cpus]
print(f"CPU us per op (medians):  fio {statistics.median(fc):.1f} (job processes); Staleguard"
      f" {statistics.median(sc):.1f} (job threads), {statistics.median(pc):.1f} (whole JVM)"
      + (f"; java floor {statistics.median(jc):.1f} (job threads)" if floors else ""))
PY
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
