"""Write tiny random-weight checkpoints in Hugging Face layout, with the outputs the reference
models compute for them, for the Java engine's parity tests.

    python3 benchmarks/make_parity_fixtures.py OUTDIR

OUTDIR/<name>/ for name in gpt2, llama, qwen2 (F32), gpt2-f16 (the gpt2 weights rounded to F16),
llama-bf16 (the llama weights rounded to BF16), llama-lora (a PEFT LoRA adapter on ../llama):
    config.json          Hugging Face config (adapter_config.json for llama-lora)
    model.safetensors    HF tensor names and shapes (adapter_model.safetensors for llama-lora)
    expected.json        input_ids (2 x 7), logits (2 x 7 x vocab, float32 to 6 significant digits),
                         greedy (10 ids after row 0, KV cache), mean_loss (next-token CE on row 0)
Expected values of the F16/BF16 variants are computed in float32 from the rounded weights.
Deterministic: the same seed gives the same files.
"""

import json
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference_models as rm  # noqa: E402
import tiny_safetensors  # noqa: E402

SEED = 1234
INPUT_IDS = [[5, 17, 42, 3, 88, 61, 29],
             [90, 1, 33, 33, 7, 64, 12]]
N_GREEDY = 10

GPT2_CONFIG = {
    "architectures": ["GPT2LMHeadModel"],
    "model_type": "gpt2",
    "vocab_size": 97,
    "n_positions": 32,
    "n_ctx": 32,
    "n_embd": 32,
    "n_layer": 2,
    "n_head": 4,
    "n_inner": None,  # 4 * n_embd
    "activation_function": "gelu_new",
    "layer_norm_epsilon": 1e-5,
    "resid_pdrop": 0.0,
    "embd_pdrop": 0.0,
    "attn_pdrop": 0.0,
    "scale_attn_weights": True,
    "tie_word_embeddings": True,
    "bos_token_id": 96,
    "eos_token_id": 96,
    "torch_dtype": "float32",
}

LLAMA_CONFIG = {
    "architectures": ["LlamaForCausalLM"],
    "model_type": "llama",
    "vocab_size": 101,
    "hidden_size": 48,
    "intermediate_size": 96,
    "num_hidden_layers": 2,
    "num_attention_heads": 4,
    "num_key_value_heads": 2,
    "max_position_embeddings": 64,
    "rms_norm_eps": 1e-6,
    "rope_theta": 10000.0,
    "rope_scaling": None,
    "attention_bias": False,
    "attention_dropout": 0.0,
    "mlp_bias": False,
    "hidden_act": "silu",
    "tie_word_embeddings": False,
    "bos_token_id": 1,
    "eos_token_id": 2,
    "torch_dtype": "float32",
}

# Qwen2: q/k/v carry biases and o_proj does not, by architecture (HF's Qwen2Config has no
# attention_bias key, so none is written here, as in published Qwen2 config.json files).
QWEN2_CONFIG = {
    "architectures": ["Qwen2ForCausalLM"],
    "model_type": "qwen2",
    "vocab_size": 101,
    "hidden_size": 48,
    "intermediate_size": 96,
    "num_hidden_layers": 2,
    "num_attention_heads": 4,
    "num_key_value_heads": 1,
    "max_position_embeddings": 64,
    "rms_norm_eps": 1e-6,
    "rope_theta": 1000000.0,
    "rope_scaling": None,
    "attention_dropout": 0.0,
    "hidden_act": "silu",
    "use_sliding_window": False,
    "sliding_window": None,
    "max_window_layers": 2,
    "tie_word_embeddings": True,
    "bos_token_id": 100,
    "eos_token_id": 100,
    "torch_dtype": "float32",
}

LORA_CONFIG = {
    "peft_type": "LORA",
    "task_type": "CAUSAL_LM",
    "base_model_name_or_path": "../llama",
    "r": 4,
    "lora_alpha": 8,
    "lora_dropout": 0.0,
    "target_modules": ["q_proj", "v_proj"],
    "bias": "none",
    "fan_in_fan_out": False,
    "use_rslora": False,
    "init_lora_weights": True,
    "modules_to_save": None,
    "inference_mode": True,
}


@torch.no_grad()
def randomize(model, gen, std=0.2):
    """Weights large enough that the outputs are far from uniform: matrices and embeddings
    N(0, std), biases N(0, 0.1), norm weights N(1, 0.1)."""
    for module in model.modules():
        if isinstance(module, (nn.LayerNorm, rm.RMSNorm)):
            module.weight.copy_(1.0 + 0.1 * torch.randn(module.weight.shape, generator=gen))
            if getattr(module, "bias", None) is not None:
                module.bias.copy_(0.1 * torch.randn(module.bias.shape, generator=gen))
        elif isinstance(module, (nn.Linear, rm.Conv1D, nn.Embedding)):
            module.weight.copy_(std * torch.randn(module.weight.shape, generator=gen))
            if getattr(module, "bias", None) is not None:
                module.bias.copy_(0.1 * torch.randn(module.bias.shape, generator=gen))


def round6(t):
    """Nested lists of floats with 6 significant digits."""
    if t.dim() == 0:
        return float(f"{float(t):.6g}")
    return [round6(x) for x in t]


