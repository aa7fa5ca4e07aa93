"""Plain-PyTorch reference for the training-speed benchmark (see shared BENCHMARKS.md).

    python3 benchmarks/pytorch_reference.py --preset S --method FULL    # one configuration
    python3 benchmarks/pytorch_reference.py --generate                  # preset M greedy decoding
    python3 benchmarks/pytorch_reference.py --all [--repeat 3]          # every configuration, each
                                                                        # in its own process

Prints one JSON line per run. Threads: torch.set_num_threads(2); OMP_WAIT_POLICY is taken from the
environment as it is (PASSIVE was much faster for Debian's PyTorch on the 2-core machine) and
reported, with the load average at the start of the run.

Data: one fixed batch of 8 rows x 257 random token ids (seed 1234); the model reads the first 256
and predicts the last 256 of each row, so a step processes 8 x 256 = 2048 tokens.
"""

import argparse
import ctypes
import json
import os
import resource
import statistics
import subprocess
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference_models as rm  # noqa: E402

THREADS = 2
BATCH, CONTEXT, VOCAB = 8, 256, 8192
WARMUP_STEPS, TIMED_STEPS = 3, 10
DATA_SEED, MODEL_SEED = 1234, 0

PRESETS = {
    "S": {  # GPT-2: learned positions, LayerNorm, fused qkv with bias, GELU (tanh), tied head
        "model_type": "gpt2", "vocab_size": VOCAB, "n_positions": CONTEXT, "n_embd": 256,
        "n_layer": 4, "n_head": 4, "n_inner": None, "activation_function": "gelu_new",
        "layer_norm_epsilon": 1e-5, "tie_word_embeddings": True,
    },
    "M": {  # Llama: RMSNorm, rotary (rotate-half), GQA, SwiGLU, no biases, untied head
        "model_type": "llama", "vocab_size": VOCAB, "hidden_size": 512, "intermediate_size": 1408,
        "num_hidden_layers": 8, "num_attention_heads": 8, "num_key_value_heads": 4,
        "max_position_embeddings": CONTEXT, "rms_norm_eps": 1e-5, "rope_theta": 10000.0,
        "attention_bias": False, "tie_word_embeddings": False,
    },
}
# attention projections only (PEFT's suffix rule: a bare "c_proj" would also take the MLP's)
LORA_TARGETS = {"S": ["attn.c_attn", "attn.c_proj"], "M": ["q_proj", "k_proj", "v_proj", "o_proj"]}
LORA_R, LORA_ALPHA = 8, 16


# ----------------------------------------------------------------------------------------------
# environment facts

def blas_info():
    """Which BLAS library the process actually loaded (Debian's torch links libblas.so.3, an
    alternatives link), with OpenBLAS's own description and thread count when it is OpenBLAS."""
    libs = set()
    with open("/proc/self/maps") as f:
        for line in f:
            path = line.split()[-1]
            if "blas" in os.path.basename(path).lower():
                libs.add(os.path.realpath(path))
    info = {"blas": ", ".join(sorted(libs)) or "none found", "blas_threads": None}
    for path in sorted(libs):
        try:
            lib = ctypes.CDLL(path)
            lib.openblas_get_config.restype = ctypes.c_char_p
            info["blas"] = lib.openblas_get_config().decode() + " (" + path + ")"
            info["blas_threads"] = lib.openblas_get_num_threads()
            break
        except (OSError, AttributeError):
            continue
    return info


def debian_package_version(name):
    try:
        out = subprocess.run(["dpkg-query", "-W", "-f=${Version}", name], capture_output=True, text=True)
        return out.stdout.strip() or None
    except OSError:
        return None


def environment():
    return {
        "threads": torch.get_num_threads(),
        "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY", "unset"),
        "torch_version": torch.__version__,  # Debian's build reports 1.13.0a0 for 1.13.1
        "torch_package": debian_package_version("python3-torch"),
        **blas_info(),
        "loadavg": [round(x, 2) for x in os.getloadavg()],
    }


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # ru_maxrss is in KiB on Linux


def matmul_peak_gflops(n=2048, warmup=10, repeats=10):
    """Best of `repeats` fp32 n x n x n products after `warmup` ones. The training run probes
    before and after its steps and keeps the better figure, so that a burst of load from another
    process during one probe does not inflate the MFU."""
    gen = torch.Generator().manual_seed(0)
    a, b = torch.randn(n, n, generator=gen), torch.randn(n, n, generator=gen)
    c = torch.empty(n, n)
    for _ in range(warmup):
        torch.mm(a, b, out=c)
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        torch.mm(a, b, out=c)
        best = min(best, time.perf_counter() - t0)
    return 2.0 * n ** 3 / best / 1e9


# ----------------------------------------------------------------------------------------------
# one configuration

def build(preset, method):
    torch.manual_seed(MODEL_SEED)
    model = rm.build_model(PRESETS[preset])
    rm.init_weights(model)
    if method == "LORA":
        rm.apply_lora(model, LORA_TARGETS[preset], LORA_R, LORA_ALPHA)  # freezes the base
    return model


