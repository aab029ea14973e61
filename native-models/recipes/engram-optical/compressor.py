"""The span compressor of the v3 pack: a run of up to K characters <-> one vision token.

The v3 encoder is PaddleOCR's frozen detector and recogniser (the perception front, as SAM and CLIP are DeepEncoder's)
followed by this compressor: the page's recognised text, whitespace runs collapsed, is cut into N equal spans (N = the
level's token count; at least minChars each while the text lasts) and each span becomes one D-dimensional token.
The decoder reads a token back to its span. Nothing else is stored: what a memory recalls is what its tokens decode to.

Trained on text alone (corpus.ts: node_modules prose and code), with OCR-like noise on the input and the clean span
as the target, so the decoder carries a small language prior. The chunking rule is mirrored in
electron/core/optical/spans.ts; the two must agree.

    /usr/bin/python3 native-models/recipes/engram-optical/compressor.py --corpus CORPUS.txt --run RUN --steps N
"""
import argparse
import json
import math
import os
import random
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

K = 128  # characters a token can hold at most
CHARS = ''.join(chr(c) for c in range(32, 127))  # printable ASCII; id 0 is padding, id i is CHARS[i - 1]
V = len(CHARS) + 1
PAD = 0


def encode_text(s):
    return [CHARS.index(ch) + 1 if ' ' <= ch <= '~' else CHARS.index('?') + 1 for ch in s]


class SpanEncoder(nn.Module):
    """ids [B, K] -> tokens [B, D]: a linear code. Each (position, character) pair has its own direction in the token,
    and a span's token is their sum: nothing to learn but the directions, so the decoder learns fast.
    (A convolutional encoder, and an MLP with a LayerNorm, learnt 5-10x slower per step on this CPU: README.)"""

    def __init__(self, dim=256, emb=16):
        super().__init__()
        self.emb = nn.Embedding(V, emb)
        self.proj = nn.Linear(K * emb, dim)

    def forward(self, ids):
        return self.proj(self.emb(ids).flatten(1))


class SpanDecoder(nn.Module):
    """tokens [B, D] -> logits [B, K, V]: one hidden layer, then per-position features read by a shared classifier."""

    def __init__(self, dim=256, hidden=1024, feat=32):
        super().__init__()
        self.feat = feat
        self.fc1 = nn.Linear(dim, hidden)
        self.fc2 = nn.Linear(hidden, K * feat)
        self.out = nn.Linear(feat, V)

    def forward(self, tokens):
        return self.out(self.fc2(F.gelu(self.fc1(tokens))).view(tokens.shape[0], K, self.feat))


def make_models(cfg):
    return SpanEncoder(cfg['dim'], cfg['emb']), SpanDecoder(cfg['dim'], cfg['hidden'], cfg['feat'])


# ---- data ----------------------------------------------------------------------------------------------------------

# What the front gets wrong, roughly, on Engram's pages: look-alike characters, a dropped or doubled space, a lost character.
CONFUSE = [('l', '1'), ('l', 'I'), ('O', '0'), ('o', '0'), ('.', ','), (':', ';'), ('"', "'"), ('m', 'rn'), ('_', '-'),
           ('e', 'c'), ('`', "'"), ('(', '{'), (')', '}'), ('[', '('), (']', ')'), ('|', 'l')]


def noisy(s, rnd, rate):
    if rate <= 0:
        return s
    out = []
    for ch in s:
        r = rnd.random()
        if r < rate * 0.25:
            continue  # dropped
        if r < rate * 0.5:
            pairs = [b for a, b in CONFUSE if a == ch] + [a for a, b in CONFUSE if b == ch]
            out.append(rnd.choice(pairs) if pairs else ch)
            continue
        if r < rate * 0.6 and ch != ' ':
            out.append(ch + ' ')  # a space that is not there
            continue
        if r < rate * 0.75 and ch == ' ':
            continue  # a space the front missed
        out.append(ch)
    return ''.join(out)[: len(s) + 4]


class Corpus:
    def __init__(self, path, seed, holdout=0.02):
        prose, code = [], []
        with open(path, encoding='utf-8') as f:
            for line in f:
                tag, _, text = line.rstrip('\n').partition('\t')
                (prose if tag == 'P' else code).append(text)
        rnd = random.Random(seed)
        for xs in (prose, code):
            rnd.shuffle(xs)
        nvp, nvc = max(1, int(len(prose) * holdout)), max(1, int(len(code) * holdout))
        self.val = prose[:nvp] + code[:nvc]
        self.prose, self.code = prose[nvp:], code[nvc:]

    def span(self, rnd, n, docs=None):
        if docs is None:
            docs = self.prose if rnd.random() < 0.5 else self.code
        d = docs[rnd.randrange(len(docs))]
        i = rnd.randrange(max(1, len(d) - n))
        return d[i:i + n]


def span_length(rnd):
    r = rnd.random()
    if r < 0.03:
        return 0  # a page shorter than its token count leaves tokens empty; they must decode to nothing
    if r < 0.45:
        return rnd.randint(4, 40)
    if r < 0.85:
        return rnd.randint(40, 100)
    return rnd.randint(100, K)


def batch(corpus, rnd, size, noise):
    src = torch.zeros(size, K, dtype=torch.long)
    tgt = torch.zeros(size, K, dtype=torch.long)
    for b in range(size):
        n = span_length(rnd)
        s = corpus.span(rnd, n) if n else ''
        t = encode_text(s)
        x = encode_text(noisy(s, rnd, noise if rnd.random() < 0.7 else 0.0))[:K]
        if t:
            tgt[b, :len(t)] = torch.tensor(t)
        if x:
            src[b, :len(x)] = torch.tensor(x)
    return src, tgt


