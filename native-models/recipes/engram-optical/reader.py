"""The span pack's line reader: a small convolutional CTC recogniser trained by us on exactly labelled line crops
(gen_lines.ts), reading a region at a fixed height of 24 px, about as the page shows it. It replaces PaddleOCR's
recogniser (48 px, 6,625 classes), which read well but at 0.5 pages/s on this CPU; the frozen DB detector stays.

  python3 reader.py --data DIR --run RUN [--steps 6000] [--batch 32] [--max-width 256] [--threads 2] [--max-minutes M] [--val 300]
  python3 reader.py --run RUN --export OUT_DIR          (reader.onnx + reader-keys.txt, and a parity fixture in RUN)

Training resumes from RUN/reader.pt; seeds are fixed. Train with oneDNN off (Debian's torch 1.13 gets convolution
gradients wrong through it on this CPU).
"""
import argparse
import glob
import json
import math
import os
import random
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.backends.mkldnn.enabled = False

# Class 0 is CTC's blank, then these 95, in the order the front's key files use: the keys, then the space last.
CHARSET = ''.join(chr(c) for c in range(0x21, 0x7F)) + ' '
HEIGHT = 24


class Reader(nn.Module):
    """[B, 1, 24, W] grey in [-1, 1] -> [B, W/4, 96] class logits. About 170k multiply-adds a pixel column."""

    def __init__(self, width=192):
        super().__init__()

        def block(cin, cout, stride):
            return nn.Sequential(nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))

        self.stem = nn.Sequential(block(1, 32, 2), block(32, 64, 2), block(64, 96, (2, 1)))  # -> 96 x 3 x W/4

        def seq(cin, cout, dil):
            return nn.Sequential(nn.Conv1d(cin, cout, 3, 1, dil, dilation=dil, bias=False), nn.BatchNorm1d(cout), nn.ReLU(inplace=True))

        self.t1 = seq(96 * 3, width, 1)
        self.t2 = seq(width, width, 2)
        self.t3 = seq(width, width, 1)
        self.head = nn.Conv1d(width, len(CHARSET) + 1, 1)

    def forward(self, x):
        f = self.stem(x)
        b, c, h, w = f.shape
        f = f.reshape(b, c * h, w)
        f = self.t1(f)
        f = f + self.t2(f)
        f = f + self.t3(f)
        return self.head(f).transpose(1, 2)  # [B, T, C]


def encode_label(text):
    return [CHARSET.index(ch) + 1 for ch in text if ch in CHARSET]


def greedy(logits):
    """[T, C] -> text, CTC's best path."""
    out, prev = [], 0
    for k in logits.argmax(-1).tolist():
        if k != prev and k != 0:
            out.append(CHARSET[k - 1])
        prev = k
    return ''.join(out)


def edit_distance(a, b):
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


class Crops:
    """Every shard of a gen_lines.ts folder in memory: crops as uint8 rows of HEIGHT."""

    def __init__(self, folder):
        self.items = []
        self.bufs = []
        for meta_path in sorted(glob.glob(os.path.join(folder, 'shard-*.json'))):
            meta = json.load(open(meta_path))
            if meta['height'] != HEIGHT:
                raise SystemExit(f'{meta_path}: crops are {meta["height"]} px high, the reader reads {HEIGHT}')
            buf = np.fromfile(meta_path[:-5] + '.bin', dtype=np.uint8)
            k = len(self.bufs)
            self.bufs.append(buf)
            for c in meta['crops']:
                if encode_label(c['t']):
                    self.items.append((k, c['o'], c['w'], c['t'], c['c']))
        if not self.items:
            raise SystemExit(f'no crops in {folder}: run gen_lines.ts first')

    def image(self, i):
        k, o, w, _, _ = self.items[i]
        return self.bufs[k][o:o + HEIGHT * w].reshape(HEIGHT, w)


