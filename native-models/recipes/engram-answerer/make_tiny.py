"""Builds a tiny answerer pack with the shape of the large one (gpt-oss-20b as ONNX taking inputs_embeds,
plus a projector from vision-token dim to the LM's hidden size), so the large-answerer path is tested end to end.

Random weights (seeded): it proves the plumbing (projector -> embeddings -> causal LM -> greedy stream), not answers.
Usage: /usr/bin/python3 make_tiny.py OUT_DIR   (writes lm.onnx, projector.onnx, embeddings.bin, manifest.json)
"""
import hashlib, json, math, os, sys
import torch
import torch.nn as nn

torch.backends.mkldnn.enabled = False
torch.manual_seed(20261123)

VISION_DIM, HIDDEN, LAYERS, HEADS, VOCAB, MAX_POS = 256, 64, 2, 4, 260, 512


class RMSNorm(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.w = nn.Parameter(torch.ones(d))

    def forward(self, x):
        return x * torch.rsqrt((x * x).mean(-1, keepdim=True) + 1e-6) * self.w


class Block(nn.Module):
    """Pre-norm causal attention + SwiGLU MLP, as in gpt-oss (without its experts and sliding windows)."""

    def __init__(self):
        super().__init__()
        self.n1, self.n2 = RMSNorm(HIDDEN), RMSNorm(HIDDEN)
        self.qkv = nn.Linear(HIDDEN, 3 * HIDDEN)
        self.o = nn.Linear(HIDDEN, HIDDEN)
        self.gate, self.up = nn.Linear(HIDDEN, 2 * HIDDEN), nn.Linear(HIDDEN, 2 * HIDDEN)
        self.down = nn.Linear(2 * HIDDEN, HIDDEN)

    def forward(self, x, mask):
        b, t, _ = x.shape
        q, k, v = self.qkv(self.n1(x)).reshape(b, t, 3, HEADS, HIDDEN // HEADS).permute(2, 0, 3, 1, 4)
        att = (q @ k.transpose(-1, -2)) / math.sqrt(HIDDEN // HEADS) + mask
        y = (att.softmax(-1) @ v).transpose(1, 2).reshape(b, t, HIDDEN)
        x = x + self.o(y)
        h = self.n2(x)
        return x + self.down(nn.functional.silu(self.gate(h)) * self.up(h))


class LM(nn.Module):
    def __init__(self):
        super().__init__()
        self.pos = nn.Parameter(torch.randn(MAX_POS, HIDDEN) * 0.02)
        self.blocks = nn.ModuleList([Block() for _ in range(LAYERS)])
        self.norm = RMSNorm(HIDDEN)
        self.head = nn.Linear(HIDDEN, VOCAB, bias=False)

    def forward(self, inputs_embeds):
        t = inputs_embeds.shape[1]
        x = inputs_embeds + self.pos[:t]
        idx = torch.arange(t)
        mask = torch.where(idx[None, :] > idx[:, None], torch.tensor(-1e9), torch.tensor(0.0))
        for blk in self.blocks:
            x = blk(x, mask)
        return self.head(self.norm(x))


class Projector(nn.Module):
    """Vision tokens -> LM embedding space (a two-layer MLP, as LLaVA-style projectors are)."""

    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.LayerNorm(VISION_DIM), nn.Linear(VISION_DIM, HIDDEN), nn.GELU(), nn.Linear(HIDDEN, HIDDEN))

    def forward(self, vision_tokens):
        return self.net(vision_tokens)


def sha(path):
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def main(out):
    os.makedirs(out, exist_ok=True)
    lm, proj = LM().eval(), Projector().eval()
    emb = torch.randn(VOCAB, HIDDEN) * 0.5
    with torch.no_grad():
        torch.onnx.export(lm, (torch.randn(1, 5, HIDDEN),), os.path.join(out, "lm.onnx"), input_names=["inputs_embeds"],
                          output_names=["logits"], dynamic_axes={"inputs_embeds": {0: "batch", 1: "seq"}, "logits": {0: "batch", 1: "seq"}}, opset_version=14)
        torch.onnx.export(proj, (torch.randn(1, 4, VISION_DIM),), os.path.join(out, "projector.onnx"), input_names=["vision_tokens"],
                          output_names=["embeds"], dynamic_axes={"vision_tokens": {0: "batch", 1: "n"}, "embeds": {0: "batch", 1: "n"}}, opset_version=14)
    emb.numpy().astype("<f4").tofile(os.path.join(out, "embeddings.bin"))
    files = {k: {"path": p, "sha256": sha(os.path.join(out, p)), "bytes": os.path.getsize(os.path.join(out, p))}
             for k, p in (("lm", "lm.onnx"), ("projector", "projector.onnx"), ("embeddings", "embeddings.bin"))}
    manifest = {
        "name": "tiny-answerer",
        "version": "1.0.0",
        "licence": "MIT",
        "kind": "inputs-embeds-lm",
        "description": "Random-weight stand-in with gpt-oss-20b's interface, for tests. It streams bytes, not answers.",
        "files": files,
        "lm": {"input": "inputs_embeds", "output": "logits", "hidden": HIDDEN, "vocab": VOCAB, "maxPositions": MAX_POS},
        "projector": {"input": "vision_tokens", "output": "embeds", "visionDim": VISION_DIM},
        "embeddings": {"dtype": "float32"},
        "tokenizer": {"kind": "bytes", "bos": 256, "eos": 257, "sep": 258},
        "prompt": {"system": "Answer from the memories.", "maxNewTokens": 48},
    }
    json.dump(manifest, open(os.path.join(out, "manifest.json"), "w"), indent=2)
    print("wrote", out, {k: v["bytes"] for k, v in files.items()})


if __name__ == "__main__":
    main(sys.argv[1])
