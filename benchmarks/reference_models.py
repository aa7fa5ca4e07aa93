"""Reference GPT-2 and Llama-family causal language models in plain torch.nn.

The parameter names, shapes and maths follow Hugging Face transformers' GPT2LMHeadModel,
LlamaForCausalLM and Qwen2ForCausalLM, so a state_dict saved here loads there and the other way
round. These models are the ground truth for the Java engine's parity tests and the PyTorch side of
the training-speed benchmark. Eager attention only; no padding mask (every row is a full sequence).

    model = build_model(config_dict)                   # GPT-2, Llama or Qwen2 by config["model_type"]
    logits, cache = model(input_ids)                   # input_ids: (B, T) int64
    logits, cache = model(next_ids, past_key_values=cache)
    ids = greedy_generate(model, prompt_ids, 10)       # prompt_ids: (1, T)
    apply_lora(model, ["q_proj", "v_proj"], r=4, alpha=8)
"""

import json
import math
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

import tiny_safetensors


# ----------------------------------------------------------------------------------------------
# shared pieces

def causal_attention(q, k, v):
    """q: (B, H, T, hd); k, v: (B, H, S, hd) with S >= T, the last T keys being the queries' own
    positions. Query i (absolute position S - T + i) sees keys 0 .. S - T + i."""
    T, S = q.size(-2), k.size(-2)
    att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(q.size(-1)))
    mask = torch.ones(T, S, dtype=torch.bool, device=q.device).tril(diagonal=S - T)
    att = att.masked_fill(~mask, float("-inf"))
    att = F.softmax(att, dim=-1, dtype=torch.float32).to(q.dtype)
    return att @ v


def gelu_tanh(x):
    """GPT-2's "gelu_new": 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))). PyTorch's fused
    tanh-approximate GELU is this same function (HF's "gelu_pytorch_tanh"); it differs from the
    formula written out op by op only in float rounding (< 3e-7 absolute) and is ~8% faster on a
    GPT-2 training step."""
    return F.gelu(x, approximate="tanh")


def gelu_tanh_formula(x):
    """The op-by-op form HF's NewGELUActivation computes, kept for checks."""
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * torch.pow(x, 3.0))))


ACTIVATIONS = {
    "gelu_new": gelu_tanh,
    "gelu_pytorch_tanh": gelu_tanh,
    "gelu_fast": gelu_tanh,
    "gelu": F.gelu,  # exact erf form
    "relu": F.relu,
    "silu": F.silu,
    "swish": F.silu,
}


# ----------------------------------------------------------------------------------------------
# GPT-2

class Conv1D(nn.Module):
    """GPT-2's "Conv1D": a linear layer whose weight is stored transposed, shape (in, out).
    y = x @ W + b."""

    def __init__(self, n_in, n_out):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(n_in, n_out))
        self.bias = nn.Parameter(torch.zeros(n_out))

    def forward(self, x):
        return torch.addmm(self.bias, x.reshape(-1, x.size(-1)), self.weight).view(*x.shape[:-1], -1)