def window(rng, img, text, centres, max_w):
    """A random piece of a crop at most max_w columns wide, cut halfway between characters, with its text."""
    w = img.shape[1]
    if w <= max_w:
        return img, text
    n = len(text)
    bounds = [0.0] + [(centres[i] + centres[i + 1]) / 2 for i in range(n - 1)] + [float(w)]
    starts = [i for i in range(n) if bounds[i] <= w - max_w or i == 0]
    i = rng.choice(starts)
    j = i + 1
    while j < n and bounds[j + 1] - bounds[i] <= max_w:
        j += 1
    x0, x1 = int(bounds[i]), int(math.ceil(bounds[j]))
    piece = text[i:j].strip()
    return img[:, x0:min(x1, x0 + max_w)], piece


def augment(rng, img):
    """Ink contrast, paper tone, noise and a slight horizontal stretch: what other renderers and sizes do to a line."""
    img = img.astype(np.float32)
    if rng.random() < 0.5:
        s = rng.uniform(0.85, 1.15)
        w = max(8, int(round(img.shape[1] * s)))
        t = torch.from_numpy(img)[None, None]
        img = F.interpolate(t, size=(HEIGHT, w), mode='bilinear', align_corners=False)[0, 0].numpy()
    lo, hi = rng.uniform(0, 90), rng.uniform(200, 255)
    img = lo + (hi - lo) * img / 255.0
    if rng.random() < 0.3:
        img = img + np.random.default_rng(rng.randrange(1 << 30)).normal(0, rng.uniform(2, 10), img.shape)
    return np.clip(img, 0, 255)


def batch(rng, data, idx, max_w, train=True):
    imgs, labels = [], []
    for i in idx:
        _, _, _, text, centres = data.items[i]
        img, piece = window(rng, data.image(i), text, centres, max_w) if train else (data.image(i), text)
        if train:
            img = augment(rng, img)
        if not encode_label(piece):
            continue
        imgs.append(np.asarray(img, dtype=np.float32))
        labels.append(piece)
    W = max(im.shape[1] for im in imgs)
    W = (W + 3) // 4 * 4
    x = np.full((len(imgs), 1, HEIGHT, W), 255.0, dtype=np.float32)
    for b, im in enumerate(imgs):
        x[b, 0, :, :im.shape[1]] = im
    return torch.from_numpy(x / 127.5 - 1.0), labels, [im.shape[1] for im in imgs]


def evaluate(model, data, idx):
    model.eval()
    errs = chars = 0
    with torch.no_grad():
        for i in idx:
            img = data.image(i).astype(np.float32)
            x = torch.from_numpy(img / 127.5 - 1.0)[None, None]
            text = greedy(model(x)[0])
            ref = data.items[i][3]
            errs += edit_distance(text, ref)
            chars += len(ref)
    model.train()
    return 1 - errs / max(1, chars)


