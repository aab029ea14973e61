# Trains the engram-optical encoder and decoder on CPU (or CUDA) from rendered page shards, resuming from checkpoints.
# Deterministic given --seed and the same shards; prints progress and held-in validation char accuracy.
#
#   /usr/bin/python3 native-models/recipes/engram-optical/train.py --data DIR --run DIR --steps N [--threads 1]
import argparse
import glob
import gzip
import json
import math
import os
import random
import re
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model import CHARSET, LADDER_SIDES, PATCH, RowHead, decode_text, fade, make_models  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
SIZE_WEIGHTS = {512: 0.5, 640: 0.3, 1024: 0.12, 1280: 0.08}


def norm_ws(s):
    return re.sub(r'\s+', ' ', s).strip()


def char_accuracy(pred, ref):
    """1 - CER on whitespace-normalised text (Levenshtein, vectorised per row)."""
    a, b = norm_ws(pred), norm_ws(ref)
    if not b:
        return 1.0 if not a else 0.0
    if not a:
        return 0.0
    bb = np.frombuffer(b.encode('latin-1', 'replace'), np.uint8)
    prev = np.arange(len(b) + 1, dtype=np.int32)
    idx = np.arange(len(b) + 1, dtype=np.int32)
    for ch in a.encode('latin-1', 'replace'):
        cost = (bb != ch).astype(np.int32)
        tmp = np.empty_like(prev)
        tmp[0] = prev[0] + 1
        tmp[1:] = np.minimum(prev[1:] + 1, prev[:-1] + cost)
        prev = np.minimum.accumulate(tmp - idx) + idx
    return max(0.0, 1.0 - prev[-1] / len(b))


class Shards:
    """All page shards in memory (grey uint8), picking up shards written while training runs."""

    def __init__(self, data_dir, val_pages=40):
        self.dir = data_dir
        self.val_pages = val_pages  # the last pages of shard-0000 are validation, never trained on
        self.loaded = set()
        self.pages = []  # (size, grey ndarray, lines)
        self.val = []
        self.refresh()

    def refresh(self):
        for js in sorted(glob.glob(os.path.join(self.dir, 'shard-*.json'))):
            if js in self.loaded:
                continue
            gz = js[:-5] + '.u8.gz'
            if not os.path.exists(gz):
                continue
            try:
                meta = json.load(open(js))
                buf = np.frombuffer(gzip.open(gz).read(), np.uint8)
            except Exception:
                continue
            first = js.endswith('shard-0000.json')
            n = len(meta['pages'])
            for i, p in enumerate(meta['pages']):
                s = p['size']
                grey = buf[p['offset']:p['offset'] + s * s].reshape(s, s)
                item = (s, grey, p['lines'])
                (self.val if first and i >= n - self.val_pages else self.pages).append(item)
            self.loaded.add(js)