def count_params(model):
    """total, trainable, and N of BENCHMARKS.md: parameters that take part in matmuls (all but the
    lookup-only tables: GPT-2's position table, Llama's untied input embedding; a tied table
    counts once, as parameters() yields it once). LoRA adapters are included in N."""
    total = sum(p.numel() for p in model.parameters())
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    lookup = sum(p.numel() for p in model.lookup_only_parameters())
    return total, trainable, total - lookup


def run_training(preset, method):
    model = build(preset, method)
    model.train()
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=3e-4, betas=(0.9, 0.999), weight_decay=0.1)
    gen = torch.Generator().manual_seed(DATA_SEED)
    tokens = torch.randint(0, VOCAB, (BATCH, CONTEXT + 1), generator=gen)
    inputs, targets = tokens[:, :-1], tokens[:, 1:]

    def step():
        logits, _ = model(inputs)
        loss = F.cross_entropy(logits.reshape(-1, VOCAB), targets.reshape(-1))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        opt.zero_grad(set_to_none=True)
        return float(loss)

    peak_before = matmul_peak_gflops()  # probed before and after training; the better one counts
    losses, times = [], []
    for i in range(WARMUP_STEPS + TIMED_STEPS):
        t0 = time.perf_counter()
        losses.append(step())
        if i >= WARMUP_STEPS:
            times.append(time.perf_counter() - t0)
    rss = peak_rss_mb()  # the probe's three 16 MB arrays stay far below a training step's peak

    total, trainable, n_matmul = count_params(model)
    tokens_per_s = TIMED_STEPS * BATCH * CONTEXT / sum(times)
    peak = max(peak_before, matmul_peak_gflops())
    return {
        "side": "pytorch", "preset": preset, "method": method,
        "params_total": total, "params_trainable": trainable, "params_matmul": n_matmul,
        "tokens_per_s": round(tokens_per_s, 1),
        "median_step_ms": round(1000 * statistics.median(times), 1),
        "peak_rss_mb": round(rss, 1),
        "matmul_peak_gflops": round(peak, 1),
        "mfu": round(6.0 * n_matmul * tokens_per_s / (peak * 1e9), 4),
        "loss_first": round(losses[0], 4), "loss_last": round(losses[-1], 4),
    }


def run_generation(prompt_tokens=16, new_tokens=128):
    model = build("M", "FULL")
    model.eval()
    gen = torch.Generator().manual_seed(DATA_SEED)
    prompt = torch.randint(0, VOCAB, (1, prompt_tokens), generator=gen)
    rm.greedy_generate(model, prompt, 8)  # warm-up
    t0 = time.perf_counter()
    out = rm.greedy_generate(model, prompt, new_tokens, use_cache=True)
    dt = time.perf_counter() - t0
    assert len(out) == new_tokens
    total, _, n_matmul = count_params(model)
    return {
        "side": "pytorch", "preset": "M", "method": "GENERATE",
        "batch": 1, "prompt_tokens": prompt_tokens, "new_tokens": new_tokens,
        "params_total": total, "params_matmul": n_matmul,
        "tokens_per_s": round(new_tokens / dt, 1),  # prefill included
        "ms_per_token": round(1000 * dt / new_tokens, 2),
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }


# ----------------------------------------------------------------------------------------------
# all configurations, each in a fresh process

CONFIGS = [["--preset", "S", "--method", "FULL"], ["--preset", "S", "--method", "LORA"],
           ["--preset", "M", "--method", "FULL"], ["--preset", "M", "--method", "LORA"],
           ["--generate"]]


def run_all(repeat):
    results = {}
    for _ in range(repeat):
        for args in CONFIGS:
            proc = subprocess.run([sys.executable, os.path.abspath(__file__)] + args,
                                  capture_output=True, text=True)
            if proc.returncode != 0:
                sys.stderr.write(proc.stderr)
                raise SystemExit(f"{' '.join(args)} failed ({proc.returncode})")
            line = [l for l in proc.stdout.splitlines() if l.startswith("{")][-1]
            print(line, flush=True)
            r = json.loads(line)
            results.setdefault((r["preset"], r["method"]), []).append(r)
    if repeat > 1:
        for (preset, method), rs in results.items():
            summary = {"side": "pytorch", "summary": True, "preset": preset, "method": method, "runs": len(rs)}
            for key in ("tokens_per_s", "median_step_ms", "peak_rss_mb", "mfu"):
                values = [r[key] for r in rs if key in r]
                if values:
                    summary[key] = {"median": statistics.median(values), "min": min(values), "max": max(values)}
            summary["loadavg_at_starts"] = [r["loadavg"][0] for r in rs]
            print(json.dumps(summary), flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--preset", choices=sorted(PRESETS))
    ap.add_argument("--method", choices=["FULL", "LORA"])
    ap.add_argument("--generate", action="store_true", help="preset M, batch 1, 16 + 128 greedy tokens")
    ap.add_argument("--all", action="store_true", help="every configuration, each in its own process")
    ap.add_argument("--repeat", type=int, default=1, help="with --all: run the whole set this many times")
    args = ap.parse_args()

    if args.all:
        run_all(args.repeat)
        return
    torch.set_num_threads(THREADS)
    env = environment()
    if args.generate:
        result = run_generation()
    elif args.preset and args.method:
        result = run_training(args.preset, args.method)
    else:
        ap.error("give --preset and --method, --generate, or --all")
    print(json.dumps({**result, **env}), flush=True)


if __name__ == "__main__":
    main()