@torch.no_grad()
def expected_outputs(model):
    model.eval()
    ids = torch.tensor(INPUT_IDS, dtype=torch.long)
    logits, _ = model(ids)

    # incremental forward with the cache must reproduce the full forward position by position
    cache = None
    for t in range(ids.size(1)):
        step_logits, cache = model(ids[:, t:t + 1], past_key_values=cache)
        assert torch.allclose(step_logits[:, 0], logits[:, t], atol=1e-5, rtol=1e-5), "cache forward differs"

    prompt = ids[:1]
    greedy = rm.greedy_generate(model, prompt, N_GREEDY, use_cache=True)
    assert greedy == rm.greedy_generate(model, prompt, N_GREEDY, use_cache=False), "KV-cache generation differs"

    # smallest gap between the best and second-best logit along the greedy path: how much
    # numerical difference another engine can have before its greedy ids may legitimately differ
    seq, margins = prompt, []
    for next_id in greedy:
        top2 = model(seq)[0][0, -1].topk(2).values
        margins.append(float(top2[0] - top2[1]))
        seq = torch.cat([seq, torch.tensor([[next_id]])], dim=1)
    assert min(margins) > 1e-3, f"greedy path has a near tie ({min(margins)})"

    loss = F.cross_entropy(logits[0, :-1], ids[0, 1:])
    # the fixtures are meant to be far from uniform
    assert float(logits.std()) > 0.5, f"logits too flat: std {float(logits.std())}"
    return {
        "input_ids": INPUT_IDS,
        "logits": round6(logits),
        "greedy": greedy,
        "greedy_prompt_row": 0,
        "greedy_min_margin": float(f"{min(margins):.4g}"),
        "mean_loss": float(f"{float(loss):.7g}"),
        "note": "float32 reference; logits rounded to 6 significant digits; compare with atol ~1e-4",
    }


def write_json(path, obj):
    """One top-level key per line, values compact (the logits are most of the file)."""
    lines = [f" {json.dumps(k)}: {json.dumps(v, separators=(',', ':'))}" for k, v in obj.items()]
    with open(path, "w") as f:
        f.write("{\n" + ",\n".join(lines) + "\n}\n")


def write_model(outdir, name, cfg, model, dtype=torch.float32):
    """Save model (rounded to dtype) with its config and expected outputs; re-load the written
    files and check they reproduce the outputs (exercises the safetensors writer and reader)."""
    d = os.path.join(outdir, name)
    os.makedirs(d, exist_ok=True)
    cfg = dict(cfg, torch_dtype={torch.float32: "float32", torch.float16: "float16",
                                 torch.bfloat16: "bfloat16"}[dtype])
    tensors = {k: v.to(dtype) for k, v in rm.hf_state_dict(model).items()}
    # what is stored is what the expected values are computed from
    rounded = rm.build_model(cfg)
    with torch.no_grad():
        rm.load_hf_state_dict(rounded, tensors)
    expected = expected_outputs(rounded)

    write_json(os.path.join(d, "config.json"), cfg)
    tiny_safetensors.save_file(tensors, os.path.join(d, "model.safetensors"), metadata={"format": "pt"})
    write_json(os.path.join(d, "expected.json"), expected)

    reloaded = rm.load_pretrained(d)
    assert expected_outputs(reloaded) == expected, f"{name}: reloaded model differs"
    return rounded, expected


def write_lora(outdir, base_model, gen):
    """llama-lora: adapter on q_proj and v_proj with non-zero random B."""
    d = os.path.join(outdir, "llama-lora")
    os.makedirs(d, exist_ok=True)
    acfg = LORA_CONFIG
    with torch.no_grad():
        base_logits, _ = base_model(torch.tensor(INPUT_IDS))
    torch.manual_seed(SEED)  # kaiming init of A uses the global generator
    rm.apply_lora(base_model, acfg["target_modules"], acfg["r"], acfg["lora_alpha"])
    with torch.no_grad():
        for m in base_model.modules():
            if isinstance(m, rm.LoRALinear):
                m.lora_B.weight.copy_(0.2 * torch.randn(m.lora_B.weight.shape, generator=gen))
    expected = expected_outputs(base_model)
    change = (torch.tensor(expected["logits"]) - base_logits).abs().max()
    assert change > 0.1, f"adapter barely changes the logits ({float(change)})"
    tensors = rm.lora_state_dict(base_model)
    write_json(os.path.join(d, "adapter_config.json"), acfg)
    tiny_safetensors.save_file(tensors, os.path.join(d, "adapter_model.safetensors"), metadata={"format": "pt"})
    write_json(os.path.join(d, "expected.json"), expected)

    reloaded = rm.load_pretrained(os.path.join(outdir, "llama"))
    rm.load_lora_adapter(reloaded, d)
    assert expected_outputs(reloaded) == expected, "llama-lora: reloaded adapter differs"
    return expected


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    torch.set_num_threads(1)  # fixed reduction order
    gen = torch.Generator().manual_seed(SEED)

    made = {}
    for name, cfg in (("gpt2", GPT2_CONFIG), ("llama", LLAMA_CONFIG), ("qwen2", QWEN2_CONFIG)):
        model = rm.build_model(cfg)
        randomize(model, gen)
        made[name] = model
        _, exp = write_model(outdir, name, cfg, model)
        print(f"{name}: loss {exp['mean_loss']:.4f} greedy {exp['greedy']}")

    _, exp = write_model(outdir, "gpt2-f16", GPT2_CONFIG, made["gpt2"], torch.float16)
    print(f"gpt2-f16: loss {exp['mean_loss']:.4f} greedy {exp['greedy']}")
    _, exp = write_model(outdir, "llama-bf16", LLAMA_CONFIG, made["llama"], torch.bfloat16)
    print(f"llama-bf16: loss {exp['mean_loss']:.4f} greedy {exp['greedy']}")

    exp = write_lora(outdir, made["llama"], gen)
    print(f"llama-lora: loss {exp['mean_loss']:.4f} greedy {exp['greedy']}")

    for root, _, files in sorted(os.walk(outdir)):
        for f in sorted(files):
            p = os.path.join(root, f)
            print(f"{os.path.getsize(p):8d}  {os.path.relpath(p, outdir)}")


if __name__ == "__main__":
    main()
