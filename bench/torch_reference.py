#!/usr/bin/env python3
"""PyTorch reference for `toolsharp bench engine`: the same decoder (Llama / Qwen2 / Qwen3) written directly in torch,
loading the same config.json + model.safetensors, so the C# engine is compared with PyTorch on identical weights.

Run with Debian's python3-torch (/usr/bin/python3). No transformers or safetensors package is needed: the safetensors
reader below is ~20 lines.

  torch_reference.py logits MODEL_DIR TOKENS_JSON OUT_BIN      # float32 logits of every position, row-major
  torch_reference.py grads MODEL_DIR TOKENS_JSON OUT_FILE      # parameter gradients of the mean cross-entropy (safetensors)
  torch_reference.py bench MODEL_DIR --threads N [...]         # prints one JSON object of timings
"""
import argparse, json, math, os, struct, sys, time


def _pin_blas_threads(argv):
    """torch.set_num_threads sizes PyTorch's own pool only: the BLAS that Debian's torch calls (OpenBLAS through
    libblas.so.3) keeps one thread per core unless told before it loads, so a "1-thread" run would use every core
    inside its matrix products. Pin every BLAS / OpenMP pool to --threads before importing torch."""
    if "--threads" in argv and argv.index("--threads") + 1 < len(argv):
        n = argv[argv.index("--threads") + 1]
        for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ[var] = n


_pin_blas_threads(sys.argv)

import torch
import torch.nn.functional as F


def load_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        b, e = info["data_offsets"]
        dtype = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16}[info["dtype"]]
        t = torch.frombuffer(bytearray(data[b:e]), dtype=dtype).reshape(info["shape"])
        out[name] = t.to(torch.float32)
    return out


class Model(torch.nn.Module):
    def __init__(self, cfg, weights):
        super().__init__()
        self.cfg = cfg
        self.p = torch.nn.ParameterDict({k.replace(".", "__"): torch.nn.Parameter(v.clone()) for k, v in weights.items()})
        hd = cfg.get("head_dim") or cfg["hidden_size"] // cfg["num_attention_heads"]
        self.hd = hd
        rd = int(hd * cfg.get("partial_rotary_factor", 1.0)) // 2 * 2
        self.rd = rd
        self.inv_freq = 1.0 / (cfg.get("rope_theta", 10000.0) ** (torch.arange(0, rd, 2, dtype=torch.int64).float() / rd))
        self.eps = cfg.get("rms_norm_eps", 1e-6)
        self.tied = cfg.get("tie_word_embeddings", False)

    def w(self, name):
        return self.p[name.replace(".", "__")]

    def has(self, name):
        return name.replace(".", "__") in self.p

    def rms(self, x, w):
        var = x.pow(2).mean(-1, keepdim=True)
        return w * (x * torch.rsqrt(var + self.eps))

    def rope(self, x, pos):  # x: [B, H, T, hd]
        freqs = pos[:, None].float() * self.inv_freq[None, :]
        emb = torch.cat((freqs, freqs), dim=-1)
        cos, sin = emb.cos()[None, None], emb.sin()[None, None]
        xr, xp = x[..., : self.rd], x[..., self.rd:]
        x1, x2 = xr[..., : self.rd // 2], xr[..., self.rd // 2:]
        rot = torch.cat((-x2, x1), dim=-1)
        return torch.cat((xr * cos + rot * sin, xp), dim=-1)

    def linear(self, x, name):
        b = self.w(name + ".bias") if self.has(name + ".bias") else None
        return F.linear(x, self.w(name + ".weight"), b)

    def layer_qkv(self, i, h, pos):
        cfg, hd = self.cfg, self.hd
        B, T, _ = h.shape
        H, KV = cfg["num_attention_heads"], cfg.get("num_key_value_heads", cfg["num_attention_heads"])
        p = f"model.layers.{i}.self_attn."
        q = self.linear(h, p + "q_proj").view(B, T, H, hd)
        k = self.linear(h, p + "k_proj").view(B, T, KV, hd)
        v = self.linear(h, p + "v_proj").view(B, T, KV, hd)
        if self.has(p + "q_norm.weight"):
            q = self.rms(q, self.w(p + "q_norm.weight"))
            k = self.rms(k, self.w(p + "k_norm.weight"))
        q, k, v = q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2)
        return self.rope(q, pos), self.rope(k, pos), v

    def attend(self, i, q, k, v, causal_offset):
        H, KV = q.shape[1], k.shape[1]
        k = k.repeat_interleave(H // KV, dim=1)
        v = v.repeat_interleave(H // KV, dim=1)
        s = q @ k.transpose(-1, -2) / math.sqrt(self.hd)
        Tq, Tk = s.shape[-2], s.shape[-1]
        mask = torch.ones(Tq, Tk, dtype=torch.bool).tril(diagonal=causal_offset)
        s = s.masked_fill(~mask, float("-inf"))
        return torch.softmax(s, dim=-1) @ v

    def forward(self, ids, cache=None):
        B, T = ids.shape
        start = 0 if cache is None or cache[0] is None else cache[0][0].shape[2]
        pos = torch.arange(start, start + T)
        x = F.embedding(ids, self.w("model.embed_tokens.weight"))
        new_cache = []
        for i in range(self.cfg["num_hidden_layers"]):
            p = f"model.layers.{i}."
            h = self.rms(x, self.w(p + "input_layernorm.weight"))
            q, k, v = self.layer_qkv(i, h, pos)
            if cache is not None and cache[i] is not None:
                k = torch.cat((cache[i][0], k), dim=2)
                v = torch.cat((cache[i][1], v), dim=2)
            new_cache.append((k, v))
            a = self.attend(i, q, k, v, causal_offset=start).transpose(1, 2).reshape(B, T, -1)
            x = x + self.linear(a, p + "self_attn.o_proj")
            h2 = self.rms(x, self.w(p + "post_attention_layernorm.weight"))
            m = F.silu(self.linear(h2, p + "mlp.gate_proj")) * self.linear(h2, p + "mlp.up_proj")
            x = x + self.linear(m, p + "mlp.down_proj")
        x = self.rms(x, self.w("model.norm.weight"))
        head = self.w("model.embed_tokens.weight") if self.tied else self.w("lm_head.weight")
        return F.linear(x, head), new_cache


def load(model_dir):
    cfg = json.load(open(f"{model_dir}/config.json"))
    return Model(cfg, load_safetensors(f"{model_dir}/model.safetensors"))


def cmd_logits(args):
    model = load(args.model)
    seqs = json.load(open(args.tokens))
    with torch.no_grad(), open(args.out, "wb") as f:
        for s in seqs:
            logits, _ = model(torch.tensor([s]))
            f.write(logits[0].contiguous().numpy().astype("<f4").tobytes())


def save_safetensors(path, tensors):
    header, offset, blobs = {}, 0, []
    for name, t in tensors.items():
        data = t.detach().contiguous().to(torch.float32).numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    head = json.dumps(header).encode()
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(head)) + head + b"".join(blobs))


