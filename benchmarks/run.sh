#!/usr/bin/env bash
# Training and generation speed of the Java engine and of plain PyTorch, side by side, as ../shared/BENCHMARKS.md
# prescribes: presets S (GPT-2) and M (Llama) x FULL and LORA, plus generation; every configuration in its own
# process, the two sides interleaved, the whole set REPEAT times (default 3); then medians, ranges and ratios.
#   benchmarks/run.sh            # needs Debian's python3-torch and libopenblas0-pthread for the reference side
#   REPEAT=1 benchmarks/run.sh   # a quick look
set -euo pipefail
cd "$(dirname "$0")/.."
REPEAT="${REPEAT:-3}"
PY=/usr/bin/python3   # Debian's interpreter, where python3-torch lives (a pyenv or venv python3 lacks it)

if ! "$PY" -c 'import torch' 2>/dev/null; then
  echo "the PyTorch reference needs Debian's python3-torch: apt-get install -y python3-torch libopenblas0-pthread" >&2
  exit 2
fi
mvn -q -B -DskipTests install -pl benchmarks -am >&2
JAR=benchmarks/target/finetune-bench.jar

# the same thread settings for both sides (see BENCHMARKS.md): 2 intra-op threads, the wait policy given or PASSIVE
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-2}"
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"

out="benchmarks/results/$(date -u +%Y%m%dT%H%M%SZ).jsonl"
mkdir -p benchmarks/results
configs=("--preset S --method FULL" "--preset S --method LORA" "--preset M --method FULL" "--preset M --method LORA" "--generate")
for rep in $(seq "$REPEAT"); do
  for config in "${configs[@]}"; do
    # shellcheck disable=SC2086
    java -Dai.djl.offline=true -jar "$JAR" $config | grep '^{' | tee -a "$out"
    # shellcheck disable=SC2086
    "$PY" benchmarks/pytorch_reference.py $config | grep '^{' | tee -a "$out"
  done
done >&2
"$PY" benchmarks/summarize.py "$out"
echo "raw results: $out" >&2
