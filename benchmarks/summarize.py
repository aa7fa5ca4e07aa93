"""Summarises a benchmarks/run.sh results file: median and range per side and configuration, and Java/PyTorch ratios.

    python3 benchmarks/summarize.py benchmarks/results/<run>.jsonl
"""
import json
import statistics
import sys


def main(path):
    runs = [json.loads(line) for line in open(path) if line.startswith("{")]
    runs = [r for r in runs if not r.get("summary")]
    groups = {}
    for r in runs:
        groups.setdefault((r["preset"], r["method"], r["side"]), []).append(r)

    def stat(key, preset, method, side):
        values = [r[key] for r in groups.get((preset, method, side), []) if key in r]
        if not values:
            return None
        return statistics.median(values), min(values), max(values)

    def fmt(s, digits=0):
        if s is None:
            return "-"
        median, low, high = s
        return f"{median:.{digits}f} ({low:.{digits}f}-{high:.{digits}f})"

    configs = sorted({(p, m) for p, m, _ in groups}, key=lambda c: (c[1] == "GENERATE", c))
    print("| preset | method | Java tokens/s | PyTorch tokens/s | Java/PyTorch | Java peak RSS MB | PyTorch peak RSS MB"
          " | Java MFU | PyTorch MFU |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for preset, method in configs:
        java = stat("tokens_per_s", preset, method, "java")
        torch = stat("tokens_per_s", preset, method, "pytorch")
        ratio = f"{java[0] / torch[0]:.2f}" if java and torch else "-"
        print(f"| {preset} | {method} | {fmt(java)} | {fmt(torch)} | {ratio} "
              f"| {fmt(stat('peak_rss_mb', preset, method, 'java'))} "
              f"| {fmt(stat('peak_rss_mb', preset, method, 'pytorch'))} "
              f"| {fmt(stat('mfu', preset, method, 'java'), 3)} | {fmt(stat('mfu', preset, method, 'pytorch'), 3)} |")
    first = {side: next((r for r in runs if r["side"] == side and "threads" in r), {}) for side in ("java", "pytorch")}
    print()
    loads = sorted({float(r["loadavg"][0] if isinstance(r["loadavg"], list) else r["loadavg"]) for r in runs
                    if r.get("loadavg") is not None})
    print(f"runs per configuration and side: {max(len(v) for v in groups.values())}; "
          f"1-minute load average at the starts: {loads[0]:.2f}-{loads[-1]:.2f}")
    for side, r in first.items():
        settings = {k: r.get(k) for k in ("threads", "interop_threads", "omp_wait_policy", "pytorch_version",
                                           "torch_version", "blas", "djl_version", "jdk") if r.get(k) is not None}
        print(f"{side}: {settings}")
    peaks = {side: stat("matmul_peak_gflops", "S", "FULL", side) for side in ("java", "pytorch")}
    print("fp32 2048^3 matmul peak GFLOP/s: " + ", ".join(f"{side} {fmt(p)}" for side, p in peaks.items()))


if __name__ == "__main__":
    main(sys.argv[1])
