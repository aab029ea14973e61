# Exports a train.py checkpoint to a model pack: encoder.onnx, decoder.onnx, manifest.json (sha256 per file),
# plus a parity fixture (one page through torch) that scripts/models-smoke.mjs replays in onnxruntime-node.
#
#   /usr/bin/python3 native-models/recipes/engram-optical/export.py --run DIR --out native-models/packs/engram-optical
import argparse
import glob
import gzip
import hashlib
import json
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model import CHARSET, LADDER_SIDES, PATCH, make_models  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
MODES = {'tiny': 512, 'small': 640, 'base': 1024, 'large': 1280}
LEVEL_NAMES = ['large', 'base', 'small', 'tiny', 'gist16', 'gist4', 'gist1']


def sha256(path):
    h = hashlib.sha256()
    with open(path, 'rb') as f:
        for chunk in iter(lambda: f.read(1 << 20), b''):
            h.update(chunk)
    return h.hexdigest()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--run', default=os.path.join(HERE, 'runs', 'default'))
    ap.add_argument('--data', default=os.path.join(HERE, 'data'))
    ap.add_argument('--out', default=os.path.join(HERE, '..', '..', 'packs', 'engram-optical'))
    ap.add_argument('--metrics', default=None, help='JSON file of measured metrics to record in the manifest')
    args = ap.parse_args()
    torch.backends.mkldnn.enabled = False
    ck = torch.load(os.path.join(args.run, 'ckpt.pt'), map_location='cpu')
    enc, dec = make_models(ck.get('config', {}).get('arch', 'v1'))
    enc.load_state_dict(ck['enc']), dec.load_state_dict(ck['dec'])
    enc.eval(), dec.eval()
    os.makedirs(args.out, exist_ok=True)
    enc_path, dec_path = os.path.join(args.out, 'encoder.onnx'), os.path.join(args.out, 'decoder.onnx')

    class DecIds(torch.nn.Module):
        def __init__(self, d):
            super().__init__()
            self.d = d

        def forward(self, tokens):
            return self.d(tokens).argmax(dim=3)

    x = torch.rand(1, 1, 512, 512)
    torch.onnx.export(enc, (x,), enc_path, input_names=['pixels'], output_names=['tokens'], opset_version=17,
                      dynamic_axes={'pixels': {0: 'batch', 2: 'height', 3: 'width'}, 'tokens': {0: 'batch', 1: 'rows', 2: 'cols'}})
    t = torch.randn(1, 8, 8, 256)
    torch.onnx.export(DecIds(dec), (t,), dec_path, input_names=['tokens'], output_names=['ids'], opset_version=17,
                      dynamic_axes={'tokens': {0: 'batch', 1: 'rows', 2: 'cols'}, 'ids': {0: 'batch', 1: 'rows', 3: 'positions'}})

    # Parity fixture: a real page (the first validation page) through torch, for the onnxruntime-node replay.
    shard = sorted(glob.glob(os.path.join(args.data, 'shard-0000.json')))
    if shard:
        meta = json.load(open(shard[0]))
        p = meta['pages'][-1]
        buf = np.frombuffer(gzip.open(shard[0][:-5] + '.u8.gz').read(), np.uint8)
        s = p['size']
        grey = buf[p['offset']:p['offset'] + s * s].reshape(1, 1, s, s).astype(np.float32) / 255.0
    else:
        s = 512
        grey = np.ones((1, 1, s, s), np.float32)
    with torch.no_grad():
        tok = enc(torch.from_numpy(grey))
        ids = dec(tok).argmax(dim=3)
    fx = os.path.join(args.run, 'parity')
    os.makedirs(fx, exist_ok=True)
    grey.tofile(os.path.join(fx, 'pixels.f32'))
    tok.numpy().astype(np.float32).tofile(os.path.join(fx, 'tokens.f32'))
    ids.numpy().astype(np.int64).tofile(os.path.join(fx, 'ids.i64'))
    json.dump({'size': s, 'tokens': list(tok.shape), 'ids': list(ids.shape)}, open(os.path.join(fx, 'parity.json'), 'w'))

    dim = 256
    counts = [400, 256, 100, 64, 16, 4, 1]
    log = ck.get('log', [])
    train_args = ck.get('args', {})
    nparams = sum(p.numel() for p in enc.parameters()) + sum(p.numel() for p in dec.parameters())
    arch = ck.get('config', {}).get('arch', 'v1')
    path = 'a linear token path' if arch == 'v1' else 'an MLP token path over per-row character features'
    manifest = {
        'name': 'engram-optical',
        'version': '1.0.0',
        'licence': 'MIT',
        'description': f'Page CNN ({arch}: {path}) -> one 256-d vision token per 64x64 px; band decoder (8 CTC line slots per 64-px band). Trained from scratch by native-models/recipes/engram-optical.',
        'files': {
            'encoder': {'path': 'encoder.onnx', 'sha256': sha256(enc_path), 'bytes': os.path.getsize(enc_path)},
            'decoder': {'path': 'decoder.onnx', 'sha256': sha256(dec_path), 'bytes': os.path.getsize(dec_path)},
        },
        'input': {'name': 'pixels', 'channels': 1, 'patch': PATCH, 'sizes': MODES},
        'output': {'name': 'tokens'},
        'decoder': {'input': 'tokens', 'output': 'ids', 'kind': 'ctc-bands', 'slots': dec.slots, 'positions': dec.pos},
        'levels': [{'name': n, 'count': c, 'dim': dim} for n, c in zip(LEVEL_NAMES, counts)],
        'charset': {'kind': 'ctc', 'blank': 0, 'chars': CHARSET},
        'params': int(nparams),
        'training': {
            'steps': ck['step'],
            'batch': train_args.get('batch'),
            'seed': train_args.get('seed'),
            'lr': train_args.get('lr'),
            'last_eval': log[-1] if log else None,
            'exported': time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime()),
        },
    }
    if args.metrics and os.path.exists(args.metrics):
        manifest['metrics'] = json.load(open(args.metrics))
    json.dump(manifest, open(os.path.join(args.out, 'manifest.json'), 'w'), indent=2)
    print(f'exported {args.out}: encoder {os.path.getsize(enc_path) / 1e6:.1f} MB, decoder {os.path.getsize(dec_path) / 1e6:.1f} MB, {nparams} params, step {ck["step"]}')


if __name__ == '__main__':
    main()
