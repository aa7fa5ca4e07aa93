"""Cross-checks of reference_models.py against a second, deliberately naive implementation.

    python3 benchmarks/check_reference_models.py FIXTURES_DIR    (made by make_parity_fixtures.py)

The naive forward below works token by token and head by head in float64, straight from the
Hugging Face-named tensors, with the conventions spelled out element-wise (Conv1D's (in, out)
weight, rotary pairs (i, i + hd/2), kv head h // n_rep, PEFT's lora_A (r, in) / lora_B (out, r)),
so a slip in the vectorised reshapes or masks of reference_models.py shows up as a mismatch.
"""

import json
import math
import os
import struct
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference_models as rm  # noqa: E402
import tiny_safetensors  # noqa: E402


def layer_norm(x, w, b, eps):
    mu = x.mean()
    var = ((x - mu) ** 2).mean()
    return (x - mu) / math.sqrt(var + eps) * w + b


def rms_norm(x, w, eps):
    return x / math.sqrt(float((x * x).mean()) + eps) * w


def gelu_tanh(x):
    return 0.5 * x * (1 + torch.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x ** 3)))


def attend(q_rows, k_rows, v_rows):
    """q_rows[t], k_rows[s], v_rows[s]: vectors of one head; position t sees s <= t."""
    out = []
    for t, q in enumerate(q_rows):
        scores = torch.tensor([float(q @ k_rows[s]) / math.sqrt(q.numel()) for s in range(t + 1)], dtype=torch.float64)
        p = torch.softmax(scores, dim=0)
        out.append(sum(p[s] * v_rows[s] for s in range(t + 1)))
    return out


def naive_gpt2(sd, cfg, ids):
    C, H = cfg["n_embd"], cfg["n_head"]
    hs, eps = C // H, cfg["layer_norm_epsilon"]
    g = lambda name: sd["transformer." + name].double()
    xs = [g("wte.weight")[tok] + g("wpe.weight")[pos] for pos, tok in enumerate(ids)]
    for i in range(cfg["n_layer"]):
        p = f"h.{i}."
        hs_in = [layer_norm(x, g(p + "ln_1.weight"), g(p + "ln_1.bias"), eps) for x in xs]
        qkv = [x @ g(p + "attn.c_attn.weight") + g(p + "attn.c_attn.bias") for x in hs_in]  # (in, out)
        heads = []
        for h in range(H):
            q = [v[h * hs:(h + 1) * hs] for v in qkv]
            k = [v[C + h * hs:C + (h + 1) * hs] for v in qkv]
            v_ = [v[2 * C + h * hs:2 * C + (h + 1) * hs] for v in qkv]
            heads.append(attend(q, k, v_))
        merged = [torch.cat([heads[h][t] for h in range(H)]) for t in range(len(ids))]
        xs = [x + m @ g(p + "attn.c_proj.weight") + g(p + "attn.c_proj.bias") for x, m in zip(xs, merged)]
        mlp_in = [layer_norm(x, g(p + "ln_2.weight"), g(p + "ln_2.bias"), eps) for x in xs]
        xs = [x + gelu_tanh(m @ g(p + "mlp.c_fc.weight") + g(p + "mlp.c_fc.bias")) @ g(p + "mlp.c_proj.weight")
              + g(p + "mlp.c_proj.bias") for x, m in zip(xs, mlp_in)]
    wte = g("wte.weight")
    return torch.stack([wte @ layer_norm(x, g("ln_f.weight"), g("ln_f.bias"), eps) for x in xs])