def train(args):
    torch.manual_seed(0)
    torch.set_num_threads(args.threads)
    data = Crops(args.data)
    order = list(range(len(data.items)))
    random.Random(0).shuffle(order)
    nval = min(args.val, len(order) // 5)
    val, tr = order[:nval], order[nval:]
    os.makedirs(args.run, exist_ok=True)
    model = Reader()
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-4)
    step = 0
    ckpt = os.path.join(args.run, 'reader.pt')
    if os.path.exists(ckpt):
        st = torch.load(ckpt)
        model.load_state_dict(st['model'])
        opt.load_state_dict(st['opt'])
        step = st['step']
        print(f'resumed at step {step}', flush=True)
    rng = random.Random(1000 + step)
    ctc = nn.CTCLoss(blank=0, zero_infinity=True)
    params = sum(p.numel() for p in model.parameters())
    print(f'{len(tr)} training crops, {len(val)} validation; {params / 1e6:.2f}M parameters', flush=True)
    t0 = time.time()
    avg = None
    while step < args.steps:
        lr = args.lr * (min(1.0, (step + 1) / 300) * 0.5 * (1 + math.cos(math.pi * step / args.steps)))
        for g in opt.param_groups:
            g['lr'] = lr
        x, labels, widths = batch(rng, data, [rng.choice(tr) for _ in range(args.batch)], args.max_width)
        logits = model(x)  # [B, T, C]
        logp = logits.log_softmax(-1).transpose(0, 1)
        targets = [torch.tensor(encode_label(t)) for t in labels]
        T = logits.shape[1]
        in_lens = torch.tensor([min(T, (w + 3) // 4) for w in widths])
        loss = ctc(logp, torch.cat(targets), in_lens, torch.tensor([len(t) for t in targets]))
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
        opt.step()
        step += 1
        avg = loss.item() if avg is None else 0.98 * avg + 0.02 * loss.item()
        done = step >= args.steps or (args.max_minutes and time.time() - t0 > args.max_minutes * 60)
        if step % args.eval_every == 0 or done:
            acc = evaluate(model, data, val)
            print(f'step {step} loss {avg:.3f} lr {lr:.2e} val char acc {acc:.4f} ({time.time() - t0:.0f} s)', flush=True)
            torch.save({'model': model.state_dict(), 'opt': opt.state_dict(), 'step': step, 'val': acc}, ckpt + '.tmp')
            os.replace(ckpt + '.tmp', ckpt)
        if done:
            break


class Exported(nn.Module):
    """The pack's interface: [B, 3, 24, W] (the front's three equal planes in [-1, 1]) -> [B, W/4, 96] probabilities."""

    def __init__(self, reader):
        super().__init__()
        self.reader = reader

    def forward(self, x):
        return self.reader(x[:, :1]).softmax(-1)


def export_reader(run, out_dir, onnx_name='reader.onnx', keys_name='reader-keys.txt'):
    """Writes the reader as the pack's recogniser (ONNX and key file) and RUN/parity-reader/ for the onnxruntime-node
    replay; returns the checkpoint's step and validation accuracy."""
    import onnx

    model = Reader()
    st = torch.load(os.path.join(run, 'reader.pt'), map_location='cpu')
    model.load_state_dict(st['model'])
    model.eval()
    wrapped = Exported(model)
    os.makedirs(out_dir, exist_ok=True)
    out = os.path.join(out_dir, onnx_name)
    x = torch.rand(1, 3, HEIGHT, 200, generator=torch.Generator().manual_seed(0)) * 2 - 1
    # The fixture first: torch.onnx.export (1.13) leaves the traced module's outputs different for the same input.
    with torch.no_grad():
        y = wrapped(x.clone())
    fixture = os.path.join(run, 'parity-reader')
    os.makedirs(fixture, exist_ok=True)
    x.numpy().astype('<f4').tofile(os.path.join(fixture, 'input.f32'))
    y.numpy().astype('<f4').tofile(os.path.join(fixture, 'probs.f32'))
    json.dump({'input': list(x.shape), 'probs': list(y.shape)}, open(os.path.join(fixture, 'shapes.json'), 'w'))
    torch.onnx.export(wrapped, x.clone(), out, input_names=['x'], output_names=['probs'],
                      dynamic_axes={'x': {0: 'batch', 3: 'width'}, 'probs': {0: 'batch', 1: 'steps'}}, opset_version=13)
    onnx.checker.check_model(onnx.load(out))
    with open(os.path.join(out_dir, keys_name), 'w') as f:
        # The front's key file: one class a line after the blank; the space is the last class and has no line.
        f.write('\n'.join(CHARSET[:-1]) + '\n')
    return st['step'], st.get('val')


def export(args):
    step, val = export_reader(args.run, args.export)
    print(f'exported {args.export}/reader.onnx (step {step}, validation char accuracy {val})')


if __name__ == '__main__':
    ap = argparse.ArgumentParser()
    ap.add_argument('--data')
    ap.add_argument('--run', required=True)
    ap.add_argument('--steps', type=int, default=6000)
    ap.add_argument('--batch', type=int, default=32)
    ap.add_argument('--max-width', type=int, default=256)
    ap.add_argument('--lr', type=float, default=2e-3)
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--eval-every', type=int, default=250)
    ap.add_argument('--val', type=int, default=300, help='crops held back for validation')
    ap.add_argument('--max-minutes', type=float, default=0)
    ap.add_argument('--export')
    a = ap.parse_args()
    if a.export:
        export(a)
    else:
        if not a.data:
            ap.error('--data is required to train')
        train(a)