class GPT2Attention(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.n_head = cfg["n_head"]
        self.n_embd = cfg["n_embd"]
        self.c_attn = Conv1D(self.n_embd, 3 * self.n_embd)  # columns: [q | k | v]
        self.c_proj = Conv1D(self.n_embd, self.n_embd)

    def forward(self, x, past=None):
        B, T, C = x.shape
        q, k, v = self.c_attn(x).split(C, dim=2)
        # head h owns columns h*hs .. (h+1)*hs - 1 of each of q, k, v
        q, k, v = (t.view(B, T, self.n_head, C // self.n_head).transpose(1, 2) for t in (q, k, v))
        if past is not None:
            k = torch.cat([past[0], k], dim=2)
            v = torch.cat([past[1], v], dim=2)
        y = causal_attention(q, k, v).transpose(1, 2).reshape(B, T, C)
        return self.c_proj(y), (k, v)


class GPT2MLP(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        n_inner = cfg.get("n_inner") or 4 * cfg["n_embd"]
        self.c_fc = Conv1D(cfg["n_embd"], n_inner)
        self.c_proj = Conv1D(n_inner, cfg["n_embd"])
        self.act = ACTIVATIONS[cfg.get("activation_function", "gelu_new")]

    def forward(self, x):
        return self.c_proj(self.act(self.c_fc(x)))


class GPT2Block(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        eps = cfg.get("layer_norm_epsilon", 1e-5)
        self.ln_1 = nn.LayerNorm(cfg["n_embd"], eps=eps)
        self.attn = GPT2Attention(cfg)
        self.ln_2 = nn.LayerNorm(cfg["n_embd"], eps=eps)
        self.mlp = GPT2MLP(cfg)

    def forward(self, x, past=None):
        a, present = self.attn(self.ln_1(x), past)
        x = x + a
        x = x + self.mlp(self.ln_2(x))
        return x, present


class GPT2Model(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.wte = nn.Embedding(cfg["vocab_size"], cfg["n_embd"])
        self.wpe = nn.Embedding(cfg["n_positions"], cfg["n_embd"])
        self.h = nn.ModuleList(GPT2Block(cfg) for _ in range(cfg["n_layer"]))
        self.ln_f = nn.LayerNorm(cfg["n_embd"], eps=cfg.get("layer_norm_epsilon", 1e-5))


class GPT2LMHeadModel(nn.Module):
    """Keys: transformer.{wte,wpe,h.N.*,ln_f}. The output head is wte (tied): no lm_head.weight."""

    family = "gpt2"

    def __init__(self, cfg):
        super().__init__()
        for flag in ("scale_attn_by_inverse_layer_idx", "reorder_and_upcast_attn"):
            if cfg.get(flag):
                raise NotImplementedError(f"GPT-2 option {flag}")
        self.config = dict(cfg)
        self.transformer = GPT2Model(cfg)

    def lookup_only_parameters(self):
        """Parameters used only as lookup tables (not in any matmul): the position table."""
        return [self.transformer.wpe.weight]

    def forward(self, input_ids, position_ids=None, past_key_values=None):
        B, T = input_ids.shape
        past_len = 0 if past_key_values is None else past_key_values[0][0].size(2)
        if position_ids is None:
            position_ids = torch.arange(past_len, past_len + T, device=input_ids.device).unsqueeze(0)
        tr = self.transformer
        x = tr.wte(input_ids) + tr.wpe(position_ids)
        presents = []
        for i, block in enumerate(tr.h):
            x, present = block(x, None if past_key_values is None else past_key_values[i])
            presents.append(present)
        x = tr.ln_f(x)
        return F.linear(x, tr.wte.weight), presents


# ----------------------------------------------------------------------------------------------
# Llama / Qwen2

class RMSNorm(nn.Module):
    """HF LlamaRMSNorm: normalise in float32, cast back to the input dtype, then scale."""

    def __init__(self, dim, eps):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(dim))
        self.eps = eps

    def forward(self, x):
        dtype = x.dtype
        h = x.to(torch.float32)
        h = h * torch.rsqrt(h.pow(2).mean(-1, keepdim=True) + self.eps)
        return self.weight * h.to(dtype)


def rotate_half(x):
    """(x1, x2) -> (-x2, x1) where x1, x2 are the first and second HALVES of the last dim
    (HF layout; not the interleaved pairs of the original Meta code)."""
    half = x.size(-1) // 2
    return torch.cat([-x[..., half:], x[..., :half]], dim=-1)


def rotary_cos_sin(position_ids, head_dim, theta, dtype):
    """position_ids: (B, T) -> cos, sin of shape (B, 1, T, head_dim), computed in float32."""
    inv_freq = 1.0 / (theta ** (torch.arange(0, head_dim, 2, dtype=torch.int64).float() / head_dim))
    freqs = position_ids.float().unsqueeze(-1) * inv_freq.to(position_ids.device)  # (B, T, hd/2)
    emb = torch.cat([freqs, freqs], dim=-1)  # (B, T, hd)
    return emb.cos().to(dtype).unsqueeze(1), emb.sin().to(dtype).unsqueeze(1)


def repeat_kv(x, n_rep):
    """(B, KV, S, hd) -> (B, KV * n_rep, S, hd); kv head j serves query heads j*n_rep .. j*n_rep + n_rep - 1."""
    if n_rep == 1:
        return x
    B, KV, S, hd = x.shape
    return x[:, :, None, :, :].expand(B, KV, n_rep, S, hd).reshape(B, KV * n_rep, S, hd)


class LlamaAttention(nn.Module):
    def __init__(self, cfg, qkv_bias, o_bias):
        super().__init__()
        hidden = cfg["hidden_size"]
        self.n_head = cfg["num_attention_heads"]
        self.n_kv = cfg.get("num_key_value_heads") or self.n_head
        self.head_dim = cfg.get("head_dim") or hidden // self.n_head
        self.q_proj = nn.Linear(hidden, self.n_head * self.head_dim, bias=qkv_bias)
        self.k_proj = nn.Linear(hidden, self.n_kv * self.head_dim, bias=qkv_bias)
        self.v_proj = nn.Linear(hidden, self.n_kv * self.head_dim, bias=qkv_bias)
        self.o_proj = nn.Linear(self.n_head * self.head_dim, hidden, bias=o_bias)

    def forward(self, x, cos, sin, past=None):
        B, T, _ = x.shape
        q = self.q_proj(x).view(B, T, self.n_head, self.head_dim).transpose(1, 2)
        k = self.k_proj(x).view(B, T, self.n_kv, self.head_dim).transpose(1, 2)
        v = self.v_proj(x).view(B, T, self.n_kv, self.head_dim).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        if past is not None:  # the cache holds rotated keys, before repeat_kv (as HF does)
            k = torch.cat([past[0], k], dim=2)
            v = torch.cat([past[1], v], dim=2)
        n_rep = self.n_head // self.n_kv
        y = causal_attention(q, repeat_kv(k, n_rep), repeat_kv(v, n_rep))
        y = y.transpose(1, 2).reshape(B, T, self.n_head * self.head_dim)
        return self.o_proj(y), (k, v)


class LlamaMLP(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        hidden, inter = cfg["hidden_size"], cfg["intermediate_size"]
        bias = bool(cfg.get("mlp_bias", False))
        self.gate_proj = nn.Linear(hidden, inter, bias=bias)
        self.up_proj = nn.Linear(hidden, inter, bias=bias)
        self.down_proj = nn.Linear(inter, hidden, bias=bias)
        self.act = ACTIVATIONS[cfg.get("hidden_act", "silu")]

    def forward(self, x):
        return self.down_proj(self.act(self.gate_proj(x)) * self.up_proj(x))


class LlamaDecoderLayer(nn.Module):
    def __init__(self, cfg, qkv_bias, o_bias):
        super().__init__()
        eps = cfg.get("rms_norm_eps", 1e-6)
        self.input_layernorm = RMSNorm(cfg["hidden_size"], eps)
        self.self_attn = LlamaAttention(cfg, qkv_bias, o_bias)
        self.post_attention_layernorm = RMSNorm(cfg["hidden_size"], eps)
        self.mlp = LlamaMLP(cfg)

    def forward(self, x, cos, sin, past=None):
        a, present = self.self_attn(self.input_layernorm(x), cos, sin, past)
        x = x + a
        x = x + self.mlp(self.post_attention_layernorm(x))
        return x, present


class LlamaModel(nn.Module):
    def __init__(self, cfg, qkv_bias, o_bias):
        super().__init__()
        self.embed_tokens = nn.Embedding(cfg["vocab_size"], cfg["hidden_size"])
        self.layers = nn.ModuleList(
            LlamaDecoderLayer(cfg, qkv_bias, o_bias) for _ in range(cfg["num_hidden_layers"]))
        self.norm = RMSNorm(cfg["hidden_size"], cfg.get("rms_norm_eps", 1e-6))


class LlamaForCausalLM(nn.Module):
    """Keys: model.{embed_tokens,layers.N.*,norm}, lm_head.weight (absent when tie_word_embeddings).

    model_type "llama": attention_bias (default false) puts a bias on q, k, v AND o.
    model_type "qwen2": q, k, v always have a bias and o never has (HF Qwen2Attention hard-codes it;
    Qwen2's config.json has no attention_bias key)."""

    family = "llama"

    def __init__(self, cfg):
        super().__init__()
        rope_scaling = cfg.get("rope_scaling")
        if rope_scaling and rope_scaling.get("rope_type", rope_scaling.get("type")) != "default":
            raise NotImplementedError(f"rope_scaling {rope_scaling}")
        if cfg.get("model_type") == "qwen2" and cfg.get("use_sliding_window"):
            raise NotImplementedError("Qwen2 sliding-window attention")
        self.config = dict(cfg)
        if cfg.get("model_type") == "qwen2":
            qkv_bias, o_bias = True, False
        else:
            qkv_bias = o_bias = bool(cfg.get("attention_bias", False))
        self.model = LlamaModel(cfg, qkv_bias, o_bias)
        self.tied = bool(cfg.get("tie_word_embeddings", False))
        if not self.tied:
            self.lm_head = nn.Linear(cfg["hidden_size"], cfg["vocab_size"], bias=False)
        self.head_dim = cfg.get("head_dim") or cfg["hidden_size"] // cfg["num_attention_heads"]
        self.rope_theta = float(cfg.get("rope_theta", 10000.0))

    def lookup_only_parameters(self):
        """The input embedding is a lookup table unless it is also the (tied) output head."""
        return [] if self.tied else [self.model.embed_tokens.weight]

    def forward(self, input_ids, position_ids=None, past_key_values=None):
        B, T = input_ids.shape
        past_len = 0 if past_key_values is None else past_key_values[0][0].size(2)
        if position_ids is None:
            position_ids = torch.arange(past_len, past_len + T, device=input_ids.device).expand(B, T)
        x = self.model.embed_tokens(input_ids)
        cos, sin = rotary_cos_sin(position_ids, self.head_dim, self.rope_theta, x.dtype)
        presents = []
        for i, layer in enumerate(self.model.layers):
            x, present = layer(x, cos, sin, None if past_key_values is None else past_key_values[i])
            presents.append(present)
        x = self.model.norm(x)
        head = self.model.embed_tokens.weight if self.tied else self.lm_head.weight
        return F.linear(x, head), presents


# ----------------------------------------------------------------------------------------------
# building, loading, initialising

def build_model(cfg):
    model_type = cfg.get("model_type")
    if model_type == "gpt2":
        return GPT2LMHeadModel(cfg)
    if model_type in ("llama", "qwen2", "mistral"):
        return LlamaForCausalLM(cfg)
    raise ValueError(f"unsupported model_type {model_type!r}")


@torch.no_grad()
def init_weights(model, std=0.02):
    """Plain initialisation for training from scratch: normal(0, std) matrices and embeddings,
    zero biases, unit norm weights."""
    for module in model.modules():
        if isinstance(module, (nn.Linear, Conv1D)):
            module.weight.normal_(0.0, std)
            if module.bias is not None:
                module.bias.zero_()
        elif isinstance(module, nn.Embedding):
            module.weight.normal_(0.0, std)
        elif isinstance(module, nn.LayerNorm):
            module.weight.fill_(1.0)
            module.bias.zero_()
        elif isinstance(module, RMSNorm):
            module.weight.fill_(1.0)


# keys some published checkpoints carry that are buffers, not parameters
_IGNORED_SUFFIXES = (".attn.bias", ".attn.masked_bias", ".rotary_emb.inv_freq")


def hf_state_dict(model):
    """The model's tensors under Hugging Face names (what save_pretrained writes)."""
    return {k: v for k, v in model.state_dict().items()}


def load_hf_state_dict(model, tensors):
    """Load HF-named tensors (any float dtype; converted to the model's dtype). Strict about
    missing and unexpected keys, with HF's leniencies: the original GPT-2 checkpoints are saved
    without the "transformer." prefix and carry the causal-mask buffers; a tied head may be saved."""
    own = model.state_dict()
    fixed = {}
    for name, t in tensors.items():
        if name.endswith(_IGNORED_SUFFIXES) and name not in own:
            continue
        if model.family == "gpt2" and name not in own and "transformer." + name in own:
            name = "transformer." + name
        if name == "lm_head.weight" and name not in own:
            continue  # tied head saved anyway: the embedding is the head
        fixed[name] = t
    missing = sorted(set(own) - set(fixed))
    unexpected = sorted(set(fixed) - set(own))
    if missing or unexpected:
        raise ValueError(f"checkpoint mismatch: missing {missing}, unexpected {unexpected}")
    for name, t in fixed.items():
        if tuple(t.shape) != tuple(own[name].shape):
            raise ValueError(f"{name}: shape {tuple(t.shape)} expected {tuple(own[name].shape)}")
        own[name].copy_(t.to(own[name].dtype))


def load_pretrained(model_dir, dtype=torch.float32):
    """Build from model_dir/config.json and load model.safetensors (or a sharded index)."""
    with open(os.path.join(model_dir, "config.json")) as f:
        cfg = json.load(f)
    model = build_model(cfg).to(dtype)
    index = os.path.join(model_dir, "model.safetensors.index.json")
    if os.path.exists(index):
        with open(index) as f:
            files = sorted(set(json.load(f)["weight_map"].values()))
    else:
        files = ["model.safetensors"]
    tensors = {}
    for name in files:
        tensors.update(tiny_safetensors.load_file(os.path.join(model_dir, name)))
    with torch.no_grad():
        load_hf_state_dict(model, tensors)
    return model


# ----------------------------------------------------------------------------------------------
# generation

@torch.no_grad()
def greedy_generate(model, prompt_ids, max_new_tokens, use_cache=True):
    """prompt_ids: (1, T). Returns the list of max_new_tokens generated ids (argmax each step)."""
    ids = prompt_ids
    out = []
    cache = None
    next_input = prompt_ids
    for _ in range(max_new_tokens):
        if use_cache:
            logits, cache = model(next_input, past_key_values=cache)
        else:
            logits, _ = model(ids)
        next_id = logits[:, -1, :].argmax(dim=-1, keepdim=True)  # first max on ties, like torch.argmax
        out.append(int(next_id))
        ids = torch.cat([ids, next_id], dim=1)
        next_input = next_id
    return out


# ----------------------------------------------------------------------------------------------
# LoRA (PEFT semantics)

class LoRALinear(nn.Module):
    """y = base(x) + lora_B(lora_A(x)) * scaling, scaling = alpha / r (alpha / sqrt(r) with rsLoRA).

    lora_A.weight is (r, in) and lora_B.weight is (out, r) for both nn.Linear and GPT-2's Conv1D
    (whose own weight is (in, out)): PEFT's layout. A: kaiming-uniform(a=sqrt(5)), B: zeros."""

    def __init__(self, base, r, alpha, use_rslora=False):
        super().__init__()
        if isinstance(base, Conv1D):
            n_in, n_out = base.weight.shape
        elif isinstance(base, nn.Linear):
            n_out, n_in = base.weight.shape
        else:
            raise TypeError(f"LoRA on {type(base).__name__}")
        self.base_layer = base
        self.lora_A = nn.Linear(n_in, r, bias=False)
        self.lora_B = nn.Linear(r, n_out, bias=False)
        self.scaling = alpha / math.sqrt(r) if use_rslora else alpha / r
        nn.init.kaiming_uniform_(self.lora_A.weight, a=math.sqrt(5))
        nn.init.zeros_(self.lora_B.weight)

    def forward(self, x):
        return self.base_layer(x) + self.lora_B(self.lora_A(x)) * self.scaling


def _matches(module_name, targets):
    """PEFT's rule for a list of target names: the full name, or a dotted suffix of it."""
    return any(module_name == t or module_name.endswith("." + t) for t in targets)


def apply_lora(model, target_modules, r, alpha, use_rslora=False):
    """Freeze every base parameter and wrap the matching Linear/Conv1D modules. Note that PEFT's
    suffix rule makes GPT-2's "c_proj" match the MLP's c_proj too: use "attn.c_proj" for the
    attention output projection alone. Returns the wrapped module names."""
    for p in model.parameters():
        p.requires_grad_(False)
    names = [n for n, m in model.named_modules()
             if isinstance(m, (nn.Linear, Conv1D)) and _matches(n, target_modules)]
    if not names:
        raise ValueError(f"no module matches {target_modules}")
    for name in names:
        parent_name, _, child = name.rpartition(".")
        parent = model.get_submodule(parent_name)
        setattr(parent, child, LoRALinear(getattr(parent, child), r, alpha, use_rslora))
    return names


PEFT_PREFIX = "base_model.model."


def lora_state_dict(model):
    """Adapter tensors under PEFT's saved names, e.g.
    base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight."""
    return {PEFT_PREFIX + k: v for k, v in model.state_dict().items() if ".lora_A." in k or ".lora_B." in k}


def load_lora_adapter(model, adapter_dir):
    """Apply adapter_config.json and load adapter_model.safetensors (PEFT layout) onto model."""
    with open(os.path.join(adapter_dir, "adapter_config.json")) as f:
        acfg = json.load(f)
    if acfg.get("peft_type") != "LORA" or acfg.get("bias", "none") != "none":
        raise NotImplementedError(f"adapter {acfg.get('peft_type')} bias={acfg.get('bias')}")
    apply_lora(model, acfg["target_modules"], acfg["r"], acfg["lora_alpha"], acfg.get("use_rslora", False))
    tensors = tiny_safetensors.load_file(os.path.join(adapter_dir, "adapter_model.safetensors"))
    own = model.state_dict()
    expected = {k for k in own if ".lora_A." in k or ".lora_B." in k}
    got = {k[len(PEFT_PREFIX):] if k.startswith(PEFT_PREFIX) else k: t for k, t in tensors.items()}
    if set(got) != expected:
        raise ValueError(f"adapter mismatch: missing {sorted(expected - set(got))}, "
                         f"unexpected {sorted(set(got) - expected)}")
    with torch.no_grad():
        for k, t in got.items():
            own[k].copy_(t.to(own[k].dtype))
    return acfg