def cmd_grads(args):
    """Gradients of the mean next-token cross-entropy over every position of the given sequences."""
    model = load(args.model)
    seqs = json.load(open(args.tokens))
    count = sum(len(s) - 1 for s in seqs)
    total = 0
    for s in seqs:
        ids = torch.tensor([s])
        logits, _ = model(ids)
        total = total + F.cross_entropy(logits[0, :-1], ids[0, 1:], reduction="sum") / count
    total.backward()
    save_safetensors(args.out, {k.replace("__", "."): p.grad for k, p in model.p.items()})


def median(xs):
    xs = sorted(xs)
    return xs[len(xs) // 2]


def cmd_bench(args):
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = load(args.model)
    vocab = model.cfg["vocab_size"]
    g = torch.Generator().manual_seed(1)
    ids = torch.randint(0, vocab, (args.batch, args.seq), generator=g)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=0.0)

    def step():
        logits, _ = model(ids[:, :-1])
        loss = F.cross_entropy(logits.reshape(-1, vocab), ids[:, 1:].reshape(-1))
        opt.zero_grad(set_to_none=False)
        loss.backward()
        opt.step()

    for _ in range(args.warmup):
        step()
    times = []
    cpu0, wall0 = time.process_time(), time.perf_counter()
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        step()
        times.append(time.perf_counter() - t0)
    # CPU seconds per wall second while training: shows how many cores the step really kept busy.
    cores_busy = (time.process_time() - cpu0) / (time.perf_counter() - wall0)

    def generate(batch):
        prompt = torch.randint(0, vocab, (batch, args.prompt), generator=g)
        with torch.no_grad():
            logits, cache = model(prompt)
            tok = logits[:, -1].argmax(-1, keepdim=True)
            t0 = time.perf_counter()
            for _ in range(args.new_tokens):
                logits, cache = model(tok, cache)
                tok = logits[:, -1].argmax(-1, keepdim=True)
            return batch * args.new_tokens / (time.perf_counter() - t0)

    gen = {}
    for b in (1, 8):
        generate(b)  # warm-up
        gen[str(b)] = median([generate(b) for _ in range(3)])
    print(json.dumps({
        "torch_version": torch.__version__,
        "threads": args.threads,
        "train_step_ms": 1000 * median(times),
        "train_cores_busy": cores_busy,
        "gen_tokens_per_s": gen,
    }))


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("logits")
    a.add_argument("model"); a.add_argument("tokens"); a.add_argument("out")
    g = sub.add_parser("grads")
    g.add_argument("model"); g.add_argument("tokens"); g.add_argument("out")
    b = sub.add_parser("bench")
    b.add_argument("model")
    b.add_argument("--threads", type=int, default=1)
    b.add_argument("--batch", type=int, default=8)
    b.add_argument("--seq", type=int, default=256)
    b.add_argument("--warmup", type=int, default=2)
    b.add_argument("--repeats", type=int, default=5)
    b.add_argument("--prompt", type=int, default=32)
    b.add_argument("--new-tokens", type=int, default=64)
    args = ap.parse_args()
    {"logits": cmd_logits, "grads": cmd_grads, "bench": cmd_bench}[args.cmd](args)


if __name__ == "__main__":
    main()