def rotate(vec, pos, theta):
    """Rotate the pairs (i, i + hd/2) by pos * theta^(-2i/hd)."""
    hd = vec.numel()
    out = vec.clone()
    for i in range(hd // 2):
        angle = pos * theta ** (-2.0 * i / hd)
        a, b = vec[i], vec[i + hd // 2]
        out[i] = a * math.cos(angle) - b * math.sin(angle)
        out[i + hd // 2] = b * math.cos(angle) + a * math.sin(angle)
    return out


def naive_llama(sd, cfg, ids, lora=None):
    """lora: (adapter tensors with PEFT names, scaling) or None."""
    H, KV = cfg["num_attention_heads"], cfg["num_key_value_heads"]
    hd = cfg["hidden_size"] // H
    eps, theta = cfg["rms_norm_eps"], cfg["rope_theta"]
    qwen = cfg["model_type"] == "qwen2"
    g = lambda name: sd[name].double()

    def linear(x, name):  # nn.Linear: weight (out, in)
        y = g(name + ".weight") @ x
        if name + ".bias" in sd:
            y = y + g(name + ".bias")
        if lora is not None and "base_model.model." + name + ".lora_A.weight" in lora[0]:
            A = lora[0]["base_model.model." + name + ".lora_A.weight"].double()  # (r, in)
            B = lora[0]["base_model.model." + name + ".lora_B.weight"].double()  # (out, r)
            y = y + (B @ (A @ x)) * lora[1]
        return y

    xs = [g("model.embed_tokens.weight")[tok] for tok in ids]
    for i in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{i}."
        if qwen:
            assert p + "self_attn.q_proj.bias" in sd and p + "self_attn.o_proj.bias" not in sd
        h_in = [rms_norm(x, g(p + "input_layernorm.weight"), eps) for x in xs]
        q = [linear(x, p + "self_attn.q_proj") for x in h_in]
        k = [linear(x, p + "self_attn.k_proj") for x in h_in]
        v = [linear(x, p + "self_attn.v_proj") for x in h_in]
        heads = []
        for h in range(H):
            j = h // (H // KV)  # the kv head serving query head h
            qh = [rotate(vec[h * hd:(h + 1) * hd], t, theta) for t, vec in enumerate(q)]
            kh = [rotate(vec[j * hd:(j + 1) * hd], t, theta) for t, vec in enumerate(k)]
            vh = [vec[j * hd:(j + 1) * hd] for vec in v]
            heads.append(attend(qh, kh, vh))
        merged = [torch.cat([heads[h][t] for h in range(H)]) for t in range(len(ids))]
        xs = [x + linear(m, p + "self_attn.o_proj") for x, m in zip(xs, merged)]
        m_in = [rms_norm(x, g(p + "post_attention_layernorm.weight"), eps) for x in xs]
        xs = [x + linear(torch.nn.functional.silu(linear(m, p + "mlp.gate_proj")) * linear(m, p + "mlp.up_proj"),
                         p + "mlp.down_proj") for x, m in zip(xs, m_in)]
    head = g("model.embed_tokens.weight") if cfg.get("tie_word_embeddings") else g("lm_head.weight")
    return torch.stack([head @ rms_norm(x, g("model.norm.weight"), eps) for x in xs])


# ----------------------------------------------------------------------------------------------

results = {"passed": 0, "failed": 0}


def check(name, ok, detail=""):
    results["passed" if ok else "failed"] += 1
    print(f"{'ok  ' if ok else 'FAIL'} {name} {detail}")


def load(d):
    with open(os.path.join(d, "config.json")) as f:
        cfg = json.load(f)
    with open(os.path.join(d, "expected.json")) as f:
        exp = json.load(f)
    return cfg, tiny_safetensors.load_file(os.path.join(d, "model.safetensors")), exp


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    root = sys.argv[1]
    torch.set_num_threads(1)

    for name in ("gpt2", "gpt2-f16", "llama", "llama-bf16", "qwen2"):
        cfg, sd, exp = load(os.path.join(root, name))
        model = rm.load_pretrained(os.path.join(root, name))
        with torch.no_grad():
            logits, _ = model(torch.tensor(exp["input_ids"]))
        for row, ids in enumerate(exp["input_ids"]):
            naive = naive_gpt2(sd, cfg, ids) if cfg["model_type"] == "gpt2" else naive_llama(sd, cfg, ids)
            diff = float((naive - logits[row].double()).abs().max())
            check(f"{name} row {row}: model == naive float64", diff < 1e-4, f"(max diff {diff:.2e})")
            diff = float((naive - torch.tensor(exp["logits"][row], dtype=torch.float64)).abs().max())
            check(f"{name} row {row}: expected.json == naive float64", diff < 1e-4, f"(max diff {diff:.2e})")

    # LoRA on llama, naive: y = W x + b + (B (A x)) * alpha / r
    d = os.path.join(root, "llama-lora")
    with open(os.path.join(d, "adapter_config.json")) as f:
        acfg = json.load(f)
    with open(os.path.join(d, "expected.json")) as f:
        exp = json.load(f)
    cfg, sd, _ = load(os.path.join(root, "llama"))
    adapter = tiny_safetensors.load_file(os.path.join(d, "adapter_model.safetensors"))
    for row, ids in enumerate(exp["input_ids"]):
        naive = naive_llama(sd, cfg, ids, lora=(adapter, acfg["lora_alpha"] / acfg["r"]))
        diff = float((naive - torch.tensor(exp["logits"][row], dtype=torch.float64)).abs().max())
        check(f"llama-lora row {row}: expected.json == naive float64", diff < 1e-4, f"(max diff {diff:.2e})")

    # LoRA on GPT-2's Conv1D: A (r, in), B (out, r), base weight (in, out)
    torch.manual_seed(0)
    conv = rm.Conv1D(6, 10)
    torch.nn.init.normal_(conv.weight)
    wrapped = rm.LoRALinear(conv, r=2, alpha=4)
    torch.nn.init.normal_(wrapped.lora_B.weight)
    x = torch.randn(3, 6)
    want = x @ conv.weight + conv.bias + (x @ wrapped.lora_A.weight.T @ wrapped.lora_B.weight.T) * 2.0
    check("LoRA on Conv1D: shapes (r, in) / (out, r) and value",
          tuple(wrapped.lora_A.weight.shape) == (2, 6) and tuple(wrapped.lora_B.weight.shape) == (10, 2)
          and torch.allclose(wrapped(x), want, atol=1e-5))
    gpt2 = rm.build_model(load(os.path.join(root, "gpt2"))[0])
    names = rm.apply_lora(gpt2, ["attn.c_attn", "attn.c_proj"], 4, 8)
    check("GPT-2 targets attn.c_attn/attn.c_proj leave the MLP's c_proj alone",
          all(".attn." in n for n in names) and len(names) == 4, str(names))
    fresh = rm.build_model(load(os.path.join(root, "gpt2"))[0])
    check("GPT-2 bare 'c_proj' also matches the MLP's c_proj (PEFT suffix rule)",
          len(rm.apply_lora(fresh, ["c_attn", "c_proj"], 4, 8)) == 6)
    check("LoRA freezes the base", all(p.requires_grad == (".lora_" in n) for n, p in gpt2.named_parameters()))

    # the two GELU forms
    x = torch.linspace(-8, 8, 10001)
    diff = float((rm.gelu_tanh(x) - rm.gelu_tanh_formula(x)).abs().max())
    check("fused tanh GELU == gelu_new formula", diff < 1e-6, f"(max diff {diff:.1e})")

    # BF16 file bytes: round-to-nearest-even of the float32 bits, upper 16 bits
    _, sd32, _ = load(os.path.join(root, "llama"))
    path = os.path.join(root, "llama-bf16", "model.safetensors")
    header, _, start = tiny_safetensors.read_header(path)
    info = header["model.norm.weight"]
    with open(path, "rb") as f:
        f.seek(start + info["data_offsets"][0])
        raw = f.read(info["data_offsets"][1] - info["data_offsets"][0])
    bits = struct.unpack(f"<{len(raw) // 2}H", raw)
    ok = True
    for value, stored in zip(sd32["model.norm.weight"].tolist(), bits):
        (u,) = struct.unpack("<I", struct.pack("<f", value))
        ok &= stored == ((u + 0x7FFF + ((u >> 16) & 1)) >> 16) & 0xFFFF
    check("BF16 bytes are round-to-nearest-even of F32", ok and info["dtype"] == "BF16")

    # original GPT-2 checkpoints: no "transformer." prefix, causal-mask buffers present
    cfg, sd, exp = load(os.path.join(root, "gpt2"))
    legacy = {k[len("transformer."):]: v for k, v in sd.items()}
    legacy["h.0.attn.bias"] = torch.ones(1, 1, 32, 32)
    model = rm.build_model(cfg)
    with torch.no_grad():
        rm.load_hf_state_dict(model, legacy)
        logits, _ = model(torch.tensor(exp["input_ids"]))
    diff = float((logits - torch.tensor(exp["logits"])).abs().max())
    check("GPT-2 checkpoint without 'transformer.' prefix loads", diff < 1e-4)

    print(f"{results['passed']} passed, {results['failed']} failed")
    sys.exit(1 if results["failed"] else 0)


if __name__ == "__main__":
    main()