def greedy(logits):
    return logits.argmax(-1)


def span_text(ids):
    return ''.join(CHARS[i - 1] for i in ids if i > 0)


def levenshtein(a, b):
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cur[j] = min(prev[j - 1] + (a[i - 1] != b[j - 1]), prev[j] + 1, cur[j - 1] + 1)
        prev = cur
    return prev[len(b)]


@torch.no_grad()
def evaluate(enc, dec, corpus, lengths=(16, 32, 64, 96, 128), per=64, seed=7):
    enc.eval(), dec.eval()
    rnd = random.Random(seed)
    out = {}
    for n in lengths:
        spans = [corpus.span(rnd, n, corpus.val) for _ in range(per)]
        ids = torch.zeros(per, K, dtype=torch.long)
        for b, s in enumerate(spans):
            t = encode_text(s)
            ids[b, :len(t)] = torch.tensor(t)
        pred = greedy(dec(enc(ids).half().float()))
        errs = sum(levenshtein(span_text(p.tolist()), s) for p, s in zip(pred, spans))
        out[n] = max(0.0, 1 - errs / max(1, sum(len(s) for s in spans)))  # 1 - CER, floored at 0 as Engram scores it
    enc.train(), dec.train()
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--corpus', required=True)
    ap.add_argument('--run', required=True)
    ap.add_argument('--steps', type=int, default=4000)
    ap.add_argument('--batch', type=int, default=128)
    ap.add_argument('--lr', type=float, default=1e-3)
    ap.add_argument('--noise', type=float, default=0.04)
    ap.add_argument('--dim', type=int, default=256)
    ap.add_argument('--emb', type=int, default=16)
    ap.add_argument('--hidden', type=int, default=1024)
    ap.add_argument('--feat', type=int, default=32)
    ap.add_argument('--threads', type=int, default=1)
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--max-minutes', type=float, default=0)
    ap.add_argument('--eval-every', type=int, default=250)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.backends.mkldnn.enabled = False  # Debian's torch 1.13: wrong conv gradients through oneDNN on this CPU
    dev = 'cuda' if torch.cuda.is_available() else 'cpu'
    os.makedirs(args.run, exist_ok=True)
    ckpt_path = os.path.join(args.run, 'compressor.pt')
    cfg = {'dim': args.dim, 'emb': args.emb, 'hidden': args.hidden, 'feat': args.feat, 'K': K, 'chars': CHARS}
    torch.manual_seed(args.seed)
    enc, dec = make_models(cfg)
    enc.to(dev), dec.to(dev)
    params = list(enc.parameters()) + list(dec.parameters())
    opt = torch.optim.AdamW(params, lr=args.lr, weight_decay=0.01)
    step, history = 0, []
    if os.path.exists(ckpt_path):
        ck = torch.load(ckpt_path, map_location=dev)
        cfg = ck['config']
        enc.load_state_dict(ck['encoder']), dec.load_state_dict(ck['decoder'])
        opt.load_state_dict(ck['opt'])
        step, history = ck['step'], ck.get('history', [])
        print(f'resumed at step {step}', flush=True)
    corpus = Corpus(args.corpus, args.seed)
    print(f'{sum(p.numel() for p in enc.parameters()) / 1e6:.2f}M + {sum(p.numel() for p in dec.parameters()) / 1e6:.2f}M '
          f'parameters; {len(corpus.prose)} prose, {len(corpus.code)} code documents; device {dev}', flush=True)
    rnd = random.Random(args.seed * 1000 + step)
    t_start = time.time()
    warm = 200

    def save():
        torch.save({'config': cfg, 'encoder': enc.state_dict(), 'decoder': dec.state_dict(), 'opt': opt.state_dict(),
                    'step': step, 'history': history}, ckpt_path + '.tmp')
        os.replace(ckpt_path + '.tmp', ckpt_path)

    loss_avg = None
    while step < args.steps:
        lr = args.lr * min(1.0, (step + 1) / warm) * (0.5 * (1 + math.cos(math.pi * min(1.0, step / args.steps))) * 0.95 + 0.05)
        for g in opt.param_groups:
            g['lr'] = lr
        src, tgt = batch(corpus, rnd, args.batch, args.noise)
        src, tgt = src.to(dev), tgt.to(dev)
        tok = enc(src)
        tok = tok + 0.01 * tok.detach().std() * torch.randn_like(tok)  # fp16 storage must not matter
        logits = dec(tok)
        weight = torch.where(tgt > 0, 1.0, 0.3)
        loss = (F.cross_entropy(logits.reshape(-1, V), tgt.reshape(-1), reduction='none') * weight.reshape(-1)).sum() / weight.sum()
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        step += 1
        loss_avg = loss.item() if loss_avg is None else 0.98 * loss_avg + 0.02 * loss.item()
        if step % 50 == 0:
            print(f'step {step} loss {loss_avg:.4f} lr {lr:.2e} {(time.time() - t_start) / 60:.1f} min', flush=True)
        if step % args.eval_every == 0 or step == args.steps:
            acc = evaluate(enc, dec, corpus)
            history.append({'step': step, 'loss': loss_avg, 'acc': acc})
            print('eval', step, ' '.join(f'{n}:{100 * a:.1f}%' for n, a in acc.items()), flush=True)
            save()
        elif step % 100 == 0:
            save()
        if args.max_minutes and (time.time() - t_start) / 60 > args.max_minutes:
            break
    save()
    with open(os.path.join(args.run, 'compressor-history.json'), 'w') as f:
        json.dump(history, f, indent=1)


if __name__ == '__main__':
    main()