def targets_for(size, lines, slots):
    """Per band of 64 px, slot k holds the line whose centre lies k*(64/slots) .. (k+1)*(64/slots) px into the band.
    Slots by position (not by count) keep the mapping local, which a CNN learns far faster; lines are >= 9 px apart
    at 512 px (and scaled up with the page), so two never share an 8-px slot."""
    bands = size // PATCH
    out = [[[] for _ in range(slots)] for _ in range(bands)]
    step = PATCH / slots
    for l in sorted(lines, key=lambda l: l['cy']):
        b = min(bands - 1, int(l['cy'] // PATCH))
        s = min(slots - 1, int((l['cy'] - b * PATCH) // step))
        if not out[b][s]:
            out[b][s] = [CHARSET.index(c) + 1 for c in norm_ws(l['text']) if c in CHARSET]
    return out


def page_text(lines):
    return '\n'.join(norm_ws(l['text']) for l in sorted(lines, key=lambda l: l['cy']))


def ctc_loss(logits, tgts):
    """logits [B,H,S,C,T]; tgts [B][H][S] -> lists of class ids. Mean loss per target character."""
    B, H, S, C, T = logits.shape
    lp = F.log_softmax(logits, dim=3).permute(4, 0, 1, 2, 3).reshape(T, B * H * S, C)
    flat = [t for page in tgts for band in page for t in band]
    lens = torch.tensor([len(t) for t in flat], dtype=torch.long)
    cat = torch.tensor([c for t in flat for c in t], dtype=torch.long)
    inl = torch.full((len(flat),), T, dtype=torch.long)
    loss = F.ctc_loss(lp, cat, inl, lens, blank=0, reduction='sum', zero_infinity=True)
    return loss / max(1, int(lens.sum()))


def to_tensor(greys):
    return torch.from_numpy(np.stack(greys).astype(np.float32) / 255.0).unsqueeze(1)


def evaluate(enc, dec, val, n=16, aux=None):
    enc.eval(), dec.eval()
    if aux is not None:
        aux.eval()
    res = {}
    with torch.no_grad():
        for size, grey, lines in val[:n]:
            tok, feats = enc(to_tensor([grey]), return_features=True)
            G = tok.shape[1]
            ref = page_text(lines)
            if aux is not None:
                rows = aux(feats).argmax(dim=2)[0]  # [R, W]
                ids = rows.reshape(G, dec.slots, -1).numpy()
                res.setdefault('rowhead', []).append(char_accuracy(decode_text(ids), ref))
            levels = [('native', G)] + [(f's{s}', s) for s in LADDER_SIDES if s < G and s in (G // 2, 4, 1)]
            for name, side in levels:
                t = tok if side == G else fade(tok, side)
                ids = dec(t).argmax(dim=3)[0].numpy()
                res.setdefault(name, []).append(char_accuracy(decode_text(ids), ref))
    enc.train(), dec.train()
    if aux is not None:
        aux.train()
    return {k: float(np.mean(v)) for k, v in res.items()}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--data', default=os.path.join(HERE, 'data'))
    ap.add_argument('--run', default=os.path.join(HERE, 'runs', 'default'))
    ap.add_argument('--steps', type=int, default=12000)
    ap.add_argument('--batch', type=int, default=2)
    ap.add_argument('--lr', type=float, default=1.5e-3)
    ap.add_argument('--warmup', type=int, default=300)
    ap.add_argument('--fade-p', type=float, default=0.25)
    ap.add_argument('--threads', type=int, default=1)
    ap.add_argument('--seed', type=int, default=1234)
    ap.add_argument('--ckpt-every', type=int, default=100)
    ap.add_argument('--eval-every', type=int, default=500)
    ap.add_argument('--aux-weight', type=float, default=1.0)
    ap.add_argument('--val-pages', type=int, default=40)
    ap.add_argument('--eval-pages', type=int, default=12)
    ap.add_argument('--arch', default='v1', help='v1 (linear token path) or v2 (MLP token path); a resumed run keeps its own')
    ap.add_argument('--init-from', default='', help='warm start a new run from another run\'s checkpoint: every weight whose name and shape match')
    ap.add_argument('--max-minutes', type=float, default=0, help='stop (after a checkpoint) when this much time has passed')
    args = ap.parse_args()

    # Debian's torch 1.13 computes wrong conv gradients through oneDNN on some CPUs: use the reference kernels.
    torch.backends.mkldnn.enabled = False
    torch.set_num_threads(args.threads)
    device = 'cuda' if torch.cuda.is_available() else 'cpu'
    os.makedirs(args.run, exist_ok=True)
    ckpt_path = os.path.join(args.run, 'ckpt.pt')

    torch.manual_seed(args.seed)
    resume = torch.load(ckpt_path, map_location=device) if os.path.exists(ckpt_path) else None
    arch = resume.get('config', {}).get('arch', 'v1') if resume else args.arch
    enc, dec = make_models(arch)
    aux = RowHead()
    if resume is None and args.init_from:
        src = torch.load(args.init_from, map_location='cpu')
        for name, module in (('enc', enc), ('dec', dec), ('aux', aux)):
            own = module.state_dict()
            take = {k: v for k, v in src[name].items() if k in own and own[k].shape == v.shape}
            module.load_state_dict(take, strict=False)
            print(f'warm start: {name} {len(take)}/{len(own)} tensors from {args.init_from}', flush=True)
        enc.warm_start(aux)
    enc.to(device), dec.to(device), aux.to(device)
    params = list(enc.parameters()) + list(dec.parameters()) + list(aux.parameters())
    opt = torch.optim.AdamW(params, lr=args.lr, weight_decay=0.01)
    step, rng = 0, random.Random(args.seed)
    log = []
    if resume is not None:
        ck = resume
        enc.load_state_dict(ck['enc']), dec.load_state_dict(ck['dec'])
        if 'aux' in ck:  # checkpoints from before the row head keep their weights and start a fresh optimiser
            aux.load_state_dict(ck['aux']), opt.load_state_dict(ck['opt'])
        step, log = ck['step'], ck.get('log', [])
        rng.setstate(ck['rng'])
        torch.set_rng_state(ck['torch_rng'])
        print(f'resumed from step {step}', flush=True)
    nparams = sum(p.numel() for p in params)
    print(f'params: encoder {sum(p.numel() for p in enc.parameters())}, decoder {sum(p.numel() for p in dec.parameters())}, total {nparams}', flush=True)

    shards = Shards(args.data, args.val_pages)
    print(f'{len(shards.pages)} training pages, {len(shards.val)} validation pages', flush=True)

    def save():
        ck = {'enc': enc.state_dict(), 'dec': dec.state_dict(), 'aux': aux.state_dict(), 'opt': opt.state_dict(), 'step': step, 'log': log,
              'rng': rng.getstate(), 'torch_rng': torch.get_rng_state(), 'args': vars(args),
              'config': {'dim': 256, 'slots': dec.slots, 'pos': dec.pos, 'arch': arch}}
        torch.save(ck, ckpt_path + '.tmp')
        os.replace(ckpt_path + '.tmp', ckpt_path)

    t0, seen, run_loss, run_aux, started = time.time(), 0, None, None, time.time()
    while step < args.steps:
        if step % 200 == 0:
            shards.refresh()
        lr = args.lr * min(1.0, (step + 1) / args.warmup) * (0.5 * (1 + math.cos(math.pi * min(1.0, step / args.steps))) * 0.95 + 0.05)
        for g in opt.param_groups:
            g['lr'] = lr
        # Small pages teach the same characters for a fraction of the pixels: most steps go to tiny and small pages.
        sizes = sorted({p[0] for p in shards.pages})
        weights = [SIZE_WEIGHTS.get(s, 0.1) for s in sizes]
        size = rng.choices(sizes, weights)[0]
        pool = [p for p in shards.pages if p[0] == size]
        # Tokens per step stay near constant: large pages (256 or 400 tokens) go one at a time.
        batch = [pool[rng.randrange(len(pool))] for _ in range(args.batch if size <= 640 else 1)]
        x = to_tensor([b[1] for b in batch]).to(device)
        tgts = [targets_for(size, b[2], dec.slots) for b in batch]
        tok, feats = enc(x, return_features=True)
        if rng.random() < args.fade_p:
            sides = [s for s in LADDER_SIDES if s < tok.shape[1]]
            tok = fade(tok, rng.choice(sides))
        main_loss = ctc_loss(dec(tok), tgts)
        rows = aux(feats)  # [B, R, C, W]: row r is band r // slots, slot r % slots
        B_, R_, C_, W_ = rows.shape
        aux_loss = ctc_loss(rows.reshape(B_, R_ // dec.slots, dec.slots, C_, W_), tgts)
        loss = main_loss + args.aux_weight * aux_loss
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        step += 1
        seen += len(batch)
        run_loss = main_loss.item() if run_loss is None else 0.98 * run_loss + 0.02 * main_loss.item()
        run_aux = aux_loss.item() if run_aux is None else 0.98 * run_aux + 0.02 * aux_loss.item()
        if step % 20 == 0:
            el = time.time() - t0
            print(f'step {step} loss {run_loss:.3f} rowloss {run_aux:.3f} lr {lr:.2e} {seen / el:.2f} pages/s', flush=True)
        if step % args.eval_every == 0 or step == args.steps:
            acc = evaluate(enc, dec, shards.val, args.eval_pages, aux)
            log.append({'step': step, 'loss': run_loss, 'acc': acc, 'time': time.time()})
            print(f'eval step {step}: ' + ' '.join(f'{k} {v:.3f}' for k, v in acc.items()), flush=True)
        if step % args.ckpt_every == 0 or step == args.steps:
            save()
        if args.max_minutes and time.time() - started > args.max_minutes * 60:
            save()
            print(f'stopping after {args.max_minutes} minutes at step {step}', flush=True)
            break
    save()
    print('done', flush=True)


if __name__ == '__main__':
    main()
