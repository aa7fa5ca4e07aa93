#!/usr/bin/env bash
# A large JSONL upload through dataset-service on the local stack, with every service's heap capped, to show that
# ingestion streams: prints the file size, the time the upload took, and dataset-service's heap use sampled by jstat
# every 200 ms during it (young + old generation in use; the peak is what the JVM held, garbage included).
#   benchmarks/dataset-upload.sh                      # 100 MB, service heap 256m
#   SIZE_MB=20 HEAP=128m benchmarks/dataset-upload.sh # smaller
# Run while the stack is down (it uses the same ports): the script starts one on a throw-away data folder and stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE_MB="${SIZE_MB:-100}"
HEAP="${HEAP:-256m}"
work="$(mktemp -d)"
trap 'kill "${sampler:-0}" 2>/dev/null || true; ./finetune down --data-dir "$work/stack" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

# distinct reviews of about 300 bytes each, two labels, with some exact and near duplicates to clean
python3 - "$work/upload.jsonl" "$SIZE_MB" <<'PY'
import json, random, sys
path, size = sys.argv[1], int(sys.argv[2]) * 1024 * 1024
rng = random.Random(7)
words = "the a pizza film service staff room price delivery was were very quite not truly great awful slow fast " \
        "cold warm friendly rude clean dirty cheap expensive and but again never always".split()
written, i, previous = 0, 0, None
with open(path, "w") as out:
    while written < size:
        text = " ".join(rng.choice(words) for _ in range(45)) + f" #{i}"
        label = "good" if i % 3 else "bad"
        if i % 100 == 99:
            text, label = previous  # an exact duplicate
        elif i % 100 == 49:
            text, label = previous[0].upper() + "!", previous[1]  # a near-duplicate
        previous = (text, label)
        line = json.dumps({"text": text, "label": label}) + "\n"
        out.write(line)
        written += len(line)
        i += 1
PY
bytes=$(stat -c %s "$work/upload.jsonl")
records=$(wc -l < "$work/upload.jsonl")

./finetune up --data-dir "$work/stack" --service-heap "$HEAP" >/dev/null
pid=$(pgrep -f 'dataset-service.*\.jar' | head -1)
jstat -gc "$pid" 200 > "$work/gc.txt" &
sampler=$!
start=$(date +%s.%N)
status=$(curl -s -o "$work/answer.json" -w '%{http_code}' -X POST -H 'Content-Type: application/x-ndjson' \
  --data-binary @"$work/upload.jsonl" 'http://localhost:18081/api/datasets/large-upload')
end=$(date +%s.%N)
sleep 0.5
kill "$sampler"
# jstat -gc columns: S0U, S1U, EU and OU (in KB) are the used parts of the survivor, eden and old spaces
peak=$(awk 'NR > 1 && $1 ~ /^[0-9.]+$/ { used = $3 + $4 + $6 + $8; if (used > max) max = used } END { printf "%.0f", max / 1024 }' "$work/gc.txt")
python3 - "$work/answer.json" "$status" "$bytes" "$records" "$start" "$end" "$HEAP" "$peak" <<'PY'
import json, sys
answer, status, size, records, start, end, heap, peak = sys.argv[1:]
seconds = float(end) - float(start)
print(f"upload: {int(size) / 2**20:.1f} MB, {records} records, HTTP {status}, {seconds:.1f} s "
      f"({int(size) / 2**20 / seconds:.1f} MB/s, {int(records) / seconds:.0f} records/s)")
print(f"dataset-service: -Xmx{heap}, peak heap in use {peak} MB")
body = json.load(open(answer))
if status.startswith("2"):
    print("version:", body["dataset"]["version"], "counts:", body["counts"], "cleaning:", body["cleaning"])
    print("tokens (train):", body["tokens"]["train"])
else:
    print("error:", body)
    sys.exit(1)
PY
